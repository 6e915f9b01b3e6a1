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
  const patterns = ignoreFile ? safeRead(ignoreFile) : [];
  let listed: string[] | undefined;
  return {
    dir,
    exists: true,
    ignoreFile,
    ignorePatterns: patterns.map((p) => (p.exclusion ? `!${p.text}` : p.text)),
    isIgnored: (path) => isIgnored(patterns, path),
    files: () => {
      listed ??= listFiles(dir, patterns);
      return listed;
    },
  };
}

/** A context made from in-memory data, for tests and for stdin input with `--context`. */
export function contextFromPatterns(dockerignore: string | undefined, files: string[] = [], dir = '/context'): BuildContext {
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
