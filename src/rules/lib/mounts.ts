/**
 * RUN mounts that cover a directory (cache and tmpfs mounts keep files out of the layer).
 */
import type { Instruction, Mount } from '../../dockerfile/types.js';
import { absPath, within } from './users.js';

/** A path without trailing slashes (`/` stays `/`). */
function normPath(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** True when a RUN mount of one of `types` has its target at `dir` or at a parent of it. */
export function mountCovers(ins: Instruction, dir: string, types: string[] = ['cache', 'tmpfs']): boolean {
  const want = normPath(dir);
  return ins.mounts.some((m) => {
    if (!types.includes(m.type) || !m.target) return false;
    const t = normPath(m.target);
    return want === t || want.startsWith(`${t}/`);
  });
}

/** True when `dir` is `path` or one of its parents. */
export function covers(dir: string, path: string): boolean {
  const d = normPath(dir);
  const p = normPath(path);
  return p === d || d === '/' || p.startsWith(`${d}/`);
}

/** True when a cache (or tmpfs) mount of the RUN covers one of `paths`. */
export function cacheMountCovers(ins: Instruction, paths: string[]): boolean {
  return ins.mounts.some(
    (m) =>
      (m.type === 'cache' || m.type === 'tmpfs') &&
      m.target !== undefined &&
      paths.some((p) => covers(m.target as string, p)),
  );
}

/** The cache mount of `ins` that holds `dir` (target is `dir` or a parent of it). */
export function cacheMountFor(ins: Instruction, dir: string): Mount | undefined {
  return ins.mounts.find((m) => m.type === 'cache' && m.target && within(dir, absPath('/', m.target)));
}
