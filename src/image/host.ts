/**
 * `diff --host`: what a Docker engine already holds, as far as `docker pull` is concerned.
 *
 * - Layers: the ChainIDs and diffIDs of every image on the engine (`/images/json?all=1`, then
 *   each image's RootFS).
 * - Blobs the engine knows: a classic (graph driver) engine skips a layer only when it holds its
 *   ChainID *and* knows which diffID the blob digest in NEW's manifest stands for; it learns that
 *   from earlier pulls and pushes, never from builds or `docker load`. Checked on 20.10: a host
 *   holding every layer of NEW from a `docker load` still downloads all of them. The Engine API
 *   does not expose that mapping, so it is rebuilt from the manifests of the images' repository
 *   digests (every pull and push leaves one), read from their registries.
 * - containerd's content store is keyed by blob digest; the Engine API of a classic engine does
 *   not list blobs, so the same manifests stand for them (blobs of images built on the host and
 *   never pushed are not seen).
 */
import { EngineClient, type EngineImage } from '../engine/client.js';
import { chainIds } from './digest.js';
import type { Image, Platform } from './model.js';
import type { OpenOptions } from './open.js';
import { RegistrySource } from './sources/registry.js';

export interface HostImage {
  id: string;
  tags: string[];
  repoDigests: string[];
  diffIds: string[];
  chainIds: string[];
  platform: Platform;
  created?: string;
}

export interface HostLayers {
  engine: string;
  store: 'classic' | 'containerd';
  images: HostImage[];
  imageIds: Set<string>;
  chainIds: Set<string>;
  diffIds: Set<string>;
  /** Blob digests the engine has pulled or pushed (from its images' repository digests). */
  knownBlobs: Set<string>;
  /** Repository digests whose manifests could not be read. */
  unresolved: Array<{ repoDigest: string; reason: string }>;
}

async function pool<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(n, items.length)) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

export interface ReadHostOptions extends OpenOptions {
  /** Only images sharing a diffID with these are worth resolving blob digests for. */
  relevantDiffIds?: Set<string>;
}

export async function readHost(opts: ReadHostOptions = {}): Promise<HostLayers> {
  const engine = new EngineClient({ host: opts.engineHost, timeoutMs: opts.timeoutMs });
  const info = await engine.info();
  const store = JSON.stringify(info.DriverStatus ?? []).includes('io.containerd.snapshotter')
    ? 'containerd'
    : 'classic';
  const listed = await engine.listImages(true);
  const inspected = await pool(listed, 8, (i) => engine.inspectImage(i.Id).catch(() => null));
  const images: HostImage[] = inspected
    .filter((i): i is EngineImage => !!i)
    .map((i) => {
      const diffIds = i.RootFS?.Layers ?? [];
      return {
        id: i.Id,
        tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
        repoDigests: (i.RepoDigests ?? []).filter((d) => !d.startsWith('<none>')),
        diffIds,
        chainIds: chainIds(diffIds),
        platform: { os: i.Os ?? 'linux', architecture: i.Architecture ?? 'amd64' },
        created: i.Created,
      };
    });
  const host: HostLayers = {
    engine: engine.where.startsWith('/') ? `unix://${engine.where}` : engine.where,
    store,
    images,
    imageIds: new Set(images.map((i) => i.id)),
    chainIds: new Set(images.flatMap((i) => i.chainIds)),
    diffIds: new Set(images.flatMap((i) => i.diffIds)),
    knownBlobs: new Set(),
    unresolved: [],
  };
  const want = opts.relevantDiffIds;
  const todo = images
    .filter((i) => !want || i.diffIds.some((d) => want.has(d)))
    .flatMap((i) => i.repoDigests.map((rd) => ({ rd, platform: i.platform })));
  await pool(todo, 4, async ({ rd, platform }) => {
    try {
      const src = new RegistrySource(`docker://${rd}`, rd, { ...opts, platform });
      const m = await src.manifest();
      for (const l of m.manifest.layers) host.knownBlobs.add(l.digest);
    } catch (e) {
      host.unresolved.push({ repoDigest: rd, reason: (e as Error).message.split('\n')[0] });
    }
  });
  host.unresolved.sort((a, b) => a.repoDigest.localeCompare(b.repoDigest));
  return host;
}

/**
 * The image on the host NEW most likely replaces: the longest run of shared layers from the
 * bottom, then the most shared layers, then the newest. Null when none shares a layer.
 */
export function closestImage(host: HostLayers, newImg: Image): HostImage | null {
  const want = newImg.layers.map((l) => l.chainId);
  const diffs = new Set(newImg.layers.map((l) => l.diffId));
  let best: { img: HostImage; prefix: number; shared: number } | null = null;
  for (const img of host.images) {
    if (img.id === newImg.configDigest) continue;
    let prefix = 0;
    while (prefix < want.length && prefix < img.chainIds.length && img.chainIds[prefix] === want[prefix]) prefix++;
    const shared = img.diffIds.filter((d) => diffs.has(d)).length;
    if (shared === 0) continue;
    const better =
      !best ||
      prefix > best.prefix ||
      (prefix === best.prefix && shared > best.shared) ||
      (prefix === best.prefix && shared === best.shared && (img.created ?? '') > (best.img.created ?? ''));
    if (better) best = { img, prefix, shared };
  }
  return best?.img ?? null;
}
