/**
 * `ship plan`: what a host must download to run a release, predicted from the registry's
 * manifests and what the host already holds, split into the base's layers (shared by every
 * release on the same fingerprint) and the app's own.
 */
import type { PullPrediction } from '../image/diff-pull.js';
import { predictPull } from '../image/diff-pull.js';
import { ImageError } from '../image/errors.js';
import { readHost } from '../image/host.js';
import type { Image } from '../image/model.js';
import { UserError } from '../errors.js';
import { openImage, type OpenOptions } from '../image/open.js';
import { parsePlatform } from '../image/platform.js';
import { RegistryClient } from '../registry/client.js';
import { headManifest } from '../registry/write.js';
import { ANNOTATIONS, type DeployPlan } from './types.js';

export interface PlanOptions {
  /** Registry host:port and repo of the app, e.g. 127.0.0.1:5000 + team/app. */
  registry: string;
  repo: string;
  /** The release to deploy: a tag or sha256 digest in repo. */
  release: string;
  /** What the host holds: an engine (true = DOCKER_HOST/default socket, or an address), or a previous release (tag/digest in repo). */
  against: { host: true | string } | { release: string };
  platform?: string;
}

type Store = 'classic' | 'containerd';

const isDigestRef = (r: string) => /^sha256:[a-f0-9]{64}$/.test(r);

/** `docker://HOST/REPO:TAG` or `docker://HOST/REPO@DIGEST`. */
export function registryRef(registry: string, repo: string, reference: string): string {
  return `docker://${registry}/${repo}${isDigestRef(reference) ? '@' : ':'}${reference}`;
}

/**
 * The repository path in a base name annotation (`HOST/NAME-base:TAG`, or without the host):
 * the host is dropped because the base is always in the app's registry, and the address the
 * plan reads it through (a mirror, a proxy, another name of the same host) need not be the one
 * `ship` pushed through.
 */
export function baseNameParts(baseName: string): { repo: string; tag?: string } {
  let rest = baseName.split('@')[0];
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1) || undefined;
    rest = rest.slice(0, colon);
  }
  const first = rest.split('/')[0];
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost'))
    rest = rest.slice(first.length + 1);
  return { repo: rest, tag };
}

/** The base a release was built on, from its manifest annotations (null when it names none). */
async function releaseBase(app: Image, opts: PlanOptions): Promise<{ repo: string; digest: string } | null> {
  const a = app.manifest.annotations ?? {};
  const name = a[ANNOTATIONS.baseName];
  let digest: string | undefined = a[ANNOTATIONS.baseDigest];
  if (!name && !digest) return null;
  const { repo, tag } = name ? baseNameParts(name) : { repo: `${opts.repo}-base`, tag: undefined };
  if (!digest && tag) digest = (await headManifest(new RegistryClient(opts.registry), repo, tag))?.digest;
  if (!digest || !isDigestRef(digest))
    throw new ImageError(
      `${opts.repo}:${opts.release}: its base annotation names ${name ?? repo} but no base digest the registry has; push the release again with ship`,
    );
  return { repo, digest };
}

/** Bytes of the layers a store pulls, each blob once, split by whether the base has the layer. */
export function splitBytes(
  pred: PullPrediction,
  store: Store,
  base: Image | null,
): { layers: number; bytes: number; baseBytes: number; appBytes: number } {
  const digests = new Set(base?.layers.map((l) => l.digest) ?? []);
  const diffIds = new Set(base?.layers.map((l) => l.diffId) ?? []);
  const seen = new Set<string>();
  let baseBytes = 0;
  let appBytes = 0;
  for (const l of pred.layers) {
    const pulled = store === 'classic' ? l.pulledClassic : l.pulledContainerd;
    if (!pulled || seen.has(l.digest)) continue;
    seen.add(l.digest);
    if (digests.has(l.digest) || diffIds.has(l.diffId)) baseBytes += l.size;
    else appBytes += l.size;
  }
  const p = pred.pull[store];
  return { layers: p.layers, bytes: p.bytes, baseBytes, appBytes };
}

/**
 * What a host must pull for the release, on its store (engine: the engine's store from
 * `docker info`; against a release: classic, with containerd as `other`). The base is found
 * from the release manifest's annotations (absent = null): baseBytes are the predicted bytes of
 * layers the base has (by diffId/digest), appBytes the rest. `files` is left empty: the caller
 * fills it with what it writes.
 */
export async function planDeploy(opts: PlanOptions): Promise<DeployPlan> {
  return (await planRelease(opts)).plan;
}

/**
 * planDeploy, plus the release's ExposedPorts (`8000/tcp`...) read from the config it loads
 * anyway, for a standalone compose file's `ports`.
 */
export async function planRelease(opts: PlanOptions): Promise<{ plan: DeployPlan; ports: string[] }> {
  const o: OpenOptions = { platform: opts.platform ? parsePlatform(opts.platform) : undefined };
  const images: Image[] = [];
  try {
    const app = await openImage(registryRef(opts.registry, opts.repo, opts.release), o).catch((e: Error) => {
      if (/not found \(404\)/.test(e.message))
        throw new UserError(
          `${opts.registry}/${opts.repo} has no release ${opts.release}: run layerwise ship first, or name one with --release TAG`,
        );
      throw e;
    });
    images.push(app);
    const appDigest = app.manifestDigest!;
    const baseAt = await releaseBase(app, opts);
    const base = baseAt ? await openImage(registryRef(opts.registry, baseAt.repo, baseAt.digest), o) : null;
    if (base) images.push(base);

    let pred: PullPrediction;
    let store: Store;
    let against: string;
    if ('host' in opts.against) {
      const engineHost = opts.against.host === true ? undefined : opts.against.host;
      const host = await readHost({ ...o, engineHost, relevantDiffIds: new Set(app.layers.map((l) => l.diffId)) });
      pred = predictPull(null, app, host);
      store = host.store;
      against = `engine ${host.engine}`;
    } else {
      const old = await openImage(registryRef(opts.registry, opts.repo, opts.against.release), o);
      images.push(old);
      pred = predictPull(old, app, undefined);
      // A registry release says nothing of the host's store: classic is what Docker Engine still defaults to.
      store = 'classic';
      against = `release ${opts.against.release}`;
    }
    const otherStore: Store = store === 'classic' ? 'containerd' : 'classic';
    const mine = splitBytes(pred, store, base);
    const other = pred.pull[otherStore];
    const exposed = app.config.config?.ExposedPorts;
    const ports = exposed && typeof exposed === 'object' ? Object.keys(exposed).sort() : [];
    const plan: DeployPlan = {
      schema: 'layerwise.ship-plan/1',
      app: { ref: `${opts.registry}/${opts.repo}@${appDigest}`, digest: appDigest },
      base: baseAt ? { ref: `${opts.registry}/${baseAt.repo}@${baseAt.digest}`, digest: baseAt.digest } : null,
      against,
      store,
      pull: { ...mine, other: { store: otherStore, layers: other.layers, bytes: other.bytes } },
      files: [],
    };
    return { plan, ports };
  } finally {
    await Promise.all(images.map((i) => i.source.close().catch(() => {})));
  }
}
