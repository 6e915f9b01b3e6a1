import type { Dockerfile, Instruction, Mount } from '../../dockerfile/types.js';
import { CACHE_DIRS } from '../lib/cache-dirs.js';
import { absPath, userInfo, within } from '../lib/users.js';
import { varAt } from '../lib/variables.js';
import type { Rule } from '../types.js';
import { opsOf, runInstructions, userAt } from '../util.js';

/** Variables that move a tool's cache; when one points into the mount, the mount is used. */
const CACHE_VARS = ['XDG_CACHE_HOME', 'HOME', ...CACHE_DIRS.flatMap((c) => c.env)];
const HOME_TARGET = /^(\/root|\/home\/[^/]+)(\/|$)/;

export const rule: Rule = {
  meta: {
    id: 'LW2404',
    name: 'cache-mount-wrong-user',
    category: 'cache',
    severity: 'warning',
    summary: 'A cache mount that the user running the step does not use or cannot write.',
    description:
      'Package managers keep their cache under the home of the user they run as. A cache mount on /root/.cache while ' +
      'the step runs as another user is never read, so every build downloads everything again. A cache mount is ' +
      'created owned by root, so a non-root user also needs uid= (and gid=) on the mount to write to it.',
    bad:
      'FROM python:3.12-slim\nRUN useradd --create-home --uid 1000 app\nUSER app\nWORKDIR /home/app\nCOPY requirements.txt .\n' +
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --user -r requirements.txt\n',
    good:
      'FROM python:3.12-slim\nRUN useradd --create-home --uid 1000 app\nUSER app\nWORKDIR /home/app\nCOPY requirements.txt .\n' +
      'RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000,gid=1000 pip install --user -r requirements.txt\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    for (const ins of runInstructions(file)) {
      const mounts = ins.mounts.filter((m) => m.type === 'cache' && m.target);
      if (!mounts.length) continue;
      const user = userAt(file, ins);
      const info = userInfo(file, user, ins);
      for (const m of mounts) {
        const target = absPath('/', m.target ?? '');
        const pointed = pointedAt(file, ins, target);
        const homeMatch = HOME_TARGET.exec(target);
        const line = ins.span.start.line;
        const ids = info.uid ? `uid=${info.uid},gid=${info.uid}` : `uid=<uid of ${user}>,gid=<its gid>`;
        if (homeMatch && !pointed && !within(target, info.home)) {
          // A guessed home only counts against mounts under /root: a user's home is never there.
          if (!info.homeKnown && homeMatch[1] !== '/root') continue;
          if (!info.homeKnown && !info.root && /^\d+$/.test(user)) continue;
          const right = `${info.homeKnown || !/^\d+$/.test(user) ? info.home : '$HOME'}${target.slice(homeMatch[1].length)}`;
          ctx.report({
            line,
            message: `cache mount ${target} is not the cache of user ${user} (home ${info.home}), so the step never uses it and every build downloads everything again; mount target=${right}${info.root ? '' : `,${ids}`} instead`,
          });
          continue;
        }
        if (!info.root && (pointed || within(target, info.home)) && !writable(m, info.uid)) {
          ctx.report({
            line,
            message: `cache mount ${target} is created owned by root, so user ${user} cannot write to it (pip silently disables its cache, uv fails); add ${ids} to the mount`,
          });
        }
      }
    }
  },
};

/** True when a cache variable or a --cache-dir option of the step points into the mount. */
function pointedAt(file: Dockerfile, ins: Instruction, target: string): boolean {
  for (const name of CACHE_VARS) {
    const v = varAt(file, ins, name);
    if (v?.startsWith('/') && name !== 'HOME' && within(absPath('/', v), target)) return true;
    if (v?.startsWith('/') && name !== 'HOME' && within(target, absPath('/', v))) return true;
  }
  for (const op of opsOf(ins)) {
    const dir = op.optionValues['--cache-dir']?.[0] ?? op.optionValues['--cache']?.[0];
    if (dir?.startsWith('/') && (within(absPath('/', dir), target) || within(target, absPath('/', dir)))) return true;
  }
  return false;
}

function writable(m: Mount, uid: string | undefined): boolean {
  if (m.uid !== undefined && m.uid !== '0') return uid === undefined || m.uid === uid || /\$/.test(m.uid);
  // mode=0777 (or any world-writable mode) also lets the user write.
  return !!m.mode && /^0?[0-7]?[0-7][0-7][2367]$/.test(m.mode);
}
