/**
 * Per-layer analysis in one streaming pass: blob -> digest check -> decompress -> diffID check
 * -> tar entries. Records every entry's metadata (and optionally a content hash), whiteouts and
 * opaque directories, Python distribution records, and secret findings. Nothing is written.
 */
import { createHash, type Hash } from 'node:crypto';
import { ImageError } from '../errors.js';
import type { Readable } from 'node:stream';
import { type LayerExpect, layerWhat, readLayerStream } from '../layer-stream.js';
import type { Compression, Image, Layer } from '../model.js';
import { type EntryType, type TarHeader, TarParser } from '../tar.js';
import { isScanCandidate, type SecretFinding, scanFile } from './secrets.js';

export interface FileRecord {
  path: string;
  type: EntryType;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  linkname?: string;
  /** sha256 of the content (regular files, when hashing was asked for). */
  hash?: string;
}

export interface DistRecord {
  /** The site-packages directory, e.g. usr/local/lib/python3.11/site-packages. */
  sitePackages: string;
  name: string;
  version: string;
  /** Files the RECORD lists, as image paths. */
  files: string[];
}

export interface LayerAnalysis {
  digest: string;
  diffId: string;
  size: number;
  uncompressedSize: number;
  compression: Compression;
  /** Entries other than whiteouts, last one wins for a repeated path. */
  files: FileRecord[];
  /** Paths removed by `.wh.NAME` entries. */
  whiteouts: string[];
  /** Directories made opaque by `.wh..wh..opq`. */
  opaqueDirs: string[];
  dists: DistRecord[];
  secrets: SecretFinding[];
  /** Sum of regular file sizes. */
  contentBytes: number;
  entries: number;
}

export interface AnalyzeOptions {
  /** Hash every regular file's content (needed by diff; costs one more sha256 pass). */
  hashFiles?: boolean;
}

const SCAN_MAX = 1 << 20;
const RECORD_MAX = 16 << 20;
const RECORD_RE = /^(.*?(?:site|dist)-packages)\/([^/]+)\.dist-info\/RECORD$/;
const WH = '.wh.';
const OPQ = '.wh..wh..opq';

function joinPath(dir: string, rel: string): string | null {
  const parts = dir ? dir.split('/') : [];
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!parts.length) return null;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

export function parseRecord(sitePackages: string, distDir: string, text: string): DistRecord {
  const dash = distDir.indexOf('-');
  const name = dash > 0 ? distDir.slice(0, dash) : distDir;
  const version = dash > 0 ? distDir.slice(dash + 1) : '';
  const files: string[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    let p: string;
    if (line.startsWith('"')) {
      const end = line.indexOf('",');
      p = end > 0 ? line.slice(1, end).replace(/""/g, '"') : line.slice(1);
    } else {
      const c = line.indexOf(',');
      p = c >= 0 ? line.slice(0, c) : line;
    }
    const full = p.startsWith('/') ? joinPath('', p) : joinPath(sitePackages, p);
    if (full !== null) files.push(full);
  }
  return { sitePackages, name, version, files };
}

export async function analyzeLayer(image: Image, layer: Layer, opts: AnalyzeOptions = {}): Promise<LayerAnalysis> {
  const blob = await image.source.openBlob({ mediaType: layer.mediaType, digest: layer.digest, size: layer.size });
  return analyzeLayerStream(blob, layer, layer.index, layerWhat(image, layer), opts);
}

/**
 * The analysis of one layer's blob, whatever it came from. Digest and diffID are checked when
 * `layer` gives them, else computed (and returned) for the caller to check.
 */
export async function analyzeLayerStream(
  blob: Readable,
  layer: LayerExpect,
  layerIndex: number,
  what: string,
  opts: AnalyzeOptions = {},
): Promise<LayerAnalysis> {
  const files = new Map<string, FileRecord>();
  const whiteouts: string[] = [];
  const opaqueDirs: string[] = [];
  const dists: DistRecord[] = [];
  const secrets: SecretFinding[] = [];
  let contentBytes = 0;

  // Per-entry state.
  let cur: FileRecord | null = null;
  let hash: Hash | null = null;
  let keep: Buffer[] | null = null;
  let keepLen = 0;
  let keepKind: 'scan' | 'record' | 'maybe-key' | null = null;
  let firstChunk = true;

  const parser = new TarParser(
    {
      entry(h: TarHeader) {
        cur = null;
        const slash = h.path.lastIndexOf('/');
        const base = h.path.slice(slash + 1);
        const dir = slash >= 0 ? h.path.slice(0, slash) : '';
        if (base.startsWith(WH)) {
          if (base === OPQ) opaqueDirs.push(dir);
          else {
            const target = dir ? `${dir}/${base.slice(WH.length)}` : base.slice(WH.length);
            whiteouts.push(target);
            files.delete(target);
          }
          return;
        }
        if (h.path === '') return; // the root directory itself
        const rec: FileRecord = {
          path: h.path,
          type: h.type,
          size: h.size,
          mode: h.mode,
          uid: h.uid,
          gid: h.gid,
          mtime: h.mtime,
        };
        if (h.type === 'symlink' || h.type === 'hardlink') rec.linkname = h.linkname;
        files.set(h.path, rec);
        if (h.type !== 'file') return;
        contentBytes += h.size;
        cur = rec;
        firstChunk = true;
        keep = null;
        keepLen = 0;
        keepKind = null;
        if (RECORD_RE.test(h.path) && h.size <= RECORD_MAX) keepKind = 'record';
        else if (h.size <= SCAN_MAX && isScanCandidate(h.path)) keepKind = 'scan';
        if (keepKind) keep = [];
        hash = opts.hashFiles ? createHash('sha256') : null;
        if (h.size === 0) finish();
      },
      data(chunk: Buffer) {
        if (!cur) return;
        hash?.update(chunk);
        if (firstChunk) {
          firstChunk = false;
          if (!keep && cur.size <= SCAN_MAX) {
            const head = chunk.subarray(0, 4096);
            if (head.indexOf('PRIVATE KEY-----') >= 0) {
              keep = [];
              keepKind = 'maybe-key';
            }
          }
        }
        if (keep) {
          keep.push(Buffer.from(chunk));
          keepLen += chunk.length;
        }
      },
      entryEnd(h: TarHeader) {
        if (cur && h.type === 'file' && h.size > 0) finish();
      },
    },
    { what },
  );

  function finish(): void {
    const rec = cur!;
    if (hash) rec.hash = hash.digest('hex');
    const content = keep ? Buffer.concat(keep, keepLen) : null;
    if (keepKind === 'record' && content) {
      const m = RECORD_RE.exec(rec.path)!;
      dists.push(parseRecord(m[1], m[2], content.toString('utf8')));
    }
    const found = scanFile(rec.path, keepKind === 'scan' || keepKind === 'maybe-key' ? content : null);
    if (found.length) secrets.push(...found.map((f) => ({ ...f, layerIndex })));
    keep = null;
    hash = null;
    cur = null;
  }

  const r = await readLayerStream(blob, layer, what, (chunk) => parser.write(chunk));
  try {
    parser.end();
  } catch (e) {
    throw e instanceof ImageError ? e : new ImageError(`${what}: ${(e as Error).message}`);
  }
  return {
    digest: r.digest,
    diffId: r.diffId,
    size: r.size,
    uncompressedSize: r.uncompressedSize,
    compression: r.compression,
    files: [...files.values()],
    whiteouts,
    opaqueDirs,
    dists,
    secrets,
    contentBytes,
    entries: parser.entries,
  };
}
