/** `layerwise inspect REF`: argument handling only; the work is in src/image. */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { cacheDisabled, LayerCache } from '../image/analyze/cache.js';
import { analyzeImage } from '../image/analyze/image.js';
import { LayerPrefetch } from '../image/analyze/prefetch.js';
import { openImage } from '../image/open.js';
import { parsePlatform } from '../image/platform.js';
import { inspectHtml } from '../image/report/html-inspect.js';
import { layerTrees } from '../image/report/html-tree.js';
import { inspectJson, inspectText } from '../image/report/inspect.js';
import { type Condition, diveCiConditions, evaluate, parseConditions } from '../image/thresholds.js';
import { type OutputOptions, writeReport } from './output.js';

export interface InspectOptions extends OutputOptions {
  format?: string;
  platform?: string;
  failOn?: string[];
  diveCi?: string | boolean;
  top?: string;
  insecure?: boolean;
  timeout?: string;
  color?: boolean;
  /** false: --no-cache */
  cache?: boolean;
}

export const INSPECT_METRICS = {
  wasted: 'size',
  efficiency: 'ratio',
  size: 'size',
  uncompressed: 'size',
  secrets: 'count',
  caches: 'size',
  layers: 'count',
  'dive-wasted': 'size',
  'dive-efficiency': 'ratio',
  'dive-user-wasted': 'ratio',
} as const;

/** Entries of each layer's file tree the HTML report shows (the largest). */
const TREE_LIMIT = 2000;

export async function runInspect(ref: string, opts: InspectOptions): Promise<number> {
  const conds: Condition[] = parseConditions(opts.failOn ?? [], INSPECT_METRICS);
  if (opts.diveCi) {
    const file = typeof opts.diveCi === 'string' ? opts.diveCi : '.dive-ci';
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new UserError(`${file}: cannot read the dive CI file`);
    }
    conds.push(...(await diveCiConditions(text, file)));
  }
  const top = opts.top ? Number(opts.top) : 20;
  if (!Number.isInteger(top) || top < 1) throw new UserError(`--top ${opts.top}: expected a positive integer`);
  const timeoutMs = opts.timeout ? Number(opts.timeout) * 1000 : undefined;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new UserError(`--timeout ${opts.timeout}: expected seconds`);
  const diskCache = opts.cache === false || cacheDisabled() ? undefined : new LayerCache();
  // The engine's export is read once: its layers are analysed while it streams.
  const prefetch = new LayerPrefetch({ diskCache });
  const image = await openImage(ref, {
    platform: opts.platform ? parsePlatform(opts.platform) : undefined,
    insecure: opts.insecure,
    timeoutMs,
    onBlob: prefetch.visit,
  });
  try {
    const a = await analyzeImage(image, { top, diskCache, prefetch });
    const values: Record<string, number> = {
      wasted: a.wastedBytes,
      efficiency: a.efficiency,
      size: a.size,
      uncompressed: a.uncompressedSize,
      secrets: a.secrets.filter((s) => !s.inPackage).length,
      caches: a.caches.reduce((n, c) => n + c.bytes, 0),
      layers: a.layers.length,
      'dive-wasted': a.dive.wastedBytes,
      'dive-efficiency': a.dive.efficiency,
      'dive-user-wasted': a.dive.userWastedPercent,
    };
    const checks = evaluate(conds, values);
    if (opts.format === 'json')
      await writeReport(`${JSON.stringify(inspectJson(image, a, checks, top), null, 2)}\n`, opts);
    else if (opts.format === 'html')
      await writeReport(inspectHtml(inspectJson(image, a, checks, top), layerTrees(a, TREE_LIMIT)), opts);
    else {
      const color = !opts.output && opts.color !== false && !process.env.NO_COLOR && !!process.stdout.isTTY;
      await writeReport(inspectText(image, a, checks, { color, top: Math.min(top, 10) }), opts);
    }
    return checks.some((c) => c.failed) ? 1 : 0;
  } finally {
    await image.source.close();
  }
}
