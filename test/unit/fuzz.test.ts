// Property/fuzz test: pushes FUZZ_RUNS random and mutated Dockerfiles through
// parse and lint (lintText parses, so both are covered) and checks, for every input:
//   - no exception escapes lintText (nor parseDockerfile);
//   - no rule crashed (`failures` is empty); a crash is shrunk to a minimal input and printed;
//   - every finding has an integer line in 1..lineCount, an integer column >= 1 and a sane end;
//   - linting is deterministic (sampled cases are regenerated and linted again).
// Case i is generated from (seed, i) alone, so any case can be replayed: FUZZ_CASE=i.
// Env: FUZZ_SEED, FUZZ_RUNS, FUZZ_WORKERS (default: available cores), FUZZ_CASE.
// The issue's bar is 100,000 inputs: FUZZ_RUNS=100000 node --test dist/test/unit/fuzz.test.js.
// The default is lower only because lint costs ~8 ms of CPU an input today (100k = ~7 min on
// two cores); raise it once lint is fast enough for 100k to fit in ~2 minutes.
// Cases are split over worker threads (each loads the linter once); results are merged in order.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { findRoot } from './repo.js';
import { INSTRUCTIONS } from '../../src/rules/util.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x1a7e5);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);
/** A single input slower than this is reported (catastrophic backtracking, quadratic loops). */
const SLOW_MS = 1_000;
const MASK64 = (1n << 64n) - 1n;

// ---------------------------------------------------------------------------------------------
// Randomness: one small PRNG per case, seeded from (SEED, case index).

type Rng = () => number;
function mulberry32(a: number): Rng {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function caseRng(seed: number, i: number): Rng {
  return mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35));
}

class Gen {
  constructor(readonly r: Rng) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  many(n: number, f: () => string, sep = ''): string {
    return Array.from({ length: n }, f).join(sep);
  }
}

// ---------------------------------------------------------------------------------------------
// Corpus

export function loadCorpus(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/(^|[.-])(Dockerfile|Containerfile)([.-]\w+)?$/.test(name) && !name.endsWith('.dockerignore'))
        out.push(readFileSync(full, 'utf8'));
    }
  };
  walk(join(findRoot(), 'test', 'corpus'));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generators

