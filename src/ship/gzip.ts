/**
 * Deterministic gzip for layer blobs: the same tar always gives the same blob (and so the same
 * digest, and a registry HEAD that finds it) on the same Node version. zlib's own header already
 * has mtime 0 and no file name; its OS byte is the build platform's (3 on Unix, others elsewhere),
 * so it is set to 255 ("unknown", as Go's compress/gzip writes) to make the bytes independent of
 * the machine. Level 6, zlib's default and what `docker push` uses.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createGzip, gzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';

const gzipPromise = promisify(gzip);

export const GZIP_LEVEL = 6;
/** Offset of the OS byte in a gzip header (RFC 1952 §2.3). */
const OS_OFFSET = 9;
const OS_UNKNOWN = 255;

/** A compressed blob: its bytes, digest and size, and the uncompressed content's digest (the diffID). */
export interface GzipBlob {
  bytes: Buffer;
  digest: string;
  size: number;
  diffId: string;
  /** Bytes of the uncompressed tar. */
  uncompressedSize: number;
}

function fixHeader(gz: Buffer): Buffer {
  if (gz.length > OS_OFFSET && gz[0] === 0x1f && gz[1] === 0x8b) gz[OS_OFFSET] = OS_UNKNOWN;
  return gz;
}

const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Compresses a tar held in memory. */
export function gzipBuffer(tar: Buffer): GzipBlob {
  const bytes = fixHeader(gzipSync(tar, { level: GZIP_LEVEL }));
  return { bytes, digest: digestOf(bytes), size: bytes.length, diffId: digestOf(tar), uncompressedSize: tar.length };
}

/**
 * gzipBuffer on libuv's thread pool: the same bytes, and several layers compress at once on
 * several cores (UV_THREADPOOL_SIZE, default 4).
 */
export async function gzipAsync(tar: Buffer): Promise<GzipBlob> {
  const bytes = fixHeader(await gzipPromise(tar, { level: GZIP_LEVEL }));
  return { bytes, digest: digestOf(bytes), size: bytes.length, diffId: digestOf(tar), uncompressedSize: tar.length };
}

/**
 * Compresses a tar as it streams, hashing the uncompressed bytes on the way: one pass, the tar is
 * never held; the compressed bytes are (they are uploaded in one PUT).
 */
export async function gzipStream(tar: Readable): Promise<GzipBlob> {
  const inner = createHash('sha256');
  let uncompressedSize = 0;
  const gz = createGzip({ level: GZIP_LEVEL, chunkSize: 256 << 10 });
  const out: Buffer[] = [];
  gz.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    gz.on('end', resolve);
    gz.on('error', reject);
  });
  ended.catch(() => {}); // awaited below; a zlib error must not go unhandled meanwhile
  try {
    for await (const chunk of tar as AsyncIterable<Buffer>) {
      inner.update(chunk);
      uncompressedSize += chunk.length;
      if (!gz.write(chunk)) await Promise.race([new Promise<void>((r) => gz.once('drain', r)), ended]);
    }
    gz.end();
    await ended;
  } catch (e) {
    gz.destroy();
    throw e;
  }
  const bytes = fixHeader(Buffer.concat(out));
  return {
    bytes,
    digest: digestOf(bytes),
    size: bytes.length,
    diffId: `sha256:${inner.digest('hex')}`,
    uncompressedSize,
  };
}

/** Hashes a stream without keeping it: the sha256 digest and byte count. */
export async function hashStream(s: Readable): Promise<{ digest: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of s as AsyncIterable<Buffer>) {
    h.update(chunk);
    size += chunk.length;
  }
  return { digest: `sha256:${h.digest('hex')}`, size };
}
