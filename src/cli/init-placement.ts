/**
 * Where init's files go: the Dockerfile, .dockerignore and compose file in the build context,
 * the CI workflow at the repository's top level (where GitHub reads it), and the compose file
 * under a name of its own when the project already has one (Compose would otherwise pick one of
 * the two and run a different stack).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { COMPOSE_FILES } from '../project/files.js';

/** The name init writes its compose file under when the project has one of its own. */
export const OWN_COMPOSE_NAME = 'compose.layerwise.yaml';

/**
 * The repository's top level: `git rev-parse --show-toplevel`, else the nearest directory above
 * with a .git entry (no git installed), else undefined (not in a repository).
 */
export function gitTopLevel(dir: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0 && r.stdout.trim()) return realpathSync(r.stdout.trim());
  if (r.error === undefined) return undefined; // git ran and said: not a repository
  let cur = dir;
  for (;;) {
    if (existsSync(join(cur, '.git'))) return realpathSync(cur);
    const up = dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

export interface RepoPlacement {
  /** Absolute directory repository-level files (the workflow) are written under. */
  top: string;
  /** The build context relative to top (posix), '' when it is the top. */
  contextDir: string;
  /** top is a git repository's top level (else: the output directory, no repository found). */
  git: boolean;
}

/** Where the workflow goes for a build context at outDir: the git top level, or outDir itself. */
export function repoPlacement(outDir: string): RepoPlacement {
  const real = existsSync(outDir) ? realpathSync(outDir) : outDir;
  const top = gitTopLevel(existsSync(outDir) ? outDir : dirname(outDir));
  if (!top) return { top: outDir, contextDir: '', git: false };
  const r = relative(top, real);
  if (r.startsWith('..') || isAbsolute(r)) return { top: outDir, contextDir: '', git: false };
  return { top, contextDir: r.split(sep).join('/'), git: true };
}

/** A compose file init wrote itself (its header says so), which it may rewrite under the same name. */
export function isInitCompose(text: string): boolean {
  return /^# (Written by `layerwise init|The Dockerfile here is your own \(init kept it\))/.test(text);
}

export interface ComposePlacement {
  /** The file name init writes. */
  path: string;
  /** The project's own compose file beside it, when there is one. */
  projectFile?: string;
  /** Service names the project's file already has (init's service must not merge into one). */
  taken: string[];
}

/** Which name init's compose file takes in outDir. */
export function composePlacement(outDir: string): ComposePlacement {
  for (const name of COMPOSE_FILES) {
    const path = join(outDir, name);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    if (isInitCompose(text)) continue;
    let taken: string[] = [];
    try {
      const doc = parseYaml(text) as { services?: Record<string, unknown> } | null;
      taken = Object.keys(doc?.services ?? {});
    } catch {
      // Not YAML Compose can read either; the name is all that matters here.
    }
    return { path: OWN_COMPOSE_NAME, projectFile: name, taken };
  }
  return { path: 'compose.yaml', taken: [] };
}
