/**
 * Pushes an image the Docker engine holds with layerwise's own registry client (not `docker
 * push`): the engine's export (`docker save`, uncompressed layer tars) is read as it streams,
 * each layer the registry lacks is gzip'd deterministically (gzip.ts) and uploaded after a HEAD,
 * the config goes up byte for byte (its digest stays the image ID), and an OCI manifest with the
 * caller's annotations is PUT under each tag.
 *
 * Compression is the cost, so it is avoided whenever the blob can be named without it: layers the
 * caller knows to be in the registry (`reuse`, e.g. the base's layers for an app built FROM it)
 * and layers compressed before (blob-cache.ts) are HEADed, or mounted from `reuseRepo`, by their
 * known digest. The rest is compressed while the export streams, when it can be told which entry
 * is which before its bytes arrive: an OCI-layout export (Docker 25+) names blobs by digest, a
 * classic one by v1 IDs that the directory's json resolves (v1-id.ts). When that fails and only
 * some layers need compressing, the export is hashed once (cheap) to learn which entry is which
 * and read a second time for just those. At most two layers are compressed or uploaded at once,
 * so at most two compressed layers are held in memory.
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { EngineClient } from '../engine/client.js';
import { chainIds } from '../image/digest.js';
import { ImageError } from '../image/errors.js';
import { type BlobHint, MediaTypes, parseJson, readBlob } from '../image/model.js';
import { ArchiveSource } from '../image/sources/archive.js';
import { ExportStore, readExport } from '../image/sources/export-stream.js';
import type { RegistryClient } from '../registry/client.js';
import { type BlobPush, headBlob, headManifest, pushBlob, putManifest, sha256 } from '../registry/write.js';
import { BlobIndex } from './blob-cache.js';
import { type ExportLayer, matchLayers } from './export-layers.js';
import { gzipBuffer, gzipStream, hashStream } from './gzip.js';
import { type BlobDescriptor, ociLayerType, ociManifest, pushedLayers } from './oci-manifest.js';
import type { PushedLayer, PushResult } from './types.js';
import { layerOfV1Entry } from './v1-id.js';

export { pushedLayers };

export interface PushOptions {
  client: RegistryClient;
  /** Repository path in that registry, e.g. team/app (no host). */
  repo: string;
  /** The manifest is PUT under each; [] = only by digest. */
  tags: string[];
  /** OCI manifest annotations. */
  annotations?: Record<string, string>;
  /** Blobs already in the registry, by diffId: used as they are (no recompression), mounted from `reuseRepo` when repo lacks them. */
  reuse?: Map<string, BlobDescriptor>;
  reuseRepo?: string;
  /** DOCKER_HOST for the engine (default env). */
  host?: string;
  onProgress?: (msg: string) => void;
}

/** Layers compressed or uploaded at once. */
const PARALLEL = 2;

/** A fixed number of slots; `run` waits for one. */
class Slots {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** Thrown by the upload thunk of a blob we cannot produce with that digest (only mount or HEAD could place it). */
class NotPlaceable extends Error {}

interface Placed extends BlobDescriptor {
  pushed: BlobPush;
}

interface Blob extends BlobDescriptor {
  bytes: Buffer;
}

/** The entry a visited blob is: readExport names it in the hint (and in `what`, after the source's name). */
const pathOf = (h: BlobHint): string => h.path ?? h.what.slice(h.what.lastIndexOf(': ') + 2);

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** One push's state: the blobs placed so far (by diffID) and the bytes sent. */
class PushState {
  readonly placed = new Map<string, Placed>();
  bytes = 0;
  /** Failures inside export visitors (readExport swallows them), rethrown after the read. */
  readonly errors: unknown[] = [];
  readonly slots = new Slots(PARALLEL);
  readonly index = new BlobIndex();
  readonly say: (msg: string) => void;
  constructor(readonly opts: PushOptions) {
    this.say = opts.onProgress ?? (() => {});
  }

