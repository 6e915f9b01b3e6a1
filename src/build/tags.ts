/**
 * Wheel tags for a build target, in the order packaging.tags (what pip and uv follow) gives them
 * for CPython on Linux, so the wheel picked here is the one pip would pick in the image. Computed
 * from the target alone (never from this host).
 */
import type { BuildTarget } from './types.js';

/** OCI architecture -> the machine name wheel platform tags use. */
const MACHINE: Record<string, string> = {
  amd64: 'x86_64',
  arm64: 'aarch64',
  '386': 'i686',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loongarch64',
};

/** The wheel machine name (x86_64, aarch64, armv7l...) of an OCI platform. */
export function wheelArch(p: BuildTarget['platform']): string {
  if (p.architecture === 'arm') return p.variant === 'v6' ? 'armv6l' : 'armv7l';
  return MACHINE[p.architecture] ?? p.architecture;
}

// packaging's _LEGACY_MANYLINUX_MAP: the old names stand right after the glibc they equal.
const LEGACY: Record<number, string> = { 17: 'manylinux2014', 12: 'manylinux2010', 5: 'manylinux1' };
// manylinux2014 was defined for these; manylinux1/2010 only for x86_64 and i686.
const MANYLINUX2014_ARCHES = new Set(['x86_64', 'i686', 'aarch64', 'armv7l', 'ppc64', 'ppc64le', 's390x']);

/**
 * Platform tags, best first: manylinux_2_N (glibc minor down to 17, down to 5 on x86_64/i686 as
 * packaging does) with the legacy aliases, or musllinux_1_N down to 0; then linux_<arch>.
 */
export function platformTags(t: Omit<BuildTarget, 'tags'>): string[] {
  const arch = wheelArch(t.platform);
  const [major, minor] = t.libc.version.split('.').map(Number);
  const out: string[] = [];
  if (t.libc.kind === 'glibc' && major === 2) {
    const lowest = arch === 'x86_64' || arch === 'i686' ? 5 : 17;
    for (let n = minor; n >= lowest; n--) {
      out.push(`manylinux_2_${n}_${arch}`);
      const legacy = LEGACY[n];
      if (legacy && (n !== 17 || MANYLINUX2014_ARCHES.has(arch)) && (n === 17 || lowest === 5))
        out.push(`${legacy}_${arch}`);
    }
  } else if (t.libc.kind === 'musl' && major === 1) {
    for (let n = minor; n >= 0; n--) out.push(`musllinux_1_${n}_${arch}`);
  }
  out.push(`linux_${arch}`);
  return out;
}

/**
 * The wheel tags a target accepts, most preferred first, as packaging.tags orders them for
 * CPython: cpXY-cpXY-<plat>, cpXY-abi3-<plat>, cpXY-none-<plat>, cp3(Y-1)..cp32-abi3-<plat>,
 * pyXY/py3/py3(Y-1)..py30-none-<plat>, then cpXY-none-any and pyXY/py3/...-none-any.
 */
export function compatibleTags(t: Omit<BuildTarget, 'tags'>): string[] {
  const [major, minor] = t.python.minor.split('.').map(Number);
  const plats = platformTags(t);
  const cp = `cp${major}${minor}`;
  const out: string[] = [];
  const each = (interp: string, abi: string) => {
    for (const p of plats) out.push(`${interp}-${abi}-${p}`);
  };
  each(cp, cp);
  // abi3 is CPython 3.2+'s stable ABI: a cp3N-abi3 wheel runs on any later 3.x.
  const abi3 = major === 3 && minor >= 2;
  if (abi3) each(cp, 'abi3');
  each(cp, 'none');
  if (abi3) for (let m = minor - 1; m >= 2; m--) each(`cp${major}${m}`, 'abi3');
  const pyRange = [`py${major}${minor}`, `py${major}`];
  for (let m = minor - 1; m >= 0; m--) pyRange.push(`py${major}${m}`);
  for (const py of pyRange) each(py, 'none');
  out.push(`${cp}-none-any`);
  for (const py of pyRange) out.push(`${py}-none-any`);
  return out;
}

const rankCache = new WeakMap<string[], Map<string, number>>();

/** The `python-abi-platform` triples a wheel file name carries (compressed tag sets expanded); null if not a wheel. */
export function wheelFileTags(filename: string): string[] | null {
  const base = filename.split('/').pop() ?? filename;
  if (!base.endsWith('.whl')) return null;
  const parts = base.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) return null;
  const [py, abi, plat] = parts.slice(-3);
  const out: string[] = [];
  for (const x of py.split('.'))
    for (const a of abi.split('.')) for (const p of plat.split('.')) out.push(`${x}-${a}-${p}`);
  return out;
}

/** Position in `tags` of the best tag the wheel file carries (lower is better); null when it cannot install. */
export function wheelRank(filename: string, tags: string[]): number | null {
  const triples = wheelFileTags(filename);
  if (!triples) return null;
  let index = rankCache.get(tags);
  if (!index) {
    index = new Map(tags.map((t, i) => [t, i]));
    rankCache.set(tags, index);
  }
  let best: number | null = null;
  // Tags compare case-insensitively (packaging lower-cases them when parsing a file name).
  for (const t of triples) {
    const i = index.get(t.toLowerCase());
    if (i !== undefined && (best === null || i < best)) best = i;
  }
  return best;
}
