/**
 * Users and paths at an instruction: the working directory, users' homes and uids, path containment.
 */
import { posix } from 'node:path';
import type { Dockerfile, Instruction, ShellCommand } from '../../dockerfile/types.js';
import { envAt } from '../util.js';
import { instructionsBefore } from './stage-chains.js';

/** The working directory an instruction runs in (WORKDIR of its stage chain), '/' by default. */
export function workdirAt(file: Dockerfile, ins: Instruction): string {
  let dir = '/';
  for (const i of instructionsBefore(file, ins)) {
    if (i.keyword !== 'WORKDIR') continue;
    const w = (i.resolvedArgs[0] ?? '').replace(/^["']|["']$/g, '');
    if (!w) continue;
    dir = w.startsWith('/') ? posix.normalize(w) : posix.join(dir, w);
  }
  return dir;
}

/** Absolute path of `p` seen from `dir`. */
export function absPath(dir: string, p: string): string {
  const clean = p.replace(/^["']|["']$/g, '');
  const out = clean.startsWith('/') ? posix.normalize(clean) : posix.join(dir, clean);
  return out.length > 1 ? out.replace(/\/+$/, '') : out;
}

/** True when `inner` is `outer` or inside it. */
export function within(inner: string, outer: string): boolean {
  if (outer === '/') return true;
  return inner === outer || inner.startsWith(`${outer}/`);
}

export interface UserInfo {
  name: string;
  home: string;
  uid?: string;
  root: boolean;
  /** False when the home is only a guess (`/home/<name>` for a user the Dockerfile does not create). */
  homeKnown: boolean;
}

/**
 * What the Dockerfile tells about a user: home (useradd -d/--home-dir, adduser --home, ENV HOME
 * at `ins`) and uid (useradd -u/--uid, adduser -u/--uid). A numeric user is matched by uid.
 */
const userCommandCache = new WeakMap<Dockerfile, ShellCommand[]>();

/** The useradd/adduser commands of a file, found once per file (userInfo runs per mount). */
function userCommands(file: Dockerfile): ShellCommand[] {
  let list = userCommandCache.get(file);
  if (!list) {
    list = [];
    for (const i of file.instructions) {
      for (const c of i.shell?.commands ?? []) if (c.program === 'useradd' || c.program === 'adduser') list.push(c);
    }
    userCommandCache.set(file, list);
  }
  return list;
}

export function userInfo(file: Dockerfile, user: string, ins?: Instruction): UserInfo {
  const root = user === 'root' || user === '0';
  const numeric = /^\d+$/.test(user);
  const info: UserInfo = { name: user, home: root ? '/root' : `/home/${user}`, root, homeKnown: root };
  if (numeric) info.uid = user;
  for (const c of userCommands(file)) {
    const words = c.args.map((a) => a.value);
    const positional = words.filter((w, k) => !w.startsWith('-') && !isValuedUserOpt(words[k - 1]));
    let uid: string | undefined;
    let home: string | undefined;
    for (let k = 0; k < words.length; k++) {
      const w = words[k];
      const eq = w.startsWith('--') ? w.indexOf('=') : -1;
      const opt = eq > 0 ? w.slice(0, eq) : w;
      const val = eq > 0 ? w.slice(eq + 1) : words[k + 1];
      if (opt === '-u' || opt === '--uid') uid = val;
      if ((opt === '-d' || opt === '--home-dir' || opt === '--home' || opt === '-h') && val?.startsWith('/'))
        home = val;
    }
    const name =
      c.program === 'adduser'
        ? (positional.find((p) => p === user) ?? positional[0])
        : positional[positional.length - 1];
    const matches = numeric ? uid === user : name === user;
    if (!matches) continue;
    if (uid) info.uid = uid;
    if (name && numeric) info.name = name;
    info.home = home ?? `/home/${name ?? user}`;
    info.homeKnown = true;
  }
  if (ins) {
    const home = envAt(file, ins, 'HOME');
    if (home?.startsWith('/')) {
      info.home = home;
      info.homeKnown = true;
    }
  }
  return info;
}

function isValuedUserOpt(w: string | undefined): boolean {
  return (
    !!w &&
    /^(-[ugdscGkKbefp]|--(uid|gid|home|home-dir|shell|comment|groups|ingroup|gecos|skel|key|base-dir|expiredate|inactive|password|firstuid|lastuid))$/.test(
      w,
    )
  );
}
