import { hasOption } from '../../dockerfile/packages.js';
import type { Dockerfile, Instruction, PackageOp } from '../../dockerfile/types.js';
import { cacheDirOf } from '../lib/cache-dirs.js';
import { cacheMountFor } from '../lib/mounts.js';
import { absPath, userInfo, within } from '../lib/users.js';
import { truthy, varAt } from '../lib/variables.js';

import type { Rule } from '../types.js';
import { opsOf, shippedRuns, userAt } from '../util.js';

interface Spec {
  tool: string;
  matches: (op: PackageOp) => boolean;
  /** True when the op itself keeps no cache (an option or variable). */
  noCache: (file: Dockerfile, ins: Instruction, op: PackageOp) => boolean;
  /** A command that cleans the cache, later in the same RUN. */
  cleans: (op: PackageOp) => boolean;
  fix: (dir: string) => string;
}

const SPECS: Spec[] = [
  {
    tool: 'uv',
    matches: (op) =>
      (op.manager === 'uv' && (op.action === 'sync' || (op.action === 'tool' && op.packages[0] === 'install'))) ||
      (op.manager === 'uv-pip' && (op.action === 'install' || op.action === 'sync')),
    noCache: (file, ins, op) =>
      hasOption(op, '--no-cache') ||
      op.words.some((w) => w.value === '-n') ||
      truthy(varAt(file, ins, 'UV_NO_CACHE', op.command)),
    cleans: (op) =>
      op.manager === 'uv' &&
      op.words[0]?.value === 'cache' &&
      (op.words[1]?.value === 'clean' || op.words[1]?.value === 'prune'),
    fix: (dir) => `add --mount=type=cache,target=${dir} to this RUN (with ENV UV_LINK_MODE=copy), or pass --no-cache`,
  },
  {
    tool: 'poetry',
    matches: (op) => op.manager === 'poetry' && op.action === 'sync',
    noCache: (_file, _ins, op) => hasOption(op, '--no-cache'),
    cleans: (op) =>
      op.manager === 'poetry' && op.words.some((w) => w.value === 'cache') && op.words.some((w) => w.value === 'clear'),
    fix: (dir) =>
      `add --mount=type=cache,target=${dir} to this RUN, or pass --no-cache, or \`rm -rf ${dir}\` in the same RUN`,
  },
  {
    tool: 'conda',
    matches: (op) => op.manager === 'conda' && op.action === 'install',
    noCache: () => false,
    cleans: (op) =>
      op.manager === 'conda' &&
      op.action === 'clean' &&
      (hasOption(op, '--all', '-a') || op.options.some((o) => /^-[a-z]*a/.test(o))),
    fix: () => 'run `conda clean --all --yes` (or `micromamba clean --all --yes`) at the end of the same RUN',
  },
  {
    tool: 'npm',
    matches: (op) => op.manager === 'npm' && (op.action === 'install' || op.action === 'sync'),
    noCache: () => false,
    cleans: (op) => op.manager === 'npm' && op.action === 'clean' && op.words.some((w) => w.value === 'clean'),
    fix: (dir) =>
      `add --mount=type=cache,target=${dir} to this RUN, or run \`npm cache clean --force\` in the same RUN`,
  },
];

export const rule: Rule = {
  meta: {
    id: 'LW3404',
    name: 'caches-left-in-layer',
    category: 'size',
    severity: 'warning',
    summary: 'uv, poetry, conda or npm leave their download cache in an image layer.',
    description:
      'These tools keep every downloaded archive in a cache directory (/root/.cache/uv, ~/.cache/pypoetry, ' +
      '/opt/conda/pkgs, ~/.npm), often as large as what they installed. In a stage that ships, the cache becomes part of ' +
      'the image for good. Use a cache mount (faster rebuilds and nothing in the layer), or disable or clean the ' +
      'cache in the same RUN.',
    bad:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n' +
      'RUN uv sync --locked --no-dev --no-install-project\n',
    good:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nENV UV_LINK_MODE=copy\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n' +
      'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-dev --no-install-project\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    for (const ins of shippedRuns(file)) {
      const ops = opsOf(ins);
      for (const op of ops) {
        const spec = SPECS.find((s) => s.matches(op));
        if (!spec || spec.noCache(file, ins, op)) continue;
        const dir = spec.tool === 'conda' ? condaPkgs(file, ins, op) : cacheDirOf(file, ins, spec.tool, op);
        if (cacheMountFor(ins, dir)) continue;
        const later = ops.slice(ops.indexOf(op) + 1);
        if (later.some(spec.cleans) || removes(file, ins, op, dir)) continue;
        ctx.report({
          line: op.command.line,
          column: op.command.column,
          message: `${name(op)} leaves its download cache in ${dir} inside this layer of the final image (often as large as what it installs); ${spec.fix(dir)}`,
        });
      }
    }
  },
};

function name(op: PackageOp): string {
  if (op.manager === 'uv-pip') return `uv pip ${op.action}`;
  return `${op.command.program} ${op.words.find((w) => !w.value.startsWith('-'))?.value ?? op.action}`;
}

function condaPkgs(file: Dockerfile, ins: Instruction, op: PackageOp): string {
  const dirs = varAt(file, ins, 'CONDA_PKGS_DIRS', op.command);
  if (dirs?.startsWith('/')) return absPath('/', dirs.split(',')[0]);
  const rootVar = op.command.program.includes('micromamba') ? 'MAMBA_ROOT_PREFIX' : 'CONDA_DIR';
  const root = varAt(file, ins, rootVar, op.command);
  return `${root?.startsWith('/') ? absPath('/', root) : '/opt/conda'}/pkgs`;
}

/** `rm -rf <dir or a parent>` after the op in the same RUN (`~` and `$HOME` expanded). */
function removes(file: Dockerfile, ins: Instruction, op: PackageOp, dir: string): boolean {
  const home = userInfo(file, userAt(file, ins), ins).home;
  let after = false;
  for (const c of ins.shell?.commands ?? []) {
    if (c === op.command) {
      after = true;
      continue;
    }
    if (!after || c.program !== 'rm') continue;
    for (const a of c.args) {
      if (a.value.startsWith('-')) continue;
      const p = a.value
        .replace(/^~(?=\/|$)/, home)
        .replace(/^\$\{?HOME\}?(?=\/|$)/, home)
        .replace(/\/\*$/, '');
      if (p.startsWith('/') && within(dir, absPath('/', p))) return true;
      const v = /^\$\{?([A-Z_]+)\}?(\/.*)?$/.exec(p);
      if (v) {
        const val = varAt(file, ins, v[1]);
        if (val?.startsWith('/') && within(dir, absPath('/', val + (v[2] ?? '')))) return true;
      }
    }
  }
  return false;
}
