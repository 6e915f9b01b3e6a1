/** `build`'s text output: the layers it added (reused or new, with sizes), the digest, where it went. */
import { humanBytes } from '../image/thresholds.js';
import type { BuildPlanReport } from './run.js';
import type { BuildResult } from './types.js';

export function buildText(r: BuildResult): string {
  const t = r.target;
  const out = [
    `build on ${r.base.ref} (${t.platform.os}/${t.platform.architecture}, CPython ${t.python.version}, ${t.libc.kind} ${t.libc.version}): ${r.base.layers} base layers + ${r.layers.length}`,
  ];
  const w = Math.max(7, ...r.layers.map((l) => l.package.length));
  for (const [i, l] of r.layers.entries())
    out.push(
      `  ${String(r.base.layers + i + 1).padStart(3)}  ${l.package.padEnd(w)}  ${(l.version ?? '').padEnd(10)}  ${humanBytes(l.size).padStart(9)}  ${l.reused ? 'reused' : l.unchanged ? 'same' : 'new'}`,
    );
  const fresh = r.layers.filter((l) => !l.reused && !l.unchanged);
  out.push(
    `  ${fresh.length} new layer${fresh.length === 1 ? '' : 's'} (${humanBytes(fresh.reduce((n, l) => n + l.size, 0))}), ${r.layers.length - fresh.length} as in the previous image`,
  );
  out.push(`  digest ${r.digest}`);
  for (const o of r.outputs) out.push(`  wrote ${o}`);
  out.push(`  pushed ${humanBytes(r.pushedBytes)} in ${r.seconds.toFixed(1)} s`);
  return `${out.join('\n')}\n`;
}

/** `build --dry-run`: the plan against the previous image, and what a host holding it would pull. */
export function planText(r: BuildPlanReport): string {
  const out = [
    `plan on ${r.base} (${r.plan.baseLayers} base layers + ${r.plan.layers.length}, budget ${r.plan.budget}) against ${r.previous ?? 'no previous image'}`,
  ];
  const project = r.plan.layers.find((l) => l.kind === 'project')?.packages[0]?.name ?? 'project';
  const names = r.plan.layers.map((l) =>
    l.kind === 'venv'
      ? 'venv'
      : l.kind === 'project'
        ? project
        : l.kind === 'project-meta'
          ? `${project} (metadata)`
          : l.packages.map((p) => `${p.name} ${p.version}`).join(', '),
  );
  const w = Math.max(...names.map((n) => n.length));
  for (const [i, l] of r.plan.layers.entries()) {
    const size = l.reuse
      ? humanBytes(l.reuse.size)
      : l.estimatedBytes === null
        ? '?'
        : `~${humanBytes(l.estimatedBytes)}`;
    const state = !l.reuse ? 'new' : l.kind === 'package' || l.kind === 'group' ? 'reused' : 'same';
    out.push(`  ${names[i].padEnd(w)}  ${size.padStart(10)}  ${state}`);
  }
  const b = (n: number | null) => (n === null ? 'unknown' : humanBytes(n));
  out.push(
    `  a host holding the previous image pulls: containerd store ${b(r.pull.containerd)}, classic store ${b(r.pull.classic)}`,
  );
  return `${out.join('\n')}\n`;
}
