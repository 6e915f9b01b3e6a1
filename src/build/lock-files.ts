/**
 * Reading a lock file into the packages a production install puts in the image, with every file
 * the lock names and its hash. Markers are evaluated for the target (see markers.ts); dev groups
 * and the project's own extras are left out, as `uv sync --no-dev` (and each manager's production
 * install) leaves them out. The project and its workspace members are never packages: the
 * project layer installs them.
 *
 * Dependencies from git, a URL without a pinned file, or a local path outside the workspace have
 * no wheel the lock pins by hash: they are never dropped in silence but listed in one UserError
 * (notInstallable). A lock that cannot tell development packages from production ones (poetry.lock
 * lock-version 2.0, written by Poetry 1.5-1.8 without `groups` or `category`; a pdm.lock without
 * per-package `groups`) is refused when the project declares development or optional groups:
 * guessing would either install dev packages or drop needed ones. When the project declares none,
 * every locked package is a production one and the lock is read as it is.
 */
import { parse as parseToml } from 'smol-toml';
import { UserError } from '../errors.js';
import { evalMarker, type MarkerEnv } from './markers.js';
import { poetryMain, type PoetryRoot } from './poetry-main.js';
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

/** A dependency the lock takes from git, a URL or a local path: `name (git)`, `name (path ../x)`. */
export interface Unpinned {
  name: string;
  why: string;
}

/** One UserError naming every dependency a build cannot install from `file`, or nothing. */
export function notInstallable(file: string, bad: Unpinned[]): void {
  if (bad.length === 0) return;
  const list = [...new Set(bad.map((b) => `${normName(b.name)} (${b.why})`))].join(', ');
  throw new UserError(
    `cannot install from ${file}: ${list}: build installs wheels the lock pins by hash; publish them to a package index (or a wheel URL) and lock again`,
  );
}

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

function dig(o: unknown, ...keys: string[]): unknown {
  let v = o;
  for (const k of keys) v = v && typeof v === 'object' ? (v as T)[k] : undefined;
  return v;
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
  // Local packages that are not the project or a workspace member are path dependencies.
  const manifest = (doc.manifest ?? {}) as T;
  const members = new Set(
    [
      ...roots,
      ...(Array.isArray(manifest.members) ? manifest.members.map(String) : []),
      ...start.map((p) => String(p.name)),
    ].map(normName),
  );
  const bad: Unpinned[] = [];
  for (const p of out) {
    const s = (p.source ?? {}) as T;
    const name = String(p.name);
    if (local(p) && !members.has(normName(name)))
      bad.push({ name, why: `path ${str(s.editable) ?? str(s.directory) ?? str(s.path) ?? str(s.virtual)}` });
    else if (typeof s.git === 'string') bad.push({ name, why: 'git' });
    else if (typeof s.url === 'string' && !p.wheels && !p.sdist) bad.push({ name, why: `url ${s.url}` });
  }
  notInstallable(file, bad);
  return [...out]
    .filter((p) => !local(p))
    .map((p) => ({
      name: normName(String(p.name)),
      version: String(p.version ?? ''),
      files: [...arr(p.wheels), ...(p.sdist ? [p.sdist as T] : [])].map(entry),
    }));
}

/** pylock.toml (PEP 751): flat packages; markers see the lock's default groups and no extras. */
export function readPylock(text: string, file: string, env: MarkerEnv, ownNames: string[] = []): LockCandidate[] {
  const doc = toml(text, file);
  const own = new Set(ownNames.map(normName));
  const bad: Unpinned[] = [];
  const groups = Array.isArray(doc['default-groups']) ? doc['default-groups'].map(String) : [];
  const penv: MarkerEnv = { ...env, groups: new Set(groups.map(normName)) };
  const out: LockCandidate[] = [];
  for (const p of arr(doc.packages)) {
    if (typeof p.marker === 'string' && !evalMarker(p.marker, penv)) continue;
    if (p.vcs) {
      bad.push({ name: String(p.name), why: 'git' });
      continue;
    }
    if (p.directory) {
      const path = str((p.directory as T).path) ?? '';
      // The project itself (and workspace members) are directories too: kept out, built by the project layer.
      if (!own.has(normName(String(p.name)))) bad.push({ name: String(p.name), why: `path ${path}` });
      continue;
    }
    out.push({
      name: normName(String(p.name)),
      version: String(p.version ?? ''),
      files: [...arr(p.wheels), ...(p.sdist ? [p.sdist as T] : []), ...(p.archive ? [p.archive as T] : [])].map(entry),
    });
  }
  notInstallable(file, bad);
  return out;
}