const KEYWORDS: readonly string[] = INSTRUCTIONS;
const UNICODE = [
  '\u00e9',
  '\u0301',
  '\u200b',
  '\u200f',
  '\u202e',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffd',
  '\ud83d\udc33',
  '\ud800',
  '\udfff',
  '\u4e2d\u6587',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\r',
  '\t',
  '\v',
  '\f',
];
const FLAGS = [
  '--mount=',
  '--mount=type=',
  '--mount=type=cache',
  '--mount=type=cache,target=',
  '--mount=type=cache,,,target=/x,,',
  '--mount=type=bind,from=',
  '--mount=type=bind,from=999,source=/',
  '--mount=from=-1',
  '--mount=type=secret,id=,env=',
  '--mount=type=ssh,required=maybe',
  '--mount=type=tmpfs,size=-1',
  '--mount=type=cache,target="/a,b",sharing=locked',
  "--mount=type=cache,target='",
  '--mount=type=cache,id=${X:-',
  '--mount=type=cache,uid=abc,gid=,mode=999999',
  '--mount="type=cache,target=/root/.cache/pip"',
  '--mount',
  '--from=',
  '--from=0',
  '--from=-3',
  '--from=${STAGE}',
  '--from=nope',
  '--chown=',
  '--chown=::',
  '--chown=$U:$G',
  '--chmod=999',
  '--chmod=u+x',
  '--link',
  '--link=false',
  '--exclude=',
  '--exclude=**',
  '--parents',
  '--platform=',
  '--platform=$BUILDPLATFORM',
  '--network=none',
  '--network=',
  '--security=insecure',
  '--checksum=sha256:',
  '--keep-git-dir=true',
  '--interval=',
  '--retries=x',
  '--start-period=-1s',
  '--',
  '-',
  '--=',
  '--x=y=z',
];
const SHELL_SNIPPETS = [
  'apt-get update',
  'apt-get install -y --no-install-recommends curl ca-certificates',
  'apt-get install python3',
  'apt install -y vim',
  'rm -rf /var/lib/apt/lists/*',
  'apk add --no-cache bash',
  'apk add curl',
  'dnf install -y gcc && dnf clean all',
  'yum install httpd',
  'microdnf install -y tar',
  'zypper install -y git',
  'pip install -r requirements.txt',
  'pip install --no-cache-dir flask>=2',
  'pip3 install "requests<3"',
  'python -m pip install -U pip',
  'python3 -m venv /opt/venv',
  'uv sync --locked --no-dev --no-install-project',
  'uv sync',
  'uv pip install --system -r pyproject.toml',
  'uv venv',
  'poetry install --no-root --only main',
  'poetry install',
  'pdm install --prod',
  'pipenv install --deploy --system',
  'conda install -y numpy && conda clean -afy',
  'mamba env create -f environment.yml',
  'npm ci',
  'npm install',
  'yarn install --frozen-lockfile',
  'pnpm install --frozen-lockfile',
  'gem install bundler -v 2.5.0',
  'go install example.com/x@latest',
  'go build ./...',
  'cargo build --release',
  'curl -fsSL https://example.com/install.sh | sh',
  'wget -qO- https://example.com/x | bash',
  'curl -o /tmp/x https://example.com/x && sha256sum -c /tmp/x.sha',
  'cd /app',
  'sudo make install',
  'set -o pipefail',
  'set -euxo pipefail',
  'echo $((1 + 2))',
  'echo ${A:-${B:-${C}}}',
  'echo "$(cat /etc/os-release | grep ID)"',
  'for i in 1 2 3; do echo $i; done',
  'if [ -f /x ]; then rm /x; fi',
  'case "$X" in a) echo a;; esac',
  'f() { echo hi; }; f',
  '(cd /tmp && ls)',
  'echo a > /dev/null 2>&1',
  'cat <<EOF > /x\nhello\nEOF',
  'ln -s /bin/bash /bin/sh',
  'useradd -m app',
  'chmod -R 777 /app',
  'ssh-keyscan example.com >> ~/.ssh/known_hosts',
  'git clone https://git.example.com/r.git',
  'export PATH=/x:$PATH',
  'X=1 Y=2 env',
  'shutdown -h now',
  'true',
  ':',
  '!',
  '&&',
  '|',
  ';;',
  '$(',
  '`',
  '"',
  "'",
  '((',
  '{',
  '}',
];
const IMAGES = [
  'python:3.12-slim',
  'python',
  'python:latest',
  'debian:bookworm-slim',
  'alpine:3.20',
  'ubuntu',
  'scratch',
  'registry.example.com:5000/team/app:1.0@sha256:0123',
  '${BASE}',
  '${BASE:-python:3.12}',
  '$X:$Y',
  'builder',
  'base',
  'Build',
  '0',
  ':',
  '@',
  '/',
  'a/b/c/d/e:tag@sha256:',
  'UPPER/Case:Tag',
  'x'.repeat(300),
];
const WORDS = [
  'a',
  'b',
  '/app',
  '.',
  '..',
  '*',
  '**/*.py',
  '$HOME',
  '${X}',
  '"quoted word"',
  "'single'",
  '\\',
  '[',
  ']',
  '""',
  '=',
  'k=v',
  'k="v w"',
  '8080/tcp',
  '80000',
  '-1',
  'C:\\app',
  '\\\\server\\share',
];

function randomText(g: Gen, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) {
    const roll = g.r();
    if (roll < 0.55) s += String.fromCharCode(g.int(32, 126));
    else if (roll < 0.7) s += g.pick(['\n', '\n', '\\\n', '`\n', '\r\n', ' ', '\t']);
    else if (roll < 0.85) s += g.pick(UNICODE);
    else if (roll < 0.95) s += String.fromCharCode(g.int(0, 0xffff));
    else s += g.pick([...KEYWORDS, ...FLAGS, '<<EOF', 'EOF', '#', '# escape=`', '# syntax=x', '${', '$(', '["', '"]']);
  }
  return s;
}

function shellScript(g: Gen, depth = 0): string {
  const n = g.int(1, 6);
  let s = g.pick(SHELL_SNIPPETS);
  for (let k = 1; k < n; k++) {
    const sep = g.pick([
      ' && ',
      ' || ',
      '; ',
      ' | ',
      ' \\\n    && ',
      ' \\\n    # comment\n    && ',
      ' \\\n\n    && ',
      '\n',
      ' & ',
    ]);
    s += sep + (depth < 2 && g.chance(0.1) ? `$(${shellScript(g, depth + 1)})` : g.pick(SHELL_SNIPPETS));
  }
  return s;
}

function heredoc(g: Gen): string {
  const name = g.pick(['EOF', 'EOT', 'END', 'FILE1', 'x', '']);
  const q = g.pick(['', '"', "'"]);
  const dash = g.chance(0.3) ? '-' : '';
  const body = g.many(g.int(0, 5), () => g.pick([shellScript(g), '\tindented', 'EOFX', '', '#!/bin/sh']), '\n');
  const close = g.chance(0.85) ? `\n${dash ? '\t' : ''}${name}` : ''; // sometimes never closed
  return `<<${dash}${q}${name}${g.chance(0.9) ? q : ''}${g.chance(0.3) ? ` ${g.pick(['bash', 'python3', 'cat > /x', 'sh -e'])}` : ''}\n${body}${close}`;
}

