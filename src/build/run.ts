/**
 * `layerwise build`: the base image read (target.ts), the lock resolved to the target's wheels
 * (resolve.ts), the layer plan made against the previous image (layer-plan.ts) before anything is
 * downloaded, the wheels fetched and verified (fetch.ts), each planned layer installed
 * (wheel-install.ts, venv.ts, project-layer.ts) and written as deterministic tar+gzip
 * (tar-write.ts), the config and manifest (image-write.ts), and the outputs (outputs.ts).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { sha256 } from '../registry/write.js';
import { detectProject } from '../project/index.js';
import type { PythonProject } from '../project/types.js';
import { assemble, registryBaseLayers } from './assemble.js';
import { defaultCacheDir, fetchWheels } from './fetch.js';
import { baseAnnotations, defaultBase, runtimeEnv } from './image-settings.js';
import { imageConfig, imageManifest } from './image-write.js';
import { layoutKey, planLayers, previousLayers } from './layer-plan.js';
import { loadIntoEngine, pushImage, writeDockerArchive, writeOciLayout } from './outputs.js';
import { projectLayers } from './project-layer.js';
import { requireWheels, resolvePackages } from './resolve.js';
import { buildLayer } from './tar-write.js';
import { readTarget } from './target.js';
import type {
  BuildResult,
  BuiltLayer,
  FetchedWheel,
  LayerEntry,
  LayerPlan,
  PlannedLayer,
  ResolvedPackage,
} from './types.js';
import { venvEntries } from './venv.js';
import { installWheel } from './wheel-install.js';

/** Where the image goes; at least one. */
export type BuildOutput =
  | { kind: 'registry'; ref: string }
  | { kind: 'oci'; dir: string; tag?: string }
  | { kind: 'archive'; file: string; name: string }
  | { kind: 'engine'; name: string };

export interface BuildOptions {
  dir: string;
  /** Base image (any ref the image model opens); default python:<the project's Python>-slim. */
  base?: string;
  outputs: BuildOutput[];
  /** The previous image to build against (append-only plan); default the first registry output's ref, else the OCI output's tag. */
  previous?: string | null;
  platform?: string;
  /** Most layers in the image, the base's included (default 100). */
  budget?: number;
  dryRun?: boolean;
  indexUrl?: string;
  allowSdists?: boolean;
  insecure?: boolean;
  /** DOCKER_HOST for reading an engine base and for --load. */
  host?: string;
  /** SOURCE_DATE_EPOCH for mtimes and the created time (default 0). */
  epoch?: number;
  venv?: string;
  appDir?: string;
  cmd?: string[];
  entrypoint?: string[];
  user?: string;
  workdir?: string;
  env?: Record<string, string>;
  labels?: Record<string, string>;
  /** Manifest annotations (ship's release annotations, say). */
  annotations?: Record<string, string>;
  /** false: no org.opencontainers.image.base.* annotations. */
  baseAnnotations?: boolean;
  ports?: string[];
  onStep?: (msg: string) => void;
}

/** What a dry run says: the plan and what a host holding the previous image pulls. */
export interface BuildPlanReport {
  schema: 'layerwise.build-plan/1';
  base: string;
  previous: string | null;
  plan: LayerPlan;
  /** Estimated bytes a host holding the previous image pulls: containerd (new blobs), classic (from the first new layer up). */
  pull: { containerd: number | null; classic: number | null };
}

const DEFAULT_VENV = 'app/.venv';

/** The label of a layer in results: its package, `a+b` for a group, the project's name. */
function labelOf(l: { kind: string; packages: { name: string; version: string }[] }, project: string) {
  if (l.kind === 'venv') return { package: 'venv', version: null };
  if (l.kind === 'project') return { package: project, version: null };
  if (l.kind === 'project-meta') return { package: `${project} (metadata)`, version: null };
  if (l.packages.length === 1) return { package: l.packages[0].name, version: l.packages[0].version };
  return { package: l.packages.map((p) => p.name).join('+'), version: null };
}

function previousRefOf(opts: BuildOptions): string | null {
  if (opts.previous !== undefined) return opts.previous;
  for (const o of opts.outputs) if (o.kind === 'registry') return `docker://${o.ref}`;
  for (const o of opts.outputs) if (o.kind === 'oci' && o.tag) return `oci:${o.dir}:${o.tag}`;
  return null;
}

/** Bytes a host holding the previous image pulls for this plan, from the estimates (null when one is unknown). */
function pullEstimate(plan: LayerPlan): BuildPlanReport['pull'] {
  const fresh = plan.layers.filter((l) => !l.reuse);
  const sum = (ls: PlannedLayer[]) =>
    ls.some((l) => l.estimatedBytes === null) ? null : ls.reduce((n, l) => n + (l.estimatedBytes ?? 0), 0);
  const first = plan.layers.findIndex((l) => !l.reuse);
  const above =
    first < 0 ? [] : plan.layers.slice(first).map((l) => (l.reuse ? { ...l, estimatedBytes: l.reuse.size } : l));
  return { containerd: sum(fresh), classic: sum(above) };
}

