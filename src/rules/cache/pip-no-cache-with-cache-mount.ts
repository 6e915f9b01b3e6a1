import { hasOption } from '../../dockerfile/packages.js';
import type { Instruction, PackageOp, ShellWord } from '../../dockerfile/types.js';
import { cacheDirOf } from '../lib/cache-dirs.js';
import { cacheMountFor } from '../lib/mounts.js';
import { truthy, varAt } from '../lib/variables.js';
import type { Fix, Rule } from '../types.js';
import { offsetOf, opsOf, runInstructions } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW2403',
    name: 'pip-no-cache-with-cache-mount',
    category: 'cache',
    severity: 'warning',
    summary: '`--no-cache-dir` (or uv `--no-cache`) on a RUN that mounts a cache for it: the mount is never used.',
    description:
      'A cache mount keeps downloaded and built wheels between builds outside the image, so it costs no layer size. ' +
      'Telling pip not to use a cache at the same time throws that away: every build downloads everything again. ' +
      'Keep the mount and drop --no-cache-dir (and PIP_NO_CACHE_DIR) for this step.',
    bad:
      'FROM python:3.12-slim\nCOPY requirements.txt .\n' +
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt\n',
    good: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n',
    fixable: true,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    for (const ins of runInstructions(file)) {
      if (!ins.mounts.some((m) => m.type === 'cache')) continue;
      for (const op of opsOf(ins)) {
        if (op.action !== 'install' && op.action !== 'sync') continue;
        if (op.manager === 'pip') check(ins, op, 'pip', ['--no-cache-dir'], 'PIP_NO_CACHE_DIR');
        else if (op.manager === 'uv' || op.manager === 'uv-pip')
          check(ins, op, 'uv', ['--no-cache', '-n'], 'UV_NO_CACHE');
      }
    }

    function check(ins: Instruction, op: PackageOp, tool: string, options: string[], env: string) {
      const dir = cacheDirOf(file, ins, tool, op);
      const mount = cacheMountFor(ins, dir);
      if (!mount) return;
      const word = op.words.find((w) => options.includes(w.value));
      const viaOption = hasOption(op, ...options) && word;
      const envValue = varAt(file, ins, env, op.command);
      // pip disables its cache for any valid PIP_NO_CACHE_DIR value, even 0 or false (kept for compatibility).
      const viaEnv = envValue !== undefined && (tool === 'pip' ? envValue !== '' : truthy(envValue));
      if (!viaOption && !viaEnv) return;
      const what = viaOption ? word.value : `${env}=${envValue}`;
      const name = tool === 'pip' ? 'pip' : `uv ${op.manager === 'uv-pip' ? 'pip ' : ''}${op.action}`;
      ctx.report({
        line: op.command.line,
        column: viaOption ? word.column : op.command.column,
        message: `${name} with ${what} ignores the cache mounted at ${mount.target}, so every build downloads everything again; ${viaOption ? `remove ${word.value}` : `do not set ${env} where this step runs (${tool === 'pip' ? 'any value, even 0, disables the cache' : 'move it to stages without the mount'})`} and keep the mount`,
        fix: viaOption ? removeWord(file.text, offsetOf(file, word.line, word.column), word) : undefined,
      });
    }
  },
};

function removeWord(text: string, start: number, word: ShellWord): Fix | undefined {
  if (text.slice(start, start + word.raw.length) !== word.raw) return undefined;
  let from = start;
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  return {
    description: `remove ${word.raw}`,
    edits: [{ start: from, end: start + word.raw.length, text: '' }],
  };
}
