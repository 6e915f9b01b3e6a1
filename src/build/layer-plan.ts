/**
 * The layer plan: which layers build adds above the base, in which order, and which of them the
 * previous image already has. The order is append-only against the previous image so a changed
 * dependency costs a pull of that dependency only: layers whose packages did not change keep
 * their place (and blob), everything new goes above them, the project stays on top.
 */
import { UserError } from '../errors.js';
import { openImage } from '../image/open.js';
import { parseRef, parseRegistryRef } from '../image/ref.js';
import { LayoutSource } from '../image/sources/layout.js';
import type { Platform } from '../image/model.js';
import { RegistryClient } from '../registry/client.js';
import { headManifest } from '../registry/write.js';
import {
  BUILD_LAYOUT,
  LAYER_ANNOTATIONS,
  type LayerContent,
  type LayerPlan,
  type PlannedLayer,
  type ResolvedPackage,
} from './types.js';

export interface PreviousLayer extends LayerContent {
  digest: string;
  diffId: string;
  size: number;
  layout: string;
}

/** Layers (base and planned) an image may have unless the caller says otherwise. */
export const DEFAULT_BUDGET = 100;
/**
 * The layout key written on each build layer: BUILD_LAYOUT, the target's Python (its files sit
 * under lib/python3.X/site-packages) and the venv path (launchers name it). A layer of another
 * key would put files where the interpreter does not look, so it is never reused.
 */
export function layoutKey(pythonMinor: string, venv: string): string {
  return `${BUILD_LAYOUT};cp${pythonMinor.replace(/\D/g, '')};${venv}`;
}

/** A package whose wheel is larger than this keeps a layer of its own, whatever the budget. */
export const NEVER_GROUP_BYTES = 10_000_000;

type Pkg = LayerContent['packages'][number];

/** The packages annotation: `name==version sha256` lines, sorted, joined by `\n` (a bare name when there is no version). */
export function formatPackages(pkgs: Pkg[]): string {
  return pkgs
    .map((p) => (p.version || p.wheelSha256 ? `${p.name}==${p.version} ${p.wheelSha256}` : p.name))
    .sort()
    .join('\n');
}

/** The reverse of formatPackages; lines it cannot read are errors (the layer is then not reused). */
export function parsePackages(s: string): Pkg[] | null {
  const out: Pkg[] = [];
  for (const line of s.split('\n')) {
    if (!line) continue;
    const m = /^([^=\s]+)(?:==(\S*) ([0-9a-f]*))?$/.exec(line);
    if (!m) return null;
    out.push({ name: m[1], version: m[2] ?? '', wheelSha256: m[3] ?? '' });
  }
  return out;
}

const KINDS = new Set<LayerContent['kind']>(['venv', 'package', 'group', 'project-meta', 'project']);

/**
 * The previous image's build layers, from its manifest's layer annotations (other layers are the
 * base's), read from a registry ref (HOST/NAME:TAG or docker://...) or an OCI layout (oci:DIR:TAG);
 * null when there is no such image.
 */
