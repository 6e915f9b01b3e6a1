/**
 * `diff OLD NEW`: what a host holding OLD downloads to run NEW, for both engine stores, and why
 * each new layer exists.
 *
 * - containerd image store: content is keyed by blob digest, so every NEW blob that OLD lacks
 *   is fetched.
 * - classic (graph driver) store: layers are keyed by ChainID (the layer and everything under
 *   it), so every layer above the first one whose ChainID OLD lacks is fetched again, even when
 *   its content is unchanged.
 *
 * Each new layer is compared file by file with its counterpart in OLD (same instruction, or the
 * same position) and gets a verdict: a real change, or only timestamps/owners/modes, only .pyc,
 * only apt lists/caches/logs, with the fix.
 */
import { cacheKind, isLogOrState } from './analyze/image.js';
import { analyzeLayerCached, type LayerCache } from './analyze/cache.js';
import type { FileRecord, LayerAnalysis } from './analyze/layer.js';
import type { Image, Layer } from './model.js';

export type Verdict =
  'real-change' | 'metadata-only' | 'pyc-only' | 'caches-only' | 'noise-only' | 'identical-content' | 'new-layer';

export interface PathChange {
  path: string;
  change: 'added' | 'removed' | 'content' | 'metadata';
  size: number;
  /** For metadata changes: which fields differ. */
  fields?: string[];
  category: 'pyc' | 'cache' | 'log' | 'other';
}

export interface LayerChange {
  added: number;
  removed: number;
  contentChanged: number;
  metadataOnly: number;
  addedBytes: number;
  removedBytes: number;
  contentChangedBytes: number;
  /** Metadata fields that differ across the metadata-only changes (mtime, uid, gid, mode). */
  metadataFields: string[];
  /** The largest changes (up to 20). */
  samples: PathChange[];
}

export interface DiffLayer {
  index: number;
  digest: string;
  diffId: string;
  size: number;
  createdBy: string | null;
  /** In OLD with the same ChainID (reused by both stores). */
  shared: boolean;
  /** Same blob digest exists in OLD (containerd reuses it). */
  blobInOld: boolean;
  pulledClassic: boolean;
  pulledContainerd: boolean;
  /** Index of the OLD layer it was compared with. */
  comparedWith: number | null;
  change: LayerChange | null;
  verdict: Verdict | null;
  reason: string | null;
  fix: string | null;
}

export interface DiffResult {
  /** OLD; with --host, the host's image NEW was compared with file by file (null: none). */
  old: Image | null;
  new: Image;
  sharedLayers: number;
  newLayers: number;
  pull: {
    containerd: { bytes: number; layers: number };
    classic: { bytes: number; layers: number; firstMissingLayer: number | null };
  };
  layers: DiffLayer[];
}

const PYC = /(^|\/)__pycache__\/|\.py[co]$/;

function category(path: string): PathChange['category'] {
  if (PYC.test(path)) return 'pyc';
  if (cacheKind(path)) return 'cache';
  if (
    isLogOrState(path) ||
    /^var\/cache\/ldconfig\/|^etc\/ld\.so\.cache$|^var\/lib\/apt\/extended_states$|^var\/cache\/apt\/.+/.test(path)
  )
    return 'log';
  return 'other';
}