/** Names that are the project's own code (the project, workspace members): never dependencies. */
export interface OwnOptions {
  own?: string[];
}

/**
 * pdm.lock: packages of the `default` group. A lock without per-package `groups` (pdm before
 * 2.8) tells the groups apart only when it locked `default` alone; otherwise it is refused.
 */
export function readPdmLock(text: string, file: string, env: MarkerEnv, opts: OwnOptions = {}): LockCandidate[] {
  const doc = toml(text, file);
  const own = new Set((opts.own ?? []).map(normName));
  const pkgs = arr(doc.package);
  const locked = dig(doc, 'metadata', 'groups');
  const lockedGroups = Array.isArray(locked) ? locked.map(String) : ['default'];
  if (pkgs.some((p) => !Array.isArray(p.groups)) && lockedGroups.some((g) => g !== 'default'))
    throw new UserError(
      `${file} locks the groups ${lockedGroups.join(', ')} but does not say which packages are development-only: re-lock with pdm 2.8 or later (pdm lock)`,
    );
  const out = new Map<string, LockCandidate>();
  const bad: Unpinned[] = [];
  for (const p of pkgs) {
    const groups = Array.isArray(p.groups) ? p.groups.map(String) : ['default'];
    if (!groups.includes('default')) continue;
    if (typeof p.marker === 'string' && !evalMarker(p.marker, env)) continue;
    const name = normName(String(p.name));
    if (p.editable || p.path || p.git || (p.url && arr(p.files).length === 0)) {
      if (!own.has(name))
        bad.push({ name, why: p.git ? 'git' : p.url && !p.path ? `url ${str(p.url)}` : `path ${str(p.path) ?? ''}` });
      continue;
    }
    // pdm writes `name[extra]` as separate entries with the same files.
    const key = `${name} ${String(p.version)}`;
    if (!out.has(key)) out.set(key, { name, version: String(p.version ?? ''), files: arr(p.files).map(entry) });
  }
  notInstallable(file, bad);
  return [...out.values()];
}

/**
 * poetry.lock: packages of the `main` group (poetry 2 `groups`, poetry 1 `category`), not
 * optional. Lock-version 2.0 (Poetry 1.5-1.8) records neither: see poetryMain.
 */
export function readPoetryLock(
  text: string,
  file: string,
  env: MarkerEnv,
  opts: OwnOptions & { main?: PoetryRoot[] } = {},
): LockCandidate[] {
  const doc = toml(text, file);
  const own = new Set((opts.own ?? []).map(normName));
  const pkgs = arr(doc.package);
  const tells = pkgs.every((p) => Array.isArray(p.groups) || typeof p.category === 'string');
  const reached = tells
    ? undefined
    : poetryMain(pkgs, opts.main, file, String(dig(doc, 'metadata', 'lock-version') ?? '?'), env);
  const out: LockCandidate[] = [];
  const bad: Unpinned[] = [];
  for (const p of pkgs) {
    if (reached) {
      if (!reached.has(p)) continue;
    } else {
      const groups = Array.isArray(p.groups) ? p.groups.map(String) : [str(p.category) ?? 'main'];
      if (!groups.includes('main') || p.optional === true) continue;
    }
    // poetry 2 writes a marker per group when they differ.
    const marker = typeof p.markers === 'string' ? p.markers : str((p.markers as T | undefined)?.main);
    if (marker && !evalMarker(marker, env)) continue;
    const source = (p.source ?? {}) as T;
    const name = normName(String(p.name));
    if (['directory', 'git', 'file'].includes(String(source.type))) {
      if (!own.has(name)) bad.push({ name, why: source.type === 'git' ? 'git' : `path ${str(source.url) ?? ''}` });
      continue;
    }
    if (source.type === 'url' && arr(p.files).length === 0) {
      bad.push({ name, why: `url ${str(source.url) ?? ''}` });
      continue;
    }
    out.push({
      name,
      version: String(p.version ?? ''),
      files: arr(p.files).map(entry),
      index: source.type === 'legacy' ? str(source.url) : undefined,
    });
  }
  notInstallable(file, bad);
  return out;
}

