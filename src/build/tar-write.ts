/**
 * Deterministic layer tars. Hand-rolled rather than tar-stream: every header byte must be fixed
 * by the entries alone (no uname/gname, no atime/ctime, no pax records a library adds on its own,
 * dirs with the same mtime as files), and ustar with a pax record only where a name does not fit
 * is a few dozen lines. Entries are sorted by their UTF-8 bytes, so a parent (a prefix) always
 * comes before its children, and missing parent directories are added (0755): the same entries
 * in any order give the same bytes on any machine.
 */
import { UserError } from '../errors.js';
import { gzipAsync } from '../ship/gzip.js';
import type { BuiltLayer, LayerContent, LayerEntry } from './types.js';

const BLOCK = 512;
/** Mode of the parent directories added because no entry named them. */
const IMPLIED_DIR_MODE = 0o755;
/** Largest value an 11-digit octal ustar field holds. */
const MAX_OCTAL_11 = 0o77777777777;

export interface TarOptions {
  /** mtime of every entry, seconds (SOURCE_DATE_EPOCH; default 0). */
  mtime?: number;
}

/**
 * The mtime for build's layers: SOURCE_DATE_EPOCH when set (reproducible-builds.org's convention),
 * else 0. A value that is not a whole number of seconds is a user error.
 */
export function layerMtime(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.SOURCE_DATE_EPOCH;
  if (v === undefined || v === '') return 0;
  if (!/^\d{1,11}$/.test(v) || Number(v) > MAX_OCTAL_11)
    throw new UserError(
      `SOURCE_DATE_EPOCH=${v} is not a number of seconds since 1970; set it to e.g. $(git log -1 --format=%ct)`,
    );
  return Number(v);
}

function clean(p: string): string {
  let s = p;
  while (s.startsWith('/')) s = s.slice(1);
  while (s.endsWith('/')) s = s.slice(0, -1);
  if (!s || s.split('/').some((seg) => seg === '' || seg === '.' || seg === '..'))
    throw new Error(`layer entry path ${JSON.stringify(p)} is not a clean relative path`);
  return s;
}

const sameEntry = (a: LayerEntry, b: LayerEntry): boolean =>
  a.type === b.type &&
  a.mode === b.mode &&
  (a.linkname ?? '') === (b.linkname ?? '') &&
  Buffer.compare(a.data ?? Buffer.alloc(0), b.data ?? Buffer.alloc(0)) === 0;

/** Entries with clean paths, implied parents added, duplicates merged (they must agree), sorted. */
export function normalizeEntries(entries: LayerEntry[]): LayerEntry[] {
  const byPath = new Map<string, LayerEntry>();
  for (const e of entries) {
    const path = clean(e.path);
    const n: LayerEntry = { ...e, path };
    const had = byPath.get(path);
    if (had && !sameEntry(had, n)) throw new Error(`layer entry ${path} is given twice, differently`);
    byPath.set(path, n);
  }
  for (const path of [...byPath.keys()]) {
    const segs = path.split('/');
    for (let i = 1; i < segs.length; i++) {
      const parent = segs.slice(0, i).join('/');
      const had = byPath.get(parent);
      if (!had) byPath.set(parent, { path: parent, type: 'dir', mode: IMPLIED_DIR_MODE });
      else if (had.type !== 'dir') throw new Error(`layer entry ${parent} is a ${had.type} but holds ${path}`);
    }
  }
  return [...byPath.values()].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}

function octal(buf: Buffer, off: number, width: number, value: number): void {
  // width-1 digits, zero-padded, then NUL (as GNU tar and Go write them).
  buf.write(value.toString(8).padStart(width - 1, '0') + '\0', off, width, 'ascii');
}

function header(name: string, prefix: string, type: string, mode: number, size: number, mtime: number, link: string) {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, mode & 0o7777);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtime);
  h.write(type, 156, 1, 'ascii');
  h.write(link, 157, 100, 'utf8');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  octal(h, 329, 8, 0);
  octal(h, 337, 8, 0);
  h.write(prefix, 345, 155, 'utf8');
  h.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** A name split into ustar's prefix (<=155 bytes) and name (<=100 bytes), or null when it cannot be. */
