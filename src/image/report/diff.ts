/** Renderers for `layerwise diff`: a plain JSON object (docs/diff-json.md) and text. */
import pc from 'picocolors';
import type { DiffResult } from '../diff.js';
import { shortDigest } from '../digest.js';
import { type Image, platformString } from '../model.js';
import { type Check, humanBytes } from '../thresholds.js';
import { createdByText, displayName, fmtMetric } from './inspect.js';

export const DIFF_SCHEMA = 'layerwise/diff/v1';

function imageSummary(i: Image) {
  return {
    reference: i.name,
    source: i.kind,
    tags: i.tags,
    manifestDigest: i.manifestDigest ?? null,
    configDigest: i.configDigest,
    platform: platformString(i.platform),
    layers: i.layers.length,
    size: i.layers.reduce((n, l) => n + l.size, 0),
  };
}

/** `diff --host`: the engine NEW was compared with (in the JSON as `host`). */
export interface HostSummary {
  engine: string;
  store: 'classic' | 'containerd';
  /** Images on the engine (intermediate ones included). */
  images: number;
  /** Distinct layers (ChainIDs) they hold. */
  layers: number;
  /** Blob digests the engine has pulled or pushed, from its images' repository digests. */
  knownBlobs: number;
  unresolved: Array<{ repoDigest: string; reason: string }>;
  /** The host image NEW was compared with file by file (the one sharing most layers), or null. */
  comparedWith: string | null;
  /** NEW's image ID is already on the host: a pull fetches nothing. */
  upToDate: boolean;
  notes: string[];
}

export interface DiffJson {
  schema: string;
  old: ReturnType<typeof imageSummary> | null;
  new: ReturnType<typeof imageSummary>;
  host?: HostSummary;
  sharedLayers: number;
  newLayers: number;
  pull: DiffResult['pull'];
  layers: DiffResult['layers'];
  checks: Check[];
}

export function diffJson(d: DiffResult, checks: Check[], host?: HostSummary): DiffJson {
  return {
    schema: DIFF_SCHEMA,
    old: d.old ? imageSummary(d.old) : null,
    new: imageSummary(d.new),
    ...(host ? { host } : {}),
    sharedLayers: d.sharedLayers,
    newLayers: d.newLayers,
    pull: d.pull,
    layers: d.layers,
    checks,
  };
}

const VERDICT_TEXT: Record<string, string> = {
  'real-change': 'real change',
  'metadata-only': 'only timestamps/owners/modes',
  'pyc-only': 'only .pyc',
  'caches-only': 'only apt lists, caches or logs',
  'noise-only': 'only .pyc, caches or logs',
  'identical-content': 'same content, different tar bytes',
  'new-layer': 'new instruction',
};

export function diffText(d: DiffResult, checks: Check[], opts: { color?: boolean; host?: HostSummary } = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  const nm = displayName;
  const host = opts.host;
  if (host) {
    out.push(`${c.bold(`host ${host.engine}`)} -> ${c.bold(nm(d.new))}`);
    out.push(
      `the engine (${host.store} store) holds ${host.images} images with ${host.layers} distinct layers; ${host.knownBlobs} blob digests known from their repository digests`,
    );
    if (host.comparedWith) out.push(`new layers compared file by file with ${host.comparedWith}`);
    for (const n of host.notes) out.push(c.dim(n));
  } else out.push(`${c.bold(nm(d.old!))} -> ${c.bold(nm(d.new))}`);
  out.push(`${d.sharedLayers} of ${d.new.layers.length} layers shared, ${d.newLayers} new`);
  const k = d.pull.classic;
  const cd = d.pull.containerd;
  out.push(
    `${host ? 'docker pull on this host fetches' : 'a host holding OLD pulls'} ${c.bold(humanBytes(k.bytes))} in ${k.layers} layer${k.layers === 1 ? '' : 's'} (classic store, by ChainID)` +
      `, ${c.bold(humanBytes(cd.bytes))} in ${cd.layers} blob${cd.layers === 1 ? '' : 's'} (containerd store, by blob)`,
  );
  out.push('');
  for (const l of d.layers) {
    const mark = l.shared ? c.dim('=') : l.pulledClassic || l.pulledContainerd ? c.yellow('+') : ' ';
    const pulls =
      !l.pulledClassic && !l.pulledContainerd
        ? ''
        : ` pull: ${l.pulledClassic ? 'classic' : ''}${l.pulledClassic && l.pulledContainerd ? '+' : ''}${l.pulledContainerd ? 'containerd' : ''}`;
    out.push(
      `${mark} ${String(l.index + 1).padStart(3)}  ${humanBytes(l.size).padStart(9)}  ${c.dim(shortDigest(l.digest))}  ${trunc(createdByText(l.createdBy), 64)}${c.dim(pulls)}`,
    );
    if (l.verdict) {
      const vt = VERDICT_TEXT[l.verdict] ?? l.verdict;
      const color = l.verdict === 'real-change' || l.verdict === 'new-layer' ? c.cyan : c.yellow;
      out.push(
        `        ${color(vt)}: ${l.reason}${l.comparedWith !== null ? c.dim(` (vs OLD layer ${l.comparedWith + 1})`) : ''}`,
      );
      for (const s of (l.change?.samples ?? []).slice(0, 5))
        out.push(
          c.dim(
            `          ${s.change.padEnd(8)} ${humanBytes(s.size).padStart(9)}  /${s.path}${s.fields ? ` (${s.fields.join(',')})` : ''}`,
          ),
        );
      if (l.fix) out.push(`        fix: ${l.fix}`);
    } else if (l.reason) out.push(c.dim(`        ${l.reason}`));
  }
  if (checks.length) {
    out.push('');
    for (const ch of checks)
      out.push(
        `${ch.failed ? c.red('FAIL') : c.green('ok  ')}  ${ch.rule}  ${c.dim(`(${ch.metric} = ${fmtMetric(ch.metric, ch.value)})`)}`,
      );
  }
  return `${out.join('\n')}\n`;
}

function trunc(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
