/**
 * Writing what `lint --fix` changed into files users own. The rules: write through a symlink to
 * its target (the link stays a link) but only inside the paths being linted; keep the file's
 * mode, owner and group; leave read-only files alone unless forced; and either every file is
 * written or none is (a problem found while preparing leaves everything as it was).
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';

/** A Dockerfile whose text --fix changed; `path` as the user gave or we found it. */
export interface Replacement {
  path: string;
  text: string;
}

/** A file a fix creates (e.g. `.dockerignore`) relative to a build context; never overwrites. */
export interface Creation {
  contextDir: string;
  rel: string;
  content: string;
}

export interface WriteOptions {
  /** Real directories a written file must resolve into (see lintRoots). */
  roots: string[];
  /** Write read-only files too. */
  force?: boolean;
}

/**
 * The directories the user pointed at: each directory argument, and the directory of each file
 * argument, resolved through symlinks. A fixed file must live inside one of them, so a link in
 * a checked-out repository cannot make --fix write to, say, a file in the user's home.
 */
export function lintRoots(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') continue;
    try {
      out.push(realpathSync(statSync(p).isDirectory() ? p : dirname(p)));
    } catch {
      // findDockerfiles reported it already.
    }
  }
  return out;
}

interface Prepared {
  tmp: string;
  target: string;
  /** Shown in messages. */
  path: string;
  create: boolean;
}

/**
 * Writes every replacement and creation, or throws a UserError (one line) and writes none.
 *
 * Each file is written to a temporary file in its target's own directory and renamed over the
 * target: a rename is atomic, so a crash or a full disk never leaves half a Dockerfile, and all
 * files are prepared before the first rename, so a refusal or a write error on the third file
 * leaves the first two untouched too. The price of a new inode is that mode, owner and group
 * must be copied explicitly (done on the open descriptor, chown first since it clears set-id
 * bits); when the owner cannot be kept (not root, file owned by someone else) the file is
 * refused rather than silently handed to the current user. Extended attributes and ACLs are
 * not copied, nor are other hard links to the file updated.
 */
export function writeFixes(replacements: Replacement[], creations: Creation[], opts: WriteOptions): void {
  const prepared: Prepared[] = [];
  const targets = new Set<string>();
  try {
    for (const r of replacements) {
      const target = checkReplaceable(r.path, opts);
      if (targets.has(target)) continue; // the same file reached through a link and by name
      targets.add(target);
      const st = statSync(target);
      const tmp = writeTemp(target, r.text, r.path, { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
      prepared.push({ tmp, target, path: r.path, create: false });
    }
    for (const c of creations) {
      const dir = resolve(c.contextDir);
      const target = resolve(dir, c.rel);
      const inside = relative(dir, target);
      if (inside.startsWith('..') || isAbsolute(inside))
        throw new UserError(`refusing to write ${c.rel} outside the build context ${dir}`);
      if (targets.has(target) || exists(target)) continue;
      targets.add(target);
      prepared.push({ tmp: writeTemp(target, c.content, target), target, path: target, create: true });
    }
  } catch (e) {
    discard(prepared);
    throw asUserError(e, 'nothing was changed');
  }
  for (let i = 0; i < prepared.length; i++) {
    const p = prepared[i];
    try {
      if (p.create) commitNew(p);
      else renameSync(p.tmp, p.target);
    } catch (e) {
      discard(prepared.slice(i));
      throw asUserError(Object.assign(e as Error, { path: p.path }), 'earlier files were written');
    }
  }
}

/** Checks `path` may be rewritten; returns the real file to write. */
function checkReplaceable(path: string, opts: WriteOptions): string {
  let target: string;
  try {
    target = realpathSync(path);
  } catch (e) {
    throw withPath(e, path);
  }
  if (!opts.roots.some((root) => isInside(root, target)))
    throw new UserError(
      `${path}: links to ${target}, outside the paths being linted; not fixed (run lint --fix on that file's own path to fix it)`,
    );
  const st = statSync(target);
  // A FIFO or device read as a Dockerfile must not be replaced by a regular file.
  if (!st.isFile())
    throw new UserError(`${path}: not a regular file; not fixed (use lint --fix - < ${path} to print the fixed text)`);
  if (opts.force) return target;
  // Root may write anything, so the mode is what says "read-only" there, not access().
  if ((st.mode & 0o222) === 0)
    throw new UserError(
      `${path}: read-only (mode ${(st.mode & 0o777).toString(8)}); not fixed (use --force to write it anyway)`,
    );
  try {
    accessSync(target, constants.W_OK);
  } catch (e) {
    // No --force can write to a read-only mount.
    if ((e as NodeJS.ErrnoException).code === 'EROFS') throw asUserError(withPath(e, path), 'nothing was changed');
    throw new UserError(`${path}: no write permission; not fixed (use --force to write it anyway)`);
  }
  return target;
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** True when anything is at `path`, a dangling symlink included (so it is never replaced). */
function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return existsSync(path);
  }
}

/** Writes `text` to a new temporary file beside `target`, with the given owner and mode. */
function writeTemp(
  target: string,
  text: string,
  shown: string,
  keep?: { mode: number; uid: number; gid: number },
): string {
  const tmp = join(dirname(target), `.${basename(target)}.layerwise-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number;
  try {
    // A new file gets the umask's usual mode; a replacement starts private until its mode is copied.
    fd = openSync(tmp, 'wx', keep ? 0o600 : 0o666);
  } catch (e) {
    throw withPath(e, shown);
  }
  try {
    const data = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    if (keep) {
      const now = fstatSync(fd);
      if (now.uid !== keep.uid || now.gid !== keep.gid) {
        try {
          fchownSync(fd, keep.uid, keep.gid);
        } catch (e) {
          throw new UserError(
            `${shown}: cannot keep its owner ${keep.uid}:${keep.gid} (${reason(e)}); not fixed (fix it as its owner)`,
          );
        }
      }
      fchmodSync(fd, keep.mode);
    }
    fsyncSync(fd);
    closeSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkQuietly(tmp);
    throw e instanceof UserError ? e : withPath(e, shown);
  }
  return tmp;
}

/** Moves a prepared new file into place without replacing anything created meanwhile. */
function commitNew(p: Prepared): void {
  try {
    linkSync(p.tmp, p.target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // Some file systems have no hard links; there the rename is the next best thing.
    if (code !== 'EEXIST' && !exists(p.target)) {
      renameSync(p.tmp, p.target);
      return;
    }
    if (code !== 'EEXIST') throw e;
  }
  unlinkQuietly(p.tmp);
}

function discard(prepared: Prepared[]): void {
  for (const p of prepared) unlinkQuietly(p.tmp);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

function withPath(e: unknown, path: string): unknown {
  if (e instanceof Error && !(e instanceof UserError)) Object.assign(e, { path });
  return e;
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
};

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return (err.code && REASONS[err.code]) ?? err.code ?? err.message;
}

/** File-system errors while writing are the user's environment, not a bug: one plain line. */
function asUserError(e: unknown, outcome: string): Error {
  if (e instanceof UserError) return e;
  const err = e as NodeJS.ErrnoException & { path?: string };
  if (!err?.code) return e as Error;
  return new UserError(`${err.path ?? 'file'}: cannot write (${reason(e)}); ${outcome}`);
}