function instruction(g: Gen, stages: string[]): string {
  const kw = g.pick(KEYWORDS);
  const raw = g.chance(0.1) ? kw.toLowerCase() : g.chance(0.03) ? kw[0] + kw.slice(1).toLowerCase() : kw;
  const flags = g.chance(0.35)
    ? `${g.many(g.int(1, 3), () => g.pick(FLAGS) + (g.chance(0.3) ? g.pick(WORDS) : ''), ' ')} `
    : '';
  const words = () => g.many(g.int(0, 4), () => g.pick(WORDS), ' ');
  switch (kw) {
    case 'FROM': {
      const name = g.chance(0.6)
        ? g.pick(['base', 'builder', 'Build', 'final', 'x', '0', 'a-b.c', '${N}', 'builder'])
        : '';
      if (name) stages.push(name);
      return `${raw} ${flags}${g.pick([...IMAGES, ...stages])}${name ? ` ${g.pick(['AS', 'as', 'As', ''])} ${name}` : ''}${g.chance(0.05) ? ' extra words' : ''}`;
    }
    case 'RUN':
      if (g.chance(0.2)) return `${raw} ${flags}${heredoc(g)}`;
      if (g.chance(0.15))
        return `${raw} ${flags}${g.pick(['["/bin/sh", "-c", "echo hi"]', '["a",', "['single']", '[]', '[1, 2]', '["unterminated]'])}`;
      return `${raw} ${flags}${shellScript(g)}`;
    case 'CMD':
    case 'ENTRYPOINT':
      return `${raw} ${g.chance(0.5) ? `[${g.many(g.int(0, 3), () => JSON.stringify(g.pick(WORDS)), ', ')}]` : shellScript(g)}`;
    case 'SHELL':
      return `${raw} ${g.pick(['["/bin/bash", "-o", "pipefail", "-c"]', '["powershell", "-Command"]', '/bin/sh -c', '[', '["cmd", "/S", "/C"]'])}`;
    case 'COPY':
    case 'ADD':
      if (g.chance(0.15)) return `${raw} ${flags}${heredoc(g).replace(/\n/, ` /dest${g.int(0, 9)}\n`)}`;
      return `${raw} ${flags}${g.chance(0.1) ? `--from=${g.pick([...stages, '7', '-1', 'nope'])} ` : ''}${g.pick(['.', 'src', 'requirements.txt', 'https://example.com/x.tar.gz', '.env', 'id_rsa', '*.py', '["a", "b"]', '.git'])} ${g.pick(['.', '/app/', '/app', 'C:\\app', '${DEST}', ''])}`;
    case 'ENV':
    case 'ARG':
    case 'LABEL': {
      const pairs = g.many(
        g.int(0, 4),
        () =>
          g.pick([
            'A=1',
            'B',
            'PATH=/x:$PATH',
            'SECRET_KEY=x',
            'PASSWORD',
            'TOKEN=${T}',
            'X="a b"',
            "Y='c d'",
            'Z=a\\ b',
            '=v',
            'K==',
            'A B C',
            'E=${E:-${F:+g}}',
            'L="unterminated',
          ]),
        g.pick([' ', ' \\\n  ']),
      );
      return `${raw} ${pairs}`;
    }
    case 'ONBUILD':
      return g.chance(0.9) ? `${raw} ${instruction(g, stages)}` : `${raw}`;
    case 'HEALTHCHECK':
      return `${raw} ${flags}${g.pick(['NONE', `CMD ${shellScript(g)}`, 'CMD ["curl", "-f", "http://x/"]', 'CMD', 'none extra'])}`;
    case 'EXPOSE':
      return `${raw} ${g.many(g.int(0, 3), () => g.pick(['80', '8080/tcp', '53/UDP', '80000', '-1', '1-100', '${PORT}', 'abc', '0']), ' ')}`;
    case 'USER':
      return `${raw} ${g.pick(['root', '0', 'app', 'app:app', '1000:1000', '${U}', '', ':', 'a:b:c'])}`;
    case 'WORKDIR':
      return `${raw} ${g.pick(['/app', 'app', '$HOME/x', 'C:\\app', '', '"/with space"', '../..'])}`;
    case 'STOPSIGNAL':
      return `${raw} ${g.pick(['SIGTERM', '9', 'SIGKILL', 'nope', '', '${SIG}'])}`;
    default:
      return `${raw} ${flags}${words()}`;
  }
}

