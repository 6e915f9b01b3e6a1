/**
 * Reading the base image into a BuildTarget: what its interpreter and C library accept, from its
 * config and its files, never from this host. Layers are streamed top-down (the newest first) and
 * reading stops once every fact is known; a path a newer layer holds or whites out hides the same
 * path below it.
 *
 * What is read, in order of trust:
 * - platform: the image config (os, architecture, variant).
 * - interpreter: `usr/local/bin/python3.X` (official python images, source builds) or
 *   `usr/bin/python3.X` (distribution packages), file or symlink; with ENV PYTHON_VERSION the
 *   matching minor wins, else usr/local before usr/bin, the highest minor first.
 * - full version: ENV PYTHON_VERSION (official images); else the distribution's package
 *   database: dpkg's `python3.X-minimal` (var/lib/dpkg/status or status.d/ in distroless images;
 *   `3.11.2-6+deb12u6` -> 3.11.2), apk's `python3` (lib/apk/db/installed); else
 *   `include/python3.X/patchlevel.h` (PY_VERSION); else the minor alone (3.11).
 * - glibc: the `release version X.Y` string in `lib/<triplet>/libc.so.6` (or usr/lib/...), or the
 *   version in the name of the file it links to (libc-2.31.so).
 * - musl: `lib/ld-musl-<arch>.so.1`; its version from apk's `musl` package, else 1.2.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDisabled } from '../image/analyze/cache.js';
import { readLayer } from '../image/layer-stream.js';
import { defaultCacheDir } from './fetch.js';
import { Hasher } from '../image/digest.js';
import type { BlobVisitor, Image } from '../image/model.js';
import { openImage } from '../image/open.js';
import { parsePlatform } from '../image/platform.js';
import { parseRef } from '../image/ref.js';
import { TarParser, type TarHeader } from '../image/tar.js';
import { UserError } from '../errors.js';
import { compatibleTags } from './tags.js';
import type { BuildTarget } from './types.js';

const EXE = /^(usr\/local\/bin|usr\/bin)\/python(3\.\d+)$/;
const LIBC = /^(?:usr\/)?lib(?:64)?\/(?:[a-z0-9_]+-linux-[a-z0-9_]+\/)?libc\.so\.6$/;
const MUSL = /^lib\/ld-musl-[a-z0-9_]+\.so\.1$/;
const DPKG = /^var\/lib\/dpkg\/status(\.d\/[^/]+)?$/;
const APK = 'lib/apk/db/installed';
const PATCHLEVEL = /^usr(?:\/local)?\/include\/python(3\.\d+)\/patchlevel\.h$/;
const MAX_KEEP = 64 << 20;

/** What the layers have shown so far. */
interface Found {
  exes: { path: string; minor: string }[];
  libc?: { kind: 'glibc' | 'musl'; version: string };
  /** Package databases and headers (text), first seen wins (the newest layer). */
  dpkg: string[];
  apk?: string;
  patchlevel: Map<string, string>;
}

class Stop extends Error {}

/** Paths hidden by newer layers' entries and whiteouts. */
class Shadow {
  private paths = new Set<string>();
  private opaque: string[] = [];
  hidden(path: string): boolean {
    if (this.paths.has(path)) return true;
    return this.opaque.some((d) => path.startsWith(`${d}/`));
  }
  /** Records a layer's entries once it is read (they hide lower layers, not each other). */
  add(paths: string[], opaque: string[]): void {
    for (const p of paths) this.paths.add(p);
    this.opaque.push(...opaque);
  }
}

function versionFromDpkg(status: string, minor: string): string | undefined {
  for (const block of status.split(/\n\n+/)) {
    const pkg = /^Package: (\S+)$/m.exec(block)?.[1];
    if (pkg !== `python${minor}-minimal` && pkg !== `libpython${minor}-minimal` && pkg !== `python${minor}`) continue;
    if (!/^Status: .*installed$/m.test(block) && /^Status:/m.test(block)) continue;
    const v = /^Version: (?:\d+:)?(\d+\.\d+\.\d+)/m.exec(block)?.[1];
    if (v?.startsWith(`${minor}.`)) return v;
  }
  return undefined;
}

function apkVersion(db: string, pkg: RegExp): string | undefined {
  for (const block of db.split(/\n\n+/)) {
    const name = /^P:(.+)$/m.exec(block)?.[1];
    if (name && pkg.test(name)) return /^V:(\d+\.\d+(?:\.\d+)?)/m.exec(block)?.[1];
  }
  return undefined;
}

