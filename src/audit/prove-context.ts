/**
 * The proof's working copy of a build context: what the build would see (the context after its
 * .dockerignore), copied to a temp directory so the one-line change never touches the user's
 * tree; and the choice and making of that one-line change.
 */
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { basename, extname, join, relative, sep } from 'node:path';
import { isIgnored, mayReinclude, parseDockerignore, type IgnorePattern } from '../dockerfile/dockerignore.js';
import { UserError } from '../errors.js';
import { detectProject } from '../project/index.js';

/** The ignore file BuildKit uses for this Dockerfile: `<Dockerfile>.dockerignore`, else the context's. */
export function ignoreFileFor(dockerfile: string, context: string): string | undefined {
  return [`${dockerfile}.dockerignore`, join(context, '.dockerignore')].find((f) => existsSync(f));
}

/**
 * Copies `src` to `dest`, leaving out what `patterns` exclude (Docker's semantics), keeping
 * symlinks as links and file modes. The .dockerignore itself always goes along: BuildKit reads it
 * even when it lists itself. Returns the number of files copied.
 */
export function copyContext(src: string, dest: string, patterns: IgnorePattern[]): number {
  let count = 0;
  const walk = (rel: string): void => {
    const from = rel ? join(src, rel) : src;
    const to = rel ? join(dest, rel) : dest;
    mkdirSync(to, { recursive: true });
    for (const e of readdirSync(from, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const ignored = r !== '.dockerignore' && isIgnored(patterns, r);
      if (e.isDirectory()) {
        if (ignored && !mayReinclude(patterns, r)) continue;
        walk(r);
      } else if (!ignored) {
        if (e.isSymbolicLink()) symlinkSync(readlinkSync(join(from, e.name)), join(to, e.name));
        else if (e.isFile()) copyFileSync(join(from, e.name), join(to, e.name));
        else continue;
        count++;
      }
    }
  };
  walk('');
  return count;
}

/** Reads an ignore file into patterns (none when absent). */
export function readPatterns(file: string | undefined): IgnorePattern[] {
  return file ? parseDockerignore(readFileSync(file, 'utf8')) : [];
}

const PY_LIKE = new Set(['.py', '.pyi', '.sh', '.toml', '.yaml', '.yml', '.txt', '.cfg', '.ini', '.rb', '.r']);

/**
 * Appends one line to `file` (relative to `dir`) and moves its mtime forward: a change of size,
 * content and mtime, as an edit makes. The line is the same on every run, so a rerun of the
 * proof finds its builds in the engine's cache. Comment syntax for the file's kind; a bare line
 * for files that take no `#` comment.
 */
export function changeOneLine(dir: string, file: string): void {
  const path = join(dir, file);
  const ext = extname(file).toLowerCase();
  const line = PY_LIKE.has(ext)
    ? '# one-line change made by layerwise audit --build'
    : ext === '.js' || ext === '.ts' || ext === '.go' || ext === '.rs' || ext === '.java'
      ? '// one-line change made by layerwise audit --build'
      : '';
  const text = readFileSync(path, 'utf8');
  appendFileSync(path, `${text.endsWith('\n') || !text ? '' : '\n'}${line}\n`);
  const st = statSync(path);
  const later = new Date(Math.max(Date.now(), st.mtimeMs) + 2000);
  utimesSync(path, later, later);
}

/** `one line of src/app/main.py` -> `src/app/main.py` (the phrasing of the code-change scenario). */
export function fileFromChange(change: string): string | undefined {
  const m = /\bof\s+(\S+)$/.exec(change.trim()) ?? /([\w./-]+\.\w+)/.exec(change);
  return m?.[1].replace(/[`'",.;:]+$/, '').replace(/^[`'"]+/, '');
}

/**
 * The code file a proof changes, relative to the context: the one asked for, the one the
 * scenario names (when it exists in the context), else one of the project's own Python files
 * (its app module first). Throws a UserError when there is none.
 */
export function pickCodeFile(context: string, opts: { asked?: string; named?: string; projectDir?: string }): string {
  const inContext = (rel: string | undefined): string | undefined => {
    if (!rel) return undefined;
    const clean = rel.replace(/^\.\//, '');
    const p = join(context, clean);
    return existsSync(p) && lstatSync(p).isFile() && !relative(context, p).startsWith('..') ? clean : undefined;
  };
  if (opts.asked) {
    const hit = inContext(opts.asked);
    if (!hit) throw new UserError(`--touch ${opts.asked}: no such file in the build context ${context}`);
    return hit;
  }
  const named = inContext(opts.named);
  if (named) return named;
  try {
    const p = detectProject(opts.projectDir ?? context);
    const prefix = relative(context, p.dir);
    const under = (f: string) => (prefix ? `${prefix}/${f}` : f).split(sep).join('/');
    const files = [...p.modules.map(under), ...p.packageDirs.flatMap((d) => pyFiles(p.dir, d).map(under))];
    // `uvicorn shop_api.main:app` -> shop_api/main(.py|/__init__.py): the module the app starts from.
    const target = p.app.command.find((a) => /^[\w.]+:\w+$/.test(a));
    const mod = target?.split(':')[0].replace(/\./g, '/');
    const isMod = (f: string) =>
      !!mod && [`${mod}.py`, `${mod}/__init__.py`].some((m) => f === m || f.endsWith(`/${m}`));
    const best = files.find(isMod) ?? files.find((f) => basename(f) !== '__init__.py') ?? files[0];
    const hit = inContext(best);
    if (hit) return hit;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
  }
  throw new UserError(`${context}: no source file of the app found to change; name one (--touch FILE)`);
}

/** Python files under `root/dir`, relative to root, sorted, tests and caches left out. */
function pyFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === '__pycache__' || e.name === 'tests') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else if (e.name.endsWith('.py')) out.push(r);
    }
  };
  walk(join(root, dir), dir.split(sep).join('/'));
  return out;
}
