/**
 * What an app reads at run time besides its code (static assets, templates, data files) and what
 * the build context should leave out (files git ignores: databases, search indexes, build output).
 * The Dockerfile gives each asset kind its own layer before the code, so a code change ships code
 * alone; .dockerignore leaves the ignored paths out, so a local build sees what CI's clean clone sees.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import ignore from 'ignore';
import { isDir, listDir, readText, SKIP_DIRS, TEST_DIRS } from './files.js';

export type AssetKind = 'data' | 'static' | 'templates';

/** The order of the asset layers: what changes least first. */
export const ASSET_KINDS: AssetKind[] = ['data', 'static', 'templates'];

export interface AssetDir {
  /** Relative path of the directory. */
  path: string;
  kind: AssetKind;
  /** Why it is that kind: its name, or "no Python files". */
  evidence: string;
}

export interface IgnoredPath {
  /** Relative path (a directory ends with `/`). */
  path: string;
  bytes: number;
  /** Where the decision comes from: the `.gitignore:line` that ignores it, or a rule when there is no git. */
  evidence: string;
}

const BY_NAME: Record<string, AssetKind> = {
  static: 'static',
  assets: 'static',
  public: 'static',
  templates: 'templates',
  jinja2: 'templates',
  data: 'data',
  locale: 'data',
  translations: 'data',
};

/** Top-level directories that are not the app's: never an asset layer (docs, tooling, deploy files). */
const NOT_APP = new Set(['docs', 'doc', 'scripts', 'examples', 'benchmarks', 'htmlcov', 'requirements', 'deploy']);

const MAX_DEPTH = 4;

function hasPython(abs: string, depth = 0): boolean {
  if (depth > 8) return true; // deep trees: assume code rather than walk on
  for (const n of listDir(abs)) {
    if (n.endsWith('.py')) return true;
    const sub = join(abs, n);
    if (!SKIP_DIRS.has(n) && isDir(sub) && hasPython(sub, depth + 1)) return true;
  }
  return false;
}

/**
 * Asset directories of an app that is not a package: named ones (static/, templates/, data/,
 * locale/...) at any depth inside the app, and top-level directories that hold no Python file.
 * `skip` holds paths to leave out (ignored by git or .dockerignore).
 */
