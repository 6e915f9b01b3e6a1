/**
 * Reads a lock file into the packages an install puts in a linux x86_64 image: name, version,
 * the distribution files the lock names (with their recorded sizes when it records them), and
 * whether only a development group wants the package. uv.lock is walked from the project's root
 * packages (markers evaluated for linux and the project's Python); pylock.toml, poetry.lock,
 * pdm.lock, Pipfile.lock and pinned requirements files list their packages flat.
 */
import { parse as parseToml } from 'smol-toml';
import { normName } from '../project/files.js';
import type { DistFile } from './wheel-pick.js';

export interface LockedPackage {
  name: string;
  version: string;
  files: DistFile[];
  /** True when only development groups (dev, test, ...) need it. */
  dev: boolean;
}

export interface LockRead {
  packages: LockedPackage[];
  /** The lock records file sizes (uv.lock with `size`, pylock.toml). */
  recordsSizes: boolean;
}

type T = Record<string, unknown>;

/** Reads `text` of the lock named `file` (uv.lock, pylock*.toml, poetry.lock, pdm.lock, Pipfile.lock, *.txt). */
export function readLock(file: string, text: string, python: string): LockRead {
  const base = file.split('/').pop() ?? file;
  if (base === 'uv.lock') return readUvLock(text, python);
  if (/^pylock(\.[^/]+)?\.toml$/.test(base)) return readPylock(text, python);
  if (base === 'poetry.lock') return readGrouped(text, python, 'groups', 'main', 'markers');
  if (base === 'pdm.lock') return readGrouped(text, python, 'groups', 'default', 'marker');
  if (base === 'Pipfile.lock') return readPipfileLock(text, python);
  return readRequirements(text, python);
}

function toml(text: string): T {
  try {
    return parseToml(text) as T;
  } catch {
    return {};
  }
}

function arr(v: unknown): T[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as T[]) : [];
}

function distFile(x: T): DistFile | undefined {
  const url = typeof x.url === 'string' ? x.url : undefined;
  const name =
    typeof x.file === 'string' ? x.file : typeof x.name === 'string' ? x.name : url?.split('/').pop()?.split('#')[0];
  if (!name) return undefined;
  return { name, url, size: typeof x.size === 'number' ? x.size : undefined };
}

function readUvLock(text: string, python: string): LockRead {
  const doc = toml(text);
  const pkgs = arr(doc.package);
  const byName = new Map<string, T[]>();
  for (const p of pkgs) {
    const n = normName(String(p.name ?? ''));
    byName.set(n, [...(byName.get(n) ?? []), p]);
  }
  const isRoot = (p: T) => {
    const s = (p.source ?? {}) as T;
    return typeof s.editable === 'string' || typeof s.virtual === 'string' || typeof s.directory === 'string';
  };
  const roots = pkgs.filter(isRoot);
  const main = new Set<T>();
  const dev = new Set<T>();
  // A package is walked once per set of extras asked of it: `fastapi[standard]` brings what
  // fastapi's `optional-dependencies.standard` lists (uvicorn, fastapi-cli...), plain `fastapi` does not.
  const seen = new Map<Set<T>, Set<string>>();
  const extrasOf = (d: T) => (Array.isArray(d.extra) ? d.extra.map(String) : []);
  const walk = (p: T, into: Set<T>, extras: string[] = []) => {
    const key = `${String(p.name)} ${String(p.version ?? '')} ${extras.join(',')}`;
    const done = seen.get(into) ?? new Set<string>();
    seen.set(into, done);
    if (done.has(key)) return;
    done.add(key);
    into.add(p);
    const optional = (p['optional-dependencies'] ?? {}) as T;
    for (const d of [...arr(p.dependencies), ...extras.flatMap((e) => arr(optional[e]))]) {
      if (typeof d.marker === 'string' && !markerHolds(d.marker, python)) continue;
      for (const q of byName.get(normName(String(d.name ?? ''))) ?? []) {
        if (typeof q.version === 'string' && typeof d.version === 'string' && q.version !== d.version) continue;
        walk(q, into, extrasOf(d));
      }
    }
  };
  for (const r of roots) walk(r, main);
  for (const r of roots) {
    for (const group of Object.values((r['dev-dependencies'] ?? {}) as T)) {
      for (const d of arr(group)) {
        if (typeof d.marker === 'string' && !markerHolds(d.marker, python)) continue;
        for (const q of byName.get(normName(String(d.name ?? ''))) ?? []) walk(q, dev, extrasOf(d));
      }
    }
  }
  const out: LockedPackage[] = [];
  let sized = false;
  for (const p of pkgs) {
    if (isRoot(p) || (!main.has(p) && !dev.has(p))) continue;
    const files = [...arr(p.wheels), ...(p.sdist ? [p.sdist as T] : [])]
      .map(distFile)
      .filter((f): f is DistFile => !!f);
    if (files.some((f) => f.size !== undefined)) sized = true;
    out.push({ name: String(p.name), version: String(p.version ?? ''), files, dev: !main.has(p) });
  }
  return { packages: out, recordsSizes: sized };
}

