/** Loads the build context of a Dockerfile from disk: its directory, ignore file and files. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BuildContext } from './context.js';
import { isIgnored, mayReinclude, parseDockerignore, type IgnorePattern } from './dockerignore.js';

/** Stop listing past this many files: a context this big is itself a finding, not a thing to walk. */
const MAX_FILES = 50_000;

/**
 * The context for `dockerfilePath`, rooted at `contextDir` (default: the Dockerfile's directory,
 * as `docker build -f X .` run there). BuildKit prefers `<Dockerfile>.dockerignore` beside the
 * Dockerfile over the context's `.dockerignore`.
 */
export function loadContext(dockerfilePath: string | undefined, contextDir?: string): BuildContext {
  if (!dockerfilePath && !contextDir) return emptyContext();
  const dir = resolve(contextDir ?? dirname(dockerfilePath as string));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return emptyContext();
  const candidates = [
    ...(dockerfilePath ? [join(dirname(resolve(dockerfilePath)), `${basename(dockerfilePath)}.dockerignore`)] : []),
    join(dir, '.dockerignore'),
  ];
  const ignoreFile = candidates.find((c) => existsSync(c));
  // Dockerfiles of one directory share their context: list it once per process.
  const key = `${dir}\0${ignoreFile ?? ''}\0${stamp(ignoreFile)}\0${stamp(dir)}`;
  const cached = contexts.get(key);
  if (cached) return cached;
  const patterns = ignoreFile ? safeRead(ignoreFile) : [];
  let listed: string[] | undefined;
  const ignored = new Map<string, boolean>();
  const context: BuildContext = {
    dir,
    exists: true,
    ignoreFile,
    ignorePatterns: patterns.map((p) => (p.exclusion ? `!${p.text}` : p.text)),
    isIgnored: (path) => {
      let hit = ignored.get(path);
      if (hit === undefined) {
        hit = isIgnored(patterns, path);
        ignored.set(path, hit);
      }
      return hit;
    },
    files: () => {
      listed ??= listFiles(dir, patterns);
      return listed;
    },
  };
  contexts.set(key, context);
  return context;
}

const contexts = new Map<string, BuildContext>();

/** Changes when the file or directory does, so a long-lived process does not see stale contexts. */
function stamp(path: string | undefined): string {
  if (!path) return '';
  try {
    const st = statSync(path);
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return '';
  }
}

/** A context made from in-memory data, for tests and for stdin input with `--context`. */
export function contextFromPatterns(
  dockerignore: string | undefined,
  files: string[] = [],
  dir = '/context',
): BuildContext {
  const patterns = dockerignore === undefined ? [] : parseDockerignore(dockerignore);
  return {
    dir,
    exists: true,
    ignoreFile: dockerignore === undefined ? undefined : `${dir}/.dockerignore`,
    ignorePatterns: patterns.map((p) => (p.exclusion ? `!${p.text}` : p.text)),
    isIgnored: (path) => isIgnored(patterns, path),
    files: () => files.filter((f) => !isIgnored(patterns, f)),
  };
}

export function emptyContext(): BuildContext {
  return { dir: '', exists: false, ignorePatterns: [], isIgnored: () => false, files: () => [] };
}

function safeRead(path: string): IgnorePattern[] {
  try {
    return parseDockerignore(readFileSync(path, 'utf8'));
  } catch {
    return [];
  }
}

function listFiles(root: string, patterns: IgnorePattern[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    if (out.length >= MAX_FILES) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(rel ? join(root, rel) : root, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      const ignored = isIgnored(patterns, path);
      if (e.isDirectory()) {
        if (!ignored || mayReinclude(patterns, path)) walk(path);
      } else if (!ignored) out.push(path);
      if (out.length >= MAX_FILES) return;
    }
  };
  walk('');
  return out;
}