function glibcFrom(data: Buffer): string | undefined {
  const m = /release version (\d+)\.(\d+)/.exec(data.toString('latin1'));
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** The parts of a tar entry the reader looks at. */
type Head = Pick<TarHeader, 'path' | 'type' | 'size' | 'linkname'>;
/** One layer's entries, and the bytes of those worth reading, recorded as the engine's export streams past. */
type Recorded = { h: Head; data?: Buffer }[];

/** Whether an entry's bytes may be needed (the C library, package databases, Python's headers). */
function maybeWanted(h: Head): boolean {
  return (
    h.type === 'file' &&
    h.size <= MAX_KEEP &&
    (LIBC.test(h.path) || DPKG.test(h.path) || h.path === APK || PATCHLEVEL.test(h.path))
  );
}

/**
 * A visitor for sources read once, front to back (the engine's export): records each layer's
 * entries by the digest its bytes hash to, so the layers are then read top-down from memory
 * rather than by exporting the image again per layer. Export layers are uncompressed tars.
 */
function recorder(into: Map<string, Recorded>): BlobVisitor {
  return async (blob, hint) => {
    const hash = new Hasher('sha256');
    const rec: Recorded = [];
    let cur: { h: Head; data?: Buffer; chunks?: Buffer[] } | null = null;
    const parser = new TarParser(
      {
        entry(h) {
          cur = { h: { path: h.path, type: h.type, size: h.size, linkname: h.linkname } };
          if (maybeWanted(h)) cur.chunks = [];
          rec.push(cur);
        },
        data(c) {
          cur?.chunks?.push(Buffer.from(c));
        },
        entryEnd() {
          if (cur?.chunks) cur.data = Buffer.concat(cur.chunks);
          if (cur) delete cur.chunks;
        },
      },
      { what: hint.what },
    );
    try {
      for await (const c of blob as AsyncIterable<Buffer>) {
        hash.update(c);
        parser.write(c);
      }
      parser.end();
      into.set(hash.digest(), rec);
    } catch {
      // Not a tar (or a bad one): that layer is read the ordinary way and fails there.
    } finally {
      blob.destroy();
    }
  };
}

/** Reads the layers top-down until `done` says every fact is known. */
async function scan(image: Image, found: Found, done: () => boolean, recorded: Map<string, Recorded>): Promise<void> {
  const shadow = new Shadow();
  for (let i = image.layers.length - 1; i >= 0 && !done(); i--) {
    const seen: string[] = [];
    const opaque: string[] = [];
    let keep: { path: string; chunks: Buffer[] } | null = null;
    const handler = {
      entry(h: Head) {
        const base = h.path.split('/').pop() ?? '';
        const dir = h.path.slice(0, h.path.length - base.length - 1);
        if (base === '.wh..wh..opq') return void opaque.push(dir);
        const path = base.startsWith('.wh.') ? `${dir ? `${dir}/` : ''}${base.slice(4)}` : h.path;
        seen.push(path);
        keep = null;
        if (base.startsWith('.wh.') || shadow.hidden(path)) return;
        const exe = EXE.exec(path);
        if (exe && (h.type === 'file' || h.type === 'symlink' || h.type === 'hardlink'))
          found.exes.push({ path: `/${path}`, minor: exe[2] });
        if (!found.libc && LIBC.test(path) && h.type === 'symlink') {
          const v = /libc-(\d+\.\d+)\.so$/.exec(h.linkname)?.[1];
          if (v) found.libc = { kind: 'glibc', version: v };
        }
        if (!found.libc && MUSL.test(path)) found.libc = { kind: 'musl', version: '' };
        if (maybeWanted(h) && !(found.libc && LIBC.test(path))) keep = { path, chunks: [] };
      },
      data(c: Buffer) {
        keep?.chunks.push(Buffer.from(c));
      },
      entryEnd() {
        if (!keep) return;
        const { path } = keep;
        const data = Buffer.concat(keep.chunks);
        keep = null;
        if (LIBC.test(path)) {
          const v = glibcFrom(data);
          if (v && !found.libc) found.libc = { kind: 'glibc', version: v };
        } else if (DPKG.test(path)) found.dpkg.push(data.toString('utf8'));
        else if (path === APK) found.apk ??= data.toString('utf8');
        else {
          const m = PATCHLEVEL.exec(path);
          const v = /#define\s+PY_VERSION\s+"(\d+\.\d+\.\d+)/.exec(data.toString('latin1'))?.[1];
          if (m && v && !found.patchlevel.has(m[1])) found.patchlevel.set(m[1], v);
        }
        // The rest of this layer could only add what is already known.
        if (done()) throw new Stop();
      },
    };
    const layer = image.layers[i];
    const rec = recorded.get(layer.digest);
    try {
      // A recorded layer hashed to its digest as it streamed; uncompressed, so that is its diffID too.
      if (rec && layer.diffId === layer.digest) {
        for (const ev of rec) {
          handler.entry(ev.h);
          if (ev.data) handler.data(ev.data);
          handler.entryEnd();
        }
      } else {
        const parser = new TarParser(handler, { what: `${image.name}: layer ${i + 1}` });
        await readLayer(image, layer, (c) => parser.write(c));
        parser.end();
      }
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    shadow.add(seen, opaque);
  }
}

function envOf(image: Image): Record<string, string> {
  const env = (image.config.config?.Env ?? []) as string[];
  const out: Record<string, string> = {};
  for (const e of Array.isArray(env) ? env : []) {
    const i = String(e).indexOf('=');
    if (i > 0) out[String(e).slice(0, i)] = String(e).slice(i + 1);
  }
  return out;
}

/**
 * The version of how a target is read from a base. Raise it whenever that reading changes (a
 * corrected libc or tag reading): targets cached by an older release are then not used.
 */
export const TARGET_CACHE_VERSION = 1;

/** Where a base's target is kept: <cache>/targets/v<version>-<config digest hex>.json; null when caching is off. */
export function targetCacheFile(configDigest: string): string | null {
  if (cacheDisabled() || !/^sha256:[0-9a-f]{64}$/.test(configDigest)) return null;
  return join(defaultCacheDir(), 'targets', `v${TARGET_CACHE_VERSION}-${configDigest.slice(7)}.json`);
}

function readCachedTarget(configDigest: string): BuildTarget | null {
  const file = targetCacheFile(configDigest);
  if (!file) return null;
  try {
    const t = JSON.parse(readFileSync(file, 'utf8')) as BuildTarget;
    return t.python?.executable && t.libc?.kind && Array.isArray(t.tags) ? t : null;
  } catch {
    return null;
  }
}

/** Best effort: a cache that cannot be written only costs the next build the reading again. */
function writeCachedTarget(configDigest: string, target: BuildTarget): void {
  const file = targetCacheFile(configDigest);
  if (!file) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(target));
    renameSync(tmp, file);
  } catch {
    /* not cached */
  }
}