/** Runs a build (or, with dryRun, only the plan). */
export async function build(opts: BuildOptions): Promise<BuildResult | BuildPlanReport> {
  const t0 = performance.now();
  const step = opts.onStep ?? (() => {});
  const project = detectProject(opts.dir);
  const startsDetected = !opts.cmd && !opts.entrypoint;
  // A server no dependency installs is never in the image: its command would not start.
  if (startsDetected && project.app.missingServer) throw new UserError(project.app.missingServer);
  if (startsDetected && project.app.installServer)
    throw new UserError(
      `the start command needs ${project.app.installServer}, which the lock does not install: add it to the project's dependencies (and the lock), or give --cmd`,
    );
  const baseRef = opts.base ?? (await defaultBase(project.python.version, opts.host));
  step(`reading the base ${baseRef}`);
  const { target, image: base } = await readTarget(baseRef, {
    platform: opts.platform,
    insecure: opts.insecure,
    host: opts.host,
  });
  step(
    `resolving ${project.lockFile ?? 'the lock'} for ${target.platform.os}/${target.platform.architecture} cp${target.python.minor.replace('.', '')}`,
  );
  const pkgs = await resolvePackages(project, target, { indexUrl: opts.indexUrl });
  requireWheels(pkgs, target, opts.allowSdists);
  const prevRef = previousRefOf(opts);
  const previous = prevRef ? await previousLayers(prevRef, { insecure: opts.insecure }).catch(() => null) : null;
  // A layer holds files under the venv's lib/pythonX.Y: reused only for the same Python and venv.
  const layout = layoutKey(target.python.minor, `/${opts.venv ?? DEFAULT_VENV}`);
  const plan = planLayers(pkgs, previous, {
    baseLayers: base.layers.length,
    budget: opts.budget,
    project: project.name ?? 'app',
    layout,
  });
  if (plan.baseLayers + plan.layers.length > plan.budget)
    throw new UserError(
      `${plan.baseLayers} base layers and ${plan.layers.length} planned ones exceed the budget of ${plan.budget}: raise --max-layers, or use a base with fewer layers`,
    );
  const venv = opts.venv ?? DEFAULT_VENV;
  const mtime = opts.epoch ?? 0;
  // The app's files go where it runs: --workdir moves both.
  const appDir = (opts.workdir ?? opts.appDir ?? 'app').replace(/^\/+|\/+$/g, '') || 'app';
  const ctx: EntryContext = {
    project,
    target: { venv, minor: target.python.minor },
    wheels: new Map(),
    pkgs,
    appDir,
    baseTarget: target,
  };
  if (opts.dryRun) {
    // The venv and the project's layers need no download: built here, their sizes are exact, and
    // one the previous image holds byte for byte costs no pull.
    await sizeUnknownWheels(plan, pkgs);
    for (const l of plan.layers) {
      if (l.reuse || (l.kind !== 'venv' && !l.kind.startsWith('project'))) continue;
      const { layer } = await buildLayer({ kind: l.kind, packages: l.packages }, layerEntries(l, ctx), { mtime });
      l.estimatedBytes = layer.size;
      const same = previous?.find((p) => p.digest === layer.digest);
      if (same) l.reuse = { digest: same.digest, diffId: same.diffId, size: same.size };
    }
    return {
      schema: 'layerwise.build-plan/1',
      base: baseRef,
      previous: previous ? prevRef : null,
      plan,
      pull: pullEstimate(plan),
    };
  }

  const wanted = new Set(plan.layers.filter((l) => !l.reuse).flatMap((l) => l.packages.map((p) => p.name)));
  step(`fetching ${wanted.size} wheel${wanted.size === 1 ? '' : 's'}`);
  ctx.wheels = await fetchWheels(pkgs.filter((p) => wanted.has(p.name)));
  const built: { layer: BuiltLayer; blob: Buffer | null }[] = [];
  step(`writing ${plan.layers.filter((l) => !l.reuse).length} layers`);
  // Layers are independent: compress them side by side (gzip runs on libuv's thread pool).
  const jobs = plan.layers.map(async (l) => {
    if (l.reuse)
      return {
        layer: { kind: l.kind, packages: l.packages, ...l.reuse, tarSize: 0, reused: true } as BuiltLayer,
        blob: null,
      };
    const entries = layerEntries(l, ctx);
    return buildLayer({ kind: l.kind, packages: l.packages }, entries, { mtime });
  });
  built.push(...(await Promise.all(jobs)));

  const layers = built.map((b) => b.layer);
  const config = imageConfig(base.config, layers, {
    venv: `/${venv}`,
    env: { ...runtimeEnv(project, appDir), ...opts.env },
    workdir: `/${appDir}`,
    user: opts.user ?? '10001:10001',
    exposedPorts: opts.ports ?? (project.app.port ? [`${project.app.port}/tcp`] : []),
    labels: opts.labels,
    entrypoint: opts.entrypoint,
    // An ENTRYPOINT given alone runs as given: the detected command would become its arguments.
    cmd: opts.cmd ?? (opts.entrypoint || !project.app.command.length ? undefined : project.app.command),
    created: new Date(mtime * 1000).toISOString().replace('.000Z', 'Z'),
  });
  const baseLayers = await registryBaseLayers(base, step);
  const manifest = imageManifest(
    config,
    baseLayers.map((b) => b.descriptor),
    layers,
    {
      ...(opts.baseAnnotations === false ? {} : baseAnnotations(baseRef, base)),
      ...opts.annotations,
    },
    layout,
  );
  const img = assemble(baseLayers, manifest, config, built, previous && prevRef ? prevRef : null, target.platform, {
    insecure: opts.insecure,
    host: opts.host,
  });

  const result: BuildResult = {
    schema: 'layerwise.build/1',
    digest: sha256(manifest),
    outputs: [],
    base: { ref: baseRef, digest: base.manifestDigest ?? null, layers: base.layers.length },
    target,
    layers: layers.map((l) => ({
      kind: l.kind,
      ...labelOf(l, project.name ?? 'app'),
      digest: l.digest,
      size: l.size,
      reused: l.reused,
      unchanged: !l.reused && !!previous?.some((p) => p.digest === l.digest),
    })),
    pushedBytes: 0,
    seconds: 0,
  };
  for (const o of opts.outputs) {
    if (o.kind === 'registry') {
      step(`pushing ${o.ref}`);
      // A base in the same registry lends its blobs by mount instead of upload.
      const mountFrom = baseRef.startsWith('docker://') || baseRef.startsWith('registry://') ? baseRef : undefined;
      result.pushedBytes += await pushImage(o.ref, img, { insecure: opts.insecure, mountFrom });
      result.outputs.push(`registry ${o.ref}`);
    } else if (o.kind === 'oci') {
      await writeOciLayout(o.dir, img, o.tag);
      result.outputs.push(`oci ${o.dir}${o.tag ? `:${o.tag}` : ''}`);
    } else if (o.kind === 'archive') {
      await writeDockerArchive(o.file, img, o.name);
      result.outputs.push(`archive ${o.file}`);
    } else {
      step(`loading into the engine as ${o.name}`);
      await loadIntoEngine(img, o.name, { host: opts.host });
      result.outputs.push(`engine ${o.name}`);
    }
  }
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}

