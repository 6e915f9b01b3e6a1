/**
 * .dockerignore matching with Docker's semantics (moby's patternmatcher): patterns are cleaned
 * paths relative to the context root, `*` and `?` do not cross `/`, `**` spans directories,
 * `!` re-includes, the last matching pattern wins, and a pattern that matches a directory
 * matches everything below it.
 */
import { posix } from 'node:path';

export interface IgnorePattern {
  /** Pattern as written (without `!`). */
  text: string;
  exclusion: boolean;
  regex: RegExp;
}

/** Reads the lines of a .dockerignore file into patterns (comments and blanks dropped). */
export function parseDockerignore(content: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (let line of content.split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    line = line.trim();
    if (!line) continue;
    let exclusion = false;
    if (line.startsWith('!')) {
      exclusion = true;
      line = line.slice(1).trim();
    }
    let cleaned = posix.normalize(line.replace(/\\(?=[^*?[\\])/g, '/'));
    cleaned = cleaned.replace(/^\/+/, '').replace(/\/+$/, '');
    if (cleaned === '' || cleaned === '.') cleaned = '.';
    out.push({ text: cleaned, exclusion, regex: toRegex(cleaned) });
  }
  return out;
}

function toRegex(pattern: string): RegExp {
  if (pattern === '.') return /^.*$/;
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        let cls = pattern.slice(i + 1, close);
        if (cls.startsWith('^') || cls.startsWith('!')) cls = `^${cls.slice(1)}`;
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < pattern.length) {
      i++;
      re += escapeRe(pattern[i]);
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(`${re}$`);
  } catch {
    // Docker rejects such a pattern (e.g. `[b-a]`) with a syntax error; it matches nothing here.
    return /(?!)/;
  }
}

function escapeRe(c: string): string {
  return /[.+^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}

/** True when `path` (relative, `/`-separated) is excluded from the build context. */
export function isIgnored(patterns: IgnorePattern[], path: string): boolean {
  const clean = posix
    .normalize(path)
    .replace(/^\.\/+/, '')
    .replace(/\/+$/, '');
  if (clean === '' || clean === '.') return false;
  // Candidates: the path and each of its parent directories.
  const parents: string[] = [];
  const parts = clean.split('/');
  for (let i = 1; i < parts.length; i++) parents.push(parts.slice(0, i).join('/'));
  let ignored = false;
  for (const p of patterns) {
    let match = p.regex.test(clean);
    if (!match) for (const parent of parents) if (p.regex.test(parent)) match = true;
    if (match) ignored = !p.exclusion;
  }
  return ignored;
}

/** True when some exclusion (`!`) pattern could re-include something under `dir`. */
export function mayReinclude(patterns: IgnorePattern[], dir: string): boolean {
  return patterns.some((p) => p.exclusion && (p.text.startsWith(`${dir}/`) || p.text.includes('*')));
}
