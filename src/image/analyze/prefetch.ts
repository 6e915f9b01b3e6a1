/**
 * Layer analysis ahead of the model, for sources read once, front to back (the engine's
 * export, whose manifest may come after the layers). Each large blob is analysed as it streams
 * past, before anyone knows which layer it is: its digest and diffID are computed, not checked.
 * Once the model exists, `take` hands a layer the result whose computed digest is the layer's
 * digest and checks the diffID, so every digest is still verified. A blob that failed, or whose
 * content does not match the digest a layer names, yields nothing here: that layer is read again
 * the ordinary way and fails there with the usual message.
 */
import type { Readable } from 'node:stream';
import { Hasher, parseDigest } from '../digest.js';
import { ImageError } from '../errors.js';
import type { BlobHint, BlobVisitor, Layer } from '../model.js';
import type { LayerCache } from './cache.js';
import { type AnalyzeOptions, analyzeLayerStream, type LayerAnalysis } from './layer.js';

export class LayerPrefetch {
  private readonly results = new Map<string, LayerAnalysis>();

  constructor(private readonly opts: AnalyzeOptions & { diskCache?: LayerCache } = {}) {}

  /** The visitor to give the source (OpenOptions.onBlob). */
  readonly visit: BlobVisitor = async (blob, hint) => {
    try {
      const a = (await this.fromCache(blob, hint)) ?? (await this.analyse(blob, hint));
      if (a) this.results.set(a.digest, a);
    } catch {
      /* not a layer, or a bad one: see the module comment */
    } finally {
      blob.destroy();
    }
  };

  private async analyse(blob: Readable, hint: BlobHint): Promise<LayerAnalysis> {
    const a = await analyzeLayerStream(blob, { size: hint.size, compression: 'none' }, -1, hint.what, this.opts);
    await this.opts.diskCache?.put({ digest: a.digest, diffId: a.diffId } as Layer, !!this.opts.hashFiles, a);
    return a;
  }

  /**
   * A blob named by its digest whose result is on disk is only hashed. The key guesses that the
   * blob is an uncompressed tar (diffID = digest), as the engine exports layers.
   */
  private async fromCache(blob: Readable, hint: BlobHint): Promise<LayerAnalysis | null> {
    const dc = this.opts.diskCache;
    if (!dc || !hint.digest) return null;
    const hit = await dc.get({ digest: hint.digest, diffId: hint.digest, index: -1 } as Layer, !!this.opts.hashFiles);
    if (!hit) return null;
    const h = new Hasher(parseDigest(hint.digest).algorithm);
    for await (const c of blob as AsyncIterable<Buffer>) h.update(c);
    if (h.digest() !== hint.digest || h.bytes !== hint.size) throw new ImageError(`${hint.what}: digest mismatch`);
    return hit;
  }

  /** The result for this layer, when its blob streamed past and hashed to the layer's digest. */
  take(layer: Layer): LayerAnalysis | undefined {
    const a = this.results.get(layer.digest);
    if (!a) return undefined;
    if (a.diffId !== layer.diffId)
      throw new ImageError(
        `layer ${layer.index + 1} (${layer.digest}): diffID mismatch, the config says ${layer.diffId}, the uncompressed content is ${a.diffId}`,
      );
    return { ...a, secrets: a.secrets.map((s) => ({ ...s, layerIndex: layer.index })) };
  }
}
