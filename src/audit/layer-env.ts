/**
 * The estimation environment of one Dockerfile: which lock a dependency install reads, the
 * wheel finder, and memoised results, so the current Dockerfile and the alternative share work.
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { BuildContext } from '../dockerfile/context.js';
import type { Dockerfile } from '../dockerfile/types.js';
import type { PythonProject } from '../project/types.js';
import { estimateDeps, type DepsEstimate } from './estimate-deps.js';
import type { LayerEnv } from './estimate-layer.js';
import type { RunInfo } from './install-command.js';
import type { SeedWheels } from './venv-seed.js';
import type { WheelFinder } from './wheel-sources.js';

export interface EnvShared {
  finder: WheelFinder;
  /** HTTP indexes to ask (the build's PIP_INDEX_URL / UV_INDEX_URL, pyproject's sources). */
  indexUrls: string[];
  memo: Map<string, Promise<DepsEstimate>>;
  /** The wheels `python -m venv` seeds with, for a Python minor version (memoised by the caller). */
  seed?: (python: string) => Promise<{ wheels: SeedWheels | null; why: string }>;
}

/** Index URLs a project and its build name: pyproject.toml sources and the target's index build args. */
export function indexUrlsOf(project: PythonProject | null, args: Record<string, string>): string[] {
  const urls: string[] = [];
  for (const k of ['PIP_INDEX_URL', 'UV_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'UV_EXTRA_INDEX_URL', 'INDEX_URL'])
    if (args[k] && /^https?:\/\/[^$\s]+$/.test(args[k])) urls.push(args[k]);
  if (project) {
    try {
      const text = readFileSync(join(project.dir, 'pyproject.toml'), 'utf8');
      for (const m of text.matchAll(/(https?:\/\/[^\s"'#]+\/simple)\/?/g)) urls.push(m[1]);
    } catch {
      // No pyproject.toml (a requirements-only project): the requirements name their index.
    }
  }
  return [...new Set(urls.map((u) => u.replace(/\/+$/, '')))];
}

export function makeEnv(
  file: Dockerfile,
  context: BuildContext,
  project: PythonProject | null,
  shared: EnvShared,
): LayerEnv {
  const python = project?.python.version ?? '3.12';
  const once = (dir: string, lockFile: string, includeDev: boolean) => {
    const key = `${dir}\0${lockFile}\0${includeDev}`;
    let p = shared.memo.get(key);
    if (!p) {
      p = estimateDeps({ dir, lockFile, python, includeDev, indexUrls: shared.indexUrls }, shared.finder);
      shared.memo.set(key, p);
    }
    return p;
  };
  return {
    file,
    context,
    project,
    async deps(run: RunInfo) {
      if (run.requirements.length && context.exists) {
        const files = context.files();
        const picked = run.requirements
          .map((r) => files.find((f) => f === r.replace(/^\.?\//, '') || posix.basename(f) === posix.basename(r)))
          .filter((f): f is string => !!f);
        if (picked.length) {
          const parts = await Promise.all(picked.map((f) => once(context.dir, f, true)));
          if (parts.length === 1) return parts[0];
          const known = parts.every((p) => p.bytes !== null);
          return {
            ...parts[0],
            bytes: known ? parts.reduce((a, p) => a + (p.bytes ?? 0), 0) : null,
            basis: parts.map((p) => p.basis).join('; '),
            pyBytes: parts.reduce((a, p) => a + p.pyBytes, 0),
          };
        }
      }
      if (project?.lockFile) return once(project.dir, project.lockFile, run.includeDev);
      return null;
    },
    seed: shared.seed ? () => shared.seed!(python) : undefined,
    async tools(run: RunInfo) {
      let bytes = 0;
      const from: string[] = [];
      for (const p of run.pinned) {
        const hit = await shared.finder.find(p.name, p.version, python, undefined, shared.indexUrls);
        if (!hit) return null;
        bytes += hit.size;
        from.push(`${p.name}==${p.version} from ${hit.source}`);
      }
      return { bytes, basis: `wheel size of ${from.join(', ')} (close to the gzip size of what it installs)` };
    },
  };
}
