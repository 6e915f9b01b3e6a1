/** Renderers for `layerwise inspect`: a plain JSON object (documented in docs/inspect-json.md) and text. */
import pc from 'picocolors';
import type { ImageAnalysis } from '../analyze/image.js';
import { maskSecrets } from '../analyze/secrets.js';
import { shortDigest } from '../digest.js';
import { type Image, platformString } from '../model.js';
import { type Check, humanBytes } from '../thresholds.js';

export const INSPECT_SCHEMA = 'layerwise/inspect/v1';

export interface InspectJson {
  schema: string;
  image: {
    reference: string;
    source: string;
    tags: string[];
    manifestDigest: string | null;
    configDigest: string;
    platform: string;
    created: string | null;
  };
  size: number;
  uncompressedSize: number;
  contentBytes: number;
  finalBytes: number;
  finalFiles: number;
  wastedBytes: number;
  efficiency: number;
  dive: { wastedBytes: number; efficiency: number; userWastedPercent: number };
  layers: Array<Record<string, unknown>>;
  history: Array<{
    createdBy: string | null;
    created: string | null;
    emptyLayer: boolean;
    layerIndex: number | null;
  }>;
  historyMismatch: number;
  wasted: ImageAnalysis['wasted'];
  largestFiles: ImageAnalysis['largestFiles'];
  directories: ImageAnalysis['directories'];
  python: ImageAnalysis['python'];
  caches: ImageAnalysis['caches'];
  secrets: ImageAnalysis['secrets'];
  checks: Check[];
}

