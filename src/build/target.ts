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
import { readLayer } from '../image/layer-stream.js';
import type { Image } from '../image/model.js';
import { openImage } from '../image/open.js';
import { parsePlatform } from '../image/platform.js';
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

/** Reads the layers top-down until `done` says every fact is known. */
async function scan(image: Image, found: Found, done: () => boolean): Promise<void> {
  const shadow = new Shadow();
  for (let i = image.layers.length - 1; i >= 0 && !done(); i--) {
    const seen: string[] = [];
    const opaque: string[] = [];
    let keep: { path: string; chunks: Buffer[]; n: number } | null = null;
    const parser = new TarParser(
      {
        entry(h: TarHeader) {
          const base = h.path.split('/').pop() ?? '';
          const dir = h.path.slice(0, h.path.length - base.length - 1);
          if (base === '.wh..wh..opq') return void opaque.push(dir);
          const path = base.startsWith('.wh.') ? `${dir ? `${dir}/` : ''}${base.slice(4)}` : h.path;
          seen.push(path);
          if (base.startsWith('.wh.') || shadow.hidden(path)) return;
          const exe = EXE.exec(path);
          if (exe && (h.type === 'file' || h.type === 'symlink' || h.type === 'hardlink'))
            found.exes.push({ path: `/${path}`, minor: exe[2] });
          if (!found.libc && LIBC.test(path) && h.type === 'symlink') {
            const v = /libc-(\d+\.\d+)\.so$/.exec(h.linkname)?.[1];
            if (v) found.libc = { kind: 'glibc', version: v };
          }
          if (!found.libc && MUSL.test(path)) found.libc = { kind: 'musl', version: '' };
          const wanted =
            h.type === 'file' &&
            h.size <= MAX_KEEP &&
            ((!found.libc && LIBC.test(path)) || DPKG.test(path) || path === APK || PATCHLEVEL.test(path));
          keep = wanted ? { path, chunks: [], n: 0 } : null;
        },
        data(c: Buffer) {
          if (keep) keep.chunks.push(Buffer.from(c));
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
      },
      { what: `${image.name}: layer ${i + 1}` },
    );
    try {
      await readLayer(image, image.layers[i], (c) => parser.write(c));
      parser.end();
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
 * Reads the base image (any ref openImage takes) into a BuildTarget and the opened image. Fails
 * with one line when the image has no Python interpreter or no C library build can target.
 */
export async function readTarget(
  baseRef: string,
  opts: { platform?: string; insecure?: boolean; host?: string } = {},
): Promise<{ target: BuildTarget; image: Image }> {
  const image = await openImage(baseRef, {
    platform: opts.platform ? parsePlatform(opts.platform) : undefined,
    insecure: opts.insecure,
    engineHost: opts.host,
  });
  try {
    const target = await targetOf(image, baseRef);
    return { target, image };
  } catch (e) {
    await image.source.close();
    throw e;
  }
}

async function targetOf(image: Image, baseRef: string): Promise<BuildTarget> {
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
  await scan(image, found, done);
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
