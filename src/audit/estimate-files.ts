/**
 * The compressed size of a layer that holds given files: the files are really put in a tar
 * (512-byte headers, content padded to 512, a directory entry per parent) and gzipped at the
 * default level, as the engine does when it pushes a layer. Past a cap the rest is
 * extrapolated with the ratio measured on what was read, and the estimate says so.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Bytes read and gzipped at most; the rest is extrapolated. */
const READ_CAP = 64 * 1024 * 1024;
const FILE_CAP = 20_000;

export interface GzipEstimate {
  /** Estimated gzip bytes of the layer. */
  bytes: number;
  files: number;
  /** Uncompressed bytes of the files. */
  raw: number;
  /** True when part of the figure was extrapolated past the cap. */
  extrapolated: boolean;
}

/** Estimates the layer for `paths` (relative to `root`, `/`-separated), copied under `dest`. */
export function gzipFilesEstimate(root: string, paths: string[], dest = '/'): GzipEstimate {
  const chunks: Buffer[] = [];
  let read = 0;
  let raw = 0;
  let restRaw = 0;
  let restFiles = 0;
  let sampleRaw = 0;
  const dirs = new Set<string>();
  const prefix = dest.replace(/^\/+/, '').replace(/\/*$/, '/');
  let n = 0;
  for (const rel of paths) {
    let size: number;
    try {
      size = statSync(join(root, rel)).size;
    } catch {
      continue;
    }
    raw += size;
    if (read + size > READ_CAP || n >= FILE_CAP) {
      restRaw += size;
      restFiles++;
      continue;
    }
    n++;
    const name = `${prefix === '/' ? '' : prefix}${rel}`;
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) {
      const d = `${parts.slice(0, i).join('/')}/`;
      if (!dirs.has(d)) {
        dirs.add(d);
        chunks.push(header(d, 0, '5'));
      }
    }
    chunks.push(header(name, size, '0'));
    const body = readFile(join(root, rel), size);
    chunks.push(body);
    if (size % 512) chunks.push(Buffer.alloc(512 - (size % 512)));
    read += size;
    sampleRaw += size;
  }
  chunks.push(Buffer.alloc(1024));
  const sample = gzipSync(Buffer.concat(chunks)).length;
  let bytes = sample;
  if (restFiles) {
    // Ratio measured on the part read, headers included (per file), applied to the rest.
    const perByte = sampleRaw ? sample / (sampleRaw + n * 512) : 0.5;
    bytes += Math.round((restRaw + restFiles * 512) * perByte);
  }
  return { bytes, files: n + restFiles, raw, extrapolated: restFiles > 0 };
}

/** A layer of entries without content (whiteouts of removed files): their headers, gzipped. */
export function gzipHeadersEstimate(names: string[]): number {
  const chunks = names.map((n) => header(`.wh.${n.replace(/^\/+/, '')}`, 0, '0'));
  chunks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(chunks)).length;
}

/** Every file under `dir` (bounded walk), as a layer rooted at `/`. */
export function gzipTreeEstimate(dir: string): GzipEstimate | undefined {
  const files: string[] = [];
  const walk = (rel: string, depth: number) => {
    if (depth > 30 || files.length >= FILE_CAP * 5) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(rel ? join(dir, rel) : dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r, depth + 1);
      else if (e.isFile()) files.push(r);
    }
  };
  walk('', 0);
  return files.length ? gzipFilesEstimate(dir, files) : undefined;
}

function readFile(path: string, size: number): Buffer {
  const buf = Buffer.alloc(size);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    let off = 0;
    while (off < size) {
      const got = readSync(fd, buf, off, size - off, off);
      if (got <= 0) break;
      off += got;
    }
  } catch {
    // Unreadable: counted as zeros of its size, which gzip shrinks; the file count still holds.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return buf;
}

/** A ustar header; long names go in the prefix field as tar writers do. */
function header(name: string, size: number, type: '0' | '5'): Buffer {
  const h = Buffer.alloc(512);
  let n = name;
  let prefix = '';
  if (Buffer.byteLength(n) > 100) {
    const cut = n.lastIndexOf('/', n.length - 2 > 155 ? 155 : n.length - 2);
    if (cut > 0) {
      prefix = n.slice(0, cut);
      n = n.slice(cut + 1);
    }
  }
  h.write(n.slice(0, 100), 0);
  h.write(type === '5' ? '0000755\0' : '0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write(`${(1_700_000_000).toString(8).padStart(11, '0')}\0`, 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0' + '00', 257);
  h.write('root', 265);
  h.write('root', 297);
  h.write(prefix.slice(0, 155), 345);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}
