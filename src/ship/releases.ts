/**
 * Reading `ship`'s state back from the registry: the app releases of REPO and the bases of
 * REPO-base, told apart from anything else in the repository by the kind annotation, and moving a
 * tag onto an existing manifest. The registry is the only state (see types.ts).
 */
import { ImageError } from '../image/errors.js';
import type { RegistryClient } from '../registry/client.js';
import { listTags, putManifest, sha256 } from '../registry/write.js';
import { ANNOTATIONS, type BaseImage, type Release } from './types.js';

/** Manifest GETs in flight at once: enough to hide latency, few enough not to trip rate limits. */
const PARALLEL = 8;

/** The first 12 hex digits of a digest, as messages show it. */
export const shortDigest = (digest: string): string => digest.replace(/^sha256:/, '').slice(0, 12);

/** REPO -> REPO-base (the base's repository). */
export function baseRepoOf(repo: string): string {
  return `${repo}-base`;
}

/** One manifest of a repository, with every tag naming it and its annotations. */
export interface TaggedManifest {
  digest: string;
  tags: string[];
  annotations: Record<string, string>;
}

/** Runs `fn` over `items` with at most `limit` calls pending; results in the order of `items`. */
async function mapBounded<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    // After a failure the other workers stop taking items: the caller has its error already.
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i]);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Every tagged manifest of `repo`, grouped by digest (tags merged, sorted). A manifest the client
 * cannot read as one (a schema-1 manifest, a body that is not JSON) is skipped: it cannot be a ship
 * image, and a repository may hold anything besides ship's images. So is a tag gone by the time
 * its manifest is read.
 */
export async function listTaggedManifests(c: RegistryClient, repo: string): Promise<TaggedManifest[]> {
  // Asked with push: a registry may answer 401 instead of 404 for a repository that does not exist
  // yet (a -base repository before the first ship); a token service grants what the user may.
  const tags = await listTags(c, repo, { forPush: true });
  const read = await mapBounded(tags, PARALLEL, async (tag) => {
    let m: Awaited<ReturnType<RegistryClient['getManifest']>>;
    try {
      m = await c.getManifest(repo, tag);
    } catch (e) {
      // Only "not a manifest we read" and a tag deleted since the listing (a concurrent gc or
      // rollback); network and auth errors must surface.
      if (
        e instanceof ImageError &&
        /schema 1 manifests are not supported|not valid JSON|not found \(404\)/.test(e.message)
      )
        return null;
      throw e;
    }
    const j = JSON.parse(m.bytes.toString()) as { annotations?: unknown };
    const annotations = isStringMap(j.annotations) ? j.annotations : {};
    return { tag, digest: m.digest ?? sha256(m.bytes), annotations };
  });
  const byDigest = new Map<string, TaggedManifest>();
  for (const r of read) {
    if (!r) continue;
    const had = byDigest.get(r.digest);
    if (had) had.tags.push(r.tag);
    else byDigest.set(r.digest, { digest: r.digest, tags: [r.tag], annotations: r.annotations });
  }
  for (const m of byDigest.values()) m.tags.sort();
  return [...byDigest.values()];
}

function isStringMap(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Milliseconds of an ISO time; an unreadable one sorts as the oldest. */
function timeOf(created: string): number {
  const t = Date.parse(created);
  return Number.isFinite(t) ? t : -Infinity;
}

/** Newest first; equal times by digest so the order never depends on the registry's tag order. */
function newestFirst<T extends { created: string; digest: string }>(items: T[]): T[] {
  return items.sort((a, b) => timeOf(b.created) - timeOf(a.created) || a.digest.localeCompare(b.digest));
}

const opt = (a: Record<string, string>, key: string) => (typeof a[key] === 'string' ? a[key] : undefined);

/**
 * App releases in repo: every tag's manifest (GET, parallel, bounded 8) whose annotations say kind
 * 'app', grouped by digest (tags merged), newest first by the created annotation. Tags that are not
 * ship images are ignored.
 */
export async function listReleases(c: RegistryClient, repo: string): Promise<Release[]> {
  const all = await listTaggedManifests(c, repo);
  const releases: Release[] = [];
  for (const m of all) {
    const a = m.annotations;
    if (a[ANNOTATIONS.kind] !== 'app') continue;
    const r: Release = { digest: m.digest, tags: m.tags, created: opt(a, ANNOTATIONS.created) ?? '' };
    const fields = {
      revision: ANNOTATIONS.revision,
      version: ANNOTATIONS.version,
      baseName: ANNOTATIONS.baseName,
      baseDigest: ANNOTATIONS.baseDigest,
      fingerprint: ANNOTATIONS.fingerprint,
    } as const;
    for (const [field, key] of Object.entries(fields) as [keyof typeof fields, string][]) {
      const v = opt(a, key);
      if (v !== undefined) r[field] = v;
    }
    releases.push(r);
  }
  return newestFirst(releases);
}

/** Base images in baseRepo (kind 'base'), the newest push first. */
export async function listBases(c: RegistryClient, baseRepo: string): Promise<BaseImage[]> {
  const all = await listTaggedManifests(c, baseRepo);
  const bases: BaseImage[] = [];
  for (const m of all) {
    const a = m.annotations;
    if (a[ANNOTATIONS.kind] !== 'base') continue;
    const b: BaseImage = { digest: m.digest, tags: m.tags, created: opt(a, ANNOTATIONS.created) ?? '' };
    const fp = opt(a, ANNOTATIONS.fingerprint);
    if (fp !== undefined) b.fingerprint = fp;
    const pushed = opt(a, ANNOTATIONS.pushed);
    if (pushed !== undefined) b.pushed = pushed;
    bases.push(b);
  }
  // By push time: a base's created is its lock's commit time, which several bases can share.
  const at = (b: BaseImage) => timeOf(b.pushed ?? b.created);
  return bases.sort((x, y) => at(y) - at(x) || x.digest.localeCompare(y.digest));
}

/** Points `tag` at the manifest `digest` (GET its bytes, PUT them under the tag: no pull, no rebuild). */
export async function retag(c: RegistryClient, repo: string, digest: string, tag: string): Promise<void> {
  const m = await c.getManifest(repo, digest);
  // The PUT must carry the very bytes, or the tag would name a new digest, not the release.
  if (sha256(m.bytes) !== digest) c.fail(`manifest ${repo}@${digest.slice(0, 19)}: the registry sent other bytes`);
  await putManifest(c, repo, tag, m.bytes, m.mediaType);
}
