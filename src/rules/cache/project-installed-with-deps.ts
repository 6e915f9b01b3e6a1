import { hasOption } from '../../dockerfile/packages.js';
import { simulate } from '../../dockerfile/simulate.js';
import type { Dockerfile, Instruction, PackageOp } from '../../dockerfile/types.js';
import { contextPyproject } from '../lib/build-context.js';
import { instructionsBefore } from '../lib/stage-chains.js';
import { truthy, varAt } from '../lib/variables.js';
import type { Rule } from '../types.js';
import { installsPythonDeps, opsOf, runInstructions, shortText } from '../util.js';

/** A local project directory (`.`, `./pkg`, `/app`, with extras), not wheels or archives. */
const LOCAL_PATH = /^(\.{1,2}|\.{1,2}\/[^*?]*|\/[^*?]*)(\[[^\]]*\])?$/;
const ARCHIVE = /\.(whl|tar\.gz|zip|tgz)$/;

/** True when the op installs the project itself (the local package), not only its dependencies. */
export function installsProject(file: Dockerfile, ins: Instruction, op: PackageOp, pyproject?: string): boolean {
  const cmd = op.command;
  if (op.manager === 'uv' && op.action === 'sync') {
    if (hasOption(op, '--no-install-project', '--no-install-workspace', '--only-group', '--only-dev')) return false;
    if (
      truthy(varAt(file, ins, 'UV_NO_INSTALL_PROJECT', cmd)) ||
      truthy(varAt(file, ins, 'UV_NO_INSTALL_WORKSPACE', cmd))
    )
      return false;
    // uv only builds and installs a project that is a package (has a build system, or package = true).
    if (
      pyproject !== undefined &&
      (!/^\s*\[build-system\]/m.test(pyproject) || /^\s*package\s*=\s*false/m.test(pyproject)) &&
      !/^\s*package\s*=\s*true/m.test(pyproject)
    )
      return false;
    return true;
  }
  if (op.manager === 'poetry' && op.action === 'sync') {
    if (hasOption(op, '--no-root', '--only-root', '--no-directory')) return false;
    if (pyproject !== undefined && /^\s*package-mode\s*=\s*false/m.test(pyproject)) return false;
    return true;
  }
  if (op.manager === 'pdm' && op.action === 'sync') {
    if (hasOption(op, '--no-self')) return false;
    if (truthy(varAt(file, ins, 'PDM_NO_SELF', cmd))) return false;
    if (pyproject !== undefined && /^\s*distribution\s*=\s*false/m.test(pyproject)) return false;
    return true;
  }
  if ((op.manager === 'pip' || op.manager === 'uv-pip') && op.action === 'install') {
    if (hasOption(op, '--no-deps')) return false;
    const locals = [...op.packages, ...(op.optionValues['-e'] ?? []), ...(op.optionValues['--editable'] ?? [])];
    return locals.some((p) => LOCAL_PATH.test(p) && !ARCHIVE.test(p));
  }
  return false;
}

export const rule: Rule = {
  meta: {
    id: 'LW2402',
    name: 'project-installed-with-deps',
    category: 'cache',
    severity: 'warning',
    summary:
      'Dependencies and the project are installed in one step, so every code change re-installs all dependencies.',
    description:
      'Installing the project needs its source, so a step that installs dependencies and the project together must come ' +
      'after the source is copied, and re-runs (downloading and shipping every dependency again) on each code change. ' +
      'Split it: install only the dependencies from the manifest and lock (`uv sync --no-install-project`, ' +
      '`poetry install --no-root`, `pdm install --no-self`), then copy the source and install the project alone.',
    bad:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'COPY pyproject.toml uv.lock ./\nCOPY src ./src\nRUN uv sync --locked --no-dev\n' +
      'CMD ["/app/.venv/bin/app"]\n',
    good:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev --no-install-project\nCOPY src ./src\nRUN uv sync --locked --no-dev\n' +
      'CMD ["/app/.venv/bin/app"]\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    const pyproject = contextPyproject(ctx.context);
    const candidates: { ins: Instruction; op: PackageOp }[] = [];
    for (const ins of runInstructions(file)) {
      if (ins.stage === undefined || !file.stages[ins.stage]?.reachable) continue;
      for (const op of opsOf(ins))
        if (installsPythonDeps(op) && installsProject(file, ins, op, pyproject)) candidates.push({ ins, op });
    }
    if (!candidates.length) return;
    const sim = simulate(file, ctx.context, { kind: 'app-source' });
    for (const { ins, op } of candidates) {
      const hit = sim.invalidated.find((h) => h.instruction === ins);
      if (!hit) continue;
      // A deps-only install in an earlier step that code changes do not re-run is the two-step pattern.
      const earlier = instructionsBefore(file, ins).some(
        (i) =>
          i.keyword === 'RUN' &&
          !sim.isInvalidated(i) &&
          opsOf(i).some((o) => installsPythonDeps(o) && !installsProject(file, i, o, pyproject)),
      );
      if (earlier) continue;
      const cause =
        hit.cause === ins
          ? 'it bind-mounts the source'
          : `the source comes in at line ${hit.cause.span.start.line}: ${shortText(hit.cause, 40)}`;
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message: `${describe(op)} installs the dependencies and the project in one step, so it re-runs on every code change (${cause}) and re-installs every dependency; ${split(op)}`,
      });
    }
  },
};

function describe(op: PackageOp): string {
  const action = op.command.args.find((a) => !a.value.startsWith('-'))?.value;
  if (op.manager === 'uv-pip') return 'uv pip install';
  if (op.manager === 'pip') return 'pip install';
  return `${op.manager} ${action === 'pip' ? 'pip install' : (action ?? op.action)}`;
}

function split(op: PackageOp): string {
  switch (op.manager) {
    case 'uv':
      return 'first copy only pyproject.toml and uv.lock and run `uv sync --locked --no-install-project`, then copy the source and run `uv sync --locked`';
    case 'poetry':
      return 'first copy only pyproject.toml and poetry.lock and run `poetry install --no-root`, then copy the source and run `poetry install --only-root`';
    case 'pdm':
      return 'first copy only pyproject.toml and pdm.lock and run `pdm install --no-self`, then copy the source and run `pdm install` (it only adds the project)';
    default:
      return 'first install the pinned dependencies from a requirements/lock file copied on its own, then copy the source and install the project with --no-deps';
  }
}
