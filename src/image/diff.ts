/**
 * `diff OLD NEW`: what a host holding OLD downloads to run NEW, for both engine stores, and why
 * each new layer exists.
 *
 * - containerd image store: content is keyed by blob digest, so every NEW blob that OLD lacks
 *   is fetched.
 * - classic (graph driver) store: layers are keyed by ChainID (the layer and everything under
 *   it), so every layer above the first one whose ChainID OLD lacks is fetched again, even when
 *   its content is unchanged.
 *
 * Each new layer is compared file by file with its counterpart in OLD (same instruction, or the
 * same position) and gets a verdict: a real change, or only timestamps/owners/modes, only .pyc,
 * only apt lists/caches/logs, with the fix.
 */
import { analyzeLayerCached, type LayerCache } from './analyze/cache.js';
import type { LayerAnalysis } from './analyze/layer.js';
import type { LayerPrefetch } from './analyze/prefetch.js';
import { predictPull } from './diff-pull.js';
import { category, compareAll, compareLayers, type LayerChange, verdictOf, type Verdict } from './diff-verdict.js';
import type { Image, Layer } from './model.js';

export { compareLayers, type LayerChange, type PathChange, type Verdict, verdictOf } from './diff-verdict.js';

export interface DiffLayer {
  index: number;
  digest: string;
  diffId: string;
  size: number;
  createdBy: string | null;
  /** In OLD with the same ChainID (reused by both stores). */
  shared: boolean;
  /** Same blob digest exists in OLD (containerd reuses it). */
  blobInOld: boolean;
  pulledClassic: boolean;
  pulledContainerd: boolean;
  /** Index of the OLD layer it was compared with. */
  comparedWith: number | null;
  change: LayerChange | null;
  verdict: Verdict | null;
  reason: string | null;
  fix: string | null;
}

export interface DiffResult {
  /** OLD; with --host, the host's image NEW was compared with file by file (null: none). */
  old: Image | null;
  new: Image;
  sharedLayers: number;
  newLayers: number;
  pull: {
    containerd: { bytes: number; layers: number };
    classic: { bytes: number; layers: number; firstMissingLayer: number | null };
  };
  layers: DiffLayer[];
}

