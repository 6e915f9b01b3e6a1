/**
 * Reading a lock file into the packages a production install puts in the image, with every file
 * the lock names and its hash. Markers are evaluated for the target (see markers.ts); dev groups
 * and the project's own extras are left out, as `uv sync --no-dev` (and each manager's production
 * install) leaves them out. The project and its workspace members are never packages: the
 * project layer installs them.
 */
import { parse as parseToml } from 'smol-toml';
import { UserError } from '../errors.js';
import { evalMarker, type MarkerEnv } from './markers.js';
import { normName } from './simple-index.js';

/** A file the lock names; `sha256` undefined when the lock records no hash for it. */
export interface LockFileEntry {
  filename?: string;
  url?: string;
  sha256?: string;
  size?: number;
}

/** A package of the lock, before its wheel is chosen. */
export interface LockCandidate {
  name: string;
  version: string;
  files: LockFileEntry[];
  /** The index to look files up on when the lock names no URL (poetry's package.source). */
  index?: string;
}

type T = Record<string, unknown>;

function toml(text: string, file: string): T {
  try {
    return parseToml(text) as T;
  } catch (e) {
    throw new UserError(`${file}: not valid TOML (${(e as Error).message.split('\n')[0]}): fix or regenerate the lock`);
  }
}

function arr(v: unknown): T[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as T[]) : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `sha256:HEX` (or a PEP 751 `hashes` table) -> lower-case hex. */
function sha(x: T): string | undefined {
  const h =
    str(x.hash) ?? (x.hashes && typeof x.hashes === 'object' ? `sha256:${str((x.hashes as T).sha256) ?? ''}` : '');
  const m = /^sha256:([0-9a-f]{64})$/i.exec(h ?? '');
  return m ? m[1].toLowerCase() : undefined;
}

function entry(x: T): LockFileEntry {
  const url = str(x.url);
  const filename =
    str(x.file) ??
    str(x.filename) ??
    str(x.name) ??
    (url ? decodeURIComponent(url.split('/').pop()!.split('#')[0]) : undefined);
  return { filename, url, sha256: sha(x), size: typeof x.size === 'number' ? x.size : undefined };
}

/**
 * uv.lock: walks from the project (or the workspace members it installs) through `dependencies`
 * and the `optional-dependencies` extras each edge asks for; `dev-dependencies` are not walked.
 */
