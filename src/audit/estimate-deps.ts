/**
 * The compressed bytes of a dependency-install layer, from the lock: for each package the
 * install puts in the image, the size of the wheel it installs (recorded in the lock, else found
 * in the configured wheel sources). A wheel is a zip of the installed files, so its size is close
 * to the gzip size of what the install writes; the estimate says so. One package without a size
 * makes the whole figure unknown, with the names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLock } from './lock-read.js';
import { pickFile } from './wheel-pick.js';
import type { WheelFinder } from './wheel-sources.js';
import { wheelPyBytes } from './wheel-zip.js';

/** Share of a pure-Python wheel's bytes that are .py files: 790 KB of 844 KB gzip in flask's 8 wheels, measured. */
const PURE_PY_SHARE = 0.94;

export interface DepsEstimate {
  /** null when any package's size is unknown. */
  bytes: number | null;
  /** One line: what the figure rests on (or why it is unknown). */
  basis: string;
  packages: number;
  /** Packages whose size was not found. */
  missing: string[];
  /** Packages counted by their sdist's size (no compatible wheel in the lock). */
  sdists: string[];
  /**
   * Compressed bytes of the wheels' `.py` files (what byte-compiling turns into .pyc): read from
   * the wheels found on disk; for the others, their size times the share measured on those.
   */
  pyBytes: number;
  /** How pyBytes was found, one line. */
  pyBasis: string;
}

export interface DepsQuery {
  /** Directory of the lock. */
  dir: string;
  /** Lock (or pinned requirements) file, relative to dir. */
  lockFile: string;
  /** `3.11` */
  python: string;
  /** Count packages only development groups need. */
  includeDev: boolean;
  /** HTTP indexes to ask for sizes (the build's PIP_INDEX_URL/UV_INDEX_URL, pyproject's sources). */
  indexUrls?: string[];
}

/** Estimates the install of `q.lockFile`; `finder` supplies sizes the lock lacks. */
export async function estimateDeps(q: DepsQuery, finder: WheelFinder): Promise<DepsEstimate> {
  let text: string;
  try {
    text = readFileSync(join(q.dir, q.lockFile), 'utf8');
  } catch {
    return {
      bytes: null,
      basis: `unknown: ${q.lockFile} cannot be read`,
      packages: 0,
      missing: [],
      sdists: [],
      pyBytes: 0,
      pyBasis: '',
    };
  }
  const lock = readLock(q.lockFile, text, q.python);
  // Indexes the lock itself names (requirements --index-url, poetry sources) come first.
  const indexUrls = [
    ...new Set([...[...text.matchAll(/(https?:\/\/[^\s"'#]+\/simple)\/?/g)].map((m) => m[1]), ...(q.indexUrls ?? [])]),
  ];
  const pkgs = lock.packages.filter((p) => q.includeDev || !p.dev);
  let total = 0;
  let recorded = 0;
  const found = new Map<string, number>();
  const missing: string[] = [];
  const sdists: string[] = [];
  let readPy = 0;
  let readSize = 0;
  let unreadSize = 0;
  for (const p of pkgs) {
    const pick = pickFile(p.files, q.python);
    let size: number | undefined;
    let path: string | undefined;
    if (pick?.file.size !== undefined) {
      size = pick.file.size;
      recorded++;
      if (pick.sdist) sdists.push(p.name);
    }
    // Looked up even when the lock has the size: a wheel on disk tells how much of it is source.
    const known = size !== undefined;
    const hit = await finder.find(p.name, p.version, q.python, pick?.file, known ? [] : indexUrls, known);
    if (size === undefined && hit) {
      size = hit.size;
      found.set(hit.source, (found.get(hit.source) ?? 0) + 1);
    }
    if (hit?.path && hit.size === size) path = hit.path;
    if (size === undefined) {
      missing.push(`${p.name}==${p.version}`);
      continue;
    }
    total += size;
    const py = path && !pick?.sdist ? wheelPyBytes(path) : undefined;
    if (py !== undefined) {
      readPy += py;
      readSize += size;
    } else unreadSize += size;
  }
  const share = readSize ? readPy / readSize : PURE_PY_SHARE;
  const pyBytes = Math.round(readPy + unreadSize * share);
  const pyBasis = unreadSize
    ? `.py share of ${readSize ? `the wheels read (${Math.round(share * 100)}%)` : `pure-Python wheels (${Math.round(PURE_PY_SHARE * 100)}%, measured on flask's 8 wheels)`} applied to ${Math.round(unreadSize / 1024)} KB of wheels not on this machine`
    : 'the .py entries of every wheel, read from the wheels on this machine';
  const n = pkgs.length;
  const plural = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  if (missing.length) {
    const why = lock.recordsSizes ? 'their sizes are not in the lock' : `${q.lockFile} records no sizes`;
    const where =
      finder.sources.dirs.length + finder.sources.indexes.length + finder.sources.uvCaches.length
        ? 'nor are they in the local pip/uv cache or wheel directories'
        : 'and no pip/uv cache or wheel directory is configured';
    return {
      bytes: null,
      basis: `unknown: ${plural(missing.length, 'package')} of ${n} without a size (${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', ...' : ''}): ${why}, ${where}`,
      packages: n,
      missing,
      sdists,
      pyBytes,
      pyBasis,
    };
  }
  const parts: string[] = [];
  if (recorded) parts.push(`${recorded} recorded in the lock`);
  for (const [src, k] of found) parts.push(`${k} from ${src}`);
  const sdistNote = sdists.length ? `; ${sdists.join(', ')} counted by sdist size (no linux x86_64 wheel)` : '';
  return {
    bytes: total,
    basis: `${q.lockFile}: ${plural(n, 'package')}, wheel sizes (${parts.join(', ') || 'none'}) for linux x86_64 CPython ${q.python}${sdistNote}`,
    packages: n,
    missing,
    sdists,
    pyBytes,
    pyBasis,
  };
}
