/**
 * Per-layer verdicts for `diff`: compares a NEW layer file by file with its OLD counterpart and
 * says why it differs (a real change, or only timestamps/owners/modes, only .pyc, only apt
 * lists/caches/logs), with the fix.
 */
import { cacheKind, isLogOrState } from './analyze/leftovers.js';
import type { FileRecord, LayerAnalysis } from './analyze/layer.js';

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

const PYC = /(^|\/)__pycache__\/|\.py[co]$/;

export function category(path: string): PathChange['category'] {
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

/** Every path change (not only the samples), for the verdict. */
export function compareAll(oldL: LayerAnalysis, newL: LayerAnalysis): PathChange[] {
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
