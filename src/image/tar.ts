/**
 * A streaming, push-based tar reader (ustar, GNU long names, pax). It never touches the file
 * system: it reports each entry's header, then hands over the entry's data chunk by chunk.
 * Hostile input (path traversal, oversized headers, bad checksums, truncation) fails with an
 * ImageError carrying one line that names the entry and the byte offset.
 */
import { ImageError } from './errors.js';

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'other';

export interface TarHeader {
  /** Normalised path: no leading `./` or `/`, no trailing `/`; '' is the root directory. */
  path: string;
  type: EntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch (fractional with pax). */
  mtime: number;
  /** Symlink target as stored; hardlink target normalised like `path`. */
  linkname: string;
  uname: string;
  gname: string;
  /** Byte offset of the header block in the tar stream. */
  offset: number;
}

export interface TarHandler {
  entry(h: TarHeader): void;
  /** Data of the current regular file (type 'file'), in order. */
  data?(chunk: Buffer): void;
  entryEnd?(h: TarHeader): void;
}

export interface TarOptions {
  /** What is being read, for error messages. */
  what: string;
  /** Largest pax or GNU long-name header accepted (default 1 MiB). */
  maxMetaBytes?: number;
}

const BLOCK = 512;
enum State {
  Header,
  Data,
  Meta,
  Pad,
  End,
}

const TYPES: Record<string, EntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};