/**
 * Reads the base image (any ref openImage takes) into a BuildTarget and the opened image. Fails
 * with one line when the image has no Python interpreter or no C library build can target.
 */
export async function readTarget(
  baseRef: string,
  opts: { platform?: string; insecure?: boolean; host?: string } = {},
): Promise<{ target: BuildTarget; image: Image }> {
  const recorded = new Map<string, Recorded>();
  const image = await openImage(baseRef, {
    platform: opts.platform ? parsePlatform(opts.platform) : undefined,
    insecure: opts.insecure,
    engineHost: opts.host,
    onBlob: parseRef(baseRef).kind === 'engine' ? recorder(recorded) : undefined,
  });
  try {
    // An image's config digest names its content: what was read from it once holds for good.
    const cached = readCachedTarget(image.configDigest);
    if (cached) return { target: cached, image };
    const target = await targetOf(image, baseRef, recorded);
    writeCachedTarget(image.configDigest, target);
    return { target, image };
  } catch (e) {
    await image.source.close();
    throw e;
  }
}

async function targetOf(image: Image, baseRef: string, recorded: Map<string, Recorded>): Promise<BuildTarget> {
  const env = envOf(image);
  const envVersion = /^(\d+\.\d+)\.\d+/.exec(env.PYTHON_VERSION ?? '')?.[1];
  const found: Found = { exes: [], dpkg: [], patchlevel: new Map() };
  // Enough once the interpreter, its full version (or a source for it) and the libc are known;
  // package databases live in the layer that installed the package, so those are read as met.
  const done = () =>
    !!found.libc &&
    found.libc.kind === 'glibc' &&
    found.exes.length > 0 &&
    (!!envVersion || found.dpkg.length > 0 || found.patchlevel.size > 0);
  await scan(image, found, done, recorded);
  if (found.exes.length === 0)
    throw new UserError(
      `${baseRef} has no Python interpreter (looked for /usr/local/bin/python3.X and /usr/bin/python3.X): use --base with a python image`,
    );
  if (!found.libc)
    throw new UserError(
      `${baseRef} has no C library build can target (looked for lib/<triplet>/libc.so.6 and lib/ld-musl-<arch>.so.1): use --base with a glibc or musl python image`,
    );
  const rank = (e: { path: string; minor: string }) =>
    (e.minor === envVersion ? 0 : 100) + (e.path.startsWith('/usr/local/') ? 0 : 50) - Number(e.minor.split('.')[1]);
  const exe = [...found.exes].sort((a, b) => rank(a) - rank(b))[0];
  const minor = exe.minor;
  let version: string | undefined;
  if (envVersion === minor) version = /^\d+\.\d+\.\d+/.exec(env.PYTHON_VERSION)![0];
  for (const s of found.dpkg) version ??= versionFromDpkg(s, minor);
  if (!version && found.apk) {
    const v = apkVersion(found.apk, /^python3$/);
    if (v?.startsWith(`${minor}.`)) version = v;
  }
  version ??= found.patchlevel.get(minor) ?? minor;
  let libc = found.libc;
  if (libc.kind === 'musl') {
    const v = found.apk ? apkVersion(found.apk, /^musl$/) : undefined;
    libc = { kind: 'musl', version: v ? v.split('.').slice(0, 2).join('.') : '1.2' };
  }
  const platform = {
    os: image.platform.os,
    architecture: image.platform.architecture,
    ...(image.platform.variant ? { variant: image.platform.variant } : {}),
  };
  const partial = { platform, python: { version, minor, executable: exe.path }, libc };
  return { ...partial, tags: compatibleTags(partial) };
}
