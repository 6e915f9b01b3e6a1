/**
 * A byte range of a local file as a stream that, when iterated with `for await` (as the layer
 * reader does), reads into a few buffers used in turn instead of a new megabyte per read. A
 * gigabyte of short-lived read buffers is memory V8 cannot see until it collects: it made the
 * peak RSS grow by tens of MiB and cost a third of a second of garbage collection per gigabyte.
 * A chunk stays valid until the iteration asks for the fourth chunk after it; every reader of
 * layer bytes hashes, parses or copies a chunk before asking for the next. Piped, the stream is
 * an ordinary fs read stream.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';

const CHUNK = 1 << 20;
const RING = 4;

/** `size` bytes of `file` from `start` (end = start + size - 1); size > 0. */
export function fileRange(file: string, start: number, size: number): Readable {
  const s = createReadStream(file, { start, end: start + size - 1, highWaterMark: CHUNK });
  s.pause();
  (s as unknown as { [Symbol.asyncIterator]: () => AsyncGenerator<Buffer> })[Symbol.asyncIterator] =
    async function* () {
      const fh = await open(file, 'r');
      s.destroy(); // the fs stream is not used when iterated: release its descriptor
      try {
        const ring = Array.from({ length: RING }, () => Buffer.allocUnsafeSlow(Math.min(CHUNK, size)));
        let pos = start;
        let left = size;
        for (let i = 0; left > 0; i = (i + 1) % RING) {
          const buf = ring[i];
          const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, left), pos);
          if (bytesRead === 0) return; // the file shrank: the reader reports the truncation
          pos += bytesRead;
          left -= bytesRead;
          yield buf.subarray(0, bytesRead);
        }
      } finally {
        await fh.close();
      }
    };
  return s;
}