export function compareLayers(oldL: LayerAnalysis, newL: LayerAnalysis): LayerChange {
  const before = new Map<string, FileRecord>(oldL.files.map((f) => [f.path, f]));
  const changes: PathChange[] = [];
  const fields = new Set<string>();
  const seen = new Set<string>();
  for (const f of newL.files) {
    seen.add(f.path);
    const o = before.get(f.path);
    if (!o) {
      changes.push({ path: f.path, change: 'added', size: f.size, category: category(f.path) });
      continue;
    }
    const contentDiffers =
      o.type !== f.type ||
      o.size !== f.size ||
      (f.type === 'file' && o.hash !== f.hash) ||
      ((f.type === 'symlink' || f.type === 'hardlink') && o.linkname !== f.linkname);
    if (contentDiffers) {
      changes.push({ path: f.path, change: 'content', size: f.size, category: category(f.path) });
      continue;
    }
    const fl: string[] = [];
    if (o.mtime !== f.mtime) fl.push('mtime');
    if (o.uid !== f.uid) fl.push('uid');
    if (o.gid !== f.gid) fl.push('gid');
    if (o.mode !== f.mode) fl.push('mode');
    if (fl.length) {
      for (const x of fl) fields.add(x);
      changes.push({
        path: f.path,
        change: 'metadata',
        size: f.size,
        fields: fl,
        category: category(f.path),
      });
    }
  }
  for (const o of oldL.files)
    if (!seen.has(o.path)) changes.push({ path: o.path, change: 'removed', size: o.size, category: category(o.path) });
  const ow = new Set(oldL.whiteouts);
  const nw = new Set(newL.whiteouts);
  for (const w of nw) if (!ow.has(w)) changes.push({ path: w, change: 'removed', size: 0, category: category(w) });
  for (const w of ow) if (!nw.has(w)) changes.push({ path: w, change: 'added', size: 0, category: category(w) });
  const sum = (k: PathChange['change']) => changes.filter((c) => c.change === k);
  const order = { content: 0, added: 1, removed: 2, metadata: 3 };
  return {
    added: sum('added').length,
    removed: sum('removed').length,
    contentChanged: sum('content').length,
    metadataOnly: sum('metadata').length,
    addedBytes: sum('added').reduce((n, c) => n + c.size, 0),
    removedBytes: sum('removed').reduce((n, c) => n + c.size, 0),
    contentChangedBytes: sum('content').reduce((n, c) => n + c.size, 0),
    metadataFields: [...fields].sort(),
    samples: [...changes]
      .sort((a, b) => order[a.change] - order[b.change] || b.size - a.size || a.path.localeCompare(b.path))
      .slice(0, 20),
  };
}

const FIX = {
  metadata:
    'make the build reproducible: set SOURCE_DATE_EPOCH (and BuildKit rewrite-timestamp=true), keep owners and modes fixed (COPY --chown/--chmod), avoid touching unchanged files in RUN',
  pyc: 'stop shipping timestamp-based .pyc: PYTHONDONTWRITEBYTECODE=1 at build time, or compile with `python -m compileall --invalidation-mode unchecked-hash` (uv/pip honour SOURCE_DATE_EPOCH)',
  caches:
    'remove apt lists, caches and logs in the same RUN (rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/*) or use RUN --mount=type=cache for them',
  base: 'the base image changed: pin it by digest (FROM image:tag@sha256:...) and update it on purpose',
  identical:
    'same files, same metadata, different tar bytes: file order or tar headers differ; build with a reproducible builder (BuildKit with SOURCE_DATE_EPOCH)',
};

export function verdictOf(
  ch: LayerChange,
  all: PathChange[] | null,
  isBase: boolean,
): { verdict: Verdict; reason: string; fix: string | null } {
  const real = ch.added + ch.removed + ch.contentChanged;
  if (real === 0) {
    if (ch.metadataOnly > 0)
      return {
        verdict: 'metadata-only',
        reason: `same content, only ${ch.metadataFields.join('/')} of ${ch.metadataOnly} entries differ`,
        fix: FIX.metadata,
      };
    return {
      verdict: 'identical-content',
      reason: 'same files and metadata; only the tar encoding differs',
      fix: FIX.identical,
    };
  }
  const cats = new Set((all ?? ch.samples).filter((c) => c.change !== 'metadata').map((c) => c.category));
  if (cats.size === 1 && cats.has('pyc'))
    return { verdict: 'pyc-only', reason: `only .pyc files differ (${real} files)`, fix: FIX.pyc };
  if (!cats.has('other') && !cats.has('pyc'))
    return {
      verdict: 'caches-only',
      reason: `only apt lists, caches or logs differ (${real} files)`,
      fix: FIX.caches,
    };
  if (!cats.has('other'))
    return {
      verdict: 'noise-only',
      reason: `only .pyc, caches or logs differ (${real} files)`,
      fix: `${FIX.pyc}; ${FIX.caches}`,
    };
  return {
    verdict: 'real-change',
    reason: `${ch.contentChanged} changed, ${ch.added} added, ${ch.removed} removed`,
    fix: isBase ? FIX.base : null,
  };
}

function norm(s: string | undefined): string {
  return (s ?? '').replace(/\s+/g, ' ').trim();
}

