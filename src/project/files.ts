/** Small file helpers for project detection: bounded directory walks, TOML reading, name normalisation. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { UserError } from '../errors.js';

/** Directories never part of a project's own code. */
export const SKIP_DIRS = new Set([
  '.git',
  '.hg',
  '.venv',
  'venv',
  'env',
  '.env',
  '.tox',
  '.nox',
  'node_modules',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'build',
  'dist',
  'site-packages',
  '.idea',
  '.vscode',
]);

export const TEST_DIRS = new Set(['tests', 'test', 'testing']);

export type Toml = Record<string, unknown>;

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readToml(path: string): Toml | undefined {
  const text = readText(path);
  if (text === undefined) return undefined;
  try {
    return parseToml(text) as Toml;
  } catch (e) {
    throw new UserError(`${path}: not valid TOML (${(e as Error).message.split('\n')[0]})`);
  }
}

/** obj.a.b.c, or undefined. */
export function dig(obj: unknown, ...keys: string[]): unknown {
  let cur = obj;
  for (const k of keys) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

/** PEP 503 normalised distribution name. */
export function normName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The distribution name at the start of a PEP 508 requirement. */
export function requirementName(req: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  return m ? normName(m[1]) : undefined;
}

/** Every .py file under dir (relative to root), skipping caches, envs and tests; bounded. */
export function pythonFiles(root: string, dir: string, limit = 2000): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    if (out.length >= limit) return;
    for (const name of listDir(join(root, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = join(root, r);
      if (isDir(abs)) {
        if (!SKIP_DIRS.has(name) && !TEST_DIRS.has(name) && !name.startsWith('.')) walk(r);
      } else if (name.endsWith('.py')) out.push(r);
      if (out.length >= limit) return;
    }
  };
  if (isFile(join(root, dir))) return dir.endsWith('.py') ? [dir] : [];
  walk(dir);
  return out;
}

export function exists(root: string, rel: string): boolean {
  return existsSync(join(root, rel));
}

/** The compose file names the engine reads by default, in its order of preference. */
export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/**
 * The 1-based line of `offset` in `text`; with a RegExp, the line of its first match (undefined
 * when none), for the `file:line` of a Detection.
 */
export function lineAt(text: string, offset: number): number;
export function lineAt(text: string | undefined, re: RegExp): number | undefined;
export function lineAt(text: string | undefined, at: number | RegExp): number | undefined {
  const t = text ?? '';
  let offset = at;
  if (at instanceof RegExp) {
    const m = new RegExp(at.source, at.flags.replace('g', '')).exec(t);
    if (!m) return undefined;
    offset = m.index;
  }
  return t.slice(0, offset as number).split('\n').length;
}
