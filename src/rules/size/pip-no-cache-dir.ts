import { hasOption } from '../../dockerfile/packages.js';
import type { Dockerfile, Instruction, PackageOp } from '../../dockerfile/types.js';
import { removesAfter } from '../lib/cache-cleanup.js';
import { cacheMountCovers } from '../lib/mounts.js';
import { actionWord, commandIndex, insertAfterAction } from '../lib/package-words.js';
import { earlierInChain, shippedStages, ships } from '../lib/stage-chains.js';
import type { Rule } from '../types.js';
import { envAt, homeOf, opsOf, runInstructions, userAt } from '../util.js';

/** True when pip's cache is switched off for this command by the environment or pip's config. */
function cacheOffByEnv(file: Dockerfile, ins: Instruction, op: PackageOp): boolean {
  if (op.command.assignments.PIP_NO_CACHE_DIR !== undefined) return true;
  // `env PIP_NO_CACHE_DIR=1 pip install ...`: the assignment is an argument of env.
  if (op.command.program === 'env' && op.command.args.some((a) => a.value.startsWith('PIP_NO_CACHE_DIR='))) return true;
  if (ins.shell?.assigned.includes('PIP_NO_CACHE_DIR')) return true;
  if (envAt(file, ins, 'PIP_NO_CACHE_DIR') !== undefined) return true;
  // `ARG PIP_NO_CACHE_DIR=1` in the stage is in the environment of later RUNs too.
  if (
    earlierInChain(file, ins, 'ARG').some((a) =>
      a.pairs.some((p) => p.key === 'PIP_NO_CACHE_DIR' && p.value !== undefined),
    )
  )
    return true;
  // `pip config set global.no-cache-dir ...` or a pip.conf written by an earlier RUN of the stage.
  return earlierInChain(file, ins, 'RUN').some((r) => {
    const installs = new Set(
      opsOf(r)
        .filter((o) => o.action === 'install')
        .map((o) => o.command),
    );
    return (r.shell?.commands ?? []).some((c) => {
      if (installs.has(c) || !/no[-_]cache[-_]dir/.test(c.text)) return false;
      const pipConfig = /^pip/.test(c.program) && c.args.some((a) => a.value === 'config');
      const writesConf =
        c.redirects.some((x) => /pip\.(conf|ini)$/.test(x.target)) ||
        (c.program === 'tee' && c.args.some((a) => /pip\.(conf|ini)$/.test(a.value)));
      return pipConfig || writesConf;
    });
  });
}

/** Where this pip writes its cache: `--cache-dir`, PIP_CACHE_DIR, XDG_CACHE_HOME, or ~/.cache/pip of the user. */
function pipCacheDirs(file: Dockerfile, ins: Instruction, op: PackageOp): string[] {
  const dirs: string[] = [];
  const given = op.optionValues['--cache-dir']?.[0];
  if (given) dirs.push(given);
  const envDir = op.command.assignments.PIP_CACHE_DIR ?? envAt(file, ins, 'PIP_CACHE_DIR');
  if (envDir) dirs.push(envDir);
  const xdg = envAt(file, ins, 'XDG_CACHE_HOME');
  if (xdg) dirs.push(`${xdg}/pip`);
  const user = userAt(file, ins);
  const home = envAt(file, ins, 'HOME') || homeOf(user);
  if (!given && !envDir) dirs.push(`${home}/.cache/pip`);
  // `sudo pip` and root's cache.
  if (!given && !envDir && home !== '/root' && (op.command.program === 'sudo' || user === '0'))
    dirs.push('/root/.cache/pip');
  return dirs;
}

export const rule: Rule = {
  meta: {
    id: 'LW3204',
    name: 'pip-no-cache-dir',
    category: 'size',
    severity: 'warning',
    summary: 'pip install without --no-cache-dir leaves downloaded wheels in the layer.',
    description:
      'pip keeps every downloaded and built wheel in ~/.cache/pip, which then ships in the image, often doubling the ' +
      'size of the dependency layer. Pass --no-cache-dir, set PIP_NO_CACHE_DIR=1, or (faster rebuilds) mount a build ' +
      "cache on the pip cache dir. `pip install --upgrade pip` is reported too: it leaves pip's own wheel behind. " +
      '`uv pip` is not reported: it keeps its cache elsewhere.',
    bad: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
    fixable: true,
    aliases: ['DL3042'],
  },
  check(ctx) {
    const file = ctx.file;
    const shipped = shippedStages(file);
    for (const ins of runInstructions(file)) {
      if (!ships(file, ins, shipped)) continue;
      for (const op of opsOf(ins)) {
        if (op.manager !== 'pip' || actionWord(op)?.value !== 'install') continue;
        // pip's option parser takes any unambiguous prefix: `--no-cache` is `--no-cache-dir`.
        if (hasOption(op, '--no-cache-dir') || op.options.some((o) => /^--no-cache(-d|-di)?(=|$)/.test(o))) continue;
        if (cacheOffByEnv(file, ins, op)) continue;
        const dirs = pipCacheDirs(file, ins, op);
        if (cacheMountCovers(ins, dirs)) continue;
        // `pip cache purge` or `rm -rf ~/.cache/pip` later in the same RUN.
        const at = commandIndex(ins, op);
        const purged = opsOf(ins).some(
          (o) =>
            o.manager === 'pip' && o.action === 'clean' && commandIndex(ins, o) > at && o.packages.includes('purge'),
        );
        if (purged || removesAfter(ins, at, [...dirs, '/root/.cache/pip', '~/.cache/pip', '$HOME/.cache/pip']))
          continue;
        const edit = insertAfterAction(file, op, ' --no-cache-dir');
        const misplaced = ins.mounts.find(
          (m) => m.type === 'cache' && m.target && /\/\.cache(\/pip)?\/?$/.test(m.target),
        );
        const hint = misplaced
          ? `; the cache mount on ${misplaced.target} is not where pip running as ${userAt(file, ins)} writes (${dirs[0]})`
          : '';
        ctx.report({
          line: op.command.line,
          column: op.command.column,
          message: `pip install without --no-cache-dir keeps its download cache in the layer; add --no-cache-dir (or mount a cache on the pip cache dir)${hint}`,
          // With a misplaced cache mount the fix is to move the mount, not to turn the cache off.
          fix: edit && !misplaced ? { description: 'add --no-cache-dir', edits: [edit] } : undefined,
        });
      }
    }
  },
};