/** Resolves `.` and `..`; returns null when the path climbs above the root. */
export function normalizeTarPath(p: string): string | null {
  if (!p.includes('..') && !p.includes('//') && !p.includes('./') && !p.endsWith('/.')) {
    let s = p;
    while (s.startsWith('/')) s = s.slice(1);
    while (s.endsWith('/')) s = s.slice(0, -1);
    return s === '.' ? '' : s;
  }
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

export class TarParser {
  private state = State.Header;
  private pending = Buffer.alloc(BLOCK);
  private pendingLen = 0;
  private remaining = 0;
  private pad = 0;
  private offset = 0;
  private current: TarHeader | null = null;
  private metaKind = '';
  private metaChunks: Buffer[] = [];
  private metaLen = 0;
  private paxNext: Record<string, string> = {};
  private paxGlobal: Record<string, string> = {};
  private longName: string | undefined;
  private longLink: string | undefined;
  private readonly maxMeta: number;
  entries = 0;
  ended = false;

  constructor(
    private readonly handler: TarHandler,
    private readonly opts: TarOptions,
  ) {
    this.maxMeta = opts.maxMetaBytes ?? 1 << 20;
  }

  write(chunk: Buffer): void {
    let off = 0;
    const len = chunk.length;
    while (off < len) {
      switch (this.state) {
        case State.Header: {
          const need = BLOCK - this.pendingLen;
          if (this.pendingLen === 0 && len - off >= BLOCK) {
            const block = chunk.subarray(off, off + BLOCK);
            off += BLOCK;
            this.offset += BLOCK;
            this.header(block);
          } else {
            const take = Math.min(need, len - off);
            chunk.copy(this.pending, this.pendingLen, off, off + take);
            this.pendingLen += take;
            off += take;
            this.offset += take;
            if (this.pendingLen === BLOCK) {
              this.pendingLen = 0;
              this.header(this.pending);
            }
          }
          break;
        }
        case State.Data: {
          const n = Math.min(this.remaining, len - off);
          if (this.current!.type === 'file') this.handler.data?.(chunk.subarray(off, off + n));
          this.remaining -= n;
          off += n;
          this.offset += n;
          if (this.remaining === 0) this.finishEntry();
          break;
        }
        case State.Meta: {
          const n = Math.min(this.remaining, len - off);
          this.metaChunks.push(Buffer.from(chunk.subarray(off, off + n)));
          this.remaining -= n;
          off += n;
          this.offset += n;
          if (this.remaining === 0) this.finishMeta();
          break;
        }
        case State.Pad: {
          const n = Math.min(this.pad, len - off);
          this.pad -= n;
          off += n;
          this.offset += n;
          if (this.pad === 0) this.state = State.Header;
          break;
        }
        case State.End:
          // Anything after the end-of-archive marker is ignored, as tar does.
          this.offset += len - off;
          off = len;
          break;
      }
    }
  }

  end(): void {
    if (this.state === State.End || (this.state === State.Header && this.pendingLen === 0)) {
      this.ended = true;
      return;
    }
    const where = this.current ? ` in ${JSON.stringify(this.current.path)}` : '';
    throw new ImageError(`${this.opts.what}: tar stream truncated at byte ${this.offset}${where}`);
  }

  private fail(msg: string, at: number): never {
    throw new ImageError(`${this.opts.what}: ${msg} (tar header at byte ${at})`);
  }

  private header(block: Buffer): void {
    const at = this.offset - BLOCK;
    let zero = true;
    for (let i = 0; i < BLOCK; i++)
      if (block[i] !== 0) {
        zero = false;
        break;
      }
    if (zero) {
      this.state = State.End;
      return;
    }
    // Checksum: the sum of all bytes with the checksum field read as spaces.
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
    const stored = parseNumber(block, 148, 8);
    if (stored !== sum) {
      let signed = 0;
      for (let i = 0; i < BLOCK; i++) signed += i >= 148 && i < 156 ? 32 : (block[i] << 24) >> 24;
      if (stored !== signed) this.fail('not a tar archive or corrupt: bad header checksum', at);
    }
    const typeflag = String.fromCharCode(block[156]);
    const size = parseNumber(block, 124, 12);
    if (size === null || size < 0 || !Number.isSafeInteger(size)) this.fail('invalid entry size', at);

    if (typeflag === 'x' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K') {
      if (size > this.maxMeta)
        this.fail(
          `${typeflag === 'x' || typeflag === 'g' ? 'pax' : 'long-name'} header of ${size} bytes exceeds the ${this.maxMeta}-byte limit`,
          at,
        );
      this.metaKind = typeflag;
      this.metaChunks = [];
      this.metaLen = size;
      this.remaining = size;
      this.pad = (BLOCK - (size % BLOCK)) % BLOCK;
      if (size === 0) this.finishMeta();
      else this.state = State.Meta;
      return;
    }

    const magic = block.toString('latin1', 257, 263);
    let name = cstr(block, 0, 100);
    if (magic === 'ustar\0') {
      const prefix = cstr(block, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const pax = { ...this.paxGlobal, ...this.paxNext };
    this.paxNext = {};
    let rawPath = pax.path ?? this.longName ?? name;
    let rawLink = pax.linkpath ?? this.longLink ?? cstr(block, 157, 100);
    this.longName = undefined;
    this.longLink = undefined;
    let type: EntryType = TYPES[typeflag] ?? 'other';
    if (type === 'file' && rawPath.endsWith('/')) type = 'dir'; // old tar writers
    const path = normalizeTarPath(rawPath);
    if (path === null)
      this.fail(`path traversal: entry ${JSON.stringify(rawPath.slice(0, 200))} climbs out of the root`, at);
    let linkname = rawLink;
    if (type === 'hardlink') {
      const l = normalizeTarPath(rawLink);
      if (l === null)
        this.fail(
          `link escape: hard link ${JSON.stringify(path)} points outside the root (${JSON.stringify(rawLink.slice(0, 200))})`,
          at,
        );
      linkname = l;
    }
    if (type === 'symlink' && !rawLink.startsWith('/')) {
      const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      if (normalizeTarPath(dir ? `${dir}/${rawLink}` : rawLink) === null)
        this.fail(
          `link escape: symlink ${JSON.stringify(path)} points outside the root (${JSON.stringify(rawLink.slice(0, 200))})`,
          at,
        );
    }
    const num = (k: string, o: number, n: number): number => {
      if (pax[k] !== undefined) {
        const v = Number(pax[k]);
        if (Number.isFinite(v)) return v;
      }
      return parseNumber(block, o, n) ?? 0;
    };
    const realSize = pax.size !== undefined ? Number(pax.size) : size;
    if (!Number.isSafeInteger(realSize) || realSize < 0) this.fail('invalid pax size', at);
    const h: TarHeader = {
      path,
      type,
      size: type === 'file' || type === 'other' ? realSize : 0,
      mode: (parseNumber(block, 100, 8) ?? 0) & 0o7777,
      uid: num('uid', 108, 8),
      gid: num('gid', 116, 8),
      mtime: num('mtime', 136, 12),
      linkname,
      uname: pax.uname ?? cstr(block, 265, 32),
      gname: pax.gname ?? cstr(block, 297, 32),
      offset: at,
    };
    rawPath = '';
    rawLink = '';
    this.entries++;
    this.current = h;
    this.handler.entry(h);
    this.remaining = realSize;
    this.pad = (BLOCK - (realSize % BLOCK)) % BLOCK;
    if (realSize === 0) this.finishEntry();
    else this.state = State.Data;
  }

  /**
   * When positioned in a regular entry's data, skips it (and its padding) without reading it and
   * returns how many bytes the caller must skip in the underlying file; 0 otherwise. Used to index
   * a tar file by seeking.
   */
  skipData(): number {
    if (this.state !== State.Data) return 0;
    const n = this.remaining + this.pad;
    this.offset += n;
    this.remaining = 0;
    this.pad = 0;
    this.handler.entryEnd?.(this.current!);
    this.state = State.Header;
    return n;
  }

  /** True once the end-of-archive marker has been read. */
  get atEnd(): boolean {
    return this.state === State.End;
  }

  /** Byte offset of the next byte the parser expects. */
  get position(): number {
    return this.offset;
  }

  private finishEntry(): void {
    const h = this.current!;
    this.handler.entryEnd?.(h);
    this.state = this.pad > 0 ? State.Pad : State.Header;
  }

  private finishMeta(): void {
    const buf = Buffer.concat(this.metaChunks, this.metaLen);
    this.metaChunks = [];
    if (this.metaKind === 'L') this.longName = cstr(buf, 0, buf.length);
    else if (this.metaKind === 'K') this.longLink = cstr(buf, 0, buf.length);
    else {
      const recs = parsePax(buf, this.opts.what);
      if (this.metaKind === 'g') Object.assign(this.paxGlobal, recs);
      else Object.assign(this.paxNext, recs);
    }
    this.state = this.pad > 0 ? State.Pad : State.Header;
  }
}

function cstr(b: Buffer, off: number, len: number): string {
  let end = off;
  const max = Math.min(off + len, b.length);
  while (end < max && b[end] !== 0) end++;
  return b.toString('utf8', off, end);
}

/** Octal (NUL/space terminated) or GNU base-256 numbers; null when unparsable. */
function parseNumber(b: Buffer, off: number, len: number): number | null {
  if (b[off] & 0x80) {
    // base-256, big-endian; the first byte's high bit is the marker (0xff = negative).
    if (b[off] === 0xff) return null;
    let v = b[off] & 0x7f;
    for (let i = 1; i < len; i++) {
      v = v * 256 + b[off + i];
      if (v > Number.MAX_SAFE_INTEGER) return null;
    }
    return v;
  }
  let i = off;
  const end = off + len;
  while (i < end && (b[i] === 32 || b[i] === 0)) i++;
  let v = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 0 || c === 32) break;
    if (c < 48 || c > 55) return null;
    v = v * 8 + (c - 48);
    digits++;
  }
  return digits === 0 ? 0 : v;
}

function parsePax(buf: Buffer, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  while (off < buf.length) {
    if (buf[off] === 0) break;
    const sp = buf.indexOf(32, off);
    if (sp < 0) throw new ImageError(`${what}: malformed pax header`);
    const n = Number(buf.toString('latin1', off, sp));
    if (!Number.isSafeInteger(n) || n <= sp - off || off + n > buf.length)
      throw new ImageError(`${what}: malformed pax record length`);
    const rec = buf.toString('utf8', sp + 1, off + n - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    off += n;
  }
  return out;
}