  /** Places a blob by a digest known beforehand (HEAD, or a mount from reuseRepo); false when neither works. */
  async known(diffId: string, d: BlobDescriptor): Promise<boolean> {
    const { client, repo, reuseRepo } = this.opts;
    let pushed: BlobPush;
    if (!reuseRepo || reuseRepo === repo) {
      if ((await headBlob(client, repo, d.digest)) === null) return false;
      pushed = 'exists';
    } else {
      try {
        pushed = await pushBlob(client, repo, d.digest, () => Promise.reject(new NotPlaceable()), reuseRepo);
      } catch (e) {
        // The registry opened an upload instead of mounting; it expires unused.
        if (e instanceof NotPlaceable) return false;
        throw e;
      }
    }
    this.placed.set(diffId, { ...d, pushed });
    return true;
  }

  /** Uploads (after a HEAD, or mounts) a blob made here; gzip'd ones are recorded in the blob index. */
  async upload(diffId: string, blob: Blob, compressed: boolean): Promise<void> {
    const { client, repo, reuseRepo } = this.opts;
    const pushed = await pushBlob(client, repo, blob.digest, blob.bytes, reuseRepo !== repo ? reuseRepo : undefined);
    if (pushed === 'uploaded') this.bytes += blob.size;
    this.placed.set(diffId, { digest: blob.digest, size: blob.size, mediaType: blob.mediaType, pushed });
    if (compressed) await this.index.set(diffId, blob);
    this.say(`layer ${blob.digest.slice(7, 19)} ${pushed} (${mb(blob.size)})`);
  }
}

const gzipped = (g: { bytes: Buffer; digest: string; size: number }): Blob => ({
  bytes: g.bytes,
  digest: g.digest,
  size: g.size,
  mediaType: MediaTypes.ociLayerGzip,
});

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/**
 * Pushes an image held by the Docker engine (name, tag or image id) to opts.repo.
 *
 * pushedBytes counts what was sent: uploaded layer blobs, the config when uploaded, and the
 * manifest once when it was PUT. Each tag (or the digest, with no tags) is HEADed first and the
 * manifest is only PUT where the registry does not already hold this very manifest there, so
 * pushing an image again, unchanged, sends 0 bytes (every blob 'exists').
 */
export async function pushEngineImage(imageRef: string, opts: PushOptions): Promise<PushResult> {
  const engine = new EngineClient({ host: opts.host });
  const info = await engine.inspectImage(imageRef);
  const what = `engine:${imageRef}`;
  const st = new PushState(opts);
  const distinct = [...new Set(info.RootFS?.Layers ?? [])];

  // HEADs (and mounts) of the layers named beforehand, a few at a time: a round trip each.
  const checks = new Slots(4);
  await Promise.all(
    distinct.map((d) =>
      checks.run(async () => {
        const r = opts.reuse?.get(d);
        if (r && (await st.known(d, { ...r, mediaType: ociLayerType(r.mediaType) }))) return;
        const c = await st.index.get(d);
        if (c) await st.known(d, { ...c, mediaType: MediaTypes.ociLayerGzip });
      }),
    ),
  );
  const needed = new Set(distinct.filter((d) => !st.placed.has(d)));
  st.say(`${imageRef}: ${distinct.length} layers, ${distinct.length - needed.size} already in the registry`);

  // Pass 1. An entry is compressed as it passes when it is known to be a needed layer (an OCI
  // export names blobs by digest, a classic one by a v1 ID that its json tells) or when every
  // layer is needed; otherwise it is only hashed.
  const everything = needed.size > 0 && needed.size === distinct.length;
  const layerIds = info.RootFS?.Layers ?? [];
  const chains = chainIds(layerIds);
  const identify = (h: BlobHint, path: string): string | undefined => {
    if (h.digest) return h.digest;
    const i = layerOfV1Entry(path, h.kept?.(posix.join(posix.dirname(path), 'json')), chains);
    return i === null ? undefined : layerIds[i];
  };
  const hashes = new Map<string, string>();
  const held = await readExport(await engine.save(info.Id), what, {
    visit: async (blob, hint) => {
      const path = pathOf(hint);
      try {
        const known = needed.size && !everything ? identify(hint, path) : undefined;
        if (!(known ? needed.has(known) : everything)) {
          hashes.set(path, (await hashStream(blob)).digest);
          return;
        }
        await st.slots.run(async () => {
          const gz = await gzipStream(blob);
          hashes.set(path, gz.diffId);
          if (needed.has(gz.diffId) && !st.placed.has(gz.diffId)) await st.upload(gz.diffId, gzipped(gz), true);
        });
      } catch (e) {
        st.errors.push(e);
        blob.destroy();
      }
    },
  });
  if (st.errors.length) throw st.errors[0];

  const store = new ExportStore(what, held, () => engine.save(info.Id));
  const archive = new ArchiveSource(what, store, undefined, undefined, 'engine');
  try {
    const { manifest } = await archive.manifest();
    if (manifest.config.digest !== info.Id)
      throw new ImageError(
        `${what}: the image changed while it was read (${info.Id} became ${manifest.config.digest}); push again`,
      );
    const configBytes = await readBlob(archive, manifest.config, `${what}: config`);
    const config = parseJson<{ rootfs?: { diff_ids?: string[] } }>(configBytes, `${what}: config`);
    const layers = matchLayers(what, held, hashes, manifest, config?.rootfs?.diff_ids ?? []);
    await placeRest(st, layers, what, () => engine.save(info.Id));

    const configPush = await pushBlob(opts.client, opts.repo, info.Id, configBytes);
    if (configPush === 'uploaded') st.bytes += configBytes.length;
    const descs = layers.map((l) => st.placed.get(l.diffId)!);
    const bytes = ociManifest({ digest: info.Id, size: configBytes.length }, descs, opts.annotations);
    const digest = sha256(bytes);
    let put = false;
    for (const ref of opts.tags.length ? opts.tags : [digest]) {
      if ((await headManifest(opts.client, opts.repo, ref, { forPush: true }))?.digest === digest) continue;
      await putManifest(opts.client, opts.repo, ref, bytes, MediaTypes.ociManifest);
      put = true;
    }
    if (put) st.bytes += bytes.length;
    st.say(`${opts.client.host}/${opts.repo}@${digest}: ${mb(st.bytes)} sent`);
    const pushedLayers: PushedLayer[] = layers.map((l, i) => ({ ...descs[i], diffId: l.diffId }));
    return { digest, configDigest: info.Id, layers: pushedLayers, pushedBytes: st.bytes, tags: [...opts.tags] };
  } finally {
    await archive.close();
  }
}

/** The blob of a layer from its bytes: gzip'd when the export holds a tar, as it is when it holds a registry blob. */
function blobOf(l: ExportLayer, bytes: Buffer): Blob {
  if (l.compression === 'none') return gzipped(gzipBuffer(bytes));
  if (sha256(bytes) !== l.contentDigest)
    throw new ImageError(`${l.path}: the blob changed between two reads of the export; push again`);
  return { bytes, digest: l.contentDigest, size: bytes.length, mediaType: ociLayerType(l.descriptor.mediaType) };
}

/** Places the layers pass 1 left: kept ones from memory, the others from a second export read for them only. */
async function placeRest(
  st: PushState,
  layers: ExportLayer[],
  what: string,
  save: () => Promise<Readable>,
): Promise<void> {
  const pending = new Map<string, ExportLayer>();
  for (const l of layers) {
    if (st.placed.has(l.diffId)) continue;
    if (l.data) await st.upload(l.diffId, blobOf(l, l.data), l.compression === 'none');
    else pending.set(l.path, l);
  }
  if (!pending.size) return;
  st.say(`reading the export again for ${pending.size} layer(s) to compress`);
  await readExport(await save(), what, {
    visit: async (blob, hint) => {
      const l = pending.get(pathOf(hint));
      if (!l || st.placed.has(l.diffId)) {
        blob.destroy();
        return;
      }
      try {
        await st.slots.run(async () => {
          if (l.compression === 'none') {
            const gz = await gzipStream(blob);
            if (gz.diffId !== l.contentDigest)
              throw new ImageError(`${what}: layer ${l.index + 1} changed between two reads of the export; push again`);
            await st.upload(l.diffId, gzipped(gz), true);
          } else await st.upload(l.diffId, blobOf(l, await readAll(blob)), false);
        });
      } catch (e) {
        st.errors.push(e);
        blob.destroy();
      }
    },
  });
  if (st.errors.length) throw st.errors[0];
  for (const l of pending.values())
    if (!st.placed.has(l.diffId))
      throw new ImageError(`${what}: layer ${l.index + 1} is missing from the export read again`);
}
