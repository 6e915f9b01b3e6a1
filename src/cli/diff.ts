/** `layerwise diff OLD NEW` and `layerwise diff --host[=ENGINE] NEW`: argument handling only. */
import { UserError } from '../errors.js';
import { cacheDisabled, LayerCache } from '../image/analyze/cache.js';
import { diffImages } from '../image/diff.js';
import { closestImage, readHost } from '../image/host.js';
import type { Image } from '../image/model.js';
import { LayerPrefetch } from '../image/analyze/prefetch.js';
import { type OpenOptions, openImage } from '../image/open.js';
import { parsePlatform } from '../image/platform.js';
import { diffJson, diffText, type HostSummary } from '../image/report/diff.js';
import { diffHtml } from '../image/report/html-diff.js';
import { evaluate, parseConditions } from '../image/thresholds.js';
import { type OutputOptions, writeReport } from './output.js';

export interface DiffCliOptions extends OutputOptions {
  format?: string;
  platform?: string;
  failOn?: string[];
  store?: string;
  insecure?: boolean;
  timeout?: string;
  files?: boolean;
  color?: boolean;
  /** true (the default engine) or an engine address (unix://, tcp://). */
  host?: string | boolean;
  /** false: --no-cache */
  cache?: boolean;
}

export const DIFF_METRICS = {
  download: 'size',
  'download-classic': 'size',
  'download-containerd': 'size',
  layers: 'count',
  'layers-classic': 'count',
  'layers-containerd': 'count',
} as const;

const ENGINE_ADDRESS = /^(unix|tcp|http|npipe):\/\//;

/** Sorts out `OLD NEW` and `--host[=ENGINE] NEW` (host: true for a bare --host, else ENGINE). */
export function diffArgs(
  refs: string[],
  host: string | boolean | undefined,
): { oldRef: string | null; newRef: string; engine: string | undefined; host: boolean } {
  if (host === undefined || host === false) {
    if (refs.length !== 2) throw new UserError('diff: expected OLD and NEW (or --host[=ENGINE] NEW)');
    return { oldRef: refs[0], newRef: refs[1], engine: undefined, host: false };
  }
  if (host === true) {
    // `--host ENGINE NEW` was accepted before the engine had to follow an =.
    if (refs.length === 2 && ENGINE_ADDRESS.test(refs[0]))
      throw new UserError(`diff --host: give the engine as --host=${refs[0]}`);
    if (refs.length !== 1) throw new UserError('diff --host: expected one image, NEW');
    return { oldRef: null, newRef: refs[0], engine: undefined, host: true };
  }
  if (!ENGINE_ADDRESS.test(host))
    throw new UserError(`--host=${host}: expected an engine address (unix:///var/run/docker.sock, tcp://HOST:PORT)`);
  if (refs.length !== 1) throw new UserError(`diff --host=${host}: expected one image, NEW`);
  return { oldRef: null, newRef: refs[0], engine: host, host: true };
}

export async function runDiff(refs: string[], opts: DiffCliOptions): Promise<number> {
  const args = diffArgs(refs, opts.host);
  if (opts.store !== undefined && opts.store !== 'classic' && opts.store !== 'containerd')
    throw new UserError(`--store ${opts.store}: expected classic or containerd`);
  const conds = parseConditions(opts.failOn ?? [], DIFF_METRICS);
  const timeoutMs = opts.timeout ? Number(opts.timeout) * 1000 : undefined;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new UserError(`--timeout ${opts.timeout}: expected seconds`);
  const o: OpenOptions = {
    platform: opts.platform ? parsePlatform(opts.platform) : undefined,
    insecure: opts.insecure,
    timeoutMs,
    engineHost: args.engine,
  };
  const diskCache = opts.cache === false || cacheDisabled() ? undefined : new LayerCache();
  // Engine exports are read once: their layers are analysed (with file hashes) while they stream.
  const prefetch = opts.files !== false ? new LayerPrefetch({ hashFiles: true, diskCache }) : undefined;
  o.onBlob = prefetch?.visit;
  const images: Image[] = [];
  try {
    let hostSummary: HostSummary | undefined;
    let d: Awaited<ReturnType<typeof diffImages>>;
    if (args.host) {
      const newImg = await openImage(args.newRef, o);
      images.push(newImg);
      const host = await readHost({ ...o, relevantDiffIds: new Set(newImg.layers.map((l) => l.diffId)) });
      const upToDate = host.imageIds.has(newImg.configDigest);
      const closest = upToDate ? null : closestImage(host, newImg);
      let oldImg: Image | null = null;
      if (closest && opts.files !== false) {
        oldImg = await openImage(`engine:${closest.id}`, o);
        images.push(oldImg);
      }
      d = await diffImages(oldImg, newImg, { files: opts.files !== false, held: host, diskCache, prefetch });
      const notes = [
        'classic store: a layer is reused when the engine holds its ChainID and has pulled or pushed its blob digest before; layers that came from builds or docker load are downloaded again.',
        host.store === 'classic'
          ? 'containerd store figures: blobs are taken from the manifests of the images’ repository digests; a classic engine does not show which blobs a containerd store would hold.'
          : 'containerd store: blobs are taken from the manifests of the images’ repository digests; the Engine API does not list the content store, so blobs of images built here and never pushed are not seen.',
      ];
      if (host.unresolved.length)
        notes.push(
          `${host.unresolved.length} repository digest(s) could not be read; their blobs count as unknown, so the prediction may be high.`,
        );
      hostSummary = {
        engine: host.engine,
        store: host.store,
        images: host.images.length,
        layers: host.chainIds.size,
        knownBlobs: host.knownBlobs.size,
        unresolved: host.unresolved,
        comparedWith: closest ? (closest.tags[0] ?? closest.id) : null,
        upToDate,
        notes,
      };
    } else {
      images.push(await openImage(args.oldRef!, o));
      images.push(await openImage(args.newRef, o));
      d = await diffImages(images[0], images[1], { files: opts.files !== false, diskCache, prefetch });
    }
    const store = opts.store ?? hostSummary?.store ?? 'classic';
    const byStore = store === 'classic' ? d.pull.classic : d.pull.containerd;
    const checks = evaluate(conds, {
      download: byStore.bytes,
      'download-classic': d.pull.classic.bytes,
      'download-containerd': d.pull.containerd.bytes,
      layers: byStore.layers,
      'layers-classic': d.pull.classic.layers,
      'layers-containerd': d.pull.containerd.layers,
    });
    const j = diffJson(d, checks, hostSummary);
    if (opts.format === 'json') await writeReport(`${JSON.stringify(j, null, 2)}\n`, opts);
    else if (opts.format === 'html') await writeReport(diffHtml(j), opts);
    else {
      const color = !opts.output && opts.color !== false && !process.env.NO_COLOR && !!process.stdout.isTTY;
      await writeReport(diffText(d, checks, { color, host: hostSummary }), opts);
    }
    return checks.some((c) => c.failed) ? 1 : 0;
  } finally {
    for (const i of images) await i.source.close();
  }
}
