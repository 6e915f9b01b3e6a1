import { hasOption } from '../../dockerfile/packages.js';
import { truthy, varAt } from '../lib/variables.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW4401',
    name: 'uv-sync-unlocked',
    category: 'determinism',
    severity: 'warning',
    summary: '`uv sync` without --locked or --frozen may re-resolve the dependencies during the build.',
    description:
      'Without --locked or --frozen, `uv sync` updates uv.lock when it no longer matches pyproject.toml and installs ' +
      'whatever the resolver picks that day, so two builds of the same commit can ship different packages. ' +
      '--locked fails the build when the lock is stale; --frozen installs exactly what the lock says.',
    bad:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'COPY pyproject.toml uv.lock ./\nRUN uv sync --no-dev --no-install-project\nCOPY . .\nRUN uv sync --no-dev\n' +
      'CMD ["/app/.venv/bin/python", "-m", "app"]\n',
    good:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev --no-install-project\nCOPY . .\nRUN uv sync --locked --no-dev\n' +
      'CMD ["/app/.venv/bin/python", "-m", "app"]\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    for (const { ins, op } of packageOperations(ctx.file)) {
      if (op.manager !== 'uv' || op.action !== 'sync') continue;
      if (hasOption(op, '--locked', '--frozen')) continue;
      if (
        truthy(varAt(ctx.file, ins, 'UV_LOCKED', op.command)) ||
        truthy(varAt(ctx.file, ins, 'UV_FROZEN', op.command))
      )
        continue;
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message:
          'uv sync without --locked or --frozen: uv may re-resolve and rewrite uv.lock during the build, so the image can get versions nobody reviewed; ' +
          'add --locked (fail on a stale lock) or --frozen (install the lock as is), or set ENV UV_LOCKED=1',
      });
    }
  },
};