/** Picks the OLD layer a NEW layer replaces: same instruction nearest in position, else same position. */
function counterpart(
  oldImg: Image,
  _newImg: Image,
  l: Layer,
  newDiffIds: Set<string>,
  used: Set<number>,
): number | null {
  const want = norm(l.createdBy);
  let best: number | null = null;
  if (want) {
    for (const o of oldImg.layers) {
      if (used.has(o.index) || norm(o.createdBy) !== want || newDiffIds.has(o.diffId)) continue;
      if (best === null || Math.abs(o.index - l.index) < Math.abs(best - l.index)) best = o.index;
    }
  }
  if (best === null) {
    const o = oldImg.layers[l.index];
    if (
      o &&
      !used.has(o.index) &&
      !newDiffIds.has(o.diffId) &&
      (!want || !norm(o.createdBy) || norm(o.createdBy) === want)
    )
      best = o.index;
    else if (o && !used.has(o.index) && !newDiffIds.has(o.diffId) && l.index === 0) best = 0;
  }
  return best;
}

/** What a host holds, in place of one OLD image (`diff --host`; see host.ts). */
export interface HeldLayers {
  chainIds: Set<string>;
  diffIds: Set<string>;
  /** Blob digests the engine has pulled or pushed. */
  knownBlobs: Set<string>;
  /** Image IDs on the host: pulling one of them fetches nothing. */
  imageIds: Set<string>;
}

export interface DiffOptions {
  /** Compare layers file by file (default true). */
  files?: boolean;
  concurrency?: number;
  /** Predict the pull against a whole host instead of OLD (OLD, if any, is only compared file by file). */
  held?: HeldLayers;
  /** Per-layer results on disk, by digest (see analyze/cache.ts). */
  diskCache?: LayerCache;
}

