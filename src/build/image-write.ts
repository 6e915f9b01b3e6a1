/**
 * The image config and OCI manifest build writes, as bytes. Both are serialised with every
 * object's keys sorted, so the same base and layers give the same digests whatever order the
 * base's JSON had its keys in and whatever machine builds them.
 */
import { createHash } from 'node:crypto';
import type { Descriptor, ImageConfig } from '../image/model.js';
import { MediaTypes } from '../image/model.js';
import { ociLayerType } from '../ship/oci-manifest.js';
import { formatPackages } from './layer-plan.js';
import { BUILD_LAYOUT, type BuiltLayer, LAYER_ANNOTATIONS, type LayerContent } from './types.js';

export interface ConfigOptions {
  env?: Record<string, string>;
  workdir?: string;
  user?: string;
  /** `8000` or `8000/tcp`, `53/udp`. */
  exposedPorts?: string[];
  labels?: Record<string, string>;
  entrypoint?: string[];
  cmd?: string[];
  /** RFC 3339; default the epoch (a build at another time gives the same digest). */
  created?: string;
  /** The venv's path in the image, e.g. /app/.venv. */
  venv: string;
}

export const EPOCH = '1970-01-01T00:00:00Z';
/** The PATH Docker gives a container whose image sets none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/**
 * The runtime settings carried over from the base's config (the OCI ones and Docker's
 * Healthcheck, Shell). Docker's build-time leftovers (Image, Hostname, AttachStdin...) and
 * OnBuild (triggers meant for a Dockerfile FROM the base) are not.
 */
const KEPT = [
  'User',
  'ExposedPorts',
  'Env',
  'Entrypoint',
  'Cmd',
  'Volumes',
  'WorkingDir',
  'Labels',
  'StopSignal',
  'Healthcheck',
  'Shell',
];

/** JSON with every object's keys sorted (arrays keep their order). */
export function stableJson(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object')
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .filter((k) => (x as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
      );
    return x;
  };
  return JSON.stringify(sort(v));
}

const digestOf = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The history line of a layer build adds. */
export function historyLine(l: LayerContent): string {
  const pkgs = l.packages.map((p) => `${p.name} ${p.version}`.trim());
  if (l.kind === 'venv') return 'layerwise build: venv';
  if (l.kind === 'project') return `layerwise build: project ${pkgs.join(' ')}`.trim();
  return `layerwise build: ${pkgs.join(' + ')}`;
}

function withEnv(base: string[], venv: string, extra: Record<string, string>): string[] {
  const env = [...base];
  const set = (k: string, v: string) => {
    const i = env.findIndex((e) => e.split('=')[0] === k);
    if (i >= 0) env[i] = `${k}=${v}`;
    else env.push(`${k}=${v}`);
  };
  const path = env.find((e) => e.startsWith('PATH='))?.slice(5) ?? DEFAULT_PATH;
  const bin = `${venv}/bin`;
  set('PATH', path.split(':')[0] === bin ? path : `${bin}:${path}`);
  set('VIRTUAL_ENV', venv);
  for (const k of Object.keys(extra).sort()) set(k, extra[k]);
  return env;
}

/**
 * The image config: the base's (platform, runtime settings) with PATH led by the venv's bin,
 * VIRTUAL_ENV, the options; rootfs.diff_ids and history = the base's + one per new layer.
 */
export function imageConfig(base: ImageConfig, layers: BuiltLayer[], opts: ConfigOptions): Buffer {
  const created = opts.created ?? EPOCH;
  const venv = `/${opts.venv.replace(/^\/+|\/+$/g, '')}`;
  const from = (base.config ?? {}) as Record<string, unknown>;
  const rt: Record<string, unknown> = {};
  for (const k of KEPT) if (from[k] !== undefined && from[k] !== null) rt[k] = from[k];
  rt.Env = withEnv(Array.isArray(from.Env) ? (from.Env as string[]) : [], venv, opts.env ?? {});
  if (opts.workdir) rt.WorkingDir = opts.workdir;
  if (opts.user) rt.User = opts.user;
  if (opts.exposedPorts?.length) {
    const ports = { ...((rt.ExposedPorts as Record<string, object>) ?? {}) };
    for (const p of opts.exposedPorts) ports[p.includes('/') ? p : `${p}/tcp`] = {};
    rt.ExposedPorts = ports;
  }
  if (opts.labels) rt.Labels = { ...((rt.Labels as Record<string, string>) ?? {}), ...opts.labels };
  if (opts.entrypoint) {
    rt.Entrypoint = opts.entrypoint;
    // As a Dockerfile's ENTRYPOINT does: the base's CMD was arguments for the base's entrypoint.
    delete rt.Cmd;
  }
  if (opts.cmd) rt.Cmd = opts.cmd;
  const b = base as ImageConfig & Record<string, unknown>;
  const cfg: Record<string, unknown> = {
    architecture: base.architecture,
    os: base.os,
    variant: base.variant,
    'os.version': b['os.version'],
    'os.features': b['os.features'],
    created,
    config: rt,
    rootfs: { type: 'layers', diff_ids: [...base.rootfs.diff_ids, ...layers.map((l) => l.diffId)] },
    history: [
      ...(base.history ?? []),
      ...layers.map((l) => ({ created, created_by: historyLine(l), comment: 'layerwise build' })),
    ],
  };
  return Buffer.from(stableJson(cfg));
}

/** The annotations of a layer build adds (what a later build reads back to reuse it); `layout` as layoutKey gives it. */
export function layerAnnotations(l: LayerContent, layout: string = BUILD_LAYOUT): Record<string, string> {
  return {
    [LAYER_ANNOTATIONS.kind]: l.kind,
    [LAYER_ANNOTATIONS.layout]: layout,
    [LAYER_ANNOTATIONS.packages]: formatPackages(l.packages),
  };
}

/** A base layer's media type in an OCI manifest (Docker's, and the archive's plain tar, mapped to OCI's). */
export function baseLayerType(mediaType: string): string {
  if (mediaType === MediaTypes.dockerLayerTar) return MediaTypes.ociLayer;
  return ociLayerType(mediaType);
}

/**
 * The OCI manifest: the base layers as the base has them (same digests and sizes, OCI media
 * types, their annotations dropped so a base that was itself built here is not read back as
 * build layers), then each new layer with its build annotations (`layout`: the layout key, see
 * layoutKey in layer-plan.ts); image annotations when given.
 */
export function imageManifest(
  config: Buffer,
  baseLayers: Descriptor[],
  layers: BuiltLayer[],
  annotations?: Record<string, string>,
  layout: string = BUILD_LAYOUT,
): Buffer {
  const m: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociManifest,
    config: { mediaType: MediaTypes.ociConfig, digest: digestOf(config), size: config.length },
    layers: [
      ...baseLayers.map((d) => ({ mediaType: baseLayerType(d.mediaType), digest: d.digest, size: d.size })),
      ...layers.map((l) => ({
        mediaType: MediaTypes.ociLayerGzip,
        digest: l.digest,
        size: l.size,
        annotations: layerAnnotations(l, layout),
      })),
    ],
    annotations: annotations && Object.keys(annotations).length ? annotations : undefined,
  };
  return Buffer.from(stableJson(m));
}
