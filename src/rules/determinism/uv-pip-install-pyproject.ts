import { hasOption } from '../../dockerfile/packages.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

const PROJECT_FILE = /(^|\/)(pyproject\.toml|setup\.py|setup\.cfg)$/;

export const rule: Rule = {
  meta: {
    id: 'LW4402',
    name: 'uv-pip-install-pyproject',
    category: 'determinism',
    severity: 'warning',
    summary: '`uv pip install -r pyproject.toml` resolves the dependencies afresh and ignores uv.lock.',
    description:
      'The `uv pip` interface reads pyproject.toml as a list of ranges and resolves them at build time; uv.lock is ' +
      'only used by the project interface (`uv sync`). Each build can install different versions. Install from the ' +
      'lock with `uv sync --locked`, or export it (`uv export --frozen --no-hashes -o requirements.txt`) and install that.',
    bad:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'COPY pyproject.toml uv.lock ./\nRUN uv pip install --system -r pyproject.toml\nCOPY . .\nCMD ["python", "-m", "app"]\n',
    good:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev --no-install-project\nCOPY . .\n' +
      'CMD ["/app/.venv/bin/python", "-m", "app"]\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'uv-pip' || (op.action !== 'install' && op.action !== 'sync')) continue;
      const files = [...(op.optionValues['-r'] ?? []), ...(op.optionValues['--requirement'] ?? [])];
      // `uv pip sync pyproject.toml` takes the file positionally.
      if (op.action === 'sync') files.push(...op.packages);
      const hit = files.find((f) => PROJECT_FILE.test(f));
      if (!hit || hasOption(op, '--no-deps')) continue;
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message: `uv pip ${op.action} -r ${hit} resolves the dependency ranges afresh on every build and ignores uv.lock; use \`uv sync --locked\` (add --no-install-project before copying the source), or \`uv export --frozen -o requirements.txt\` and install that file`,
      });
    }
  },
};
