/**
 * Reads one layer in a single streaming pass: blob bytes -> digest check -> decompression
 * (gzip, zstd or none, from the media type and the stream's magic bytes) -> diffID check ->
 * the caller's sink (usually a TarParser). Nothing is buffered beyond a chunk or written to disk.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { Hasher, parseDigest, shortDigest } from './digest.js';
import { ImageError } from './errors.js';
import type { Compression, Image, Layer } from './model.js';

export interface LayerReadResult {
  compression: Compression;
  /** Bytes of the blob as stored. */
  size: number;
  /** Bytes of the uncompressed tar. */
  uncompressedSize: number;
  /** The blob's digest and the uncompressed tar's (equal when the blob is not compressed). */
  digest: string;
  diffId: string;
}

/** What a layer read checks; an absent digest or diffID is computed and returned instead (see prefetch.ts). */
export interface LayerExpect {
  digest?: string;
  diffId?: string;
  /** Bytes of the blob as stored; negative = unknown. */
  size: number;
  compression: Compression;
}

export function layerWhat(image: Image, layer: Layer): string {
  return `${image.name}: layer ${layer.index + 1}/${image.layers.length} (${shortDigest(layer.digest)})`;
}

function sniff(b: Buffer): Compression {
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return 'zstd';
  return 'none';
}

/**
 * Streams a layer's uncompressed tar bytes into `sink`, verifying the blob digest and size and
 * the diffID. Rejects with an ImageError (one line) on any mismatch or decoding failure; an
 * error thrown by `sink` aborts the read and is rethrown.
 */
export async function readLayer(image: Image, layer: Layer, sink: (chunk: Buffer) => void): Promise<LayerReadResult> {
  const what = layerWhat(image, layer);
  const blob = await image.source.openBlob({
    mediaType: layer.mediaType,
    digest: layer.digest,
    size: layer.size,
  });
  return readLayerStream(blob, layer, what, sink);
}

export async function readLayerStream(
  blob: Readable,
  layer: LayerExpect,
  what: string,
  sink: (chunk: Buffer) => void,
): Promise<LayerReadResult> {
  const outer = new Hasher(layer.digest ? parseDigest(layer.digest).algorithm : 'sha256');
  const inner = new Hasher(layer.diffId ? parseDigest(layer.diffId).algorithm : 'sha256');
  // An uncompressed blob is its own tar: its digest is its diffID, so its bytes are hashed once.
  let shared = false;
  let sinkError: unknown = null;
  const out = (c: Buffer): void => {
    if (sinkError) return;
    if (!shared) inner.update(c);
    try {
      sink(c);
    } catch (e) {
      sinkError = e;
    }
  };
  let compression: Compression | undefined;
  let head: Buffer | null = null;
  let gunzip: ReturnType<typeof createGunzip> | null = null;
  let zstd: ZstdDecompress | null = null;
  let gzEnded: Promise<unknown> | null = null;

  const start = (first: Buffer): void => {
    const sniffed = sniff(first);
    compression = sniffed !== 'none' ? sniffed : layer.compression === 'none' ? 'none' : layer.compression;
    shared = compression === 'none' && outer.algorithm === inner.algorithm;
    if (compression === 'gzip') {
      gunzip = createGunzip({ chunkSize: 256 * 1024 });
      gunzip.on('data', out);
      gzEnded = once(gunzip, 'end');
      gzEnded.catch(() => {});
    } else if (compression === 'zstd') {
      zstd = new ZstdDecompress((chunk) => out(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    }
  };
  const feed = async (c: Buffer): Promise<void> => {
    if (gunzip) {
      if (!gunzip.write(c)) await once(gunzip, 'drain');
    } else if (zstd) {
      try {
        zstd.push(c);
      } catch (e) {
        throw new ImageError(`${what}: bad zstd data (${(e as Error).message})`);
      }
    } else out(c);
  };

  try {
    try {
      for await (const chunk of blob as AsyncIterable<Buffer>) {
        outer.update(chunk);
        if (layer.size >= 0 && outer.bytes > layer.size)
          throw new ImageError(`${what}: blob is larger than the ${layer.size} bytes its descriptor declares`);
        if (compression === undefined) {
          head = head ? Buffer.concat([head, chunk]) : chunk;
          if (head.length < 4) continue;
          start(head);
          const h = head;
          head = null;
          await feed(h);
        } else await feed(chunk);
        if (sinkError) throw sinkError;
      }
      if (compression === undefined) {
        start(head ?? Buffer.alloc(0));
        if (head) await feed(head);
      }
      if (gunzip) {
        const g = gunzip as ReturnType<typeof createGunzip>;
        g.end();
        await gzEnded;
      } else if (zstd) {
        try {
          (zstd as ZstdDecompress).push(new Uint8Array(0), true);
        } catch (e) {
          throw new ImageError(`${what}: bad zstd data (${(e as Error).message})`);
        }
      }
    } catch (e) {
      if (sinkError) throw sinkError;
      if (e instanceof ImageError) throw e;
      const err = e as NodeJS.ErrnoException;
      if (err?.code?.startsWith('Z_') || /incorrect header|unexpected end|invalid/.test(err?.message ?? ''))
        throw new ImageError(`${what}: bad gzip data (${err.message})`);
      throw e;
    }
    if (sinkError) throw sinkError;
  } finally {
    (gunzip as ReturnType<typeof createGunzip> | null)?.destroy();
    blob.destroy();
  }
  if (layer.size >= 0 && outer.bytes !== layer.size)
    throw new ImageError(`${what}: blob truncated, ${outer.bytes} of ${layer.size} bytes`);
  const digest = outer.digest();
  if (layer.digest && digest !== layer.digest)
    throw new ImageError(`${what}: digest mismatch, expected ${layer.digest}, content is ${digest}`);
  const diffId = shared ? digest : inner.digest();
  if (layer.diffId && diffId !== layer.diffId)
    throw new ImageError(
      `${what}: diffID mismatch, the config says ${layer.diffId}, the uncompressed content is ${diffId}`,
    );
  const uncompressedSize = shared ? outer.bytes : inner.bytes;
  return { compression: compression ?? 'none', size: outer.bytes, uncompressedSize, digest, diffId };
}
