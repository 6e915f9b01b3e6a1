/**
 * The OCI image manifest `ship` pushes, as bytes with a fixed key order (so the same image and
 * annotations always give the same manifest digest), and the reverse: an image already in the
 * registry as descriptors by diffID, for a later push to mount instead of compressing.
 */
import { ImageError } from '../image/errors.js';
import { checkManifest, type Descriptor, MediaTypes, parseJson } from '../image/model.js';
import type { RegistryClient } from '../registry/client.js';

export interface BlobDescriptor {
  digest: string;
  size: number;
  mediaType: string;
}

/** Docker's layer media types in an OCI manifest are replaced by their OCI equivalents. */
export function ociLayerType(mediaType: string): string {
  if (mediaType === MediaTypes.dockerLayer) return MediaTypes.ociLayerGzip;
  if (mediaType === MediaTypes.dockerForeignLayer) return MediaTypes.ociLayerNondistGzip;
  return mediaType;
}

const desc = (d: BlobDescriptor) => ({ mediaType: d.mediaType, digest: d.digest, size: d.size });

/** An OCI image manifest: schemaVersion, mediaType, config, layers, then annotations (when any, keys sorted). */
export function ociManifest(
  config: { digest: string; size: number },
  layers: BlobDescriptor[],
  annotations: Record<string, string> = {},
): Buffer {
  const m: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociManifest,
    config: desc({ ...config, mediaType: MediaTypes.ociConfig }),
    layers: layers.map(desc),
  };
  const keys = Object.keys(annotations).sort();
  if (keys.length) m.annotations = Object.fromEntries(keys.map((k) => [k, annotations[k]]));
  return Buffer.from(JSON.stringify(m));
}

/** The descriptors of an image in the registry (manifest + config), by diffID, for PushOptions.reuse. */
export async function pushedLayers(
  client: RegistryClient,
  repo: string,
  reference: string,
): Promise<Map<string, BlobDescriptor>> {
  const what = `${client.host}/${repo}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
  const got = await client.getManifest(repo, reference);
  const raw = parseJson<{ manifests?: unknown }>(got.bytes, `${what}: manifest`);
  if (raw?.manifests) throw new ImageError(`${what} is an index; name one platform's manifest by its digest`);
  const m = checkManifest(raw, `${what}: manifest`);
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of (await client.openBlob(repo, m.config.digest)) as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > 16 << 20) throw new ImageError(`${what}: config larger than 16 MiB`);
    chunks.push(c);
  }
  const config = parseJson<{ rootfs?: { diff_ids?: string[] } }>(Buffer.concat(chunks), `${what}: config`);
  const diffIds = config?.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || diffIds.length !== m.layers.length)
    throw new ImageError(`${what}: the config's diff_ids do not match the manifest's ${m.layers.length} layers`);
  const out = new Map<string, BlobDescriptor>();
  m.layers.forEach((l: Descriptor, i) => out.set(diffIds[i], desc(l)));
  return out;
}
