/**
 * Finds what a repository builds: every image defined by compose files, bake files and GitHub
 * Actions workflows, plus every Dockerfile nobody references (built from its own directory).
 * Definitions with the same Dockerfile, context, target and build args are one target with
 * several origins; the same Dockerfile with another context (or target, or args) is another.
 * A definition that cannot be used (a missing Dockerfile, a remote context, an expression the
 * audit cannot evaluate) becomes one warning line, never an error.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { discoverBake } from './discover-bake.js';
import { discoverCompose } from './discover-compose.js';
import { type BuildDef, checkPaths, relPath, where } from './discover-def.js';
import { findBuildFiles } from './discover-files.js';
import { discoverWorkflows, workflowFiles } from './discover-workflows.js';
import type { AuditTarget, DiscoverResult, TargetOrigin } from './types.js';

export interface DiscoverOptions {
  /**
   * Audit only these Dockerfiles (absolute or relative to `root`): definitions building other
   * Dockerfiles are left out, and a listed Dockerfile no definition builds is a target of its
   * own. A listed path that is not a file is a UserError.
   */
  dockerfiles?: string[];
}

/** Sources ranked for naming: a compose service name beats a bake target, then an image tag. */
const NAME_RANK: Record<TargetOrigin['kind'], number> = { compose: 0, bake: 1, workflow: 2, dockerfile: 3 };

/**
 * Discovers the build targets under `root` (a directory). Targets are sorted by Dockerfile path,
 * then context, then name; names are unique. Throws UserError only for a bad `root` or a bad
 * `opts.dockerfiles` entry.
 */
export function discoverTargets(root: string, opts: DiscoverOptions = {}): DiscoverResult {
  const absRoot = resolve(root);
  let isDir = false;
  try {
    isDir = statSync(absRoot).isDirectory();
  } catch {
    throw new UserError(`${root}: no such directory; give the repository's directory to audit`);
  }
  if (!isDir) throw new UserError(`${root}: not a directory; give the repository's directory to audit`);

  const only = opts.dockerfiles?.map((p) => {
    const abs = resolve(absRoot, p);
    let file = false;
    try {
      file = statSync(abs).isFile();
    } catch {
      // reported below
    }
    if (!file) throw new UserError(`${p}: no such Dockerfile; give a path relative to ${root} or an absolute one`);
    return abs;
  });

  const files = findBuildFiles(absRoot);
  const warnings = [...files.warnings];
  const defs: BuildDef[] = [];
  for (const r of [
    discoverCompose(absRoot, files.compose),
    discoverBake(absRoot, files.bake),
    discoverWorkflows(absRoot, workflowFiles(absRoot)),
  ]) {
    warnings.push(...r.warnings);
    for (const d of r.defs) {
      const bad = checkPaths(absRoot, d);
      if (bad) warnings.push(bad);
      else defs.push(d);
    }
  }

  const wanted = only ? new Set(only) : undefined;
  const targets = mergeDefs(defs.filter((d) => !wanted || wanted.has(d.dockerfile)));
  const referenced = new Set(defs.map((d) => d.dockerfile));
  for (const df of only ?? files.dockerfiles) {
    if (referenced.has(df)) continue;
    const rel = relPath(absRoot, df);
    targets.push({
      name: rel,
      dockerfile: df,
      context: resolve(df, '..'),
      args: {},
      origins: [{ kind: 'dockerfile', file: rel }],
    });
  }
  targets.sort(
    (a, b) =>
      cmp(a.dockerfile, b.dockerfile) ||
      cmp(a.context, b.context) ||
      cmp(a.target ?? '', b.target ?? '') ||
      cmp(a.name, b.name),
  );
  uniqueNames(targets, absRoot);
  // One line each, even when a quoted value spans lines (a YAML block scalar as a context).
  return { targets, warnings: [...new Set(warnings.map((w) => w.replace(/\r?\n/g, '\\n')))] };
}

/** Groups definitions that build the same thing; origins are kept in discovery order, without repeats. */
export function mergeDefs(defs: BuildDef[]): AuditTarget[] {
  const byKey = new Map<string, { t: AuditTarget; names: { name: string; rank: number }[] }>();
  for (const d of defs) {
    const key = JSON.stringify([d.dockerfile, d.context, d.target ?? '', Object.entries(d.args).sort()]);
    let e = byKey.get(key);
    if (!e) {
      e = {
        t: {
          name: '',
          dockerfile: d.dockerfile,
          context: d.context,
          ...(d.target ? { target: d.target } : {}),
          args: { ...d.args },
          origins: [],
        },
        names: [],
      };
      byKey.set(key, e);
    }
    for (const o of d.origins)
      if (!e.t.origins.some((x) => JSON.stringify(x) === JSON.stringify(o))) e.t.origins.push(o);
    if (d.name) e.names.push({ name: d.name, rank: NAME_RANK[d.origins[0].kind] });
  }
  return [...byKey.values()].map(({ t, names }) => {
    names.sort((a, b) => a.rank - b.rank);
    return { ...t, name: names[0]?.name ?? '' };
  });
}

/**
 * Fills empty names with the Dockerfile's path and makes equal names unique by saying where each
 * is defined: `web (compose.yaml)`, else `web (ci.yml:48)`.
 */
function uniqueNames(targets: AuditTarget[], root: string): void {
  for (const t of targets) if (!t.name) t.name = relPath(root, t.dockerfile);
  const labels: ((t: AuditTarget) => string)[] = [
    (t) => t.name,
    (t) => `${t.name} (${t.origins[0].file})`,
    (t) => `${t.name} (${where(t.origins[0].file, t.origins[0].line)})`,
  ];
  const names = targets.map((t) => t.name);
  for (const label of labels.slice(1)) {
    const count = new Map<string, number>();
    for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
    targets.forEach((t, i) => {
      if (count.get(names[i])! > 1) names[i] = label(t);
    });
  }
  const seen = new Map<string, number>();
  targets.forEach((t, i) => {
    const n = (seen.get(names[i]) ?? 0) + 1;
    seen.set(names[i], n);
    t.name = n === 1 ? names[i] : `${names[i]} #${n}`;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