/**
 * Sizes of the new layers' wheels the lock does not record, from the index's Content-Length (a
 * HEAD each, nothing downloaded; a wheel in the cache needs no request). A layer's gzip is about its
 * wheel's size (both deflate the same files). Unknown stays unknown.
 */
async function sizeUnknownWheels(plan: LayerPlan, pkgs: ResolvedPackage[]): Promise<void> {
  const byName = new Map(pkgs.map((p) => [p.name, p]));
  const cache = join(defaultCacheDir(), 'wheels');
  const sizeOf = async (p: ResolvedPackage | undefined): Promise<number | null> => {
    const w = p?.wheel;
    if (!w) return null;
    if (w.size !== undefined) return w.size;
    const cached = statSync(join(cache, w.sha256), { throwIfNoEntry: false });
    if (cached) return cached.size;
    if (!w.url || !/^https?:/.test(w.url)) return null;
    try {
      const res = await fetch(w.url, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
      const n = Number(res.headers.get('content-length'));
      return res.ok && n > 0 ? n : null;
    } catch {
      return null;
    }
  };
  await Promise.all(
    plan.layers
      .filter((l) => !l.reuse && l.estimatedBytes === null && (l.kind === 'package' || l.kind === 'group'))
      .map(async (l) => {
        const sizes = await Promise.all(l.packages.map((q) => sizeOf(byName.get(q.name))));
        l.estimatedBytes = sizes.some((n) => n === null) ? null : sizes.reduce((a: number, n) => a + (n ?? 0), 0);
      }),
  );
}

interface EntryContext {
  project: PythonProject;
  target: { venv: string; minor: string };
  baseTarget: Parameters<typeof venvEntries>[1];
  wheels: Map<string, FetchedWheel>;
  pkgs: ResolvedPackage[];
  appDir: string;
  /** Both project layers, made once. */
  projectLayers?: { meta: LayerEntry[]; code: LayerEntry[] };
}

/** The entries of one planned layer. */
function layerEntries(l: PlannedLayer, c: EntryContext): LayerEntry[] {
  if (l.kind === 'venv') return venvEntries(c.target.venv, c.baseTarget);
  if (l.kind === 'project' || l.kind === 'project-meta') {
    c.projectLayers ??= projectLayers(c.project, {
      venv: c.target.venv,
      pythonMinor: c.target.minor,
      appDir: c.appDir,
    });
    return l.kind === 'project' ? c.projectLayers.code : c.projectLayers.meta;
  }
  // Two packages of a group may ship the same path (a namespace __init__.py, a stray LICENSE): the
  // later one wins, as with separate layers or pip installing one after the other.
  const byPath = new Map<string, LayerEntry>();
  for (const p of l.packages) {
    const w = c.wheels.get(p.name);
    if (!w) throw new Error(`build: no fetched wheel for ${p.name}`);
    for (const e of installWheel(w, { venv: c.target.venv, pythonMinor: c.target.minor, name: p.name }))
      byPath.set(e.path, e);
  }
  return [...byPath.values()];
}