function splitName(name: string): { prefix: string; name: string } | null {
  const len = Buffer.byteLength(name);
  if (len <= 100) return { prefix: '', name };
  if (len > 256) return null;
  // The last '/' that leaves a name of at most 100 bytes and a prefix of at most 155.
  for (let i = name.length - 1; i > 0; i--) {
    if (name[i] !== '/') continue;
    const pre = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(rest) > 100) return null;
    if (Buffer.byteLength(pre) <= 155 && rest) return { prefix: pre, name: rest };
  }
  return null;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLen = Buffer.byteLength(body);
  let n = bodyLen + String(bodyLen).length;
  if (String(n).length + bodyLen !== n) n = bodyLen + String(n).length;
  return `${n}${body}`;
}

const pad = (n: number): Buffer => Buffer.alloc((BLOCK - (n % BLOCK)) % BLOCK);

/** For tars written as a stream (archives of blobs): a regular file's header (0644, mtime 0, ASCII name <= 100 bytes). */
export function fileHeader(name: string, size: number): Buffer {
  if (!/^[\x20-\x7e]{1,100}$/.test(name)) throw new Error(`tar name ${JSON.stringify(name)} does not fit ustar`);
  return header(name, '', '0', 0o644, size, 0, '');
}
/** The zero bytes that follow a file of `size` bytes up to the next block. */
export const padding = pad;
/** The two zero blocks that end a tar. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

/** Deterministic tar of layer entries (see the module comment); uid/gid 0, one mtime for all. */
export function writeTar(entries: LayerEntry[], opts: TarOptions = {}): Buffer {
  const mtime = Math.floor(opts.mtime ?? 0);
  if (!(mtime >= 0 && mtime <= MAX_OCTAL_11)) throw new Error(`tar mtime ${opts.mtime} is out of range`);
  const out: Buffer[] = [];
  for (const e of normalizeEntries(entries)) {
    const name = e.type === 'dir' ? `${e.path}/` : e.path;
    const data = e.type === 'file' ? (e.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    if (data.length > MAX_OCTAL_11) throw new Error(`layer entry ${e.path} is larger than 8 GiB`);
    const link = e.type === 'symlink' ? (e.linkname ?? '') : '';
    if (e.type === 'symlink' && !link) throw new Error(`layer entry ${e.path} is a symlink without a target`);
    // Non-ASCII names go to pax too: readers disagree on the ustar fields' encoding.
    const ascii = (s: string) => /^[\x20-\x7e]*$/.test(s);
    const split = ascii(name) ? splitName(name) : null;
    const longLink = Buffer.byteLength(link) > 100 || !ascii(link);
    let records = '';
    if (!split) records += paxRecord('path', name);
    if (longLink) records += paxRecord('linkpath', link);
    if (records) {
      const body = Buffer.from(records);
      out.push(header('././@PaxHeader', '', 'x', 0o644, body.length, mtime, ''), body, pad(body.length));
    }
    const hName = split ?? { prefix: '', name: asciiCut(name, 100) };
    const type = e.type === 'dir' ? '5' : e.type === 'symlink' ? '2' : '0';
    out.push(header(hName.name, hName.prefix, type, e.mode, data.length, mtime, longLink ? asciiCut(link, 100) : link));
    if (data.length) out.push(data, pad(data.length));
  }
  out.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(out);
}

/** The ustar field's fallback when pax carries the real value: an ASCII cut (readers use the pax record). */
function asciiCut(s: string, max: number): string {
  return s.replace(/[^\x20-\x7e]/g, '_').slice(-max);
}

/** writeTar + deterministic gzip: the layer blob and its BuiltLayer fields (reused: false). */
export async function buildLayer(
  content: LayerContent,
  entries: LayerEntry[],
  opts: TarOptions = {},
): Promise<{ layer: BuiltLayer; blob: Buffer }> {
  const tar = writeTar(entries, opts);
  const gz = await gzipAsync(tar);
  return {
    layer: {
      kind: content.kind,
      packages: content.packages.map((p) => ({ ...p })),
      diffId: gz.diffId,
      digest: gz.digest,
      size: gz.size,
      tarSize: gz.uncompressedSize,
      reused: false,
    },
    blob: gz.bytes,
  };
}
