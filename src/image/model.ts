/**
 * The image model. A source implements only a small core (its manifest, and a way to open any
 * blob as a stream); everything else — the config, layers with digest and diffID, history
 * aligned across `empty_layer` entries, chain IDs, verified layer streams — is derived here,
 * once, the same way for every source (go-containerregistry's `partial` idea).
 */
import type { Readable } from 'node:stream';
import { chainIds, isDigest, verifyingStream } from './digest.js';
import { ImageError } from './errors.js';

export type SourceKind = 'engine' | 'registry' | 'oci' | 'archive';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  urls?: string[];
}

export interface Manifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: Record<string, unknown>;
  rootfs: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
}

export interface SourceManifest {
  manifest: Manifest;
  /** Digest of the manifest bytes, when the source has them. */
  digest?: string;
  /** Names/tags the source knows for the image (archive RepoTags, the reference asked for). */
  tags?: string[];
}

/** What a source that is read once, front to back, knows of a blob as it passes. */
export interface BlobHint {
  /** For error messages: the source and the blob's place in it. */
  what: string;
  /** Bytes of the blob. */
  size: number;
  /** The digest the blob is stored under, when its name says so (to be checked, not trusted). */
  digest?: string;
  /** The blob's path in the archive, when it comes from one. */
  path?: string;
  /** The bytes of an entry that came before and was kept (small ones), by path: what a sibling file says of the blob. */
  kept?: (path: string) => Buffer | undefined;
}

/**
 * Takes a blob's bytes as they stream past (see analyze/prefetch.ts). It must read `blob` to its
 * end or destroy it; it should not reject (a failure is the reader's to report when it asks for
 * the blob again).
 */
export type BlobVisitor = (blob: Readable, hint: BlobHint) => Promise<void>;

/** The minimal core every source implements. */
export interface ImageSource {
  readonly kind: SourceKind;
  /** The reference as the user gave it. */
  readonly name: string;
  manifest(): Promise<SourceManifest>;
  /** The raw bytes of a blob (config or layer). Verification is the caller's job (see Image). */
  openBlob(desc: Descriptor): Promise<Readable>;
  /**
   * Optional, for local files: a string that changes whenever the blob's bytes may have changed
   * (path, device, inode, size, mtime, ctime), so a blob hashed once need not be hashed again.
   */
  blobIdentity?(desc: Descriptor): Promise<string | null>;
  close(): Promise<void>;
}

export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  /** Uncompressed layers in `docker save` archives (not a registry media type). */
  dockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
} as const;

export type Compression = 'gzip' | 'zstd' | 'none';

export function compressionOf(mediaType: string): Compression {
  if (mediaType.endsWith('+zstd') || mediaType.endsWith('.zstd')) return 'zstd';
  if (mediaType.endsWith('+gzip') || mediaType.endsWith('.gzip')) return 'gzip';
  return 'none';
}

export interface Layer {
  index: number;
  /** Digest of the blob as stored by the source (compressed for registries). */
  digest: string;
  /** Digest of the uncompressed tar (rootfs.diff_ids). */
  diffId: string;
  chainId: string;
  /** Bytes of the blob as stored (compressed size for registries). */
  size: number;
  mediaType: string;
  compression: Compression;
  createdBy?: string;
  created?: string;
  comment?: string;
  /** Index into `Image.history`, or undefined when history does not line up. */
  historyIndex?: number;
}

export interface HistoryItem extends HistoryEntry {
  /** The layer this entry created, or null for an `empty_layer` entry. */
  layerIndex: number | null;
}

export interface Image {
  source: ImageSource;
  kind: SourceKind;
  name: string;
  tags: string[];
  manifest: Manifest;
  manifestDigest?: string;
  /** Image ID: the digest of the config blob. */
  configDigest: string;
  configSize: number;
  config: ImageConfig;
  platform: Platform;
  created?: string;
  layers: Layer[];
  history: HistoryItem[];
  /** Non-empty history entries minus layers; 0 when they line up. */
  historyMismatch: number;
}

const MAX_JSON = 16 << 20;

