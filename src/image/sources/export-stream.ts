/**
 * Reads a `docker save` archive as it streams from the engine, once, front to back, writing
 * nothing to disk. Small entries and JSON (manifest.json, index.json, configs, manifests) are
 * kept in memory; every other entry (the layers) is handed, as it arrives, to a visitor that
 * analyses it, because the archive's manifest may come after its layers. Memory stays flat in
 * the image's size: a layer's bytes are only ever in flight, with backpressure on the socket.
 */
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImageError } from '../errors.js';
import type { BlobVisitor } from '../model.js';
import { TarParser } from '../tar.js';
import type { ArchiveStore, Entry } from './archive.js';

/** Entries up to this size are kept whatever they hold (VERSION files, tiny layers). */
const KEEP_SMALL = 256 << 10;
/** JSON entries up to this size are kept (configs with long histories). */
const KEEP_JSON = 16 << 20;
const IN_FLIGHT = 1 << 20;

export interface StreamEntry extends Entry {
  /** The bytes of a kept entry. */
  data?: Buffer;
  /** Handed to the visitor, not kept. */
  passed?: boolean;
}

export interface ReadExportOptions {
  /** Takes each entry that is not kept. */
  visit?: BlobVisitor;
  /** Only this entry goes to the visitor (whatever its size) and reading stops after it. */
  only?: string;
}

/**
 * One entry's bytes for the visitor: pushed by the export's reader, with backpressure by
 * readable length (lighter per chunk than a PassThrough, which engine chunks of 64 KiB feel).
 */
class Feed extends Readable {
  private wake: (() => void) | null = null;
  constructor() {
    super({ highWaterMark: IN_FLIGHT });
  }
  override _read(): void {
    this.resume_();
  }
  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.resume_();
    cb(err);
  }
  private resume_(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
  /** Resolves once the visitor has read below the high-water mark (or gave up on the entry). */
  get behind(): Promise<void> | null {
    if (this.destroyed || this.readableLength < IN_FLIGHT) return null;
    return new Promise((r) => (this.wake = r));
  }
}

function digestOfPath(path: string): string | undefined {
  const m = /^blobs\/(sha256|sha512)\/([a-f0-9]{64,128})$/.exec(path);
  return m ? `${m[1]}:${m[2]}` : undefined;
}

function looksLikeJson(b: Buffer): boolean {
  for (const c of b) {
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b || c === 0x5b;
  }
  return false;
}

/** Reads the whole export (or up to `only`); resolves once every visitor has finished. */
export async function readExport(
  stream: Readable,
  what: string,
  opts: ReadExportOptions = {},
): Promise<Map<string, StreamEntry>> {
  const entries = new Map<string, StreamEntry>();
  const visiting: Promise<void>[] = [];
  let cur: StreamEntry | null = null;
  let decided = false;
  let keep: Buffer[] | null = null;
  let pipe: Feed | null = null;
  let done = false;

  const decide = (e: StreamEntry, first: Buffer): void => {
    if (
      opts.only !== undefined
        ? e.path !== opts.only
        : e.size <= KEEP_SMALL || (e.size <= KEEP_JSON && looksLikeJson(first))
    ) {
      if (opts.only === undefined) keep = [];
      return;
    }
    e.passed = true;
    if (!opts.visit) return;
    const p = new Feed();
    pipe = p;
    visiting.push(
      opts
        .visit(p, {
          what: `${what}: ${e.path}`,
          size: e.size,
          digest: digestOfPath(e.path),
          path: e.path,
          kept: (q) => entries.get(q)?.data,
        })
        .catch(() => {})
        .finally(() => p.destroy()),
    );
  };
  const parser = new TarParser(
    {
      entry(h) {
        cur = { path: h.path, type: h.type, dataOffset: h.offset + 512, size: h.size, linkname: h.linkname };
        entries.set(h.path, cur);
        decided = false;
        keep = null;
        pipe = null;
      },
      data(chunk) {
        if (!decided) {
          decided = true;
          decide(cur!, chunk);
        }
        if (keep) keep.push(Buffer.from(chunk));
        else if (pipe && !pipe.destroyed) pipe.push(chunk);
      },
      entryEnd(h) {
        if (keep) cur!.data = Buffer.concat(keep);
        keep = null;
        if (pipe && !(pipe as Feed).destroyed) (pipe as Feed).push(null);
        pipe = null;
        if (h.path === opts.only) done = true;
      },
    },
    { what },
  );
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.write(chunk);
      if (done) break;
      const behind = (pipe as Feed | null)?.behind;
      if (behind) await behind;
    }
    if (!done) parser.end();
  } catch (e) {
    (pipe as Feed | null)?.destroy(e as Error);
    throw e;
  } finally {
    stream.destroy();
    await Promise.all(visiting);
  }
  return entries;
}

/**
 * The archive store of an export that has streamed past: kept entries are served from memory;
 * a passed one (a layer nobody took on the way) is read again from a fresh export, streamed.
 */
export class ExportStore implements ArchiveStore {
  constructor(
    private readonly what: string,
    private readonly held: Map<string, StreamEntry>,
    private readonly again: () => Promise<Readable>,
  ) {}

  async entries(): Promise<Map<string, Entry>> {
    return this.held;
  }

  async read(e: Entry): Promise<Buffer> {
    const s = e as StreamEntry;
    if (s.data) return s.data;
    if (e.size === 0) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    for await (const c of (await this.open(e)) as AsyncIterable<Buffer>) chunks.push(c);
    return Buffer.concat(chunks);
  }

  async open(e: Entry): Promise<Readable> {
    const s = e as StreamEntry;
    if (s.data) return Readable.from([s.data]);
    const out = new PassThrough({ highWaterMark: IN_FLIGHT });
    let found = false;
    const visit: BlobVisitor = async (blob) => {
      found = true;
      await pipeline(blob, out);
    };
    this.again()
      .then((stream) => readExport(stream, this.what, { visit, only: e.path }))
      .then(() => {
        if (!found) out.destroy(new ImageError(`${this.what}: ${e.path} is missing from the export read again`));
      })
      .catch((err: Error) => out.destroy(err));
    return out;
  }

  async close(): Promise<void> {
    this.held.clear();
  }
}
