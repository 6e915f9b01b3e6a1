import { wholeContextInstructions } from '../lib/build-context.js';
import type { Rule } from '../types.js';
import { shortText } from '../util.js';

interface Entry {
  /** Pattern to suggest. */
  pattern: string;
  /** A path that the pattern must exclude. */
  probe: (files: string[]) => string | undefined;
  why: string;
}

const top = (dir: string) => (files: string[]) =>
  files.some((f) => f === dir || f.startsWith(`${dir}/`)) ? dir : undefined;
const isPython = (files: string[]) =>
  files.some((f) => f.endsWith('.py') || f === 'pyproject.toml' || /^requirements[^/]*\.txt$/.test(f));

const ENTRIES: Entry[] = [
  { pattern: '.git', probe: top('.git'), why: 'changes with every commit' },
  {
    pattern: '.venv',
    // A local virtualenv appears on every developer machine of a Python project, whether or not it is here now.
    probe: (files) => top('.venv')(files) ?? (isPython(files) ? '.venv' : undefined),
    why: 'a local, platform-specific environment',
  },
  {
    pattern: '**/__pycache__',
    probe: (files) => {
      const hit = files.find((f) => /(^|\/)__pycache__\//.test(f));
      if (hit) return hit.slice(0, hit.indexOf('__pycache__') + '__pycache__'.length);
      const py = files.find((f) => f.endsWith('.py') && f.includes('/'));
      return py ? `${py.slice(0, py.lastIndexOf('/'))}/__pycache__` : undefined;
    },
    why: 'rewritten whenever Python runs locally',
  },
  { pattern: 'node_modules', probe: top('node_modules'), why: 'installed inside the image instead' },
  {
    pattern: 'tests',
    probe: (files) => top('tests')(files) ?? top('test')(files),
    why: 'not needed at run time',
  },
];

export const rule: Rule = {
  meta: {
    id: 'LW2406',
    name: 'dockerignore-incomplete',
    category: 'cache',
    severity: 'info',
    summary: '.dockerignore keeps .git, .venv, __pycache__, node_modules or tests in the context of a `COPY . .`.',
    description:
      'These directories change for reasons unrelated to the image (a commit, a local install, running the tests), ' +
      'and `COPY . .` copies them: the COPY and all later steps re-run and a new layer ships. Note that a plain ' +
      '`__pycache__` line only excludes the top-level directory; use `**/__pycache__`.',
    bad: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "-m", "app"]\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "-m", "app"]\n',
    badContext: {
      dockerignore: '__pycache__\n*.pyc\n',
      files: [
        'app/__init__.py',
        'app/main.py',
        'app/__pycache__/main.cpython-312.pyc',
        'requirements.txt',
        '.git/HEAD',
        'tests/test_main.py',
      ],
    },
    goodContext: {
      dockerignore: '.git\n.venv\n**/__pycache__\ntests\n',
      files: [
        'app/__init__.py',
        'app/main.py',
        'app/__pycache__/main.cpython-312.pyc',
        'requirements.txt',
        '.git/HEAD',
        'tests/test_main.py',
      ],
    },
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { context } = ctx;
    if (!context.exists || !context.ignoreFile) return;
    const first = wholeContextInstructions(ctx.file).find((i) => i.keyword !== 'RUN');
    if (!first) return;
    // The listing leaves out ignored files; probes need to see what is there, so ask isIgnored per path.
    const files = context.files();
    const missing: Entry[] = [];
    for (const e of ENTRIES) {
      const path = e.probe(files);
      if (path && !context.isIgnored(path) && !context.isIgnored(`${path}/x`)) missing.push(e);
    }
    if (!missing.length) return;
    const names = missing.map((e) => e.pattern);
    const pyc =
      missing.find((e) => e.pattern === '**/__pycache__') &&
      context.ignorePatterns.some((p) => p.replace(/\/$/, '') === '__pycache__');
    ctx.report({
      line: first.span.start.line,
      message:
        `${shortText(first, 40)} copies ${missing.map((e) => `${e.pattern.replace('**/', '')} (${e.why})`).join(', ')}: .dockerignore does not exclude them, so unrelated changes re-run this step; ` +
        `add ${names.map((n) => `\`${n}\``).join(', ')} to .dockerignore${pyc ? ' (a plain `__pycache__` line only matches the top-level directory)' : ''}`,
    });
  },
};