export function findAssetDirs(root: string, skip: (rel: string) => boolean = () => false): AssetDir[] {
  const out: AssetDir[] = [];
  const walk = (rel: string, depth: number) => {
    for (const name of listDir(join(root, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = join(root, r);
      if (!isDir(abs) || name.startsWith('.') || SKIP_DIRS.has(name) || TEST_DIRS.has(name) || skip(r)) continue;
      if (!rel && NOT_APP.has(name)) continue;
      const kind = BY_NAME[name];
      if (kind) {
        out.push({ path: r, kind, evidence: `${r}/ (named ${name})` });
        continue;
      }
      if (!rel && !hasPython(abs)) {
        out.push({ path: r, kind: 'data', evidence: `${r}/ (no Python files)` });
        continue;
      }
      if (depth < MAX_DEPTH) walk(r, depth + 1);
    }
  };
  walk('', 0);
  return out;
}

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
}

/** Whether `root` is inside a git work tree (and git is installed). */
export function inGitTree(root: string): boolean {
  return git(root, ['rev-parse', '--is-inside-work-tree'])?.trim() === 'true';
}

function sizeOf(abs: string, depth = 0): number {
  try {
    const st = statSync(abs);
    if (!st.isDirectory()) return st.size;
    if (depth > 12) return 0;
    return listDir(abs).reduce((n, f) => n + sizeOf(join(abs, f), depth + 1), 0);
  } catch {
    return 0;
  }
}

/** Names .dockerignore leaves out anyway (environments, caches, secrets): not worth a line each. */
function alreadyDenied(path: string): boolean {
  const parts = path.replace(/\/$/, '').split('/');
  const base = parts[parts.length - 1];
  return (
    parts.some((p) => SKIP_DIRS.has(p) || p.endsWith('.egg-info')) ||
    /^\.env(\..*)?$/.test(base) ||
    /\.(py[cod]|log|sqlite3|pem|key)$/.test(base) ||
    base === '.coverage'
  );
}

const MAX_IGNORED = 40;

/**
 * Paths git ignores and does not track, as the build context should leave them out: CI builds
 * from a clean clone, which does not have them, so a local build must not see them either.
 * Directories come collapsed (`data/cache/`). Undefined when `root` is not in a git work tree.
 */
export function gitIgnoredPaths(root: string): IgnoredPath[] | undefined {
  if (!inGitTree(root)) return undefined;
  const list = (extra: string[]) =>
    (git(root, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', ...extra]) ?? '')
      .split('\0')
      .filter((p) => p && !alreadyDenied(p));
  // -v prints `source:line:pattern<TAB>path`, the source relative to the top of the work tree.
  const prefix = git(root, ['rev-parse', '--show-prefix'])?.trim() ?? '';
  const up = prefix ? '../'.repeat(prefix.split('/').filter(Boolean).length) : '';
  const why = (paths: string[]) => {
    const out = new Map<string, string>();
    if (!paths.length) return out;
    const verbose = git(root, ['check-ignore', '-v', '--', ...paths.map((p) => p.replace(/\/$/, ''))]) ?? '';
    for (const line of verbose.split('\n')) {
      const m = /^(.*?):(\d+):.*\t(.*)$/.exec(line);
      if (!m) continue;
      const source = m[1].startsWith(prefix) ? m[1].slice(prefix.length) : `${up}${m[1]}`;
      out.set(m[3], `${source}:${m[2]}`);
    }
    return out;
  };
  const collapsed = list(['--directory']).sort().slice(0, MAX_IGNORED);
  const evidence = why(collapsed);
  const paths: string[] = [];
  for (const p of collapsed) {
    if (evidence.has(p.replace(/\/$/, ''))) paths.push(p);
    // A directory shown because all it holds is ignored (caches, say), not ignored itself: its files.
    else if (p.endsWith('/')) paths.push(...list(['--', p]));
  }
  for (const [k, v] of why(paths.filter((p) => !evidence.has(p.replace(/\/$/, ''))))) evidence.set(k, v);
  return paths
    .filter((p) => evidence.has(p.replace(/\/$/, '')))
    .slice(0, MAX_IGNORED)
    .map((p) => ({ path: p, bytes: sizeOf(join(root, p)), evidence: evidence.get(p.replace(/\/$/, '')) as string }));
}

/** Database and index files (by extension), and any file this large, when there is no git to ask. */
const DATA_EXT = /\.(db|sqlite|sqlite3|db-journal|rdb|idx|dump|bak)$/i;
const LARGE = 16 * 1024 * 1024;

interface GitignoreFile {
  /** Directory it sits in, relative ('' for the root). */
  base: string;
  file: string;
  lines: string[];
}

/** The .gitignore line (last one wins, as in git) that ignores `rel`, as `file:line`, or undefined. */
function gitignoreMatch(rules: GitignoreFile[], rel: string, dir: boolean): string | undefined {
  let hit: string | undefined;
  for (const g of rules) {
    if (g.base && !rel.startsWith(`${g.base}/`)) continue;
    const sub = (g.base ? rel.slice(g.base.length + 1) : rel) + (dir ? '/' : '');
    g.lines.forEach((line, i) => {
      const t = line.trim();
      if (!t || t.startsWith('#')) return;
      const negated = t.startsWith('!');
      const test = ignore().add(negated ? t.slice(1) : t);
      if (test.ignores(sub)) hit = negated ? undefined : `${g.file}:${i + 1}`;
    });
  }
  return hit;
}

/**
 * Without git: what the project's .gitignore files ignore (git's rules, by the `ignore` package),
 * then local databases, dumps and very large files, found by extension and size.
 */
export function heuristicIgnoredPaths(root: string): IgnoredPath[] {
  const out: IgnoredPath[] = [];
  const rules: GitignoreFile[] = [];
  const walk = (rel: string, depth: number) => {
    const here = readText(join(root, rel, '.gitignore'));
    if (here !== undefined)
      rules.push({ base: rel, file: rel ? `${rel}/.gitignore` : '.gitignore', lines: here.split('\n') });
    for (const name of listDir(join(root, rel))) {
      if (out.length >= MAX_IGNORED) return;
      const r = rel ? `${rel}/${name}` : name;
      const abs = join(root, r);
      const dir = isDir(abs);
      if (alreadyDenied(dir ? `${r}/` : r)) continue;
      const by = gitignoreMatch(rules, r, dir);
      if (by) {
        out.push({ path: dir ? `${r}/` : r, bytes: sizeOf(abs), evidence: `no git: ${by}` });
        continue;
      }
      if (dir) {
        if (!SKIP_DIRS.has(name) && !name.startsWith('.') && depth < 8) walk(r, depth + 1);
        continue;
      }
      const bytes = sizeOf(abs);
      if (DATA_EXT.test(name)) out.push({ path: r, bytes, evidence: 'no git: a database or dump file, by extension' });
      else if (bytes >= LARGE && !name.endsWith('.py'))
        out.push({ path: r, bytes, evidence: `no git: ${Math.round(bytes / 1048576)} MB` });
    }
  };
  walk('', 0);
  return out;
}

/** The paths the build context should leave out: git's ignored ones, else found by extension and size. */
export function ignoredPaths(root: string): IgnoredPath[] {
  return gitIgnoredPaths(root) ?? heuristicIgnoredPaths(root);
}

/** A path as a .dockerignore line that matches only it (glob characters escaped, anchored at the root). */
export function dockerignoreLine(path: string): string {
  return path.replace(/\/$/, '').replace(/([*?[\]\\])/g, '\\$1');
}
