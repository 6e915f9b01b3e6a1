/**
 * Which packages of a poetry.lock are production ones when the lock does not say. Lock-version 2.0
 * (Poetry 1.5-1.8) dropped `category` and had no `groups` yet: Poetry itself then finds the main
 * group's packages by walking the lock's dependency tables from pyproject.toml's main
 * dependencies, and so does this module. Without those dependencies (pyproject.toml unreadable)
 * the lock cannot tell dev from main and is refused in one line rather than guessed.
 */
import { UserError } from '../errors.js';
import { evalMarker, type MarkerEnv } from './markers.js';
import { normName } from './simple-index.js';

/** A main dependency of the project: its name, the extras it asks for, its marker. */
export interface PoetryRoot {
  name: string;
  extras?: string[];
  markers?: string;
}

type T = Record<string, unknown>;

/** A dependency table value (`"^1.0"`, `{ version, markers, optional, extras }`, or a list of them) as edges. */
function edges(name: string, v: unknown): (PoetryRoot & { optional?: boolean })[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => {
    const t = x && typeof x === 'object' ? (x as T) : {};
    return {
      name,
      extras: Array.isArray(t.extras) ? t.extras.map(String) : [],
      markers: typeof t.markers === 'string' ? t.markers : undefined,
      optional: t.optional === true,
    };
  });
}

/** `name[a,b] (>=1) ; marker` (an entry of a package's `extras` table) as an edge. */
function extraEdge(req: string): PoetryRoot | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?[^;]*(?:;(.*))?$/.exec(req);
  if (!m) return undefined;
  return {
    name: m[1],
    extras: m[2] ? m[2].split(',').map((e) => e.trim()) : [],
    markers: m[3]?.trim() || undefined,
  };
}

/**
 * The packages of `pkgs` a production install takes, walked from `main` (pyproject.toml's main
 * dependencies); a UserError when `main` is unknown.
 */
export function poetryMain(
  pkgs: T[],
  main: PoetryRoot[] | undefined,
  file: string,
  lockVersion: string,
  env: MarkerEnv,
): Set<T> {
  if (!main)
    throw new UserError(
      `${file} (lock-version ${lockVersion}) does not say which packages are development-only and pyproject.toml names no main dependencies to tell them by: re-lock with Poetry 2 (poetry lock)`,
    );
  const byName = new Map<string, T[]>();
  for (const p of pkgs) {
    const n = normName(String(p.name ?? ''));
    byName.set(n, [...(byName.get(n) ?? []), p]);
  }
  const seen = new Set<string>();
  const out = new Set<T>();
  const visit = (dep: PoetryRoot) => {
    if (dep.markers && !evalMarker(dep.markers, env)) return;
    const extras = dep.extras ?? [];
    for (const p of byName.get(normName(dep.name)) ?? []) {
      const key = `${normName(dep.name)} ${String(p.version)} ${[...extras].sort().join(',')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.add(p);
      for (const [n, v] of Object.entries((p.dependencies ?? {}) as T))
        for (const e of edges(n, v)) if (!e.optional) visit(e);
      const table = (p.extras ?? {}) as T;
      for (const x of extras)
        for (const req of Array.isArray(table[x]) ? table[x].map(String) : []) {
          const e = extraEdge(req);
          if (e) visit(e);
        }
    }
  };
  for (const r of main) visit(r);
  return out;
}

/** Main dependencies from a parsed pyproject.toml: tool.poetry.dependencies (not optional, not python) and [project].dependencies. */
export function poetryMainRoots(pyproject: T): PoetryRoot[] {
  const out: PoetryRoot[] = [];
  const poetry = ((pyproject.tool as T | undefined)?.poetry ?? {}) as T;
  for (const [n, v] of Object.entries((poetry.dependencies ?? {}) as T)) {
    if (n.toLowerCase() === 'python') continue;
    for (const e of edges(n, v)) if (!e.optional) out.push({ name: e.name, extras: e.extras, markers: e.markers });
  }
  const project = (pyproject.project ?? {}) as T;
  for (const req of Array.isArray(project.dependencies) ? project.dependencies.map(String) : []) {
    const e = extraEdge(req.replace(/@[^;]*/, ''));
    if (e) out.push(e);
  }
  return out;
}
