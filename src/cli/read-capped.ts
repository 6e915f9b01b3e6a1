/**
 * Reading an input that may never end. Standard input, FIFOs and devices (`/dev/zero`, `yes |`)
 * have no size to check beforehand, so the bytes are counted as they arrive and reading stops
 * one byte past the limit: memory stays bounded by the limit whatever the input.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Why a read stopped early; the caller words the message. */
export type CappedReadResult =
  { ok: true; data: Buffer } | { ok: false; reason: 'too-large'; size?: number } | { ok: false; reason: 'binary' };

const CHUNK = 64 * 1024;
/** Blocks this thread briefly without spinning (standard input can be non-blocking). */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Reads `path` (`-` for standard input) synchronously, at most `limit` bytes. A regular file
 * bigger than the limit is refused from its size without reading; anything else is read in
 * chunks and abandoned as soon as it passes the limit or holds a NUL byte (binary: no
 * Dockerfile has one, and `/dev/zero` is nothing else). Errors opening or reading are thrown
 * as the fs module's errors.
 */
export function readCapped(path: string, limit: number): CappedReadResult {
  const fd = path === '-' ? 0 : openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: ${path}`), { code: 'EISDIR' });
    if (st.isFile() && st.size > limit) return { ok: false, reason: 'too-large', size: st.size };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, limit + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A non-blocking standard input (some terminals and pipes) has no data *yet*.
        if (code === 'EAGAIN') {
          pause(5);
          continue;
        }
        throw e;
      }
      if (n === 0) break;
      const got = buf.subarray(0, n);
      if (got.includes(0)) return { ok: false, reason: 'binary' };
      chunks.push(got);
      total += n;
      if (total > limit) return { ok: false, reason: 'too-large' };
    }
    return { ok: true, data: Buffer.concat(chunks, total) };
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}
