import type { PackageOp } from '../../dockerfile/types.js';

import type { Rule } from '../types.js';
import { opsOf, shippedRuns } from '../util.js';

const TOOLS = new Set([
  'build-essential',
  'build-base',
  'gcc',
  'g++',
  'gcc-c++',
  'clang',
  'make',
  'cmake',
  'ninja-build',
  'autoconf',
  'automake',
  'libtool',
  'pkg-config',
  'pkgconf',
  'pkgconfig',
  'git',
  'rustc',
  'cargo',
  'gfortran',
  'linux-headers',
  'musl-dev',
  'libc-dev',
  'libc6-dev',
  'glibc-devel',
  'kernel-headers',
  'swig',
]);
const INSTALLERS = new Set(['apt-get', 'apk', 'dnf', 'zypper']);

/** Package name without version pin or architecture: `gcc=4:12.2` -> gcc, `libpq-dev:amd64` -> libpq-dev. */
function bare(pkg: string): string {
  return pkg
    .replace(/^["']|["']$/g, '')
    .split(/[=<>~]/)[0]
    .replace(/:[a-z0-9]+$/, '')
    .replace(/-\d[\w.+~:-]*$/, (m) => (/^-(dev|devel)$/.test(m) ? m : ''));
}

function isBuildTool(pkg: string): boolean {
  const name = bare(pkg);
  if (TOOLS.has(name) || /^(gcc|g\+\+|clang|cpp)-\d+$/.test(name)) return true;
  return /-(dev|devel)$/.test(name);
}

export const rule: Rule = {
  meta: {
    id: 'LW3403',
    name: 'build-tools-in-final-stage',
    category: 'size',
    severity: 'warning',
    summary: 'Compilers, git or `-dev` packages are installed in the stage that ships.',
    description:
      'build-essential, gcc, git and header packages are needed to build wheels, not to run the app; left in the final ' +
      'image they add hundreds of megabytes and many packages to patch. Build in a builder stage and copy the ' +
      'virtualenv or wheels into a clean final stage that installs only runtime libraries (e.g. libpq5, not libpq-dev).',
    bad:
      'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \\\n' +
      '    && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
    good:
      'FROM python:3.12-slim AS builder\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev \\\n' +
      '    && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN python -m venv /venv && /venv/bin/pip install --no-cache-dir -r requirements.txt\n\n' +
      'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\n' +
      'COPY --from=builder /venv /venv\nENV PATH=/venv/bin:$PATH\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    for (const ins of shippedRuns(file)) {
      const ops = opsOf(ins);
      for (const op of ops) {
        if (!INSTALLERS.has(op.manager) || op.action !== 'install') continue;
        const tools = op.packages.filter(isBuildTool).map(bare);
        if (!tools.length) continue;
        const removed = removedLater(op, ops);
        const left = tools.filter((t) => !removed.has(t));
        if (!left.length) continue;
        ctx.report({
          line: op.command.line,
          column: op.command.column,
          message: `${left.join(', ')} ${left.length > 1 ? 'stay' : 'stays'} in the final image, adding size and packages to patch though only builds need ${left.length > 1 ? 'them' : 'it'}; install ${left.length > 1 ? 'them' : 'it'} in a builder stage, copy the built virtualenv or wheels into this stage, and keep only runtime libraries here${devHint(left)}`,
        });
      }
    }
  },
};

/** Packages (and apk virtual groups) removed after `op` in the same RUN. */
function removedLater(op: PackageOp, ops: PackageOp[]): Set<string> {
  const out = new Set<string>();
  const virtual = op.optionValues['--virtual']?.[0] ?? op.optionValues['-t']?.[0];
  let after = false;
  for (const o of ops) {
    if (o === op) {
      after = true;
      continue;
    }
    if (!after || o.manager !== op.manager || o.action !== 'remove') continue;
    const names = o.packages.map(bare);
    if (virtual && names.includes(virtual)) for (const p of op.packages) out.add(bare(p));
    for (const n of names) out.add(n);
  }
  return out;
}

function devHint(tools: string[]): string {
  if (tools.includes('libpq-dev')) return ' (libpq5, not libpq-dev)';
  const dev = tools.find((t) => /-(dev|devel)$/.test(t));
  return dev ? ` (the runtime package of ${dev}, not the headers)` : '';
}
