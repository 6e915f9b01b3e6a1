/**
 * Turns command-line paths into Dockerfiles to lint: files as given, directories searched
 * recursively for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile (honouring .gitignore
 * files on the way), and `-` for standard input. Rejects binary and unreadable input.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { UserError } from '../errors.js';
import { readCapped } from './read-capped.js';

export interface Input {
  /** Path for messages: as given, or found under a given directory; `-` for stdin. */
  path: string;
  text: string;
  stdin: boolean;
}

const NAME = /^(Dockerfile|Containerfile)([.-][^/]*)?$|\.(Dockerfile|Containerfile)$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache']);
/** A Dockerfile bigger than this is not a Dockerfile. */
const MAX_BYTES = 4 * 1024 * 1024;

/** True for file names layerwise lints when it finds them in a directory. */
export function isDockerfileName(name: string): boolean {
  return NAME.test(name) && !name.endsWith('.dockerignore');
}

/** Lists the Dockerfiles for the given paths (not reading them). */
export function findDockerfiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(p);
      continue;
    }
    let st: import('node:fs').Stats;
    try {
      st = statSync(p);
    } catch {
      throw new UserError(`${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      const found = walk(p);
      if (!found.length)
        throw new UserError(
          `${p}: no Dockerfile found (looked for Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile)`,
        );
      out.push(...found);
    } else out.push(p);
  }
  return [...new Set(out)];
}

function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, rules: { base: string; ig: Ignore }[]) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const here = entries.some((e) => e.name === '.gitignore' && e.isFile()) ? loadGitignore(dir) : undefined;
    const active = here ? [...rules, { base: dir, ig: here }] : rules;
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, e.name);
      if (e.isDirectory() && SKIP_DIRS.has(e.name)) continue;
      if (isGitIgnored(active, full, e.isDirectory())) continue;
      if (e.isDirectory()) visit(full, active);
      else if ((e.isFile() || e.isSymbolicLink()) && isDockerfileName(e.name)) out.push(full);
    }
  };
  visit(root, []);
  return out;
}

function loadGitignore(dir: string): Ignore | undefined {
  try {
    return ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8'));
  } catch {
    return undefined;
  }
}

function isGitIgnored(rules: { base: string; ig: Ignore }[], full: string, isDir: boolean): boolean {
  for (const { base, ig } of rules) {
    const rel = relative(base, full).split(sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** Reads one input; binary, huge or unreadable input is a UserError. Never reads past the limit. */
export function readInput(path: string): Input {
  const name = path === '-' ? 'standard input' : path;
  let read: ReturnType<typeof readCapped>;
  try {
    read = readCapped(path, MAX_BYTES);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EISDIR'
        ? 'is a directory'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'ENOENT'
            ? 'no such file'
            : (e as Error).message;
    throw new UserError(`${name}: cannot read (${why})`);
  }
  if (!read.ok) {
    if (read.reason === 'binary') throw new UserError(`${name}: binary data, not a Dockerfile`);
    throw new UserError(
      read.size === undefined
        ? `${name}: more than ${MAX_BYTES} bytes, too large for a Dockerfile (limit ${MAX_BYTES}); stopped reading there`
        : `${name}: ${read.size} bytes is too large for a Dockerfile (limit ${MAX_BYTES})`,
    );
  }
  const buf = read.data;
  const text = buf.toString('utf8');
  // Invalid UTF-8 decodes to U+FFFD; many of them means this is not text.
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  if (bad > 0 && bad / Math.max(1, text.length) > 0.01)
    throw new UserError(`${name}: not UTF-8 text, not a Dockerfile`);
  return {
    path: path === '-' ? '-' : path.split(sep).join('/'),
    text: text.replace(/^\uFEFF/, ''),
    stdin: path === '-',
  };
}
