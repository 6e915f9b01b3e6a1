/**
 * The content hashes of the build-context paths a base stage copies: a file is hashed, a
 * directory or glob stands for every file under it (sorted, .dockerignore honoured), so the
 * fingerprint moves when a copied file's bytes do and not when an unrelated file changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { isIgnored, mayReinclude, parseDockerignore, type IgnorePattern } from '../dockerfile/dockerignore.js';
import { UserError } from '../errors.js';

/**
 * The .dockerignore BuildKit uses for `dockerfile`: `<Dockerfile>.dockerignore` beside it when
 * there is one, else the context's `.dockerignore`.
 */
export function ignorePatterns(context: string, dockerfile: string): IgnorePattern[] {
  for (const f of [join(dirname(dockerfile), `${basename(dockerfile)}.dockerignore`), join(context, '.dockerignore')]) {
    if (existsSync(f)) return parseDockerignore(readFileSync(f, 'utf8'));
  }
  return [];
}

/**
 * path (relative to the context, `/`-separated) -> sha256 hex of its bytes, for every file the
 * given sources name. A symlink is hashed by its target text, as COPY copies the link itself.
 * A source matching nothing is a one-line UserError: the base build would fail on it too.
 */
export function hashContextFiles(context: string, sources: string[], ignore: IgnorePattern[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const src of sources) {
    const files = expand(context, src, ignore);
    if (!files.length)
      throw new UserError(
        `${src}: the base copies it but it is not in the build context ${context} (missing, or excluded by .dockerignore)`,
      );
    for (const f of files) out[f] ??= hashFile(join(context, f));
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function hashFile(abs: string): string {
  const st = lstatSync(abs);
  const h = createHash('sha256');
  if (st.isSymbolicLink()) h.update(`symlink:${readlinkSync(abs)}`);
  else h.update(readFileSync(abs));
  return h.digest('hex');
}

/** The files (relative) a COPY source names: itself, everything under a directory, or what a glob matches. */
function expand(context: string, src: string, ignore: IgnorePattern[]): string[] {
  if (!/[*?[]/.test(src)) return walk(context, src === '.' ? '' : src, ignore);
  // The glob's directory part without wildcards is where matching starts.
  const parts = src.split('/');
  const fixed: string[] = [];
  while (parts.length && !/[*?[]/.test(parts[0])) fixed.push(parts.shift()!);
  const regex = parseDockerignore(src)[0]?.regex;
  if (!regex) return [];
  const under = walk(context, fixed.join('/'), ignore);
  // A glob that matches a directory copies what is under it.
  return under.filter((f) => {
    const segs = f.split('/');
    for (let i = 1; i <= segs.length; i++) if (regex.test(segs.slice(0, i).join('/'))) return true;
    return false;
  });
}

/** Every file at or under `rel` that the context sends, sorted. */
function walk(context: string, rel: string, ignore: IgnorePattern[]): string[] {
  const abs = rel ? join(context, rel) : context;
  let st;
  try {
    st = lstatSync(abs);
  } catch {
    return [];
  }
  const ignored = rel !== '' && isIgnored(ignore, rel);
  if (!st.isDirectory()) return ignored ? [] : [rel];
  // An excluded directory is skipped unless a `!` pattern may bring something under it back.
  if (ignored && !mayReinclude(ignore, rel)) return [];
  const out: string[] = [];
  for (const name of readdirSync(abs).sort()) out.push(...walk(context, rel ? posix.join(rel, name) : name, ignore));
  return out;
}