function readPylock(text: string, python: string): LockRead {
  const doc = toml(text);
  const out: LockedPackage[] = [];
  let sized = false;
  for (const p of arr(doc.packages)) {
    const marker = typeof p.marker === 'string' ? p.marker : '';
    const dev = /\bin\s+dependency_groups\b/.test(marker) && !/['"](default|main)['"]\s+in/.test(marker);
    const plain = marker.replace(/['"][^'"]*['"]\s+(not\s+)?in\s+(dependency_groups|extras)/g, 'true');
    if (plain && !markerHolds(plain, python)) continue;
    const files = [...arr(p.wheels), ...(p.sdist ? [p.sdist as T] : [])]
      .map(distFile)
      .filter((f): f is DistFile => !!f);
    if (files.some((f) => f.size !== undefined)) sized = true;
    out.push({ name: String(p.name), version: String(p.version ?? ''), files, dev });
  }
  return { packages: out, recordsSizes: sized };
}

/** poetry.lock and pdm.lock: packages carry their groups and a marker; files by name only. */
function readGrouped(text: string, python: string, groupsKey: string, mainGroup: string, markerKey: string): LockRead {
  const doc = toml(text);
  const out: LockedPackage[] = [];
  for (const p of arr(doc.package)) {
    const marker = p[markerKey];
    if (typeof marker === 'string' && !markerHolds(marker, python)) continue;
    const groups = Array.isArray(p[groupsKey]) ? (p[groupsKey] as string[]) : [mainGroup];
    const files = arr(p.files)
      .map(distFile)
      .filter((f): f is DistFile => !!f);
    out.push({ name: String(p.name), version: String(p.version ?? ''), files, dev: !groups.includes(mainGroup) });
  }
  return { packages: out, recordsSizes: false };
}

/** Pinned `name==version` lines (pip-compile output); markers after `;` evaluated. */
/** Pipfile.lock: JSON, `default` (production) and `develop` sections of `name: { version: "==X", markers }`. */
function readPipfileLock(text: string, python: string): LockRead {
  let lock: T;
  try {
    lock = JSON.parse(text) as T;
  } catch {
    lock = {};
  }
  const out: LockedPackage[] = [];
  for (const [section, dev] of [
    ['default', false],
    ['develop', true],
  ] as const) {
    const entries = lock[section];
    if (!entries || typeof entries !== 'object') continue;
    for (const [name, v] of Object.entries(entries as T)) {
      const e = (v ?? {}) as T;
      const version = typeof e.version === 'string' ? e.version.replace(/^===?/, '') : undefined;
      if (!version) continue;
      if (typeof e.markers === 'string' && !markerHolds(e.markers, python)) continue;
      // A package in both sections is a production one.
      if (dev && out.some((p) => normName(p.name) === normName(name))) continue;
      out.push({ name, version, files: [], dev });
    }
  }
  return { packages: out, recordsSizes: false };
}

function readRequirements(text: string, python: string): LockRead {
  const out: LockedPackage[] = [];
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*===?\s*([^\s;]+)\s*(;[^-]*)?/.exec(line);
    if (!m) continue;
    if (m[4] && !markerHolds(m[4].slice(1), python)) continue;
    out.push({ name: m[1], version: m[3], files: [], dev: false });
  }
  return { packages: out, recordsSizes: false };
}

/**
 * Whether a PEP 508 marker holds on linux x86_64 with CPython `python`. Tests on names it does
 * not know (extra, implementation details) count as true, so a package is kept rather than lost.
 */
export function markerHolds(marker: string, python: string): boolean {
  const or = splitTop(marker, ' or ');
  if (or.length > 1) return or.some((m) => markerHolds(m, python));
  const and = splitTop(marker, ' and ');
  if (and.length > 1) return and.every((m) => markerHolds(m, python));
  const m = marker.trim();
  if (m.startsWith('(') && m.endsWith(')')) return markerHolds(m.slice(1, -1), python);
  const t = /^([a-z_]+)\s*(==|!=|<=|>=|<|>|~=|===)\s*['"]([^'"]*)['"]$/.exec(m);
  if (!t) return true;
  const [, key, op, value] = t;
  const env: Record<string, string> = {
    sys_platform: 'linux',
    platform_system: 'Linux',
    os_name: 'posix',
    platform_machine: 'x86_64',
    implementation_name: 'cpython',
    platform_python_implementation: 'CPython',
  };
  if (key in env) return op === '==' ? env[key] === value : op === '!=' ? env[key] !== value : true;
  if (key === 'python_version' || key === 'python_full_version') {
    const c = compareVersions(python, value.replace(/\.\*$/, ''), key === 'python_full_version');
    if (op === '==' || op === '===' || op === '~=') return c === 0;
    if (op === '!=') return c !== 0;
    return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  }
  return true;
}

/** Compares major.minor of `a` with `b`; a full version compares on as many parts as `b` names. */
function compareVersions(a: string, b: string, full: boolean): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  // The image's Python is x.y.latest: compared with a full x.y.z it is above any patch release.
  const n = full ? pb.length : 2;
  for (let i = 0; i < n; i++) {
    const x = pa[i] ?? (full ? Infinity : 0);
    const y = pb[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Splits on `sep` outside parentheses and quotes. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && s.startsWith(sep, i)) {
      out.push(s.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(s.slice(start));
  return out;
}
