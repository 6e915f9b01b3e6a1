import { cacheDirOf } from '../lib/cache-dirs.js';
import { cacheMountFor } from '../lib/mounts.js';
import { varAt } from '../lib/variables.js';
import type { Rule } from '../types.js';
import { insertAfterWord, opsOf, runInstructions } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW2408',
    name: 'uv-cache-mount-without-copy-link-mode',
    category: 'cache',
    severity: 'info',
    summary: 'A uv cache mount without UV_LINK_MODE=copy: uv tries to hardlink across file systems.',
    description:
      'uv installs packages by hardlinking them from its cache. A cache mount is a different file system from the ' +
      'image, so every install fails to hardlink, prints a warning and falls back to copying file by file. Set ' +
      '`ENV UV_LINK_MODE=copy` (or pass --link-mode=copy) so uv copies directly and quietly.',
    bad:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n' +
      '    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync --locked --no-dev --no-install-project\n',
    good:
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nENV UV_LINK_MODE=copy\nWORKDIR /app\n' +
      'RUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n' +
      '    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync --locked --no-dev --no-install-project\n',
    fixable: true,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    for (const ins of runInstructions(file)) {
      if (!ins.mounts.some((m) => m.type === 'cache')) continue;
      for (const op of opsOf(ins)) {
        const installs =
          (op.manager === 'uv' && op.action === 'sync') ||
          (op.manager === 'uv-pip' && (op.action === 'install' || op.action === 'sync'));
        // With --no-cache the mount is unused anyway (pip-no-cache-with-cache-mount says so).
        if (!installs || op.words.some((w) => w.value === '--no-cache' || w.value === '-n')) continue;
        const mount = cacheMountFor(ins, cacheDirOf(file, ins, 'uv', op));
        if (!mount) continue;
        const mode = op.optionValues['--link-mode']?.[0] ?? varAt(file, ins, 'UV_LINK_MODE', op.command);
        if (mode === 'copy' || mode === '?') continue;
        const actionWord = op.words.find((w) => w.value === op.action || (op.action === 'sync' && w.value === 'sync'));
        const set = mode === undefined ? 'without UV_LINK_MODE=copy' : `with link mode ${mode}`;
        ctx.report({
          line: op.command.line,
          column: op.command.column,
          message: `uv ${op.manager === 'uv-pip' ? 'pip ' : ''}${op.action} with a cache mount at ${mount.target} ${set}: uv cannot hardlink from the mount into the image, warns and falls back to a slower copy; set ENV UV_LINK_MODE=copy or pass --link-mode=copy`,
          fix:
            actionWord && mode === undefined
              ? {
                  description: 'add --link-mode=copy',
                  edits: [
                    insertAfterWord(file, actionWord.line, actionWord.column, actionWord.raw, ' --link-mode=copy'),
                  ],
                }
              : undefined,
        });
      }
    }
  },
};
