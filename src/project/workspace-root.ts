/**
 * Finds the project a directory belongs to when it is not a project of its own: a uv workspace
 * member whose lock sits at the workspace root, or a pdm/poetry project whose lock (or a path
 * dependency) lies above it. Pure reading, from the directory up to the repository top.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';
import { dig, isDir, lineAt, readText, readToml, type Toml } from './files.js';
import { workspaceMembers } from './layout.js';

export interface WorkspaceRoot {
  /** Absolute directory of the workspace root: the build context. */
  root: string;
  /** The member init was run in, relative to the root (posix). */
  member: string;
  /** The root's lock file (relative to the root), when there is one. */
  lockFile?: string;
  /** `pyproject.toml:LINE` (relative to the root) of the line that makes the directory a member. */
  evidence: string;
}

const LOCKS = ['uv.lock', 'pdm.lock', 'poetry.lock'];

/** Posix relative path. */
function rel(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}

/** The directories above dir, nearest first, up to the repository top (a .git entry) or the filesystem root. */
function ancestors(dir: string): string[] {
  const out: string[] = [];
  let cur = dir;
  while (!existsSync(join(cur, '.git'))) {
    const up = dirname(cur);
    if (up === cur) break;
    out.push(up);
    cur = up;
  }
  return out;
}

/**
 * The uv workspace whose members include dir, found by walking up; undefined when dir is a
 * project of its own (it declares a workspace or has a lock) or no workspace above names it.
 */
export function findWorkspaceRoot(dirArg: string): WorkspaceRoot | undefined {
  const dir = resolve(dirArg);
  const own = readToml(join(dir, 'pyproject.toml'));
  // Only a project can be a member (a folder inside one is not: the usual "not a project" error).
  if (!own || dig(own, 'tool', 'uv', 'workspace') || LOCKS.some((l) => existsSync(join(dir, l)))) return undefined;
  for (const up of ancestors(dir)) {
    const pp = readToml(join(up, 'pyproject.toml'));
    if (!dig(pp, 'tool', 'uv', 'workspace')) continue;
    const member = rel(up, dir);
    if (!workspaceMembers(up, pp).some((m) => m.dir === member)) {
      // A workspace above that does not list this directory: uv itself would treat it as a
      // project of its own (and refuse to lock it inside the workspace), so say so.
      throw new UserError(
        `${dirArg}: inside the uv workspace at ${up} but not one of its members: add "${member}" to [tool.uv.workspace] members there, or run init in ${up}`,
      );
    }
    const text = readText(join(up, 'pyproject.toml'));
    const line = lineAt(text, /^[ \t]*members[ \t]*=/m) ?? lineAt(text, /^\[tool\.uv\.workspace\]/m) ?? 1;
    const lockFile = existsSync(join(up, 'uv.lock')) ? 'uv.lock' : undefined;
    return { root: up, member, lockFile, evidence: `pyproject.toml:${line}` };
  }
  return undefined;
}

/** Path dependencies a pyproject declares, as written: poetry and uv-source `{ path = ... }` tables and PEP 508 `file:` URLs. */
export function pathDependencies(pp: Toml | undefined): string[] {
  const out: string[] = [];
  const tables = [
    dig(pp, 'tool', 'poetry', 'dependencies'),
    dig(pp, 'tool', 'poetry', 'dev-dependencies'),
    dig(pp, 'tool', 'uv', 'sources'),
  ];
  const groups = dig(pp, 'tool', 'poetry', 'group') as Record<string, Toml> | undefined;
  for (const g of Object.values(groups ?? {})) tables.push(dig(g, 'dependencies'));
  for (const t of tables)
    for (const spec of Object.values((t as Toml | undefined) ?? {}))
      if (spec && typeof spec === 'object' && typeof (spec as Toml).path === 'string')
        out.push((spec as Toml).path as string);
  const reqs = [
    ...((dig(pp, 'project', 'dependencies') as string[] | undefined) ?? []),
    ...Object.values(
      (dig(pp, 'project', 'optional-dependencies') as Record<string, string[]> | undefined) ?? {},
    ).flat(),
    ...Object.values((dig(pp, 'dependency-groups') as Record<string, unknown[]> | undefined) ?? {})
      .flat()
      .filter((r): r is string => typeof r === 'string'),
    ...Object.values((dig(pp, 'tool', 'pdm', 'dev-dependencies') as Record<string, string[]> | undefined) ?? {}).flat(),
  ];
  for (const r of reqs) {
    const m = /@\s*file:\/\/(?:\/?\$\{PROJECT_ROOT\}\/?)?([^\s;]*)/.exec(r);
    if (m) out.push(m[1] || '.');
  }
  return out;
}

/**
 * A pdm or poetry project init cannot build from where it stands, with one line saying why and
 * what to do: the directory is locked by a project above it (its path dependency), or it
 * path-depends on code outside itself, which a build context of this directory cannot see.
 * (uv workspaces are found and built from their root; these are not yet.)
 */
export function outsideDependencyProblem(dirArg: string): string | undefined {
  const dir = resolve(dirArg);
  const own = readToml(join(dir, 'pyproject.toml'));
  const ownText = readText(join(dir, 'pyproject.toml'));
  for (const p of pathDependencies(own)) {
    const target = resolve(dir, p.replace(/^\$\{PROJECT_ROOT\}\/?/, ''));
    const r = rel(dir, target);
    if (r.startsWith('..') && isDir(target)) {
      const line = lineAt(ownText, new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))) ?? 1;
      return `pyproject.toml:${line}: path dependency ${p} lies outside ${dirArg}, so a build from here cannot see it; init builds one directory: make it a uv workspace member (init then builds from the root) or vendor the dependency`;
    }
  }
  if (LOCKS.some((l) => existsSync(join(dir, l)))) return undefined;
  for (const up of ancestors(dir)) {
    const lock = ['pdm.lock', 'poetry.lock'].find((l) => existsSync(join(up, l)));
    if (!lock) continue;
    const pp = readToml(join(up, 'pyproject.toml'));
    const member = rel(up, dir);
    const named = pathDependencies(pp).some((p) => rel(up, resolve(up, p)) === member);
    if (named)
      return `${dirArg}: locked by ${join(up, lock)} (a path dependency of ${join(up, 'pyproject.toml')}), not by a lock of its own; run init in ${up}, or lock ${dirArg} on its own`;
    return undefined;
  }
  return undefined;
}
