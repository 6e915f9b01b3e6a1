/**
 * What `python -m venv DIR` writes: pip (and setuptools before Python 3.12) installed from the
 * wheels ensurepip carries, byte-compiled. Their sizes come from real wheels: those of the base
 * image when the engine has it (ensurepip/_bundled, or Debian's /usr/share/python-wheels), else
 * those of a Python of the same minor version on this machine, else unknown.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * The venv's layer is 2.35x the gzip size of the seed wheels: `python -m venv /venv` on the test
 * world's python:3.11-slim (Debian's Python 3.11.2) made a 6,963,156 B layer (docker save, layer
 * tar gzipped) from pip-23.0.1 (1,698,754 B) and setuptools-66.1.1 (1,261,745 B) wheels; the
 * unpacked files plus their .pyc.
 */
export const VENV_PER_SEED_WHEEL = 2.35;

export interface SeedWheels {
  /** Summed wheel sizes. */
  bytes: number;
  /** `pip-23.0.1-py3-none-any.whl (1,698,754 B), ...` and where they were found. */
  basis: string;
}

/** Wheels ensurepip installs into a venv: pip and setuptools (3.11 and older), never others. */
export const SEED_WHEEL =
  /(?:^|\/)(?:python3\.\d+\/ensurepip\/_bundled|share\/python-wheels)\/((pip|setuptools)-[^/]+\.whl)$/;

/** Picks one wheel per name (the highest version) from `path -> size`; null when pip is missing. */
export function pickSeed(found: Map<string, number>, where: string): SeedWheels | null {
  const best = new Map<string, { file: string; size: number }>();
  for (const [path, size] of found) {
    const m = SEED_WHEEL.exec(path);
    if (!m) continue;
    const prev = best.get(m[2]);
    if (!prev || compareVersions(m[1], prev.file) > 0) best.set(m[2], { file: m[1], size });
  }
  if (!best.has('pip')) return null;
  const list = [...best.values()];
  return {
    bytes: list.reduce((a, w) => a + w.size, 0),
    basis: `${list.map((w) => `${w.file} (${w.size} B)`).join(' + ')} ${where}`,
  };
}

function compareVersions(a: string, b: string): number {
  const num = (s: string) => (/-(\d+(?:\.\d+)*)/.exec(s)?.[1] ?? '0').split('.').map(Number);
  const x = num(a);
  const y = num(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Where a Python of `minor` (`3.11`) keeps its seed wheels on this machine (roots overridable for tests). */
export function localSeed(minor: string, roots = ['/usr/local/lib', '/usr/lib', '/opt/python/lib']): SeedWheels | null {
  const found = new Map<string, number>();
  const add = (dir: string, prefix: string) => {
    try {
      for (const f of readdirSync(dir))
        if (f.endsWith('.whl')) found.set(`${prefix}/${f}`, statSync(join(dir, f)).size);
    } catch {
      // Not there.
    }
  };
  let dirs = 0;
  for (const root of roots) {
    const lib = join(root, `python${minor}`);
    try {
      if (!statSync(join(lib, 'ensurepip')).isDirectory()) continue;
    } catch {
      continue;
    }
    dirs++;
    add(join(lib, 'ensurepip', '_bundled'), `python${minor}/ensurepip/_bundled`);
    // Debian's Python takes ensurepip's wheels from /usr/share/python-wheels.
    add(join(root, '..', 'share', 'python-wheels'), 'share/python-wheels');
  }
  if (!dirs) return null;
  return pickSeed(found, `(a local Python ${minor}'s ensurepip wheels, standing in for the base image's)`);
}

/** One layer's effect on the seed wheels: a path's size, or null where a whiteout removes it. */
type SeedEntries = Map<string, number | null>;

function seedParser(TarParser: TarParserClass, into: SeedEntries, what: string) {
  return new TarParser(
    {
      entry(h) {
        const base = h.path.replace(/(^|\/)\.wh\.([^/]+)$/, '$1$2');
        if (base !== h.path) into.set(base, null);
        else if (h.type === 'file' && SEED_WHEEL.test(h.path)) into.set(h.path, h.size);
      },
    },
    { what },
  );
}

type TarParserClass = typeof import('../image/tar.js').TarParser;

/**
 * The seed wheels inside `ref` as the engine has it: every layer read, later layers winning.
 * The layers are parsed while the engine's one export streams (keyed by the digest computed on the
 * way); a layer the pass missed is read again on its own.
 */
export async function engineSeed(ref: string, signal?: AbortSignal): Promise<SeedWheels | null> {
  const { openImage } = await import('../image/open.js');
  const { readLayer } = await import('../image/layer-stream.js');
  const { TarParser } = await import('../image/tar.js');
  const byDigest = new Map<string, SeedEntries>();
  const visit = async (blob: Readable, hint: { what: string }): Promise<void> => {
    const entries: SeedEntries = new Map();
    const hash = createHash('sha256');
    const parser = seedParser(TarParser, entries, hint.what);
    try {
      for await (const c of blob as AsyncIterable<Buffer>) {
        hash.update(c);
        parser.write(c);
      }
      byDigest.set(`sha256:${hash.digest('hex')}`, entries);
    } catch {
      // Not a layer tar (or cut short): the layer, if it is one, is read again below.
      blob.destroy();
    }
  };
  const img = await openImage(`engine:${ref}`, { timeoutMs: 10_000, onBlob: visit });
  const found = new Map<string, number>();
  try {
    for (const layer of img.layers) {
      if (signal?.aborted) return null;
      let entries = byDigest.get(layer.digest) ?? byDigest.get(layer.diffId);
      if (!entries) {
        const read: SeedEntries = new Map();
        const parser = seedParser(TarParser, read, `${ref} layer ${layer.index + 1}`);
        await readLayer(img, layer, (c) => parser.write(c));
        entries = read;
      }
      for (const [path, size] of entries) {
        if (size === null) found.delete(path);
        else found.set(path, size);
      }
    }
  } finally {
    await img.source.close();
  }
  return pickSeed(found, `(ensurepip's wheels in ${ref}, read from the engine)`);
}

/**
 * The seed wheels for venvs made on `baseRef`: from the engine's copy of the image when `engine`
 * is on and it has it, else a local Python of the same minor version, else null with why.
 * Memoised per minor version.
 */
export function seedLookup(
  baseRef: string | null,
  o: { engine?: boolean; signal?: AbortSignal; roots?: string[] },
): (python: string) => Promise<{ wheels: SeedWheels | null; why: string }> {
  const memo = new Map<string, Promise<{ wheels: SeedWheels | null; why: string }>>();
  const look = async (python: string) => {
    const why: string[] = [];
    if (o.engine && baseRef && !/\$/.test(baseRef)) {
      try {
        const w = await engineSeed(baseRef, o.signal);
        if (w) return { wheels: w, why: '' };
        why.push(`${baseRef} in the engine carries no ensurepip wheels`);
      } catch (e) {
        why.push(`the engine could not export ${baseRef} (${(e as Error).message.split('\n')[0]})`);
      }
    } else why.push(o.engine ? 'the base image is not named' : 'the engine is not asked');
    const local = localSeed(python, o.roots);
    if (local) return { wheels: local, why: '' };
    why.push(`no local Python ${python} with ensurepip wheels`);
    return { wheels: null, why: why.join('; ') };
  };
  return (python: string) => {
    let p = memo.get(python);
    if (!p) memo.set(python, (p = look(python)));
    return p;
  };
}
