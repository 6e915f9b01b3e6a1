/** `layerwise diff OLD NEW`: argument handling only; the work is in src/image/diff.ts. */
import { UserError } from '../errors.js';
import { diffImages } from '../image/diff.js';
import type { Image } from '../image/model.js';
import { openImage } from '../image/open.js';
import { parsePlatform } from '../image/platform.js';
import { diffJson, diffText } from '../image/report/diff.js';
import { evaluate, parseConditions } from '../image/thresholds.js';

export interface DiffCliOptions {
  format?: string;
  platform?: string;
  failOn?: string[];
  store?: string;
  insecure?: boolean;
  timeout?: string;
  files?: boolean;
  color?: boolean;
}

export const DIFF_METRICS = {
  download: 'size',
  'download-classic': 'size',
  'download-containerd': 'size',
  layers: 'count',
  'layers-classic': 'count',
  'layers-containerd': 'count',
} as const;

export async function runDiff(oldRef: string, newRef: string, opts: DiffCliOptions): Promise<number> {
  if (opts.format === 'html') throw new UserError('--format html is not implemented yet; use text or json');
  const store = opts.store ?? 'classic';
  if (store !== 'classic' && store !== 'containerd')
    throw new UserError(`--store ${store}: expected classic or containerd`);
  const conds = parseConditions(opts.failOn ?? [], DIFF_METRICS);
  const timeoutMs = opts.timeout ? Number(opts.timeout) * 1000 : undefined;
  const o = {
    platform: opts.platform ? parsePlatform(opts.platform) : undefined,
    insecure: opts.insecure,
    timeoutMs,
  };
  const images: Image[] = [];
  try {
    images.push(await openImage(oldRef, o));
    images.push(await openImage(newRef, o));
    const d = await diffImages(images[0], images[1], { files: opts.files !== false });
    const byStore = store === 'classic' ? d.pull.classic : d.pull.containerd;
    const checks = evaluate(conds, {
      download: byStore.bytes,
      'download-classic': d.pull.classic.bytes,
      'download-containerd': d.pull.containerd.bytes,
      layers: byStore.layers,
      'layers-classic': d.pull.classic.layers,
      'layers-containerd': d.pull.containerd.layers,
    });
    if (opts.format === 'json') process.stdout.write(`${JSON.stringify(diffJson(d, checks), null, 2)}\n`);
    else {
      const color = opts.color !== false && !process.env.NO_COLOR && !!process.stdout.isTTY;
      process.stdout.write(diffText(d, checks, { color }));
    }
    return checks.some((c) => c.failed) ? 1 : 0;
  } finally {
    for (const i of images) await i.source.close();
  }
}