function norm(s: string | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

/** Picks the OLD layer a NEW layer replaces: same instruction nearest in position, else same position. */
function counterpart(
  oldImg: Image,
  _newImg: Image,
  l: Layer,
  newDiffIds: Set<string>,
  used: Set<number>,
): number | null {
  const want = norm(l.createdBy);
  let best: number | null = null;
  if (want) {
    for (const o of oldImg.layers) {
      if (used.has(o.index) || norm(o.createdBy) !== want || newDiffIds.has(o.diffId)) continue;
      if (best === null || Math.abs(o.index - l.index) < Math.abs(best - l.index)) best = o.index;
    }
  }
  if (best === null) {
    const o = oldImg.layers[l.index];
    if (
      o &&
      !used.has(o.index) &&
      !newDiffIds.has(o.diffId) &&
      (!want || !norm(o.createdBy) || norm(o.createdBy) === want)
    )
      best = o.index;
    else if (o && !used.has(o.index) && !newDiffIds.has(o.diffId) && l.index === 0) best = 0;
  }
  return best;
}

/** What a host holds, in place of one OLD image (`diff --host`; see host.ts). */
export interface HeldLayers {
  chainIds: Set<string>;
  diffIds: Set<string>;
  /** Blob digests the engine has pulled or pushed. */
  knownBlobs: Set<string>;
  /** Image IDs on the host: pulling one of them fetches nothing. */
  imageIds: Set<string>;
}

export interface DiffOptions {
  /** Compare layers file by file (default true). */
  files?: boolean;
  concurrency?: number;
  /** Predict the pull against a whole host instead of OLD (OLD, if any, is only compared file by file). */
  held?: HeldLayers;
  /** Per-layer results on disk, by digest (see analyze/cache.ts). */
  diskCache?: LayerCache;
  /** Layers analysed while an engine export streamed (see analyze/prefetch.ts). */
  prefetch?: LayerPrefetch;
}

export async function diffImages(oldImg: Image | null, newImg: Image, opts: DiffOptions = {}): Promise<DiffResult> {
  const held = opts.held;
  if (!oldImg && !held) throw new Error('diffImages: needs OLD or a host');
  const { layers, pull } = predictPull(oldImg, newImg, held);
  const newDiffIds = new Set(newImg.layers.map((l) => l.diffId));
  const used = new Set<number>();

  // Layers with new content (their diffID is not anywhere in OLD).
  const oldDiffIds = new Set([...(held?.diffIds ?? []), ...(oldImg?.layers.map((l) => l.diffId) ?? [])]);
  const changed = newImg.layers.filter((l) => !oldDiffIds.has(l.diffId));
  if (!oldImg) for (const l of changed) layers[l.index].reason = 'new content: no image on the host has this layer';
  if (oldImg && opts.files !== false && changed.length) {
    const cache = new Map<string, Promise<LayerAnalysis>>();
    const get = (img: Image, l: Layer): Promise<LayerAnalysis> => {
      let p = cache.get(l.digest);
      if (!p) {
        p = analyzeLayerCached(img, l, { hashFiles: true, diskCache: opts.diskCache, prefetch: opts.prefetch });
        cache.set(l.digest, p);
      }
      return p;
    };
    const pairs = changed.map((l) => {
      const o = counterpart(oldImg, newImg, l, newDiffIds, used);
      if (o !== null) used.add(o);
      return { l, o };
    });
    // Two at a time: each read is one streaming pass.
    const jobs = pairs.map(({ l, o }) => async () => {
      const d = layers[l.index];
      d.comparedWith = o;
      if (o === null) {
        d.verdict = 'new-layer';
        const a = await get(newImg, l);
        d.reason = `no counterpart in OLD (a new instruction): ${a.files.filter((f) => f.type !== 'dir').length} files, ${a.contentBytes} bytes`;
        d.change = {
          added: a.files.length,
          removed: 0,
          contentChanged: 0,
          metadataOnly: 0,
          addedBytes: a.contentBytes,
          removedBytes: 0,
          contentChangedBytes: 0,
          metadataFields: [],
          samples: [...a.files]
            .sort((x, y) => y.size - x.size)
            .slice(0, 20)
            .map((f) => ({
              path: f.path,
              change: 'added' as const,
              size: f.size,
              category: category(f.path),
            })),
        };
        return;
      }
      const [oa, na] = await Promise.all([get(oldImg, oldImg.layers[o]), get(newImg, l)]);
      const ch = compareLayers(oa, na);
      d.change = ch;
      const all = compareAll(oa, na);
      const v = verdictOf(
        ch,
        all,
        l.index === 0 ||
          (l.createdBy ?? '').startsWith('ADD file:') ||
          (l.createdBy ?? '').includes('#(nop) ADD file:'),
      );
      d.verdict = v.verdict;
      d.reason = v.reason;
      d.fix = v.fix;
    });
    let next = 0;
    const n = Math.max(1, opts.concurrency ?? 2);
    await Promise.all(
      Array.from({ length: n }, async () => {
        while (next < jobs.length) await jobs[next++]();
      }),
    );
  }
  // Unchanged content with a new ChainID (classic store re-fetches them).
  for (const d of layers) {
    if (d.shared && d.pulledClassic && held) {
      d.reason = held.knownBlobs.has(d.digest)
        ? 'on the host, but a layer below it is fetched, so the classic store fetches it again'
        : 'on the host (same ChainID), but the engine never pulled or pushed this blob digest, so the classic store downloads it again';
      continue;
    }
    if (d.verdict || d.shared) continue;
    if (oldDiffIds.has(d.diffId)) {
      d.verdict = null;
      d.reason = 'same content as a layer of OLD, but a layer below it changed (new ChainID)';
    }
  }
  return {
    old: oldImg,
    new: newImg,
    sharedLayers: layers.filter((l) => l.shared).length,
    newLayers: layers.filter((l) => !l.shared).length,
    pull,
    layers,
  };
}
