/**
 * From the project's lock to the packages the image installs: each with the one wheel the
 * target's pip would pick (wheelRank over the target's tags) and its sha256 from the lock. Locks
 * that record hashes but not URLs get the URL from the package index, found by hash, so only
 * the exact files the lock pinned are ever installed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { UserError } from '../errors.js';
import type { PythonProject } from '../project/types.js';
import {
  readPdmLock,
  readPipfileLock,
  readPoetryLock,
  readPylock,
  readRequirements,
  readUvLock,
  type LockCandidate,
  type LockFileEntry,
} from './lock-files.js';
import { satisfies, targetEnv } from './markers.js';
import { poetryMainRoots } from './poetry-main.js';
import { findByHash, indexFiles, shown } from './simple-index.js';
import { wheelArch, wheelFileTags, wheelRank } from './tags.js';
import type { BuildTarget, LockedFile, ResolvedPackage } from './types.js';

const SDIST = /\.(tar\.gz|zip|tar\.bz2|tar\.xz|tgz)$/i;

/** The wheel file names the lock had for each package, for requireWheels' message. */
const lockWheels = new WeakMap<ResolvedPackage, string[]>();

type T = Record<string, unknown>;

function dig(o: unknown, ...keys: string[]): unknown {
  let v = o;
  for (const k of keys) v = v && typeof v === 'object' ? (v as T)[k] : undefined;
  return v;
}

function pyproject(project: PythonProject): T | undefined {
  try {
    return parseToml(readFileSync(join(project.dir, 'pyproject.toml'), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * The index the project's own config names as its default: tool.uv.index `default = true` (else
 * the first that is not `explicit`), poetry's primary/default source (else the first that is not
 * `explicit` or `supplemental`: those serve only the packages that name them, or come after the
 * default), pdm's `pypi` source (else the first index that is not restricted by include_packages
 * and not a find_links source).
 */
export function configIndex(doc: T | undefined): string | undefined {
  const list = (v: unknown) => (Array.isArray(v) ? (v as T[]) : []);
  const uv = list(dig(doc, 'tool', 'uv', 'index'));
  const poetry = list(dig(doc, 'tool', 'poetry', 'source'));
  const pdm = list(dig(doc, 'tool', 'pdm', 'source'));
  const pick =
    uv.find((i) => i.default === true) ??
    uv.find((i) => i.explicit !== true) ??
    poetry.find((s) => s.priority === 'primary' || s.priority === 'default') ??
    poetry.find((s) => s.priority === undefined || !['explicit', 'supplemental'].includes(String(s.priority))) ??
    pdm.find((s) => s.name === 'pypi') ??
    pdm.find((s) => s.type !== 'find_links' && !Array.isArray(s.include_packages));
  return typeof pick?.url === 'string' ? pick.url : undefined;
}

/** Reads the project's lock into candidates (packages with their files, before choosing). */
function readCandidates(
  project: PythonProject,
  target: BuildTarget,
): { packages: LockCandidate[]; lockIndex?: string; file: string } {
  const file = project.lockFile;
  if (!file)
    throw new UserError(
      `${project.dir}: no lock file (uv.lock, pylock.toml, poetry.lock, pdm.lock, Pipfile.lock or requirements with --hash): lock the dependencies first`,
    );
  let text: string;
  try {
    text = readFileSync(join(project.dir, file), 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const env = targetEnv(target);
  const base = file.split('/').pop()!;
  checkPython(text, base, file, target);
  // The project and its workspace members are its own code, never dependencies.
  const own = [
    ...(project.name ? [project.name] : []),
    ...(project.workspace?.members ?? []).map((m) => m.name),
    ...(project.workspace?.install ?? []).map((m) => m.name),
  ];
  if (base === 'uv.lock') {
    const roots = [...(project.name ? [project.name] : []), ...(project.workspace?.install ?? []).map((m) => m.name)];
    return { packages: readUvLock(text, file, env, roots), file };
  }
  if (/^pylock(\.[^/]+)?\.toml$/.test(base)) return { packages: readPylock(text, file, env, own), file };
  if (base === 'poetry.lock') {
    const doc = pyproject(project);
    return { packages: readPoetryLock(text, file, env, { own, main: doc ? poetryMainRoots(doc) : undefined }), file };
  }
  if (base === 'pdm.lock') return { packages: readPdmLock(text, file, env, { own }), file };
  if (base === 'Pipfile.lock') {
    const src = dig(JSON.parse(text) as T, '_meta', 'sources');
    const url = Array.isArray(src) && typeof (src[0] as T)?.url === 'string' ? String((src[0] as T).url) : undefined;
    return { packages: readPipfileLock(text, file, env, { own }), lockIndex: url, file };
  }
  const r = readRequirements(text, env, file, { own });
  return { packages: r.packages, lockIndex: r.index, file };
}

/**
 * The Python range the lock was resolved for (uv.lock and pylock.toml `requires-python`, pdm.lock
 * targets) must hold the base image's interpreter: a lock for 3.11 installed on 3.12 would put
 * wheels built for another interpreter, or none, in the image. Checked when the full version is known.
 */
function checkPython(text: string, base: string, file: string, target: BuildTarget): void {
  const v = target.python.version;
  if (!/^\d+\.\d+\.\d+/.test(v)) return;
  const spec =
    base === 'uv.lock' || base.startsWith('pylock')
      ? /^requires-python\s*=\s*"([^"]+)"/m.exec(text)?.[1]
      : base === 'pdm.lock'
        ? /\[\[metadata\.targets\]\][^[]*?requires_python\s*=\s*"([^"]+)"/.exec(text)?.[1]
        : undefined;
  if (spec && !satisfies(v, spec))
    throw new UserError(
      `${file} is for Python ${spec} but the base image has ${v} (${target.python.executable}): use a base image with a matching Python or lock again`,
    );
}