export async function diffImages(oldImg: Image | null, newImg: Image, opts: DiffOptions = {}): Promise<DiffResult> {
  const held = opts.held;
  if (!oldImg && !held) throw new Error('diffImages: needs OLD or a host');
  const oldChains = held?.chainIds ?? new Set(oldImg!.layers.map((l) => l.chainId));
  const oldBlobs = held?.knownBlobs ?? new Set(oldImg!.layers.map((l) => l.digest));
  // An image already on the host is not pulled at all.
  const upToDate = !!held?.imageIds.has(newImg.configDigest);
  // Classic store: reused while the ChainID is there (and, on a host, the engine knows the blob digest).
  let firstMissing: number | null = null;
  if (!upToDate)
    for (const l of newImg.layers)
      if (!oldChains.has(l.chainId) || (held && !held.knownBlobs.has(l.digest))) {
        firstMissing = l.index;
        break;
      }
  const containerdSeen = new Set<string>();
  const classicSeen = new Set<string>();
  let cBytes = 0;
  let cLayers = 0;
  let kBytes = 0;
  let kLayers = 0;
  const newDiffIds = new Set(newImg.layers.map((l) => l.diffId));
  const used = new Set<number>();
  const layers: DiffLayer[] = newImg.layers.map((l) => {
    const shared = oldChains.has(l.chainId);
    const blobInOld = oldBlobs.has(l.digest);
    const pulledContainerd = !upToDate && !blobInOld && !containerdSeen.has(l.digest);
    if (pulledContainerd) {
      containerdSeen.add(l.digest);
      cBytes += l.size;
      cLayers++;
    }
    const pulledClassic = firstMissing !== null && l.index >= firstMissing;
    if (pulledClassic) {
      kLayers++;
      if (!classicSeen.has(l.digest)) {
        classicSeen.add(l.digest);
        kBytes += l.size;
      }
    }
    return {
      index: l.index,
      digest: l.digest,
      diffId: l.diffId,
      size: l.size,
      createdBy: l.createdBy ?? null,
      shared,
      blobInOld,
      pulledClassic,
      pulledContainerd,
      comparedWith: null,
      change: null,
      verdict: null,
      reason: null,
      fix: null,
    };
  });

  // Layers with new content (their diffID is not anywhere in OLD).
  const oldDiffIds = new Set([...(held?.diffIds ?? []), ...(oldImg?.layers.map((l) => l.diffId) ?? [])]);
  const changed = newImg.layers.filter((l) => !oldDiffIds.has(l.diffId));
  if (!oldImg) for (const l of changed) layers[l.index].reason = 'new content: no image on the host has this layer';
  if (oldImg && opts.files !== false && changed.length) {
    const cache = new Map<string, Promise<LayerAnalysis>>();
    const get = (img: Image, l: Layer): Promise<LayerAnalysis> => {
      let p = cache.get(l.digest);
      if (!p) {
        p = analyzeLayerCached(img, l, { hashFiles: true, diskCache: opts.diskCache });
        cache.set(l.digest, p);
      }
      return p;
    };
    const pairs = changed.map((l) => {
      const o = counterpart(oldImg, newImg, l, newDiffIds, used);
      if (o !== null) used.add(o);
      return { l, o };
    });
    // Two at a time: each read is one streaming pass.
    const jobs = pairs.map(({ l, o }) => async () => {
      const d = layers[l.index];
      d.comparedWith = o;
      if (o === null) {
        d.verdict = 'new-layer';
        const a = await get(newImg, l);
        d.reason = `no counterpart in OLD (a new instruction): ${a.files.filter((f) => f.type !== 'dir').length} files, ${a.contentBytes} bytes`;
        d.change = {
          added: a.files.length,
          removed: 0,
          contentChanged: 0,
          metadataOnly: 0,
          addedBytes: a.contentBytes,
          removedBytes: 0,
          contentChangedBytes: 0,
          metadataFields: [],
          samples: [...a.files]
            .sort((x, y) => y.size - x.size)
            .slice(0, 20)
            .map((f) => ({
              path: f.path,
              change: 'added' as const,
              size: f.size,
              category: category(f.path),
            })),
        };
        return;
      }
      const [oa, na] = await Promise.all([get(oldImg, oldImg.layers[o]), get(newImg, l)]);
      const ch = compareLayers(oa, na);
      d.change = ch;
      const all = compareAll(oa, na);
      const v = verdictOf(
        ch,
        all,
        l.index === 0 ||
          (l.createdBy ?? '').startsWith('ADD file:') ||
          (l.createdBy ?? '').includes('#(nop) ADD file:'),
      );
      d.verdict = v.verdict;
      d.reason = v.reason;
      d.fix = v.fix;
    });
    let next = 0;
    const n = Math.max(1, opts.concurrency ?? 2);
    await Promise.all(
      Array.from({ length: n }, async () => {
        while (next < jobs.length) await jobs[next++]();
      }),
    );
  }
  // Unchanged content with a new ChainID (classic store re-fetches them).
  for (const d of layers) {
    if (d.shared && d.pulledClassic && held) {
      d.reason = held.knownBlobs.has(d.digest)
        ? 'on the host, but a layer below it is fetched, so the classic store fetches it again'
        : 'on the host (same ChainID), but the engine never pulled or pushed this blob digest, so the classic store downloads it again';
      continue;
    }
    if (d.verdict || d.shared) continue;
    if (oldDiffIds.has(d.diffId)) {
      d.verdict = null;
      d.reason = 'same content as a layer of OLD, but a layer below it changed (new ChainID)';
    }
  }
  return {
    old: oldImg,
    new: newImg,
    sharedLayers: layers.filter((l) => l.shared).length,
    newLayers: layers.filter((l) => !l.shared).length,
    pull: {
      containerd: { bytes: cBytes, layers: cLayers },
      classic: { bytes: kBytes, layers: kLayers, firstMissingLayer: firstMissing },
    },
    layers,
  };
}

/** Every path change (not only the samples), for the verdict. */
function compareAll(oldL: LayerAnalysis, newL: LayerAnalysis): PathChange[] {
  const before = new Map(oldL.files.map((f) => [f.path, f]));
  const out: PathChange[] = [];
  const seen = new Set<string>();
  for (const f of newL.files) {
    seen.add(f.path);
    const o = before.get(f.path);
    if (!o) out.push({ path: f.path, change: 'added', size: f.size, category: category(f.path) });
    else if (o.type !== f.type || o.size !== f.size || o.hash !== f.hash || o.linkname !== f.linkname)
      out.push({ path: f.path, change: 'content', size: f.size, category: category(f.path) });
  }
  for (const o of oldL.files)
    if (!seen.has(o.path)) out.push({ path: o.path, change: 'removed', size: o.size, category: category(o.path) });
  const ow = new Set(oldL.whiteouts);
  const nw = new Set(newL.whiteouts);
  for (const w of nw) if (!ow.has(w)) out.push({ path: w, change: 'removed', size: 0, category: category(w) });
  for (const w of ow) if (!nw.has(w)) out.push({ path: w, change: 'added', size: 0, category: category(w) });
  return out;
}
