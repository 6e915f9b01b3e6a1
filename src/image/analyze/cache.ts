/**
 * Per-layer analysis results on disk, keyed by the layer's blob digest and diffID, so that
 * inspecting or diffing an image again skips decompressing and parsing layers seen before.
 *
 * - Where: $LAYERWISE_CACHE_DIR, else $XDG_CACHE_HOME/layerwise, else ~/.cache/layerwise;
 *   `layers/<version key>/`. LAYERWISE_CACHE=off (or `--no-cache`) turns it off.
 * - Version key: a hash of layerwise's version and of the code that produces the results (this
 *   module, the layer analyser, the secret patterns, the tar reader), so a changed analyser never
 *   reads old results; directories of other keys are removed when a result is written.
 * - Trust: a layer from a registry is identified by its digest and is not downloaded again. A
 *   layer read from a local file (OCI layout, archive, engine) must still hash to its digest (one
 *   pass, no decompression, no parsing), so a corrupt or altered file fails as it would without
 *   the cache; unless that very file (path, device, inode, size, mtime, ctime: the source's
 *   `blobIdentity`) was hashed before, as git's index trusts unchanged files.
 * - Entries are gzip'd JSON with files as tuples; written to a temporary name and renamed, so
 *   concurrent runs never see half an entry. Any cache failure falls back to analysing the layer.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { Hasher, parseDigest } from '../digest.js';
import { ImageError } from '../errors.js';
import { layerWhat } from '../layer-stream.js';
import type { Image, Layer } from '../model.js';
import type { EntryType } from '../tar.js';
import { VERSION } from '../../version.js';
import { type AnalyzeOptions, analyzeLayer, type FileRecord, type LayerAnalysis } from './layer.js';
import type { LayerPrefetch } from './prefetch.js';

const gzipP = promisify(gzip);
const gunzipP = promisify(gunzip);

/** Bump when the entry format changes. */
const FORMAT = 1;

function versionKey(): string {
  const h = createHash('sha256').update(`format ${FORMAT}\nversion ${VERSION}\n`);
  const here = dirname(fileURLToPath(import.meta.url));
  // In dist/src the analyser is these modules. In the bundle (dist/bundle) it is spread over
  // chunks beside this one, under hashed names, so every chunk counts: paths written for dist/src
  // would all be missing there, and an upgraded or rebuilt bundle would read old results.
  const files = existsSync(join(here, 'cache.js'))
    ? [
        join(here, 'cache.js'),
        join(here, 'layer.js'),
        join(here, 'secrets.js'),
        join(here, '..', 'tar.js'),
        join(here, '..', 'layer-stream.js'),
      ]
    : readdirSync(here)
        .filter((f) => f.endsWith('.js'))
        .sort()
        .map((f) => join(here, f));
  for (const f of files) {
    try {
      h.update(readFileSync(f));
    } catch {
      h.update(`missing ${f}`);
    }
  }
  return h.digest('hex').slice(0, 16);
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LAYERWISE_CACHE_DIR) return env.LAYERWISE_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'layerwise');
}

type Tuple = [string, EntryType, number, number, number, number, number, string?, string?];

function encode(a: LayerAnalysis): Buffer {
  const files: Tuple[] = a.files.map((f) => {
    const t: Tuple = [f.path, f.type, f.size, f.mode, f.uid, f.gid, f.mtime];
    if (f.linkname !== undefined || f.hash !== undefined) t.push(f.linkname ?? '');
    if (f.hash !== undefined) t.push(f.hash);
    return t;
  });
  return Buffer.from(JSON.stringify({ ...a, files }));
}

function decode(buf: Buffer): LayerAnalysis {
  const o = JSON.parse(buf.toString('utf8')) as Omit<LayerAnalysis, 'files'> & { files: Tuple[] };
  const files: FileRecord[] = o.files.map((t) => {
    const f: FileRecord = { path: t[0], type: t[1], size: t[2], mode: t[3], uid: t[4], gid: t[5], mtime: t[6] };
    if (t[7] || t[1] === 'symlink' || t[1] === 'hardlink') f.linkname = t[7] ?? '';
    if (t[8]) f.hash = t[8];
    return f;
  });
  return { ...o, files };
}

export class LayerCache {
  readonly dir: string;
  private pruned = false;

  constructor(root = cacheRoot()) {
    this.dir = join(root, 'layers', versionKey());
  }

  private file(layer: Pick<Layer, 'digest' | 'diffId'>, hashed: boolean): string {
    const k = createHash('sha256')
      .update(`${layer.digest}\n${layer.diffId}\n${hashed ? 'h' : ''}`)
      .digest('hex');
    return join(this.dir, k.slice(0, 2), `${k}.json.gz`);
  }

