/**
 * What git says about the project for a release: the commit (default tag), whether the tree is
 * clean, the version of a clean tagged tree, and the lock's last commit time (SOURCE_DATE_EPOCH for
 * the base, so the same lock gives the same timestamps whatever day it is rebuilt).
 */
import { execFileSync } from 'node:child_process';

function git(dir: string, args: string[]): string | null {
  try {
    return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export interface GitFacts {
  /** Full commit id of HEAD, or null outside a repository (or with no commit yet). */
  commit: string | null;
  /** The tree has changes git would commit (tracked or untracked, ignored files aside). */
  dirty: boolean;
  /** `v1.2.3` -> `1.2.3` when HEAD carries a tag and the tree is clean. */
  version: string | null;
}

export function gitFacts(dir: string): GitFacts {
  const commit = git(dir, ['rev-parse', '--verify', '-q', 'HEAD']);
  if (!commit) return { commit: null, dirty: false, version: null };
  // Only the project's own directory counts (other members of a monorepo may be mid-edit), and
  // not layerwise's own output (.layerwise/: ship plan's deploy files, bench's history).
  const status = git(dir, ['status', '--porcelain', '--', '.', ':(exclude).layerwise']);
  const dirty = !!status;
  const tag = dirty ? null : git(dir, ['describe', '--exact-match', '--tags', 'HEAD']);
  return { commit, dirty, version: tag ? tag.replace(/^v(?=\d)/, '') : null };
}

/** An image tag as registries take it: a word character, then up to 127 of `\w . -`. */
export const isTag = (t: string): boolean => /^[\w][\w.-]{0,127}$/.test(t);

/** The release tags ship pushes when `--tag` is not given: the commit (12 digits, `-dirty` on a changed tree) and the version. */
export function defaultTags(g: GitFacts): string[] {
  if (!g.commit) return [];
  const tags = [`${g.commit.slice(0, 12)}${g.dirty ? '-dirty' : ''}`];
  if (g.version && isTag(g.version)) tags.push(g.version);
  return tags;
}

/** Seconds since the epoch of the last commit touching `file` (relative to dir), or null when git has none. */
export function lastCommitTime(dir: string, file: string): number | null {
  const t = git(dir, ['log', '-1', '--format=%ct', '--', file]);
  return t && /^\d+$/.test(t) ? Number(t) : null;
}