/** A random Dockerfile from a loose grammar: plausible structure, implausible details. */
function grammarDockerfile(g: Gen): string {
  const lines: string[] = [];
  const directives = [
    '# syntax=docker/dockerfile:1',
    '# escape=`',
    '# escape=\\',
    '# check=skip=all',
    '# check=skip=JSONArgsRecommended;error=true',
    '# escape=',
    '#check=',
    '# syntax=',
  ];
  for (let k = g.int(0, 3); k > 0; k--) lines.push(g.pick(directives));
  const stages: string[] = [];
  if (g.chance(0.3)) lines.push(`ARG ${g.pick(['BASE=python:3.12', 'PY=3.12', 'X'])}`);
  for (let k = g.int(0, 25); k > 0; k--) {
    const roll = g.r();
    if (roll < 0.08)
      lines.push(
        g.pick([
          '# layerwise ignore=LW3001',
          '# hadolint ignore=DL3008,DL3013',
          '# hadolint global ignore=DL3006',
          '# layerwise ignore-stage=all',
          '# layerwise ignore-file=LW',
          '# comment',
          '#',
          '',
          '   ',
        ]),
      );
    else lines.push(instruction(g, stages));
  }
  let text = lines.join(g.chance(0.1) ? '\r\n' : '\n');
  if (text.includes('# escape=`')) text = text.replace(/\\\n/g, '`\n');
  return text;
}

function mutate(g: Gen, text: string, corpus: string[]): string {
  let lines = text.split('\n');
  const ops = g.int(1, 5);
  for (let k = 0; k < ops; k++) {
    const at = g.int(0, Math.max(0, lines.length - 1));
    switch (g.int(0, 17)) {
      case 0:
        lines.splice(at, g.int(1, 3));
        break;
      case 1:
        lines.splice(at, 0, ...lines.slice(at, at + g.int(1, 4)));
        break;
      case 2: {
        const b = g.int(0, Math.max(0, lines.length - 1));
        [lines[at], lines[b]] = [lines[b], lines[at]];
        break;
      }
      case 3: {
        const joined = lines.join('\n');
        lines = joined.slice(0, g.int(0, joined.length)).split('\n');
        break;
      }
      case 4: {
        const line = lines[at] ?? '';
        const pos = g.int(0, line.length);
        lines[at] = line.slice(0, pos) + randomText(g, g.int(1, 12)) + line.slice(pos);
        break;
      }
      case 5: {
        const line = lines[at] ?? '';
        const m = /^(\s*\S+\s+)/.exec(line);
        const pos = m ? m[1].length : 0;
        lines[at] = `${line.slice(0, pos)}${g.pick(FLAGS)}${g.chance(0.5) ? g.pick(WORDS) : ''} ${line.slice(pos)}`;
        break;
      }
      case 6: {
        // Unbalanced quotes, brackets, substitutions, heredocs.
        const line = lines[at] ?? '';
        const pos = g.int(0, line.length);
        lines[at] =
          line.slice(0, pos) +
          g.pick(['"', "'", '[', ']', '{', '}', '${', '$(', '`', '<<EOF', '<<-', "<<'X", '<<', '((', '\\']) +
          line.slice(pos);
        break;
      }
      case 7: {
        // A huge line.
        const unit = g.pick([
          'a',
          'x ',
          '--mount=type=cache,target=/c ',
          '${A}',
          '\\ ',
          '"q" ',
          'pkg==1 ',
          '&& echo ',
          '[',
          '"',
        ]);
        lines.splice(
          at,
          0,
          `${g.pick(['RUN ', 'ENV A=', 'COPY ', 'LABEL k=', '# ', ''])}${unit.repeat(g.chance(0.01) ? g.int(5000, 20_000) : g.int(200, 2000))}`,
        );
        break;
      }
      case 8: {
        // A deep continuation.
        const n = g.chance(0.1) ? g.int(400, 2000) : g.int(20, 200);
        const body = Array.from({ length: n }, (_, j) =>
          g.pick([`  pkg${j} \\`, '  # comment', '', '  \\', `  && echo ${j} \\`]),
        );
        lines.splice(at, 0, 'RUN apt-get install -y \\', ...body, '  done');
        break;
      }
      case 9:
        lines[at] = (lines[at] ?? '').replace(/[A-Za-z]+/, (w) => (g.chance(0.5) ? w.toLowerCase() : g.pick(KEYWORDS)));
        break;
      case 10: {
        const other = g.pick(corpus).split('\n');
        const from = g.int(0, other.length - 1);
        lines.splice(at, 0, ...other.slice(from, from + g.int(1, 15)));
        break;
      }
      case 11:
        lines.splice(
          at,
          0,
          g.pick([
            '# escape=`',
            '# escape=\\',
            '# syntax=docker/dockerfile:1',
            '# check=skip=all',
            '# check=error=true',
            '# escape=x',
          ]),
        );
        break;
      case 12:
        lines.splice(at, 0, instruction(g, ['builder', 'base']));
        break;
      case 13:
        lines = lines.map((l) =>
          l.endsWith('\\') ? `${l.slice(0, -1)}\`` : l.endsWith('`') ? `${l.slice(0, -1)}\\` : l,
        );
        break;
      case 14:
        lines[at] = `${lines[at] ?? ''}${g.pick([' \\', '\\', ' `', '\r', '\\\r', ' #', ' \\ '])}`;
        break;
      case 15:
        lines.splice(at, 0, `RUN ${heredoc(g)}`);
        break;
      case 16: {
        // Byte-level noise across the whole text.
        const joined = lines.join('\n');
        const chars = [...joined];
        for (let n = g.int(1, 8); n > 0 && chars.length; n--) chars[g.int(0, chars.length - 1)] = g.pick(UNICODE);
        lines = chars.join('').split('\n');
        break;
      }
      default:
        lines.splice(at, 1);
    }
  }
  return lines.join(g.chance(0.05) ? '\r\n' : '\n');
}