  /** A stored result, or null. A result with file hashes also answers a request without them. */
  async get(layer: Layer, hashFiles: boolean): Promise<LayerAnalysis | null> {
    for (const hashed of hashFiles ? [true] : [false, true]) {
      try {
        const a = decode(await gunzipP(await readFile(this.file(layer, hashed))));
        if (a.digest !== layer.digest || a.diffId !== layer.diffId) continue;
        for (const s of a.secrets) s.layerIndex = layer.index;
        return a;
      } catch {
        /* missing or unreadable: analyse */
      }
    }
    return null;
  }

  async put(layer: Layer, hashFiles: boolean, a: LayerAnalysis): Promise<void> {
    const f = this.file(layer, hashFiles);
    try {
      await mkdir(dirname(f), { recursive: true });
      const tmp = `${f}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(tmp, await gzipP(encode(a), { level: 1 }), { mode: 0o600 });
      await rename(tmp, f);
      await this.prune();
    } catch {
      /* a cache that cannot be written is no cache */
    }
  }

  private trustFile(identity: string): string {
    return join(this.dir, 'verified', createHash('sha256').update(identity).digest('hex').slice(0, 40));
  }

  /** Whether a local blob with this identity was hashed to `digest` before (and has not changed since). */
  async trusted(identity: string, digest: string): Promise<boolean> {
    try {
      return (await readFile(this.trustFile(identity), 'utf8')) === digest;
    } catch {
      return false;
    }
  }

  async trust(identity: string, digest: string): Promise<void> {
    const f = this.trustFile(identity);
    try {
      await mkdir(dirname(f), { recursive: true });
      const tmp = `${f}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(tmp, digest, { mode: 0o600 });
      await rename(tmp, f);
    } catch {
      /* next time it is hashed again */
    }
  }

  /** Removes results of other versions of layerwise. */
  private async prune(): Promise<void> {
    if (this.pruned) return;
    this.pruned = true;
    const parent = dirname(this.dir);
    const mine = this.dir.slice(parent.length + 1);
    for (const d of await readdir(parent).catch(() => [] as string[]))
      if (d !== mine && /^[0-9a-f]{16}$/.test(d)) await rm(join(parent, d), { recursive: true, force: true });
  }
}

/**
 * Before a cached result stands for a layer read from a local file, the file must still hash to
 * the layer's digest (one pass, no decompression). Registry blobs are addressed by digest.
 */
export async function verifyLocalBlob(image: Image, layer: Layer): Promise<void> {
  if (image.kind === 'registry') return;
  const what = layerWhat(image, layer);
  const blob = await image.source.openBlob({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size });
  const h = new Hasher(parseDigest(layer.digest).algorithm);
  try {
    for await (const c of blob as AsyncIterable<Buffer>) {
      h.update(c);
      if (layer.size >= 0 && h.bytes > layer.size)
        throw new ImageError(`${what}: blob is larger than the ${layer.size} bytes its descriptor declares`);
    }
  } finally {
    blob.destroy();
  }
  if (layer.size >= 0 && h.bytes !== layer.size)
    throw new ImageError(`${what}: blob truncated, ${h.bytes} of ${layer.size} bytes`);
  const got = h.digest();
  if (got !== layer.digest)
    throw new ImageError(`${what}: digest mismatch, expected ${layer.digest}, content is ${got}`);
}

export function cacheDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(0|off|false|no)$/i.test(env.LAYERWISE_CACHE ?? '');
}

/** analyzeLayer through the results of a one-pass source's stream, then the disk cache (when given). */
export async function analyzeLayerCached(
  image: Image,
  layer: Layer,
  opts: AnalyzeOptions & { diskCache?: LayerCache; prefetch?: LayerPrefetch },
): Promise<LayerAnalysis> {
  const pre = opts.prefetch?.take(layer);
  if (pre) return pre;
  const dc = opts.diskCache;
  if (!dc) return analyzeLayer(image, layer, opts);
  const desc = { mediaType: layer.mediaType, digest: layer.digest, size: layer.size };
  const identity = image.source.blobIdentity ? await image.source.blobIdentity(desc).catch(() => null) : null;
  const hit = await dc.get(layer, !!opts.hashFiles);
  if (hit) {
    if (!(identity && (await dc.trusted(identity, layer.digest)))) {
      await verifyLocalBlob(image, layer);
      if (identity) await dc.trust(identity, layer.digest);
    }
    return hit;
  }
  const a = await analyzeLayer(image, layer, opts); // verifies the digest while it streams
  await dc.put(layer, !!opts.hashFiles, a);
  if (identity) await dc.trust(identity, layer.digest);
  return a;
}