export function readUvLock(text: string, file: string, env: MarkerEnv, roots: string[]): LockCandidate[] {
  const doc = toml(text, file);
  const pkgs = arr(doc.package);
  const byName = new Map<string, T[]>();
  for (const p of pkgs) {
    const n = normName(String(p.name ?? ''));
    byName.set(n, [...(byName.get(n) ?? []), p]);
  }
  // editable / virtual / directory / path sources are the project's own code, built by the project layer.
  const local = (p: T) => {
    const s = (p.source ?? {}) as T;
    return ['editable', 'virtual', 'directory', 'path'].some((k) => typeof s[k] === 'string');
  };
  const wanted = new Set(roots.map(normName));
  let start = pkgs.filter((p) => local(p) && wanted.has(normName(String(p.name))));
  if (start.length === 0) start = pkgs.filter((p) => local(p) && typeof ((p.source ?? {}) as T).virtual !== 'string');
  if (start.length === 0) start = pkgs.filter(local);
  const seen = new Set<string>();
  const out = new Set<T>();
  const walk = (p: T, extras: string[]) => {
    const key = `${String(p.name)} ${String(p.version ?? '')} ${extras.join(',')}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.add(p);
    const optional = (p['optional-dependencies'] ?? {}) as T;
    for (const d of [...arr(p.dependencies), ...extras.flatMap((e) => arr(optional[e]))]) {
      if (typeof d.marker === 'string' && !evalMarker(d.marker, env)) continue;
      const cands = byName.get(normName(String(d.name ?? ''))) ?? [];
      for (const q of cands) {
        if (typeof d.version === 'string' && q.version !== d.version) continue;
        if (d.source && q.source && JSON.stringify(d.source) !== JSON.stringify(q.source) && cands.length > 1) continue;
        walk(q, Array.isArray(d.extra) ? d.extra.map(String) : []);
      }
    }
  };
  for (const r of start) walk(r, []);
  return [...out]
    .filter((p) => !local(p))
    .map((p) => ({
      name: normName(String(p.name)),
      version: String(p.version ?? ''),
      files: [...arr(p.wheels), ...(p.sdist ? [p.sdist as T] : [])].map(entry),
    }));
}

/** pylock.toml (PEP 751): flat packages; markers see the lock's default groups and no extras. */
export function readPylock(text: string, file: string, env: MarkerEnv): LockCandidate[] {
  const doc = toml(text, file);
  const groups = Array.isArray(doc['default-groups']) ? doc['default-groups'].map(String) : [];
  const penv: MarkerEnv = { ...env, groups: new Set(groups.map(normName)) };
  const out: LockCandidate[] = [];
  for (const p of arr(doc.packages)) {
    if (typeof p.marker === 'string' && !evalMarker(p.marker, penv)) continue;
    if (p.directory || p.vcs) continue;
    out.push({
      name: normName(String(p.name)),
      version: String(p.version ?? ''),
      files: [...arr(p.wheels), ...(p.sdist ? [p.sdist as T] : []), ...(p.archive ? [p.archive as T] : [])].map(entry),
    });
  }
  return out;
}

/** pdm.lock: packages of the `default` group. */
export function readPdmLock(text: string, file: string, env: MarkerEnv): LockCandidate[] {
  const doc = toml(text, file);
  const out = new Map<string, LockCandidate>();
  for (const p of arr(doc.package)) {
    const groups = Array.isArray(p.groups) ? p.groups.map(String) : ['default'];
    if (!groups.includes('default')) continue;
    if (typeof p.marker === 'string' && !evalMarker(p.marker, env)) continue;
    if (p.editable || p.path || p.git) continue;
    const name = normName(String(p.name));
    // pdm writes `name[extra]` as separate entries with the same files.
    const key = `${name} ${String(p.version)}`;
    if (!out.has(key)) out.set(key, { name, version: String(p.version ?? ''), files: arr(p.files).map(entry) });
  }
  return [...out.values()];
}

/** poetry.lock: packages of the `main` group (poetry 2 `groups`, poetry 1 `category`), not optional. */
export function readPoetryLock(text: string, file: string, env: MarkerEnv): LockCandidate[] {
  const doc = toml(text, file);
  const out: LockCandidate[] = [];
  for (const p of arr(doc.package)) {
    const groups = Array.isArray(p.groups) ? p.groups.map(String) : [str(p.category) ?? 'main'];
    if (!groups.includes('main') || p.optional === true) continue;
    // poetry 2 writes a marker per group when they differ.
    const marker = typeof p.markers === 'string' ? p.markers : str((p.markers as T | undefined)?.main);
    if (marker && !evalMarker(marker, env)) continue;
    const source = (p.source ?? {}) as T;
    if (['directory', 'git', 'file'].includes(String(source.type))) continue;
    out.push({
      name: normName(String(p.name)),
      version: String(p.version ?? ''),
      files: arr(p.files).map(entry),
      index: source.type === 'legacy' ? str(source.url) : undefined,
    });
  }
  return out;
}

/** Pipfile.lock: the `default` section, hashes without file names. */
export function readPipfileLock(text: string, file: string, env: MarkerEnv): LockCandidate[] {
  let doc: T;
  try {
    doc = JSON.parse(text) as T;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message}): regenerate it with pipenv lock`);
  }
  const out: LockCandidate[] = [];
  for (const [name, v] of Object.entries((doc.default ?? {}) as T)) {
    const e = (v ?? {}) as T;
    const version = str(e.version)?.replace(/^===?/, '');
    if (!version) continue;
    if (typeof e.markers === 'string' && !evalMarker(e.markers, env)) continue;
    const hashes = Array.isArray(e.hashes) ? e.hashes.map(String) : [];
    out.push({ name: normName(name), version, files: hashes.map((h) => ({ sha256: sha({ hash: h }) })) });
  }
  return out;
}

/**
 * A requirements file with `--hash` pins (pip-compile --generate-hashes): `name==version` lines,
 * markers after `;`. Hashes name no file: the index says which file each is.
 */
export function readRequirements(text: string, env: MarkerEnv): { packages: LockCandidate[]; index?: string } {
  const out: LockCandidate[] = [];
  let index: string | undefined;
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const idx = /^(?:--index-url|-i)[\s=]+(\S+)/.exec(line);
    if (idx) index = idx[1];
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*===?\s*([^\s;\\]+)\s*(;[^\\]*?)?\s*(--hash.*)?$/.exec(line);
    if (!m) continue;
    const marker = m[4]
      ?.slice(1)
      .replace(/\s--hash.*$/, '')
      .trim();
    if (marker && !evalMarker(marker, env)) continue;
    const hashes = [...line.matchAll(/--hash[=\s]+sha256:([0-9a-f]{64})/gi)].map((h) => h[1].toLowerCase());
    out.push({ name: normName(m[1]), version: m[3], files: hashes.map((h) => ({ sha256: h })) });
  }
  return { packages: out, index };
}
