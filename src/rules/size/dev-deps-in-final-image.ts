import { hasOption } from '../../dockerfile/packages.js';
import type { Dockerfile, Instruction, PackageOp } from '../../dockerfile/types.js';
import { contextPyproject } from '../lib/build-context.js';
import { truthy, varAt } from '../lib/variables.js';
import { shippedStages } from '../util.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

const DEV_REQ =
  /(^|\/)((requirements|reqs)[-_.]?(dev|devel|develop|test|tests|testing|lint|ci|docs|local)[^/]*|(dev|test|tests|testing|lint|docs)[-_]requirements[^/]*)\.(txt|in)$/i;
const DEV_EXTRA = /\[([^\]]*\b(dev|test|tests|testing|lint|docs|all)\b[^\]]*)\]/i;

export const rule: Rule = {
  meta: {
    id: 'LW3401',
    name: 'dev-deps-in-final-image',
    category: 'size',
    severity: 'warning',
    summary: 'Development and test dependencies are installed into the image that ships.',
    description:
      'Test runners, linters, type checkers and their dependencies often double the size of a Python environment and ' +
      'add packages to patch. `uv sync` and `poetry install` include the dev group by default. Install only the ' +
      'main group in stages that end up in the final image: `uv sync --no-dev`, `poetry install --only main`, ' +
      '`pdm install --prod`, and no requirements-dev.txt.',
    bad:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked\n' +
      'CMD ["/app/.venv/bin/python", "-m", "app"]\n',
    good:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev --no-install-project\nCOPY . .\nRUN uv sync --locked --no-dev\n' +
      'CMD ["/app/.venv/bin/python", "-m", "app"]\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    const inImage = shippedStages(file);
    // A stage whose results are copied into the final image (a builder's venv) ships its dev deps too.
    const ships = (ins: Instruction) =>
      ins.stage !== undefined && (inImage.has(ins.stage) || !!file.stages[ins.stage]?.reachable);
    const pyproject = contextPyproject(ctx.context);
    // When we can read pyproject.toml and it declares no dev group, `uv sync` has nothing extra to install.
    const hasDevGroup =
      pyproject === undefined ||
      /^\s*\[(dependency-groups|tool\.uv|tool\.poetry\.(group|dev-dependencies)|tool\.pdm\.dev-dependencies)/m.test(
        pyproject,
      );
    for (const { ins, op } of packageOperations(file)) {
      if (!ships(ins)) continue;
      const why = devInstall(file, ins, op, hasDevGroup);
      if (!why) continue;
      const where =
        ins.stage !== undefined && inImage.has(ins.stage)
          ? 'the final image'
          : `stage '${file.stages[ins.stage ?? 0]?.name ?? ins.stage}', which the final image copies from`;
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message: `${why} into ${where}; ${fixFor(op)}`,
      });
    }
  },
};

function devInstall(file: Dockerfile, ins: Instruction, op: PackageOp, hasDevGroup: boolean): string | undefined {
  const cmd = op.command;
  if (op.manager === 'pip' || op.manager === 'uv-pip') {
    if (op.action !== 'install' && op.action !== 'sync') return undefined;
    const reqs = [
      ...(op.optionValues['-r'] ?? []),
      ...(op.optionValues['--requirement'] ?? []),
      ...(op.action === 'sync' ? op.packages : []),
    ];
    const dev = reqs.find((r) => DEV_REQ.test(r));
    if (dev) return `${op.manager === 'pip' ? 'pip' : 'uv pip'} installs ${dev}`;
    const extra = [...op.packages, ...(op.optionValues['-e'] ?? []), ...(op.optionValues['--editable'] ?? [])].find(
      (p) => DEV_EXTRA.test(p),
    );
    if (extra) return `${op.manager === 'pip' ? 'pip' : 'uv pip'} installs the development extra ${extra}`;
    return undefined;
  }
  if (op.manager === 'uv' && op.action === 'sync') {
    if (hasOption(op, '--all-groups', '--only-dev')) return 'uv sync installs the dev dependency group';
    if (hasOption(op, '--no-dev', '--only-group', '--no-default-groups')) return undefined;
    if ((op.optionValues['--no-group'] ?? []).includes('dev')) return undefined;
    if (truthy(varAt(file, ins, 'UV_NO_DEV', cmd)) || truthy(varAt(file, ins, 'UV_NO_DEFAULT_GROUPS', cmd)))
      return undefined;
    return hasDevGroup ? 'uv sync without --no-dev installs the dev dependency group' : undefined;
  }
  if (op.manager === 'poetry' && op.action === 'sync') {
    if (hasOption(op, '--no-dev', '--only-root')) return undefined;
    const only = (op.optionValues['--only'] ?? []).join(',').split(',');
    if (only.length && only[0] !== '')
      return only.some((g) => /^(dev|test|lint|docs)$/.test(g.trim()))
        ? `poetry install --only ${only.join(',')} installs development groups`
        : undefined;
    const without = (op.optionValues['--without'] ?? [])
      .join(',')
      .split(',')
      .map((g) => g.trim());
    if (without.includes('dev')) return undefined;
    const withGroups = (op.optionValues['--with'] ?? []).join(',');
    return `poetry ${cmd.args.find((a) => a.value === 'install' || a.value === 'sync')?.value ?? 'install'} ${withGroups ? `--with ${withGroups} ` : ''}installs the dev group (poetry includes all non-optional groups by default)`;
  }
  if (op.manager === 'pdm' && op.action === 'sync') {
    if (hasOption(op, '--prod', '--production')) return undefined;
    return 'pdm install without --prod installs the dev dependency groups';
  }
  if (op.manager === 'pipenv' && op.action === 'sync' && hasOption(op, '--dev', '-d'))
    return 'pipenv install --dev installs the [dev-packages]';
  return undefined;
}

function fixFor(op: PackageOp): string {
  switch (op.manager) {
    case 'uv':
      return 'add --no-dev (or set ENV UV_NO_DEV=1) and run tests in a separate stage';
    case 'poetry':
      return 'use `poetry install --only main` (or --without dev) and run tests in a separate stage';
    case 'pdm':
      return 'add --prod and run tests in a separate stage';
    case 'pipenv':
      return 'drop --dev (use `pipenv install --deploy`) and run tests in a separate stage';
    default:
      return 'install only the runtime requirements here and the test requirements in a separate test stage';
  }
}
