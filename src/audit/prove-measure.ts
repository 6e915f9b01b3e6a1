/**
 * What a host holding the image built before a change pulls for the one built after it, measured
 * on the two images in the engine: the image diff (src/image/diff.ts, the figures `layerwise diff`
 * reports: layer bytes as the engine exports them, uncompressed) and, for the layers either store
 * pulls, their gzip size (what a registry push compresses them to, and what the audit's estimates
 * are in).
 */
import { createHash } from 'node:crypto';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { diffImages } from '../image/diff.js';
import type { BlobVisitor, Image, Layer } from '../image/model.js';
import { openImage } from '../image/open.js';

/** One layer of the image after the change. */
export interface MeasuredLayer {
  index: number;
  createdBy: string | null;
  /** Bytes of the layer tar as the engine exports it. */
  tarBytes: number;
  /** gzip bytes of the layer, for the layers either store pulls; null for the others. */
  gzipBytes: number | null;
  /** In the image before the change with the same ChainID (both stores reuse it). */
  shared: boolean;
  /** Its content (diffID) is not in the image before the change. */
  newContent: boolean;
  pulledClassic: boolean;
  pulledContainerd: boolean;
}

export interface Measurement {
  before: string;
  after: string;
  /** As `layerwise diff BEFORE AFTER` reports it (its `pull` object and `newLayers`). */
  diff: {
    classic: { bytes: number; layers: number; firstMissingLayer: number | null };
    containerd: { bytes: number; layers: number };
    newLayers: number;
  };
  /** The same pulls, gzip bytes. */
  gzip: { classic: number; containerd: number };
  layers: MeasuredLayer[];
}

/** gzip bytes of a stream (default level, as `docker push` compresses) and the sha256 of its bytes. */
async function gzipCount(blob: NodeJS.ReadableStream): Promise<{ gzip: number; sha256: string }> {
  const hash = createHash('sha256');
  let n = 0;
  await pipeline(
    blob,
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        cb(null, chunk);
      },
    }),
    createGzip(),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        n += chunk.length;
        cb();
      },
    }),
  );
  return { gzip: n, sha256: `sha256:${hash.digest('hex')}` };
}

/** Layers up to this size are gzipped on the way whatever their size says (cheap next to an export). */
const ALWAYS_GZIP_BELOW = 16 * 1024 * 1024;

/**
 * While the new image's export streams past, gzips the layers that are likely new: those whose
 * size no layer of the old image has (the base and other reused layers have theirs), and every
 * small one, since a one-line change often leaves a layer's tar size as it was (tar pads files to
 * 512 bytes) and a miss here costs a whole second export. Keyed by the diffID the bytes hash to,
 * so a wrong guess costs time, never a wrong figure.
 */
function gzipNewLayers(oldImg: Image, into: Map<string, number>): BlobVisitor {
  const oldSizes = new Set(oldImg.layers.map((l) => l.size));
  return async (blob, hint) => {
    if (oldSizes.has(hint.size) && hint.size > ALWAYS_GZIP_BELOW) {
      blob.destroy();
      return;
    }
    const r = await gzipCount(blob);
    into.set(r.sha256, r.gzip);
  };
}

/** gzip bytes of one layer: from the pass over the export, else read again from the source. */
async function gzipSize(img: Image, l: Layer, seen: Map<string, number>): Promise<number> {
  // An engine with the containerd store exports the blobs as pulled: already gzip.
  if (l.compression === 'gzip') return l.size;
  const known = seen.get(l.diffId);
  if (known !== undefined) return known;
  const r = await gzipCount(await img.source.openBlob({ mediaType: l.mediaType, digest: l.digest, size: l.size }));
  return r.gzip;
}

/** Diffs two engine images (references or IDs) and gzips the layers the new one makes a host pull. */
export async function measurePull(before: string, after: string, opts: { host?: string } = {}): Promise<Measurement> {
  const o = { engineHost: opts.host };
  const images: Image[] = [];
  try {
    const seen = new Map<string, number>();
    images.push(await openImage(before, o));
    images.push(await openImage(after, { ...o, onBlob: gzipNewLayers(images[0], seen) }));
    const [oldImg, newImg] = images;
    const d = await diffImages(oldImg, newImg, { files: false });
    const oldDiffIds = new Set(oldImg.layers.map((l) => l.diffId));
    const layers: MeasuredLayer[] = [];
    for (const dl of d.layers) {
      const l = newImg.layers[dl.index];
      const pulled = dl.pulledClassic || dl.pulledContainerd;
      layers.push({
        index: dl.index,
        createdBy: dl.createdBy,
        tarBytes: dl.size,
        // One at a time: an engine export is read again for each blob not gzipped on the way.
        gzipBytes: pulled ? await gzipSize(newImg, l, seen) : null,
        shared: dl.shared,
        newContent: !oldDiffIds.has(l.diffId),
        pulledClassic: dl.pulledClassic,
        pulledContainerd: dl.pulledContainerd,
      });
    }
    const sum = (pick: (l: MeasuredLayer) => boolean) =>
      layers.filter(pick).reduce((n, l) => n + (l.gzipBytes ?? 0), 0);
    return {
      before,
      after,
      diff: {
        classic: { ...d.pull.classic },
        containerd: { ...d.pull.containerd },
        newLayers: d.newLayers,
      },
      gzip: { classic: sum((l) => l.pulledClassic), containerd: sum((l) => l.pulledContainerd) },
      layers,
    };
  } finally {
    for (const i of images) await i.source.close();
  }
}
