/**
 * Which entry of a `docker save` export holds which layer, and whether its bytes are the layer
 * the config names. The export is read as it streams (src/image/sources/export-stream.ts): small
 * entries are kept, the others were hashed as they passed; both are matched here, after the
 * fact, to the config's rootfs.diff_ids, since the export's manifest comes last.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { parseDigest } from '../image/digest.js';
import { ImageError } from '../image/errors.js';
import { type Compression, compressionOf, type Descriptor, type Manifest, parseJson } from '../image/model.js';
import type { StreamEntry } from '../image/sources/export-stream.js';

/** One layer as the export holds it. */
export interface ExportLayer {
  index: number;
  /** From the config's rootfs.diff_ids. */
  diffId: string;
  /** The export entry holding the layer's bytes (links followed). */
  path: string;
  /** The layer as the export describes it: an uncompressed tar (classic store) or a registry blob (containerd store). */
  descriptor: Descriptor;
  compression: Compression;
  /** The entry's bytes when the export kept them (small layers). */
  data?: Buffer;
  /** sha256 of the entry's bytes. */
  contentDigest: string;
}

/** Follows symlinks and hard links between entries (`docker save` links a layer that repeats). */
export function resolveEntry(
  held: Map<string, StreamEntry>,
  path: string,
  what: string,
): StreamEntry & { path: string } {
  let p = posix.normalize(path).replace(/^(\.\/)+/, '');
  for (let hops = 0; hops < 16; hops++) {
    const e = held.get(p);
    if (!e) throw new ImageError(`${what}: ${p} is missing from the export`);
    if (e.type === 'file') return { ...e, path: p };
    if (e.type === 'hardlink') p = e.linkname;
    else if (e.type === 'symlink' && !e.linkname.startsWith('/'))
      p = posix.normalize(posix.join(posix.dirname(p), e.linkname));
    else throw new ImageError(`${what}: ${p} is not a regular file in the export`);
    if (p === '..' || p.startsWith('../')) throw new ImageError(`${what}: ${path} points outside the export`);
  }
  throw new ImageError(`${what}: too many links resolving ${path}`);
}

/** The export entry of each layer, in the manifest's order. */
export function layerPaths(held: Map<string, StreamEntry>, manifest: Manifest, what: string): string[] {
  if (held.has('index.json') && held.has('oci-layout'))
    return manifest.layers.map((d) => {
      const { algorithm, hex } = parseDigest(d.digest);
      return `blobs/${algorithm}/${hex}`;
    });
  const data = held.get('manifest.json')?.data;
  if (!data) throw new ImageError(`${what}: the export has no manifest.json`);
  const list = parseJson<{ Layers?: string[] }[]>(data, `${what}: manifest.json`);
  const layers = Array.isArray(list) && list.length === 1 ? list[0].Layers : undefined;
  if (!Array.isArray(layers) || layers.length !== manifest.layers.length)
    throw new ImageError(`${what}: manifest.json does not list the image's ${manifest.layers.length} layers`);
  return layers;
}

/**
 * Matches each layer to its entry and checks its bytes: an uncompressed tar must hash to the
 * config's diff_id, a compressed blob to its descriptor's digest. `hashes` holds the digest of
 * each entry that streamed past (by path); kept entries are hashed here.
 */
export function matchLayers(
  what: string,
  held: Map<string, StreamEntry>,
  hashes: Map<string, string>,
  manifest: Manifest,
  diffIds: string[],
): ExportLayer[] {
  if (diffIds.length !== manifest.layers.length)
    throw new ImageError(
      `${what}: the export lists ${manifest.layers.length} layers but the config has ${diffIds.length} diff_ids`,
    );
  const paths = layerPaths(held, manifest, what);
  return manifest.layers.map((descriptor, index) => {
    const e = resolveEntry(held, paths[index], what);
    const data = e.data ?? (e.size === 0 ? Buffer.alloc(0) : undefined);
    const contentDigest = data ? `sha256:${createHash('sha256').update(data).digest('hex')}` : hashes.get(e.path);
    if (!contentDigest) throw new ImageError(`${what}: layer ${index + 1} (${e.path}) was not read from the export`);
    const compression = compressionOf(descriptor.mediaType);
    const expected = compression === 'none' ? diffIds[index] : descriptor.digest;
    const n = `${what}: layer ${index + 1}/${diffIds.length}`;
    if (contentDigest !== expected)
      throw new ImageError(
        compression === 'none'
          ? `${n}: its tar hashes to ${contentDigest} but the config's diff_id is ${expected}; the engine's image store is damaged (pull or build the image again)`
          : `${n}: its blob hashes to ${contentDigest}, not ${expected}; the engine's image store is damaged (pull or build the image again)`,
      );
    return { index, diffId: diffIds[index], path: e.path, descriptor, compression, data, contentDigest };
  });
}
