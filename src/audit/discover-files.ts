/**
 * One walk of the repository that collects the files discovery reads: Dockerfiles, compose
 * files and bake files. Skips what is not the project's own (VCS data, installed packages,
 * virtualenvs, caches, build output, anything a .gitignore on the way ignores) and does not
 * follow directory symlinks, so a vendored tree or a link loop cannot make it slow or wrong.
 */
import { readFileSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isDockerfileName } from '../cli/inputs.js';
import { BAKE_NAME } from './discover-bake.js';
import { COMPOSE_NAME } from './discover-compose.js';

/** Directory names never searched: their Dockerfiles are someone else's or generated. */
export const SKIP_DIRS = new Set([
  '.git',
  '.hg',
  '.svn',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  'site-packages',
  'dist',
  'build',
]);

/** Directory entries visited before the walk stops (with a warning): bounds the time on huge trees. */
export const MAX_ENTRIES = 200_000;

export interface FoundFiles {
  dockerfiles: string[];
  compose: string[];
  bake: string[];
  warnings: string[];
}

/** Walks `root` and returns absolute paths of the files discovery reads, each list sorted. */
export function findBuildFiles(root: string): FoundFiles {
  const found: FoundFiles = { dockerfiles: [], compose: [], bake: [], warnings: [] };
  let visited = 0;
  let stopped = false;
  const visit = (dir: string, rules: { base: string; ig: Ignore }[]) => {
    if (stopped) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // A virtualenv under any name holds installed packages, not the project.
    if (dir !== root && entries.some((e) => e.name === 'pyvenv.cfg' && e.isFile())) return;
    const gi = entries.some((e) => e.name === '.gitignore' && e.isFile()) ? loadGitignore(dir) : undefined;
    const active = gi ? [...rules, { base: dir, ig: gi }] : rules;
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (++visited > MAX_ENTRIES) {
        stopped = true;
        found.warnings.push(
          `${relative(root, dir) || '.'}: stopped searching after ${MAX_ENTRIES} entries; pass the Dockerfiles to audit explicitly`,
        );
        return;
      }
      const full = join(dir, e.name);
      const isDir = e.isDirectory();
      if (isDir && SKIP_DIRS.has(e.name)) continue;
      if (ignored(active, full, isDir)) continue;
      if (isDir) visit(full, active);
      else if (e.isFile() || (e.isSymbolicLink() && isFile(full))) {
        if (isDockerfileName(e.name)) found.dockerfiles.push(full);
        else if (COMPOSE_NAME.test(e.name)) found.compose.push(full);
        else if (BAKE_NAME.test(e.name)) found.bake.push(full);
      }
    }
  };
  visit(root, []);
  for (const k of ['dockerfiles', 'compose', 'bake'] as const) found[k].sort();
  return found;
}

/** True when `p` (followed through symlinks) is a regular file. */
function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function loadGitignore(dir: string): Ignore | undefined {
  try {
    return ignore().add(readFileSync(join(dir, '.gitignore'), 'utf8'));
  } catch {
    return undefined;
  }
}

function ignored(rules: { base: string; ig: Ignore }[], full: string, isDir: boolean): boolean {
  for (const { base, ig } of rules) {
    const rel = relative(base, full).split(sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    try {
      if (ig.ignores(isDir ? `${rel}/` : rel)) return true;
    } catch {
      // `ignore` rejects a few odd names (e.g. `...`); such a file is simply not ignored.
    }
  }
  return false;
}
