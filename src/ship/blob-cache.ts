/**
 * What layerwise compressed before: diffID -> the gzip blob it made ({digest, size}), one small
 * JSON file per diffID under <cache root>/blobs (the cache root of src/image/analyze/cache.ts).
 * Only an index, never the bytes: a re-push of a known layer HEADs the registry by the recorded
 * digest and needs no compression when the registry has it. An entry is a hint, never trusted:
 * a blob the registry lacks is compressed again. LAYERWISE_CACHE=off turns it off; any failure
 * reading or writing it is ignored (the push just compresses).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDisabled, cacheRoot } from '../image/analyze/cache.js';
import { isDigest } from '../image/digest.js';

export interface CachedBlob {
  digest: string;
  size: number;
}

export class BlobIndex {
  private readonly dir: string | null;
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.dir = cacheDisabled(env) ? null : join(cacheRoot(env), 'blobs');
  }

  private file(diffId: string): string | null {
    if (!this.dir || !isDigest(diffId)) return null;
    return join(this.dir, `${diffId.replace(':', '-')}.json`);
  }

  /** The blob recorded for a diffID, or null. */
  async get(diffId: string): Promise<CachedBlob | null> {
    const f = this.file(diffId);
    if (!f) return null;
    try {
      const j = JSON.parse(await readFile(f, 'utf8')) as Partial<CachedBlob>;
      return isDigest(j.digest) && Number.isSafeInteger(j.size) ? { digest: j.digest, size: j.size! } : null;
    } catch {
      return null;
    }
  }

  /** Records a blob made from a diffID (written under a temporary name, then renamed). */
  async set(diffId: string, blob: CachedBlob): Promise<void> {
    const f = this.file(diffId);
    if (!f) return;
    try {
      await mkdir(this.dir!, { recursive: true });
      const tmp = `${f}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ digest: blob.digest, size: blob.size, node: process.versions.node }));
      await rename(tmp, f);
    } catch {
      /* a cache that cannot be written only costs a compression next time */
    }
  }
}
