/**
 * Picks the distribution file pip or uv would install on linux x86_64 (glibc) for a given
 * CPython version: the most specific compatible wheel, else the sdist. Wheel names follow
 * `name-version(-build)?-python-abi-platform.whl` with `.`-compressed tag sets.
 */

export interface DistFile {
  /** File name, e.g. `numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.whl`. */
  name: string;
  url?: string;
  /** Bytes, when the lock records them. */
  size?: number;
}

export interface WheelTags {
  python: string[];
  abi: string[];
  platform: string[];
}

/** The tag sets of a wheel file name, or undefined for anything that is not a wheel. */
export function wheelTags(file: string): WheelTags | undefined {
  const base = file.split('/').pop() ?? file;
  if (!base.endsWith('.whl')) return undefined;
  const parts = base.slice(0, -4).split('-');
  if (parts.length < 5) return undefined;
  const [py, abi, plat] = parts.slice(-3);
  return { python: py.split('.'), abi: abi.split('.'), platform: plat.split('.') };
}

/** 0 when the wheel cannot install on linux x86_64 glibc with CPython `python` (e.g. `3.11`); higher is preferred. */
export function wheelScore(file: string, python: string): number {
  const tags = wheelTags(file);
  if (!tags) return 0;
  const [major, minor] = python.split('.').map(Number);
  const cp = `cp${major}${minor}`;
  const plat = Math.max(...tags.platform.map(platformScore));
  if (plat === 0) return 0;
  let py = 0;
  for (const t of tags.python) {
    if (t === cp) py = Math.max(py, 4);
    else if (/^cp3\d+$/.test(t) && tags.abi.includes('abi3') && Number(t.slice(3)) <= minor) py = Math.max(py, 3);
    else if (t === `py${major}${minor}`) py = Math.max(py, 2);
    else if (t === `py${major}` || t === 'py2.py3') py = Math.max(py, 1);
  }
  if (py === 0) return 0;
  const abiOk = tags.abi.some((a) => a === 'none' || a === 'abi3' || a === cp);
  if (!abiOk) return 0;
  return py * 10 + plat;
}

function platformScore(p: string): number {
  if (p === 'any') return 1;
  if (/^manylinux_\d+_\d+_x86_64$/.test(p) || /^manylinux(1|2010|2014)_x86_64$/.test(p)) return 3;
  if (p === 'linux_x86_64') return 2;
  return 0;
}

/**
 * The file to count for a package: the best compatible wheel, else the sdist (its size stands in,
 * with a note, since the built wheel is not recorded anywhere), else undefined.
 */
export function pickFile(files: DistFile[], python: string): { file: DistFile; sdist: boolean } | undefined {
  let best: DistFile | undefined;
  let bestScore = 0;
  for (const f of files) {
    const s = wheelScore(f.name, python);
    if (s > bestScore) {
      best = f;
      bestScore = s;
    }
  }
  if (best) return { file: best, sdist: false };
  const sdist = files.find((f) => /\.(tar\.gz|zip|tar\.bz2)$/.test(f.name));
  return sdist ? { file: sdist, sdist: true } : undefined;
}

/** `name-version` of a distribution file, lower-cased with `_`, for matching files found on disk. */
export function distKey(file: string): string | undefined {
  const base = file.split('/').pop() ?? file;
  const m = /^([A-Za-z0-9][A-Za-z0-9._]*?)-(\d[^-]*?)(-|\.tar\.gz$|\.zip$)/.exec(base);
  return m ? `${m[1].toLowerCase().replace(/[-_.]+/g, '_')}-${m[2]}` : undefined;
}
