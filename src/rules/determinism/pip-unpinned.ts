import { hasOption } from '../../dockerfile/packages.js';
import { packageWords } from '../lib/r1-hadolint.js';
import type { Rule } from '../types.js';
import { envAt, packageOperations } from '../util.js';

/** A requirement that names a version, a local path, an archive, a wheel or a URL. */
function pinnedOrLocal(spec: string): boolean {
  if (/[=<>]|~=|!=/.test(spec)) return true;
  if (/^[.~/]/.test(spec) || spec.includes('/') || spec.includes('@')) return true;
  return /\.(whl|tar\.gz|tgz|zip|tar\.bz2|tar)$/i.test(spec);
}

export const rule: Rule = {
  meta: {
    id: 'LW4104',
    name: 'pip-unpinned',
    category: 'determinism',
    severity: 'warning',
    summary: 'pip install of packages without versions (`pkg` instead of `pkg==1.2`).',
    description:
      'An unpinned `pip install pkg` takes the newest release on build day: rebuilds differ, an upstream release can ' +
      'break the image, and the layer changes although nothing of yours did. Pin versions, or install from a ' +
      'requirements/lock file or with a constraints file.',
    bad: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir requests\n',
    good: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir requests==2.32.3\n',
    fixable: false,
    aliases: ['DL3013'],
  },
  check(ctx) {
    for (const { ins, op } of packageOperations(ctx.file)) {
      if ((op.manager !== 'pip' && op.manager !== 'uv-pip') || op.action !== 'install') continue;
      // Constraints pin whatever the command line leaves open; --no-index installs local files only.
      if (hasOption(op, '-c', '--constraint', '--no-index', '--build-constraint')) continue;
      if (op.command.assignments.PIP_CONSTRAINT || op.command.assignments.UV_CONSTRAINT) continue;
      if (envAt(ctx.file, ins, 'PIP_CONSTRAINT') || envAt(ctx.file, ins, 'UV_CONSTRAINT')) continue;
      const loose = packageWords(op).filter((w) => !w.dynamic && !w.value.includes('$') && !pinnedOrLocal(w.value));
      if (!loose.length) continue;
      const names = loose.map((w) => w.value);
      const tool = op.manager === 'uv-pip' ? 'uv pip install' : 'pip install';
      ctx.report({
        line: loose[0].line,
        column: loose[0].column,
        message: `${tool} without version pins: ${names.join(', ')}; pin them ('${names[0]}==<version>') or install from a requirements/lock file`,
      });
    }
  },
};
