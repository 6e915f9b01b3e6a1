/**
 * `ship rollback`: moves the deploy tag back to an earlier release by re-PUTting that release's
 * manifest under the tag. Nothing is pulled or rebuilt; hosts that deploy by the tag pick it up.
 */
import { UserError } from '../errors.js';
import type { RegistryClient } from '../registry/client.js';
import { listReleases, retag, shortDigest } from './releases.js';
import type { Release } from './types.js';

export interface RollbackResult {
  tag: string;
  /** The release the tag named before (null when it named none), as listed before the move. */
  from: Release | null;
  /** The release the tag names after the move, as listed before the move. */
  to: Release;
}

export const DEFAULT_DEPLOY_TAG = 'live';

/** A release by tag, full digest, or a digest prefix (`sha256:` optional) that names only one. */
function findRelease(releases: Release[], ref: string): Release | undefined {
  const byTag = releases.find((r) => r.tags.includes(ref));
  if (byTag) return byTag;
  const hex = ref.replace(/^sha256:/, '').toLowerCase();
  // Short prefixes are too easy to mistake for tags; 7 hex digits is what people copy.
  if (!/^[0-9a-f]{7,64}$/.test(hex)) return undefined;
  const hits = releases.filter((r) => r.digest.startsWith(`sha256:${hex}`));
  return hits.length === 1 ? hits[0] : undefined;
}

/** How a release is named in messages: its first tag besides the deploy tag, and its digest. */
export function describeRelease(r: Release, deployTag?: string): string {
  const tag = r.tags.find((t) => t !== deployTag);
  return `${tag ? `${tag} ` : ''}(${shortDigest(r.digest)}${r.created ? `, ${r.created}` : ''})`;
}

/**
 * Points deployTag (default 'live') at `to` (a tag or digest of a release) or, without it, at the
 * release before the one deployTag names now. Fails with a one-line UserError when the repository
 * has no releases, when deployTag names no release and no `to` is given, when there is no release
 * before the current one, or when `to` is not a release. With dryRun nothing is written.
 */
export async function rollback(
  c: RegistryClient,
  repo: string,
  opts: { deployTag?: string; to?: string; dryRun?: boolean },
): Promise<RollbackResult> {
  const tag = opts.deployTag ?? DEFAULT_DEPLOY_TAG;
  const releases = await listReleases(c, repo);
  if (releases.length === 0) throw new UserError(`${repo} has no ship releases; run layerwise ship first`);
  const current = releases.find((r) => r.tags.includes(tag)) ?? null;
  let to: Release | undefined;
  if (opts.to !== undefined) {
    to = findRelease(releases, opts.to);
    if (!to)
      throw new UserError(
        `${opts.to} is not a release in ${repo}; give a tag or digest of one (newest: ${releases
          .slice(0, 3)
          .map((r) => describeRelease(r, tag))
          .join(', ')})`,
      );
  } else {
    if (!current) throw new UserError(`${repo}:${tag} names no release; say which one to deploy with --to TAG|DIGEST`);
    to = releases[releases.indexOf(current) + 1];
    if (!to)
      throw new UserError(
        `${repo}:${tag} names the oldest release ${describeRelease(current, tag)}; there is none before it`,
      );
  }
  // Re-PUTting the same bytes would be harmless, but saying "moved" when nothing moved would not.
  if (!opts.dryRun && to !== current) await retag(c, repo, to.digest, tag);
  return { tag, from: current, to };
}

/** One line saying what rollback did, or would do with dryRun. */
export function formatRollback(repo: string, r: RollbackResult, dryRun = false): string {
  const target = describeRelease(r.to, r.tag);
  if (r.from === r.to) return `${repo}:${r.tag} already names ${target}; nothing to do`;
  const from = r.from ? ` from ${describeRelease(r.from, r.tag)}` : '';
  return `${dryRun ? 'would move' : 'moved'} ${repo}:${r.tag}${from} to ${target}`;
}