interface Case {
  text: string;
  options: { example?: { dockerignore?: string; files?: string[] }; buildArgs?: Record<string, string> };
}

export function makeCase(seed: number, i: number, corpus: string[]): Case {
  const g = new Gen(caseRng(seed, i));
  const roll = g.r();
  let text: string;
  if (roll < 0.04) text = g.pick(corpus);
  else if (roll < 0.62) text = mutate(g, g.pick(corpus), corpus);
  else if (roll < 0.94) text = grammarDockerfile(g);
  else text = randomText(g, g.int(0, 600));
  const options: Case['options'] = {};
  if (g.chance(0.4))
    options.example = {
      dockerignore: g.chance(0.2)
        ? undefined
        : g.pick([
            '',
            '.git\n',
            '*\n!src\n',
            '**/__pycache__\n.venv\n!.venv/keep\n',
            '[\n\\\n!!x\n',
            randomText(g, 40),
          ]),
      files: g.pick([
        [],
        ['src/app.py', '.git/HEAD', '.env', 'requirements.txt', 'pyproject.toml', 'uv.lock', 'tests/t.py'],
        ['a', 'b/c', '.venv/bin/python'],
      ]),
    };
  if (g.chance(0.15))
    options.buildArgs = {
      BASE: g.pick(['python:3.12', '', '${BASE}', 'x:y@z']),
      PY: '3.11',
      X: randomText(g, 5),
    };
  return { text, options };
}

// ---------------------------------------------------------------------------------------------
// Running cases (in worker threads)

interface CaseProblem {
  index: number;
  kind: 'exception' | 'rule-failure' | 'bad-position' | 'bad-fix-edit' | 'nondeterministic';
  rule?: string;
  detail: string;
  input: string;
  /** lintText options of the case when it had any (in-memory .dockerignore, build args). */
  options?: string;
}

interface ChunkResult {
  count: number;
  problems: CaseProblem[];
  digest: string;
  findings: number;
  slow: { index: number; ms: number; bytes: number }[];
  ms: number;
}

type Lint = typeof import('../../src/lint.js').lintText;
type Rule = import('../../src/rules/types.js').Rule;

/**
 * The engine clamps reported lines into the file, which would hide a rule that reports line 0,
 * NaN or past the end; so every rule is wrapped to check what it reports before the clamp.
 */
const rawProblems: Omit<CaseProblem, 'index' | 'input'>[] = [];
function checkedRules(rules: Rule[]): Rule[] {
  return rules.map((rule) => ({
    meta: rule.meta,
    check(ctx) {
      const lineCount = Math.max(1, ctx.file.lines.length);
      rule.check({
        ...ctx,
        report(r) {
          const ok =
            Number.isInteger(r.line) &&
            r.line >= 1 &&
            r.line <= lineCount &&
            (r.column === undefined || (Number.isInteger(r.column) && r.column >= 1)) &&
            (r.endLine === undefined || (Number.isInteger(r.endLine) && r.endLine >= r.line && r.endLine <= lineCount));
          if (!ok)
            rawProblems.push({
              kind: 'bad-position',
              rule: rule.meta.id,
              detail: `reported line ${r.line}:${r.column}-${r.endLine}:${r.endColumn} in a file of ${lineCount} lines (the engine clamps it)`,
            });
          ctx.report(r);
        },
      });
    },
  }));
}
let wrapped: Rule[] | undefined;