/** An index URL must be absolute http(s) (or file): `new URL` would throw an internal error later. */
function checkIndexUrl(url: string | undefined, from: string): void {
  if (url === undefined) return;
  let ok = false;
  try {
    ok = ['http:', 'https:', 'file:'].includes(new URL(url).protocol);
  } catch {
    ok = false;
  }
  if (!ok)
    throw new UserError(
      `${from}: the index URL ${shown(url)} is not an absolute http(s) URL: give it with its scheme, e.g. https://HOST/simple/`,
    );
}

/** `${VAR}` in an index URL (pip's requirements files, pdm sources) from the environment. */
function expand(url: string | undefined): string | undefined {
  return url?.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, v: string) => process.env[v] ?? m);
}

/** Runs `fn` over `items` with at most `n` at a time, keeping order. */
async function pool<A, B>(items: A[], n: number, fn: (a: A) => Promise<B>): Promise<B[]> {
  const out: B[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/**
 * The lock's packages for a production install on `target`, each with its best wheel (null when
 * there is none) and its sdist when the lock names one. URLs missing from the lock are found on
 * the index by hash: opts.indexUrl, else the lock's index, else the project's configured index,
 * else PIP_INDEX_URL / UV_INDEX_URL / UV_DEFAULT_INDEX. A package's own source (poetry) is used
 * unless opts.indexUrl is given.
 */
export async function resolvePackages(
  project: PythonProject,
  target: BuildTarget,
  opts: { indexUrl?: string } = {},
): Promise<ResolvedPackage[]> {
  const { packages, lockIndex, file } = readCandidates(project, target);
  const unhashed = packages.filter((p) => p.files.length === 0 || p.files.every((f) => !f.sha256));
  if (unhashed.length > 0)
    throw new UserError(
      `${file}: no hash for ${unhashed.map((p) => `${p.name} ${p.version}`).join(', ')} (nothing unverified is installed): regenerate the lock with hashes`,
    );
  // --index-url is the user's word for this build: it wins over what the lock and the project say.
  const fallback = expand(
    opts.indexUrl ??
      lockIndex ??
      configIndex(pyproject(project)) ??
      process.env.PIP_INDEX_URL ??
      process.env.UV_INDEX_URL ??
      process.env.UV_DEFAULT_INDEX,
  );
  checkIndexUrl(fallback, opts.indexUrl !== undefined && fallback === expand(opts.indexUrl) ? '--index-url' : file);
  // With --index-url even a package's own source (poetry) gives way, as pip's --index-url replaces every index.
  const own = (p: LockCandidate) => (opts.indexUrl !== undefined ? undefined : expand(p.index));
  for (const p of packages) checkIndexUrl(own(p), file);
  const resolved = await pool(packages, 8, (p) => resolveOne(p, own(p) ?? fallback, target, file));
  return resolved.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

async function resolveOne(
  p: LockCandidate,
  index: string | undefined,
  target: BuildTarget,
  file: string,
): Promise<ResolvedPackage> {
  let files: LockFileEntry[] = p.files.filter((f) => f.sha256);
  // Hashes without file names (requirements, Pipfile.lock): the index names the files.
  if (files.some((f) => !f.filename)) {
    const listed = await indexFiles(needIndex(index, p, file), p.name);
    files = files.flatMap((f) => {
      if (f.filename) return [f];
      const hit = listed.find((l) => l.sha256 === f.sha256);
      return hit ? [{ filename: hit.filename, url: hit.url, sha256: f.sha256, size: hit.size }] : [];
    });
    if (files.length === 0)
      throw new UserError(
        `${p.name} ${p.version}: none of the hashes ${file} pins is on the index ${shown(index!)}: check the index or regenerate the lock`,
      );
  }
  let best: LockFileEntry | undefined;
  let bestRank = Infinity;
  for (const f of files) {
    const r = wheelRank(f.filename!, target.tags);
    if (r !== null && r < bestRank) {
      best = f;
      bestRank = r;
    }
  }
  const sdist = files.find((f) => SDIST.test(f.filename!));
  const out: ResolvedPackage = {
    name: p.name,
    version: p.version,
    wheel: best ? await locate(best, p, index, file) : null,
    ...(sdist ? { sdist: await locate(sdist, p, index, file) } : {}),
  };
  lockWheels.set(
    out,
    files.filter((f) => f.filename!.endsWith('.whl')).map((f) => f.filename!),
  );
  return out;
}

function needIndex(index: string | undefined, p: LockCandidate, file: string): string {
  if (!index)
    throw new UserError(
      `${p.name} ${p.version}: ${file} names no URL and no package index is configured: pass --index-url or set PIP_INDEX_URL`,
    );
  return index;
}

/** The file with its absolute URL (from the lock, else from the index by hash). */
async function locate(
  f: LockFileEntry,
  p: LockCandidate,
  index: string | undefined,
  file: string,
): Promise<LockedFile> {
  let url = f.url;
  let size = f.size;
  if (!url) {
    const hit = await findByHash(needIndex(index, p, file), p.name, f.sha256!);
    if (!hit)
      throw new UserError(
        `${p.name} ${p.version}: ${f.filename} (sha256 ${f.sha256!.slice(0, 12)}...) is not on the index ${shown(index!)}: check the index or regenerate the lock`,
      );
    url = hit.url;
    size ??= hit.size;
  }
  return { filename: f.filename!, url, sha256: f.sha256!, ...(size !== undefined ? { size } : {}) };
}

/** `cp311 manylinux_2_36 aarch64`: what a target takes, for messages. */
function describe(target: BuildTarget): string {
  const [maj, min] = target.python.minor.split('.');
  const libc =
    target.libc.kind === 'glibc'
      ? `manylinux_2_${target.libc.version.split('.')[1]}`
      : `musllinux_1_${target.libc.version.split('.')[1]}`;
  return `cp${maj}${min} ${libc} ${wheelArch(target.platform)}`;
}

/**
 * Packages with no wheel for the target: one UserError listing each, unless allowSdists (then
 * only packages with neither a wheel nor an sdist fail).
 */
export function requireWheels(pkgs: ResolvedPackage[], target: BuildTarget, allowSdists = false): void {
  const bad = pkgs.filter((p) => !p.wheel && !(allowSdists && p.sdist));
  if (bad.length === 0) return;
  const why = bad.map((p) => {
    const wheels = lockWheels.get(p) ?? [];
    if (wheels.length === 0) return `${p.name} ${p.version}: only an sdist`;
    const tags = [...new Set(wheels.flatMap((w) => (wheelFileTags(w) ?? []).map((t) => t.split('-')[2])))];
    return `${p.name} ${p.version}: no wheel for ${describe(target)}; the lock has: ${tags.join(', ')}`;
  });
  const hint = allowSdists ? 'lock wheels for this platform' : 'lock wheels for this platform or pass --build-sdists';
  throw new UserError(`no installable wheel: ${why.join('; ')}: ${hint}`);
}
