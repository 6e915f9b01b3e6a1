/** `ship`'s text output: what was built, pushed and skipped, and why; quiet lines, exact figures. */
import { humanBytes } from '../image/thresholds.js';
import type { DeployPlan, Fingerprint, ShipResult } from './types.js';

const short = (d: string | null) => (d ? d.slice(0, 19) : '-');

/** The release as a few lines (the closing note of an issue quotes these). */
export function shipText(r: ShipResult): string {
  const out: string[] = [];
  const title = r.dryRun ? 'ship (dry run)' : 'ship';
  out.push(`${title} ${r.repo}`);
  const b = r.base;
  if (r.builder === 'layerwise') out.push(`  base  ${b.ref}  (layerwise build: one layer per dependency on it)`);
  const baseState = b.pushed
    ? 'built and pushed'
    : b.built
      ? b.drift?.identical
        ? 'rebuilt, identical'
        : 'rebuilt, drift'
      : b.digest
        ? 'reused'
        : 'missing';
  if (r.builder !== 'layerwise') {
    out.push(`  base  ${baseState.padEnd(16)} ${b.ref}  ${short(b.digest)}`);
    out.push(`        ${b.reason}`);
  }
  if (b.drift && !b.drift.identical) {
    for (const l of b.drift.layers)
      out.push(
        `        layer ${l.index}${l.createdBy ? ` (${l.createdBy.slice(0, 60)})` : ''}: ${l.verdict ?? 'changed'}: ${l.reason}`,
      );
  }
  const a = r.app;
  if (a.built || a.digest)
    out.push(
      `  app   ${`built ${a.buildSeconds.toFixed(1)} s, pushed`.padEnd(16)} ${a.repo}@${short(a.digest)}  tags ${a.tags.join(', ')}`,
    );
  else out.push(`  app   ${'not built'.padEnd(16)} ${a.repo}  tags ${a.tags.join(', ')} (would push)`);
  for (const s of r.skipped) out.push(`  skipped: ${s.what}: ${s.reason}`);
  out.push(`  pushed ${humanBytes(r.pushedBytes)} in ${r.seconds.toFixed(1)} s`);
  return `${out.join('\n')}\n`;
}

/** `ship --fingerprint`: the tag and every part that went into it. */
export function fingerprintText(fp: Fingerprint, baseRef: string | null): string {
  const out = [`${fp.tag}${baseRef ? `  ${baseRef}` : ''}`];
  const w = Math.max(...fp.parts.map((p) => p.name.length));
  for (const p of fp.parts) out.push(`  ${p.name.padEnd(w)}  ${p.sha256.slice(0, 12)}  ${p.summary}`);
  return `${out.join('\n')}\n`;
}

/** `ship plan`: what the host pulls, and the files that do it. */
export function planText(p: DeployPlan): string {
  const out = [`deploy ${p.app.ref}`];
  if (p.base) out.push(`  base  ${p.base.ref}`);
  out.push(
    `  against ${p.against} (${p.store} store): pulls ${p.pull.layers} layer${p.pull.layers === 1 ? '' : 's'}, ${humanBytes(p.pull.bytes)}` +
      ` (base ${humanBytes(p.pull.baseBytes)}, app ${humanBytes(p.pull.appBytes)})`,
  );
  out.push(
    `  on the ${p.pull.other.store} store: ${p.pull.other.layers} layer${p.pull.other.layers === 1 ? '' : 's'}, ${humanBytes(p.pull.other.bytes)}`,
  );
  for (const f of p.files) out.push(`  wrote ${f}`);
  return `${out.join('\n')}\n`;
}