export function inspectJson(image: Image, a: ImageAnalysis, checks: Check[], top = 20): InspectJson {
  return {
    schema: INSPECT_SCHEMA,
    image: {
      reference: image.name,
      source: image.kind,
      tags: image.tags,
      manifestDigest: image.manifestDigest ?? null,
      configDigest: image.configDigest,
      platform: platformString(image.platform),
      created: image.created ?? null,
    },
    size: a.size,
    uncompressedSize: a.uncompressedSize,
    contentBytes: a.contentBytes,
    finalBytes: a.finalBytes,
    finalFiles: a.finalFiles,
    wastedBytes: a.wastedBytes,
    efficiency: round(a.efficiency),
    dive: {
      wastedBytes: a.dive.wastedBytes,
      efficiency: round(a.dive.efficiency),
      userWastedPercent: round(a.dive.userWastedPercent),
    },
    layers: a.layers.map((l) => ({ ...l })),
    history: image.history.map((h) => ({
      createdBy: maskSecrets(h.created_by),
      created: h.created ?? null,
      emptyLayer: !!h.empty_layer,
      layerIndex: h.layerIndex,
    })),
    historyMismatch: image.historyMismatch,
    wasted: a.wasted.filter((w) => w.bytes > 0).slice(0, top * 5),
    largestFiles: a.largestFiles,
    directories: a.directories,
    python: a.python,
    caches: a.caches,
    secrets: a.secrets,
    checks,
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function trunc(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

export function createdByText(s: string | null | undefined): string {
  if (!s) return '(no history)';
  return s
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .replace(/^RUN \|\d+ [^ ]+=\S*( [^ ]+=\S*)* \/bin\/sh -c /, 'RUN ');
}

export function inspectText(
  image: Image,
  a: ImageAnalysis,
  checks: Check[],
  opts: { color?: boolean; top?: number } = {},
): string {
  const c = pc.createColors(opts.color ?? false);
  const top = opts.top ?? 10;
  const out: string[] = [];
  const name = displayName(image);
  out.push(
    c.bold(`${name}`) +
      c.dim(`  (${image.kind}, ${platformString(image.platform)}, id ${shortDigest(image.configDigest)})`),
  );
  out.push(
    `${a.layers.length} layers, ${humanBytes(a.size)} stored, ${humanBytes(a.uncompressedSize)} uncompressed, ` +
      `${a.finalFiles} files (${humanBytes(a.finalBytes)}) in the final file system`,
  );
  out.push(
    `wasted ${c.bold(humanBytes(a.wastedBytes))} (superseded or deleted copies), efficiency ${c.bold(pct(a.efficiency))}` +
      c.dim(`; dive's figures: wasted ${humanBytes(a.dive.wastedBytes)}, efficiency ${pct(a.dive.efficiency)}`),
  );
  if (image.historyMismatch !== 0)
    out.push(
      c.yellow(
        `history does not line up with the layers (${image.historyMismatch > 0 ? '+' : ''}${image.historyMismatch} entries)`,
      ),
    );
  out.push('');
  out.push(c.bold('Layers'));
  const w = Math.max(...a.layers.map((l) => humanBytes(l.size).length), 4);
  for (const l of a.layers) {
    const changes = `+${l.files.added} ~${l.files.modified} -${l.files.removed}`;
    const hidden = l.hiddenByLaterBytes > 0 ? c.yellow(` ${humanBytes(l.hiddenByLaterBytes)} hidden later`) : '';
    out.push(
      `${String(l.index + 1).padStart(3)}  ${humanBytes(l.size).padStart(w)}  ${c.dim(shortDigest(l.digest))}  ${trunc(createdByText(l.createdBy), 70)}` +
        c.dim(`  ${changes}`) +
        hidden,
    );
  }
  out.push('');
  out.push(c.bold('Largest files'));
  for (const f of a.largestFiles.slice(0, top))
    out.push(`  ${humanBytes(f.size).padStart(9)}  /${f.path}  ${c.dim(`layer ${f.layerIndex + 1}`)}`);
  out.push('');
  out.push(c.bold('Largest directories'));
  for (const d of a.directories.filter((d) => d.path.split('/').length <= 3).slice(0, top))
    out.push(`  ${humanBytes(d.bytes).padStart(9)}  /${d.path}  ${c.dim(`${d.files} files`)}`);
  if (a.wasted.length) {
    out.push('');
    out.push(c.bold('Wasted (copies hidden by later layers)'));
    for (const x of a.wasted.filter((w) => w.bytes > 0).slice(0, top))
      out.push(
        `  ${humanBytes(x.bytes).padStart(9)}  /${x.path}  ${c.dim(`${x.deleted ? 'deleted' : 'overwritten'}, layer${x.layers.length > 1 ? 's' : ''} ${x.layers.map((i) => i + 1).join(',')}`)}`,
      );
  }
  if (a.python.sitePackages.length) {
    out.push('');
    out.push(c.bold('Python'));
    for (const s of a.python.sitePackages)
      out.push(`  ${humanBytes(s.bytes).padStart(9)}  /${s.path}  ${c.dim(`${s.files} files`)}`);
    for (const d of a.python.distributions.slice(0, top))
      out.push(
        `  ${humanBytes(d.bytes).padStart(9)}  ${d.name} ${d.version}` +
          c.dim(
            `${d.pycacheBytes ? `  __pycache__ ${humanBytes(d.pycacheBytes)}` : ''}${d.testsBytes ? `  tests ${humanBytes(d.testsBytes)}` : ''}`,
          ),
      );
    out.push(
      `  __pycache__: ${humanBytes(a.python.pycacheBytes)} in ${a.python.pycacheFiles} files; tests inside packages: ${humanBytes(a.python.testsBytes)} in ${a.python.testsFiles} files`,
    );
  }
  if (a.caches.length) {
    out.push('');
    out.push(c.bold('Caches left behind'));
    for (const k of a.caches)
      out.push(
        `  ${humanBytes(k.bytes).padStart(9)}  ${k.kind} ${c.dim(`(layer ${k.layers.map((i) => i + 1).join(',')})`)}  fix: ${k.fix}`,
      );
  }
  if (a.secrets.length) {
    out.push('');
    out.push(c.bold(c.red('Secrets')));
    for (const s of a.secrets)
      out.push(
        s.source === 'layer'
          ? `  ${s.kind}: /${s.path} ${c.dim(`layer ${(s.layerIndex ?? 0) + 1}`)}${s.inFinalImage ? '' : c.yellow(' (deleted later, still inside the layer)')}${s.inPackage ? c.dim(' (inside an installed package)') : ''}  ${c.dim(s.masked)}`
          : `  ${s.kind}: ${s.location} ${c.dim('(image config)')}${s.alsoIn.length ? c.dim(`, also ${s.alsoIn.join(', ')}`) : ''}  ${c.dim(s.masked)}`,
      );
  }
  if (checks.length) {
    out.push('');
    for (const k of checks)
      out.push(
        `${k.failed ? c.red('FAIL') : c.green('ok  ')}  ${k.rule}  ${c.dim(`(${k.metric} = ${fmtMetric(k.metric, k.value)})`)}`,
      );
  }
  return `${out.join('\n')}\n`;
}

export function fmtMetric(metric: string, v: number): string {
  if (metric.includes('efficiency') || metric.includes('percent') || metric === 'dive-user-wasted') return pct(v);
  if (metric === 'secrets' || metric === 'layers' || metric.endsWith('layers')) return String(v);
  return humanBytes(v);
}

/** The name the user asked for when the source knows it under that name, else its first tag. */
export function displayName(image: Image): string {
  const asked = image.name.replace(/^(engine|docker-daemon):/, '');
  if (image.tags.includes(asked)) return asked;
  if (image.kind === 'engine' || image.kind === 'registry') return asked;
  return image.tags[0] ? `${image.name} (${image.tags[0]})` : image.name;
}
