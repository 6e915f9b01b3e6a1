/**
 * The image as the outputs take it: the base's layers as registry blobs (plain tars gzipped once),
 * build's own layers, and reused ones read from the previous image.
 */
import type { Readable } from 'node:stream';
import { Readable as ReadableStream } from 'node:stream';
import { UserError } from '../errors.js';
import { compressionOf, MediaTypes, type Descriptor, type Image } from '../image/model.js';
import { openImage } from '../image/open.js';
import { gzipStream } from '../ship/gzip.js';
import type { AssembledImage } from './outputs.js';
import type { BuiltLayer } from './types.js';

/** A base layer as the image carries it, and how to read its blob. */
export interface BaseLayer {
  descriptor: Descriptor;
  open(): Promise<Readable>;
}

/**
 * The base's layers as registry blobs. A base read from the engine or a `docker save` archive
 * has uncompressed tars: they are compressed once here (the deterministic gzip ship uses), so a
 * push sends gzip blobs and every output has the same manifest.
 */
export async function registryBaseLayers(base: Image, step: (m: string) => void): Promise<BaseLayer[]> {
  const plain = base.manifest.layers.filter((d) => compressionOf(d.mediaType) === 'none');
  if (plain.length) step(`compressing ${plain.length} uncompressed base layer${plain.length === 1 ? '' : 's'}`);
  const out: BaseLayer[] = [];
  for (const d of base.manifest.layers) {
    if (compressionOf(d.mediaType) !== 'none') {
      out.push({ descriptor: d, open: () => base.source.openBlob(d) });
      continue;
    }
    const gz = await gzipStream(await base.source.openBlob(d));
    out.push({
      descriptor: { mediaType: MediaTypes.ociLayerGzip, digest: gz.digest, size: gz.size },
      open: async () => ReadableStream.from([gz.bytes]),
    });
  }
  return out;
}

/** The image as outputs take it: base blobs from the base, reused ones from the previous image. */
export function assemble(
  baseLayers: BaseLayer[],
  manifest: Buffer,
  config: Buffer,
  built: { layer: BuiltLayer; blob: Buffer | null }[],
  previousRef: string | null,
  platform: AssembledImage['platform'],
  opts: { insecure?: boolean; host?: string },
): AssembledImage {
  const baseBlobs = baseLayers.map((b) => ({
    digest: b.descriptor.digest,
    size: b.descriptor.size,
    mediaType: b.descriptor.mediaType,
    open: b.open,
  }));
  let prevImage: Promise<Image> | null = null;
  const fromPrevious = async (d: Descriptor): Promise<Readable> => {
    if (!previousRef)
      throw new UserError(`layer ${d.digest.slice(0, 19)}: reused, but no previous image to read it from`);
    prevImage ??= openImage(previousRef, { insecure: opts.insecure, engineHost: opts.host });
    return (await prevImage).source.openBlob(d);
  };
  const own = built.map(({ layer, blob }) => {
    const d: Descriptor = { digest: layer.digest, size: layer.size, mediaType: MediaTypes.ociLayerGzip };
    return {
      digest: layer.digest,
      size: layer.size,
      mediaType: MediaTypes.ociLayerGzip,
      open: async () => (blob ? ReadableStream.from([blob]) : fromPrevious(d)),
    };
  });
  return { manifest, config, blobs: [...baseBlobs, ...own], platform };
}
