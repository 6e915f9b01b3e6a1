/**
 * `ship gc`: deletes old app releases and the bases no kept release is built on. Only manifests
 * whose annotations say they are ship's (kind app or base) are ever candidates; everything else in
 * the repositories is left alone. Deletion is by digest, which drops every tag naming the manifest.
 */
import { UserError } from '../errors.js';
import { ImageError } from '../image/errors.js';
import type { RegistryClient } from '../registry/client.js';
import { deleteManifest } from '../registry/write.js';
import { baseRepoOf, listBases, listReleases, shortDigest } from './releases.js';
import { DEFAULT_DEPLOY_TAG } from './rollback.js';

export interface GcResult {
  kept: { repo: string; digest: string; tags: string[]; why: string }[];
  deleted: { repo: string; digest: string; tags: string[] }[];
  dryRun: boolean;
}

/** Adds a reason to keep `digest` (a manifest can be kept for several). */
function keep(why: Map<string, string[]>, digest: string, reason: string): void {
  const list = why.get(digest);
  if (list) list.push(reason);
  else why.set(digest, [reason]);
}

const RECENT_MS = 3_600_000;

/**
 * Keeps the newest `keep` releases, any release a kept tag names (deployTag, and opts.protect
 * tags), and every base a kept release names (baseDigest annotation) plus the newest base and any
 * base pushed in the last hour (a ship may be building on it); deletes
 * the other app releases and bases by digest (DELETE manifests/<digest>). Never deletes a non-ship
 * manifest. When a DELETE fails (a registry that refuses deletion answers 405) the error is one
 * line that says what had been deleted before it.
 */
export async function gc(
  c: RegistryClient,
  repo: string,
  opts: { keep: number; deployTag?: string; protect?: string[]; dryRun?: boolean },
): Promise<GcResult> {
  if (!Number.isInteger(opts.keep) || opts.keep < 1)
    throw new UserError(`--keep ${opts.keep}: expected a whole number of releases, at least 1`);
  const deployTag = opts.deployTag ?? DEFAULT_DEPLOY_TAG;
  const baseRepo = baseRepoOf(repo);
  const [releases, bases] = await Promise.all([listReleases(c, repo), listBases(c, baseRepo)]);

  const why = new Map<string, string[]>();
  releases.slice(0, opts.keep).forEach((r, i) => keep(why, r.digest, `newest ${i + 1} of ${opts.keep}`));
  const named = (tag: string) => releases.find((r) => r.tags.includes(tag));
  const live = named(deployTag);
  if (live) keep(why, live.digest, `deploy tag ${deployTag}`);
  for (const tag of opts.protect ?? []) {
    const r = named(tag);
    // A mistyped protected tag would silently protect nothing: refuse instead.
    if (!r) throw new UserError(`--protect ${tag}: no release in ${repo} has that tag; check the name`);
    keep(why, r.digest, `protected tag ${tag}`);
  }
  const keptReleases = releases.filter((r) => why.has(r.digest));

  const baseWhy = new Map<string, string[]>();
  if (bases[0]) keep(baseWhy, bases[0].digest, 'newest base');
  // A ship builds its app for a minute or more after pushing the base: a base that young may be the
  // base of a release about to be pushed.
  const recent = Date.now() - RECENT_MS;
  for (const b of bases)
    if (b.pushed && Date.parse(b.pushed) > recent) keep(baseWhy, b.digest, 'pushed in the last hour');
  for (const r of keptReleases)
    if (r.baseDigest && bases.some((b) => b.digest === r.baseDigest))
      keep(baseWhy, r.baseDigest, `base of kept release ${shortDigest(r.digest)}`);

  const result: GcResult = { kept: [], deleted: [], dryRun: !!opts.dryRun };
  for (const [list, reasons, where] of [
    [releases, why, repo],
    [bases, baseWhy, baseRepo],
  ] as const) {
    for (const m of list) {
      const r = reasons.get(m.digest);
      if (r) result.kept.push({ repo: where, digest: m.digest, tags: m.tags, why: r.join('; ') });
      else result.deleted.push({ repo: where, digest: m.digest, tags: m.tags });
    }
  }
  if (opts.dryRun) return result;

  // Releases go first: if a DELETE fails midway, no kept-or-remaining release has lost its base.
  const done: GcResult['deleted'] = [];
  for (const d of result.deleted) {
    try {
      await deleteManifest(c, d.repo, d.digest);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      const before = done.length
        ? `deleted before it: ${done.map((x) => `${x.repo}@${shortDigest(x.digest)}`).join(', ')}`
        : 'nothing was deleted';
      const Err = e instanceof ImageError ? ImageError : UserError;
      throw new Err(`${e.message}; ${before}`);
    }
    done.push(d);
  }
  return result;
}