export async function previousLayers(
  ref: string,
  opts: { insecure?: boolean; platform?: Platform } = {},
): Promise<PreviousLayer[] | null> {
  let full = ref;
  if (ref.startsWith('oci:')) {
    const p = parseRef(ref);
    if (p.kind !== 'oci') return null;
    // A layout or a tag that does not exist yet is a first build, not an error.
    try {
      await new LayoutSource(ref, p.dir, p.tag, opts.platform).manifest();
    } catch {
      return null;
    }
  } else {
    const name = ref.replace(/^(docker|registry):\/\//, '');
    full = `docker://${name}`;
    const r = parseRegistryRef(name);
    const client = new RegistryClient(r.registry, { insecure: opts.insecure });
    if ((await headManifest(client, r.repository, r.digest ?? r.tag!)) === null) return null;
  }
  const img = await openImage(full, { insecure: opts.insecure, platform: opts.platform });
  try {
    const out: PreviousLayer[] = [];
    img.manifest.layers.forEach((d, i) => {
      const a = d.annotations ?? {};
      const kind = a[LAYER_ANNOTATIONS.kind] as LayerContent['kind'];
      if (!KINDS.has(kind)) return;
      const packages = parsePackages(a[LAYER_ANNOTATIONS.packages] ?? '');
      if (!packages) return;
      out.push({
        kind,
        packages,
        digest: d.digest,
        diffId: img.layers[i].diffId,
        size: d.size,
        layout: a[LAYER_ANNOTATIONS.layout] ?? '',
      });
    });
    return out;
  } finally {
    await img.source.close();
  }
}

const keyOf = (p: Pkg) => `${p.name}==${p.version} ${p.wheelSha256}`;

function contentOf(p: ResolvedPackage): Pkg {
  return { name: p.name, version: p.version, wheelSha256: p.wheel?.sha256 ?? p.sdist?.sha256 ?? '' };
}

const sizeOf = (p: ResolvedPackage): number | null => p.wheel?.size ?? null;

function sumSizes(pkgs: ResolvedPackage[]): number | null {
  let n = 0;
  for (const p of pkgs) {
    const s = sizeOf(p);
    if (s === null) return null;
    n += s;
  }
  return n;
}

/**
 * The layer plan: `venv` first, then the previous image's reusable layers in their old order,
 * then new or changed packages (sorted by name), `project` last. A previous layer is reused when
 * its layout is `opts.layout` (default BUILD_LAYOUT; run passes layoutKey) and every package in it
 * is still wanted at the same version and hash (the venv and project layers are always rebuilt:
 * they are small, and being deterministic they come out with the same digest when nothing
 * changed). Over the budget, the smallest new packages are put together in one `group` layer:
 * never a volatile one, never one over 10 MB, never one of unknown size (it may be that large).
 */
export function planLayers(
  pkgs: ResolvedPackage[],
  previous: PreviousLayer[] | null,
  opts: { baseLayers: number; budget?: number; volatile?: Set<string>; project: string; layout?: string },
): LayerPlan {
  const layout = opts.layout ?? BUILD_LAYOUT;
  const budget = opts.budget ?? DEFAULT_BUDGET;
  const wanted = new Map<string, ResolvedPackage>();
  for (const p of pkgs) {
    if (wanted.has(p.name)) throw new Error(`package ${p.name} is resolved twice`);
    wanted.set(p.name, p);
  }

  const reused: PlannedLayer[] = [];
  const placed = new Set<string>();
  for (const prev of previous ?? []) {
    if (prev.kind !== 'package' && prev.kind !== 'group') continue;
    if (prev.layout !== layout || prev.packages.length === 0) continue;
    const ok = prev.packages.every((q) => {
      const p = wanted.get(q.name);
      return p && !placed.has(q.name) && keyOf(contentOf(p)) === keyOf(q);
    });
    if (!ok) continue;
    for (const q of prev.packages) placed.add(q.name);
    reused.push({
      kind: prev.kind,
      packages: prev.packages.map((q) => ({ ...q })),
      reuse: { digest: prev.digest, diffId: prev.diffId, size: prev.size },
      estimatedBytes: prev.size,
    });
  }

  const fresh = pkgs
    .filter((p) => !placed.has(p.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const fixed = 3 + reused.length; // venv + project-meta + project + reused
  const over = opts.baseLayers + fixed + fresh.length - budget;
  let group: ResolvedPackage[] = [];
  if (over > 0) {
    const candidates = fresh
      .filter((p) => {
        const size = sizeOf(p);
        return !opts.volatile?.has(p.name) && size !== null && size <= NEVER_GROUP_BYTES;
      })
      .sort((a, b) => sizeOf(a)! - sizeOf(b)! || (a.name < b.name ? -1 : 1));
    // Grouping k packages saves k-1 layers.
    if (candidates.length < over + 1)
      throw new UserError(
        `${opts.baseLayers} base layers + ${fixed + fresh.length} build layers exceed the budget of ${budget} even with small packages grouped; raise the layer budget`,
      );
    group = candidates.slice(0, over + 1);
  }
  const grouped = new Set(group.map((p) => p.name));

  const layers: PlannedLayer[] = [{ kind: 'venv', packages: [], estimatedBytes: null }, ...reused];
  if (group.length) {
    const sorted = [...group].sort((a, b) => (a.name < b.name ? -1 : 1));
    layers.push({ kind: 'group', packages: sorted.map(contentOf), estimatedBytes: sumSizes(sorted) });
  }
  for (const p of fresh)
    if (!grouped.has(p.name)) layers.push({ kind: 'package', packages: [contentOf(p)], estimatedBytes: sizeOf(p) });
  // The project's metadata (dist-info, launchers) below its code: a code change leaves it alone.
  for (const kind of ['project-meta', 'project'] as const)
    layers.push({ kind, packages: [{ name: opts.project, version: '', wheelSha256: '' }], estimatedBytes: null });
  return { layers, budget, baseLayers: opts.baseLayers };
}