/** Reads a small blob (config, manifest) fully, verifying size and digest. */
export async function readBlob(source: ImageSource, desc: Descriptor, what: string, max = MAX_JSON): Promise<Buffer> {
  if (desc.size > max) throw new ImageError(`${what}: ${desc.size} bytes is larger than the ${max}-byte limit`);
  const raw = await source.openBlob(desc);
  const v = verifyingStream({ digest: desc.digest, size: desc.size, what });
  const chunks: Buffer[] = [];
  let n = 0;
  raw.on('error', (e) => v.destroy(e));
  raw.pipe(v);
  for await (const c of v as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > max) {
      raw.destroy();
      throw new ImageError(`${what}: larger than the ${max}-byte limit`);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

export function parseJson<T>(buf: Buffer | string, what: string): T {
  try {
    return JSON.parse(buf.toString()) as T;
  } catch (e) {
    throw new ImageError(`${what}: not valid JSON (${(e as Error).message})`);
  }
}

/** Checks that a parsed manifest has the shape of an image manifest. */
export function checkManifest(m: unknown, what: string): Manifest {
  const o = m as Manifest;
  if (!o || typeof o !== 'object') throw new ImageError(`${what}: not a JSON object`);
  if ((o as { manifests?: unknown }).manifests) throw new ImageError(`${what}: is an index, not an image manifest`);
  const isDesc = (d: Descriptor | undefined): d is Descriptor =>
    !!d && typeof d.mediaType === 'string' && isDigest(d.digest) && Number.isSafeInteger(d.size) && d.size >= 0;
  if (!isDesc(o.config)) throw new ImageError(`${what}: missing or invalid config descriptor`);
  if (!Array.isArray(o.layers)) throw new ImageError(`${what}: missing layers`);
  o.layers.forEach((l, i) => {
    if (!isDesc(l)) throw new ImageError(`${what}: layer ${i} has an invalid descriptor`);
  });
  return o;
}

function checkConfig(c: unknown, what: string): ImageConfig {
  const o = c as ImageConfig;
  if (!o || typeof o !== 'object' || !o.rootfs || !Array.isArray(o.rootfs.diff_ids))
    throw new ImageError(`${what}: not an image config (no rootfs.diff_ids)`);
  o.rootfs.diff_ids.forEach((d, i) => {
    if (!isDigest(d)) throw new ImageError(`${what}: diff_ids[${i}] is not a digest`);
  });
  return o;
}

/** Derives the full image model from a source's core. */
export async function loadImage(source: ImageSource): Promise<Image> {
  const sm = await source.manifest();
  const manifest = checkManifest(sm.manifest, `${source.name}: manifest`);
  const cfgBytes = await readBlob(source, manifest.config, `${source.name}: config ${manifest.config.digest}`);
  const config = checkConfig(parseJson(cfgBytes, `${source.name}: config`), `${source.name}: config`);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== manifest.layers.length)
    throw new ImageError(
      `${source.name}: the manifest lists ${manifest.layers.length} layers but the config has ${diffIds.length} diff_ids`,
    );
  const chains = chainIds(diffIds);
  const layers: Layer[] = manifest.layers.map((d, i) => ({
    index: i,
    digest: d.digest,
    diffId: diffIds[i],
    chainId: chains[i],
    size: d.size,
    mediaType: d.mediaType,
    compression: compressionOf(d.mediaType),
  }));
  const { history, mismatch } = alignHistory(config.history ?? [], layers.length);
  for (const [hi, h] of history.entries()) {
    if (h.layerIndex === null) continue;
    const l = layers[h.layerIndex];
    l.historyIndex = hi;
    l.createdBy = h.created_by;
    l.created = h.created;
    l.comment = h.comment;
  }
  return {
    source,
    kind: source.kind,
    name: source.name,
    tags: sm.tags ?? [],
    manifest,
    manifestDigest: sm.digest,
    configDigest: manifest.config.digest,
    configSize: manifest.config.size,
    config,
    platform: {
      os: config.os ?? 'unknown',
      architecture: config.architecture ?? 'unknown',
      variant: config.variant,
    },
    created: config.created,
    layers,
    history,
    historyMismatch: mismatch,
  };
}

/**
 * Pairs history entries with layers: every entry without `empty_layer` made the next layer.
 * When the counts differ (squashed or hand-made images), entries are paired from the top
 * (the newest layers keep their instruction) and the difference is reported.
 */
export function alignHistory(
  entries: HistoryEntry[],
  layerCount: number,
): { history: HistoryItem[]; mismatch: number } {
  const nonEmpty = entries.filter((e) => !e.empty_layer).length;
  const mismatch = nonEmpty - layerCount;
  const items: HistoryItem[] = entries.map((e) => ({ ...e, layerIndex: null }));
  // Walk from the newest entry down, so the top layers (the team's own) are paired first.
  let li = layerCount - 1;
  for (let i = items.length - 1; i >= 0 && li >= 0; i--) {
    if (items[i].empty_layer) continue;
    items[i].layerIndex = li--;
  }
  return { history: items, mismatch };
}

export function platformString(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}