function runCase(
  lint: Lint,
  c: Case,
): { findings: string; problems: Omit<CaseProblem, 'index' | 'input'>[]; count: number } {
  const problems: Omit<CaseProblem, 'index' | 'input'>[] = [];
  let res: ReturnType<Lint>;
  rawProblems.length = 0;
  try {
    res = lint(c.text, 'fuzz/Dockerfile', { contextDir: 'none', enableAll: true, rules: wrapped, ...c.options });
  } catch (e) {
    problems.push({ kind: 'exception', detail: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return { findings: '', problems, count: 0 };
  }
  for (const f of res.failures) problems.push({ kind: 'rule-failure', rule: f.rule, detail: f.error });
  problems.push(...rawProblems);
  const lineCount = Math.max(1, res.file.lines.length);
  for (const f of res.findings) {
    const ok =
      Number.isInteger(f.line) &&
      f.line >= 1 &&
      f.line <= lineCount &&
      Number.isInteger(f.column) &&
      f.column >= 1 &&
      Number.isInteger(f.endLine) &&
      f.endLine >= f.line &&
      f.endLine <= lineCount &&
      Number.isInteger(f.endColumn) &&
      f.endColumn >= 1;
    if (!ok)
      problems.push({
        kind: 'bad-position',
        rule: f.rule,
        detail: `line ${f.line}:${f.column}-${f.endLine}:${f.endColumn} of ${lineCount}`,
      });
    // Fix edits are offsets into the text; --fix skips bad ones, but they mean wrong offsets.
    for (const e of f.fix?.edits ?? [])
      if (!(
        Number.isInteger(e.start) &&
        Number.isInteger(e.end) &&
        e.start >= 0 &&
        e.end >= e.start &&
        e.end <= c.text.length
      ))
        problems.push({
          kind: 'bad-fix-edit',
          rule: f.rule,
          detail: `edit ${e.start}..${e.end} in ${c.text.length} chars (line ${f.line})`,
        });
  }
  const findings = res.findings
    .map((f) => `${f.rule}@${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.message}`)
    .join('\n');
  return { findings, problems, count: res.findings.length };
}

/**
 * Shrinks `text` while `fails` holds: drops chunks of lines, then chunks of characters. The
 * number of attempts is bounded by the input size (a 100 kB input costs ~1 s a lint), so the
 * result is deterministic and the effort stays reasonable.
 */
export function shrink(text: string, fails: (t: string) => boolean): string {
  let budget = Math.max(200, Math.min(4000, Math.floor(4_000_000 / Math.max(1, text.length))));
  const attempt = (t: string) => budget-- > 0 && fails(t);
  let lines = text.split('\n');
  for (let chunk = Math.max(1, lines.length >> 1); chunk >= 1; chunk >>= 1) {
    for (let at = 0; at < lines.length;) {
      const candidate = [...lines.slice(0, at), ...lines.slice(at + chunk)];
      if (candidate.length < lines.length && attempt(candidate.join('\n'))) lines = candidate;
      else at += chunk;
    }
  }
  let s = lines.join('\n');
  for (let chunk = Math.max(1, s.length >> 1); chunk >= 1; chunk >>= 1) {
    if (s.length / chunk > 400) continue; // too many positions for this size: try bigger chunks only
    for (let at = 0; at < s.length;) {
      const candidate = s.slice(0, at) + s.slice(at + chunk);
      if (attempt(candidate)) s = candidate;
      else at += chunk;
    }
  }
  return s;
}

function problemKey(p: { kind: string; rule?: string; detail: string }): string {
  return `${p.kind}:${p.rule ?? p.detail.split('\n')[0]}`;
}

/** The input for a report: whole when short, else its ends and a file with all of it. */
function showInput(p: CaseProblem): string {
  if (p.input.length <= 600) return JSON.stringify(p.input);
  const file = join(tmpdir(), `layerwise-fuzz-${SEED}-case-${p.index}.Dockerfile`);
  writeFileSync(file, p.input);
  return `${JSON.stringify(p.input.slice(0, 300))} ... ${JSON.stringify(p.input.slice(-100))} (${p.input.length} chars, all of it in ${file})`;
}

async function runChunk(seed: number, from: number, to: number, step: number): Promise<ChunkResult> {
  const { allRules, lintText } = await import('../../src/lint.js');
  await (await import('../../src/dockerfile/shell-load.js')).loadShell();
  wrapped = checkedRules(allRules);
  const corpus = loadCorpus();
  const t0 = performance.now();
  let digest = 0n;
  const problems: CaseProblem[] = [];
  const slow: ChunkResult['slow'] = [];
  let findings = 0;
  let count = 0;
  const reported = new Set<string>();
  for (let i = from; i < to; i += step) {
    const c = makeCase(seed, i, corpus);
    const s0 = performance.now();
    const out = runCase(lintText, c);
    const ms = performance.now() - s0;
    if (ms > SLOW_MS) slow.push({ index: i, ms: Math.round(ms), bytes: c.text.length });
    count++;
    findings += out.count;
    // Order-independent sum of per-case hashes: the same for any number of workers.
    digest = (digest + createHash('sha256').update(`${i}\n${out.findings}`).digest().readBigUInt64BE()) & MASK64;
    for (const p of out.problems) {
      const key = problemKey(p);
      if (reported.has(key)) continue; // one minimal example per distinct problem
      reported.add(key);
      const same = (t: string) =>
        runCase(lintText, { text: t, options: c.options }).problems.some((q) => q.kind === p.kind && q.rule === p.rule);
      problems.push({
        ...p,
        index: i,
        input: shrink(c.text, same),
        options: Object.keys(c.options).length ? JSON.stringify(c.options) : undefined,
      });
    }
    // Determinism: every 997th case is regenerated from its seed and linted again.
    if (i % 997 === 0) {
      const again = makeCase(seed, i, corpus);
      const out2 = runCase(lintText, again);
      if (again.text !== c.text || out2.findings !== out.findings)
        problems.push({ kind: 'nondeterministic', index: i, detail: 'second run differs', input: c.text });
    }
  }
  return {
    count,
    problems,
    digest: digest.toString(16).padStart(16, '0'),
    findings,
    slow,
    ms: performance.now() - t0,
  };
}

if (!isMainThread && workerData?.fuzz) {
  const { seed, from, to, step } = workerData as { seed: number; from: number; to: number; step: number };
  runChunk(seed, from, to, step).then((r) => parentPort!.postMessage(r));
}

// ---------------------------------------------------------------------------------------------
// The test

// FUZZ_LIBRARY=1: import the generators (e.g. to profile one case) without running the test.
if (isMainThread && !process.env.FUZZ_LIBRARY) {
  describe('fuzz: random and mutated Dockerfiles through parse and lint', () => {
    it(
      `${RUNS} inputs: no exception, no rule failure, valid positions, deterministic (seed ${SEED})`,
      {
        timeout: 3_600_000,
      },
      async (t) => {
        const only = process.env.FUZZ_CASE;
        const workers = only ? 1 : Math.max(1, Number(process.env.FUZZ_WORKERS ?? availableParallelism()));
        const t0 = performance.now();
        console.log(
          `fuzz: seed ${SEED} (0x${SEED.toString(16)}), ${only ? `case ${only}` : `${RUNS} cases`}, ${workers} worker(s); replay one case with FUZZ_SEED=${SEED} FUZZ_CASE=i`,
        );
        const from = only ? Number(only) : 0;
        const to = only ? Number(only) + 1 : RUNS;
        const results = await Promise.all(
          Array.from(
            { length: workers },
            (_, w) =>
              new Promise<ChunkResult>((resolve, reject) => {
                const worker = new Worker(new URL(import.meta.url), {
                  workerData: { fuzz: true, seed: SEED, from: from + w, to, step: workers },
                });
                worker.once('message', (r: ChunkResult) => {
                  resolve(r);
                  void worker.terminate();
                });
                worker.once('error', reject);
                // A timed-out or cancelled test must not leave the workers running.
                t.signal.addEventListener('abort', () => void worker.terminate());
              }),
          ),
        );
        const count = results.reduce((n, r) => n + r.count, 0);
        const secs = (performance.now() - t0) / 1000;
        // One example per distinct problem (workers report theirs independently): the lowest case.
        const problems = results
          .flatMap((r) => r.problems)
          .sort((a, b) => a.index - b.index)
          .filter((p, k, all) => all.findIndex((q) => problemKey(q) === problemKey(p)) === k);
        const slow = results.flatMap((r) => r.slow).sort((a, b) => b.ms - a.ms);
        const digest = results
          .reduce((sum, r) => (sum + BigInt(`0x${r.digest}`)) & MASK64, 0n)
          .toString(16)
          .padStart(16, '0');
        console.log(
          `fuzz: ${count} inputs in ${secs.toFixed(1)} s (${Math.round(count / secs)}/s over ${workers} worker(s)), ${results.reduce((n, r) => n + r.findings, 0)} findings, digest ${digest} (same seed and runs -> same digest)`,
        );
        if (slow.length)
          console.log(
            `fuzz: ${slow.length} input(s) slower than ${SLOW_MS} ms; slowest: ${slow
              .slice(0, 5)
              .map((s) => `case ${s.index} ${s.ms} ms ${s.bytes} chars`)
              .join('; ')}`,
          );
        for (const p of problems)
          console.log(
            `\nfuzz problem: ${p.kind}${p.rule ? ` in rule ${p.rule}` : ''} (case ${p.index})\n  ${p.detail.split('\n').slice(0, 4).join('\n  ')}\n  minimal input: ${showInput(p)}${p.options ? `\n  with lintText options ${p.options}` : ''}`,
          );
        assert.equal(count, to - from);
        assert.deepEqual(
          problems.map(
            (p) => `${p.kind}${p.rule ? ` ${p.rule}` : ''} (case ${p.index}): ${JSON.stringify(p.input).slice(0, 300)}`,
          ),
          [],
        );
      },
    );
  });

  describe('fuzz: empty and endless inputs', () => {
    it('instruction-less files (blank, comments, directives, stray continuations): LW1212 once, on line 1', async () => {
      const { allRules, lintText } = await import('../../src/lint.js');
      await (await import('../../src/dockerfile/shell-load.js')).loadShell();
      wrapped = checkedRules(allRules);
      const runs = Math.max(200, Math.floor(RUNS / 10));
      const bad: string[] = [];
      for (let i = 0; i < runs; i++) {
        const c = emptyCase(SEED, i);
        const out = runCase(lintText, { text: c, options: {} });
        const res = lintText(c, 'fuzz/Dockerfile', { contextDir: 'none', enableAll: true });
        const hits = res.findings.filter((f) => f.rule === 'LW1212');
        const problems = out.problems.map((p) => `${p.kind} ${p.rule ?? ''}: ${p.detail.split('\n')[0]}`);
        if (problems.length || hits.length !== 1 || hits[0].line !== 1)
          bad.push(`case ${i} ${JSON.stringify(c)}: ${hits.length} LW1212 finding(s); ${problems.join('; ')}`);
      }
      assert.deepEqual(bad.slice(0, 10), []);
    });

    it('an endless stream through the bounded reader stops at the cap, whatever it holds', async (t) => {
      const { readCapped } = await import('../../src/cli/read-capped.js');
      const { readInput } = await import('../../src/cli/inputs.js');
      const dir = mkdtempSync(join(tmpdir(), 'layerwise-fuzz-endless-'));
      t.after(() => rmSync(dir, { recursive: true, force: true }));
      const corpus = loadCorpus();
      const rss0 = process.memoryUsage().rss;
      for (let i = 0; i < 12; i++) {
        // The same generators as above, repeated forever by another process into a FIFO.
        const g = new Gen(caseRng(SEED ^ 0xe5d1e55, i));
        const unit = (g.chance(0.5) ? grammarDockerfile(g) : mutate(g, g.pick(corpus), corpus)) + '\n';
        const fifo = join(dir, `endless-${i}`);
        assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
        const writer = spawn(process.execPath, ['-e', ENDLESS_WRITER, fifo, unit], { stdio: 'ignore' });
        try {
          const binary = unit.includes('\0');
          if (i % 3 === 0) {
            // Through the CLI's reader: a one-line user error naming the limit (or binary data).
            assert.throws(
              () => readInput(fifo),
              (e: Error) =>
                e.name === 'UserError' && (binary ? /binary data/ : /more than 4194304 bytes/).test(e.message),
            );
          } else {
            const limit = g.int(0, 1 << g.int(4, 20));
            const r = readCapped(fifo, limit);
            assert.deepEqual(
              r.ok ? 'read it all' : r.reason,
              binary ? 'binary' : 'too-large',
              `case ${i} limit ${limit}`,
            );
          }
        } finally {
          writer.kill('SIGKILL');
        }
      }
      // /dev/zero and /dev/urandom never end either; both hold NULs from their first bytes.
      for (const dev of ['/dev/zero', '/dev/urandom'].filter((d) => existsSync(d)))
        assert.deepEqual(readCapped(dev, 4 << 20), { ok: false, reason: 'binary' });
      const grown = (process.memoryUsage().rss - rss0) / 2 ** 20;
      assert.ok(grown < 200, `RSS grew by ${grown.toFixed(0)} MB reading endless input`);
    });
  });
}

/** Writes argv[2] to the FIFO argv[1] forever; ends when the reader goes away. */
const ENDLESS_WRITER = `
const fs = require('node:fs');
const [path, unit] = process.argv.slice(1);
const fd = fs.openSync(path, 'w');
const buf = Buffer.from(unit.repeat(Math.max(1, Math.ceil(65536 / Math.max(1, unit.length)))));
try { for (;;) fs.writeSync(fd, buf); } catch { process.exit(0); }
`;

/** A file Docker finds no instruction in: blank lines, comments, parser directives, stray continuations. */
function emptyCase(seed: number, i: number): string {
  const g = new Gen(caseRng(seed ^ 0xe4e4, i));
  if (i < EMPTY_FIXED.length) return EMPTY_FIXED[i];
  const escape = g.chance(0.2) ? '`' : '\\';
  const lines: string[] = [];
  if (escape === '`') lines.push('# escape=`');
  for (let n = g.int(0, 12); n > 0; n--) {
    const comment = randomText(g, g.int(0, 40)).replace(/[\r\n\u0085\u2028\u2029\v\f]/g, ' ');
    lines.push(
      g.pick([
        '',
        ' ',
        '\t',
        `#${comment}`,
        `   # ${comment}`,
        '# syntax=docker/dockerfile:1',
        '# check=skip=all',
        `# layerwise ignore=LW${g.int(1000, 9999)}`,
        escape,
        `  ${escape}`,
      ]),
    );
  }
  return (g.chance(0.1) ? '\ufeff' : '') + lines.join(g.chance(0.2) ? '\r\n' : '\n') + (g.chance(0.5) ? '\n' : '');
}

const EMPTY_FIXED = ['', ' ', '\n', '\r\n', '\t\n \n', '#', '# c\n', '# syntax=x\n', '# escape=`\n`\n', '\\', '\\\n'];