/** Pipfile.lock: the `default` section, hashes without file names. */
export function readPipfileLock(text: string, file: string, env: MarkerEnv, opts: OwnOptions = {}): LockCandidate[] {
  let doc: T;
  try {
    doc = JSON.parse(text) as T;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message}): regenerate it with pipenv lock`);
  }
  const own = new Set((opts.own ?? []).map(normName));
  const out: LockCandidate[] = [];
  const bad: Unpinned[] = [];
  for (const [name, v] of Object.entries((doc.default ?? {}) as T)) {
    const e = (v ?? {}) as T;
    if (typeof e.markers === 'string' && !evalMarker(e.markers, env)) continue;
    const version = str(e.version)?.replace(/^===?/, '');
    if (!version) {
      // `-e .` (path ".") is the project itself.
      const path = str(e.path) ?? str(e.file);
      if (!own.has(normName(name)) && path !== '.' && path !== './')
        bad.push({
          name,
          why: e.git ? 'git' : path ? `${/^[a-z+]+:\/\//.test(path) ? 'url' : 'path'} ${path}` : 'no version',
        });
      continue;
    }
    const hashes = Array.isArray(e.hashes) ? e.hashes.map(String) : [];
    out.push({ name: normName(name), version, files: hashes.map((h) => ({ sha256: sha({ hash: h }) })) });
  }
  notInstallable(file, bad);
  return out;
}

/**
 * A requirements file with `--hash` pins (pip-compile --generate-hashes): `name==version` lines,
 * markers after `;`. Hashes name no file: the index says which file each is.
 */
export function readRequirements(
  text: string,
  env: MarkerEnv,
  file = 'requirements.txt',
  opts: OwnOptions = {},
): { packages: LockCandidate[]; index?: string } {
  const own = new Set((opts.own ?? []).map(normName));
  const out: LockCandidate[] = [];
  const bad: Unpinned[] = [];
  let index: string | undefined;
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const idx = /^(?:--index-url|-i)[\s=]+(\S+)/.exec(line);
    if (idx) index = idx[1];
    const hashes = [...line.matchAll(/--hash[=\s]+sha256:([0-9a-f]{64})/gi)].map((h) => h[1].toLowerCase());
    const direct = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*@\s*(\S+)\s*(;.*?)?\s*(--hash.*)?$/.exec(line);
    const editable = /^(?:-e|--editable)[\s=]+(\S+)/.exec(line);
    if (direct || editable) {
      const url = direct ? direct[3] : editable![1];
      const marker = direct?.[4]?.slice(1).trim();
      if (marker && !evalMarker(marker, env)) continue;
      const name = direct ? normName(direct[1]) : (/[#&]egg=([^&\s]+)/.exec(url)?.[1] ?? url);
      if (own.has(normName(name)) || /^(file:)?\.\/?$/.test(url)) continue;
      // A wheel or sdist URL the file pins by hash is as good as an index file.
      const filename = decodeURIComponent(url.split('#')[0].split('/').pop() ?? '');
      if (direct && /^(https?|file):/.test(url) && hashes.length > 0 && /\.(whl|tar\.gz|zip)$/.test(filename)) {
        const version = /^[^-]+-([^-]+)/.exec(filename)?.[1] ?? '';
        out.push({ name, version, files: hashes.map((h) => ({ filename, url: url.split('#')[0], sha256: h })) });
        continue;
      }
      const why = /^git\+|^[a-z]+\+/.test(url) ? 'git' : /^[a-z]+:\/\//.test(url) ? `url ${url}` : `path ${url}`;
      bad.push({ name, why });
      continue;
    }
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*===?\s*([^\s;\\]+)\s*(;[^\\]*?)?\s*(--hash.*)?$/.exec(line);
    if (!m) continue;
    const marker = m[4]
      ?.slice(1)
      .replace(/\s--hash.*$/, '')
      .trim();
    if (marker && !evalMarker(marker, env)) continue;
    out.push({ name: normName(m[1]), version: m[3], files: hashes.map((h) => ({ sha256: h })) });
  }
  notInstallable(file, bad);
  return { packages: out, index };
}
