/**
 * Layer scheduling: runs the per-layer analysis for every layer of an image, a few at a time,
 * sharing results by digest (across images for diff).
 */
import type { Image } from '../model.js';
import { analyzeLayerCached, type LayerCache } from './cache.js';
import type { AnalyzeOptions, LayerAnalysis } from './layer.js';
import type { LayerPrefetch } from './prefetch.js';

export interface AnalyzeImageOptions extends AnalyzeOptions {
  concurrency?: number;
  /** Per-layer results on disk, by digest (see cache.ts). */
  diskCache?: LayerCache;
  /** Results of layers analysed while a one-pass source streamed (the engine's export). */
  prefetch?: LayerPrefetch;
  /** Shared across images (diff): layer results by digest. */
  cache?: Map<string, Promise<LayerAnalysis>>;
  top?: number;
}

export async function analyzeLayers(image: Image, opts: AnalyzeImageOptions = {}): Promise<LayerAnalysis[]> {
  const cache = opts.cache ?? new Map<string, Promise<LayerAnalysis>>();
  const results: LayerAnalysis[] = new Array(image.layers.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < image.layers.length) {
      const l = image.layers[next++];
      const key = `${l.digest}|${opts.hashFiles ? 'h' : ''}`;
      let p = cache.get(key);
      if (!p) {
        p = analyzeLayerCached(image, l, opts);
        cache.set(key, p);
      }
      results[l.index] = await p;
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 2, image.layers.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
