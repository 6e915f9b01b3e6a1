/**
 * Image-level combine: stacks the per-layer results (overlay semantics, whiteouts, opaque
 * directories) and derives wasted bytes, efficiency (ours and dive's), largest files, size by
 * directory, the Python breakdown, caches left behind and secrets.
 */
import type { Image, Layer } from '../model.js';
import { scanConfig } from './config-secrets.js';
import { FsTree, type Node, walk } from './fstree.js';
import type { CacheFinding, DistReport, ImageAnalysis, LayerReport, SecretReport, WastedPath } from './image.js';
import type { DistRecord, FileRecord, LayerAnalysis } from './layer.js';
import { CACHE_RULES } from './leftovers.js';
import { maskSecrets } from './secrets.js';

const SP_RE = /^(.*?(?:site|dist)-packages)\/(.+)$/;
const PYCACHE_RE = /(^|\/)__pycache__\/|\.py[co]$/;
const TESTS_RE = /^[^/]+\/(?:.+\/)?(?:tests?|testing)\//;

function isFile(r: FileRecord | undefined): boolean {
  return !!r && r.type !== 'dir';
}

export function combine(image: Image, results: LayerAnalysis[], top = 20): ImageAnalysis {
  const tree = new FsTree();
  const layers: LayerReport[] = [];
  const wastedMap = new Map<string, WastedPath>();
  const hiddenByLater = new Array(results.length).fill(0);
  let wastedBytes = 0;

  // dive's method: per path, every copy (and, for a whiteout of a directory, the size of what it
  // removed) adds to a cumulative size; paths seen in more than one layer count in full.
  const dive = new Map<string, { cumulative: number; min: number; nodes: number }>();
  const diveVisit = (path: string, size: number): void => {
    const d = dive.get(path);
    if (!d) dive.set(path, { cumulative: size, min: size, nodes: 1 });
    else {
      d.cumulative += size;
      d.min = Math.min(d.min, size);
      d.nodes++;
    }
  };

  const waste = (path: string, node: Node, deleted: boolean): void => {
    for (const [p, n] of walk(node, path)) {
      if (!n.rec || n.rec.type === 'dir') continue;
      const size = n.rec.size;
      let w = wastedMap.get(p);
      if (!w) {
        w = { path: p, bytes: 0, copies: 0, deleted, layers: [] };
        wastedMap.set(p, w);
      }
      w.bytes += size;
      w.copies++;
      w.deleted = deleted;
      if (!w.layers.includes(n.layer)) w.layers.push(n.layer);
      wastedBytes += size;
      if (n.layer >= 0) hiddenByLater[n.layer] += size;
    }
  };
  const subtreeBytes = (node: Node): number => {
    let s = 0;
    for (const [, n] of walk(node, '')) if (n.rec && n.rec.type !== 'dir') s += n.rec.size;
    return s;
  };

  results.forEach((res, li) => {
    const l: Layer = image.layers[li];
    const stats = {
      files: { added: 0, modified: 0, removed: 0 },
      bytes: { added: 0, modified: 0, removed: 0 },
      hides: 0,
    };
    const removeCount = (node: Node, path: string): void => {
      for (const [, n] of walk(node, path))
        if (isFile(n.rec)) {
          stats.files.removed++;
          stats.bytes.removed += n.rec!.size;
          stats.hides += n.rec!.size;
        }
    };
    for (const d of res.opaqueDirs) {
      const prev = tree.get(d);
      if (prev?.children) diveVisit(d, subtreeBytes(prev));
      for (const child of tree.clear(d)) {
        const cp = d ? `${d}/${child.name}` : child.name;
        removeCount(child, cp);
        waste(cp, child, true);
      }
    }
    for (const w of res.whiteouts) {
      const prev = tree.get(w);
      diveVisit(w, prev?.children ? subtreeBytes(prev) : 0);
      const n = tree.remove(w);
      if (n) {
        removeCount(n, w);
        waste(w, n, true);
      }
    }
    const mark = new Set<string>();
    for (const f of res.files) {
      // dive visits leaves: every non-directory entry.
      if (f.type !== 'dir') diveVisit(f.path, f.size);
      const old = tree.get(f.path);
      if (old?.rec || (old?.children && f.type !== 'dir')) {
        if (f.type !== 'dir') {
          if (old.rec && old.rec.type !== 'dir') {
            stats.files.modified++;
            stats.bytes.modified += f.size;
            stats.hides += old.rec.size;
            waste(f.path, { ...old, children: undefined }, false);
          }
          if (old.children && old.children.size > 0) {
            // A directory replaced by a file: everything below is hidden.
            for (const c of old.children.values()) {
              const cp = `${f.path}/${c.name}`;
              removeCount(c, cp);
              waste(cp, c, true);
            }
          }
        }
      } else if (f.type !== 'dir') {
        stats.files.added++;
        stats.bytes.added += f.size;
      }
      tree.set(f.path, f, li);
      mark.add(f.path);
    }
    // Deleted-then-kept paths are no longer "deleted" once a later layer brings them back.
    for (const p of mark) {
      const w = wastedMap.get(p);
      if (w) w.deleted = false;
    }
    const largest = res.files
      .filter((f) => f.type === 'file')
      .sort((a, b) => b.size - a.size)
      .slice(0, 5)
      .map((f) => ({ path: f.path, size: f.size }));
    const hi = l.historyIndex;
    const emptyBefore: string[] = [];
    if (hi !== undefined) {
      for (let i = hi - 1; i >= 0 && image.history[i].layerIndex === null; i--)
        emptyBefore.unshift(maskSecrets(image.history[i].created_by ?? ''));
    }
    layers.push({
      index: li,
      digest: l.digest,
      diffId: l.diffId,
      chainId: l.chainId,
      mediaType: l.mediaType,
      compression: res.compression,
      size: res.size,
      uncompressedSize: res.uncompressedSize,
      // The config is shown, never its secrets (a RUN that echoed a key, a token passed as build arg).
      createdBy: maskSecrets(l.createdBy),
      created: l.created ?? null,
      comment: maskSecrets(l.comment),
      emptyLayerInstructions: emptyBefore,
      entries: res.entries,
      contentBytes: res.contentBytes,
      files: stats.files,
      bytes: stats.bytes,
      hiddenByLaterBytes: 0,
      hidesBytes: stats.hides,
      largestFiles: largest,
    });
  });
  layers.forEach((l, i) => {
    l.hiddenByLaterBytes = hiddenByLater[i];
  });

  const contentBytes = results.reduce((s, r) => s + r.contentBytes, 0);
  // Final file system walk.
  let finalBytes = 0;
  let finalFiles = 0;
  const largest: Array<{ path: string; size: number; layerIndex: number }> = [];
  const dirs = new Map<string, { bytes: number; files: number }>();
  const finalPaths = new Map<string, { size: number; layer: number }>();
  for (const [p, n] of walk(tree.root, '')) {
    if (!n.rec || n.rec.type === 'dir') continue;
    finalFiles++;
    finalBytes += n.rec.size;
    finalPaths.set(p, { size: n.rec.size, layer: n.layer });
    if (n.rec.type === 'file') largest.push({ path: p, size: n.rec.size, layerIndex: n.layer });
    const segs = p.split('/');
    for (let d = 1; d < segs.length && d <= 3; d++) {
      const dp = segs.slice(0, d).join('/');
      const e = dirs.get(dp) ?? { bytes: 0, files: 0 };
      e.bytes += n.rec.size;
      e.files++;
      dirs.set(dp, e);
    }
  }
  largest.sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));

  // dive's figures.
  let diveMin = 0;
  let diveCum = 0;
  let diveWasted = 0;
  for (const d of dive.values()) {
    diveMin += d.min;
    diveCum += d.cumulative;
    if (d.nodes > 1) diveWasted += d.cumulative;
  }
  // dive's CI rule: wasted bytes over the bytes of the layers above the base (layer 0).
  const userBytes = contentBytes - (results[0]?.contentBytes ?? 0);

  // Python.
  const dists = new Map<string, DistRecord & { layer: number }>();
  results.forEach((r, li) => {
    for (const d of r.dists) dists.set(`${d.sitePackages}|${d.name}`, { ...d, layer: li });
  });
  const owner = new Map<string, string>();
  const distReports = new Map<string, DistReport>();
  for (const [k, d] of dists) {
    if (!finalPaths.has(`${d.sitePackages}/${d.name}-${d.version}.dist-info/RECORD`)) continue;
    for (const f of d.files) owner.set(f, k);
    distReports.set(k, {
      name: d.name,
      version: d.version,
      sitePackages: d.sitePackages,
      bytes: 0,
      files: 0,
      pycacheBytes: 0,
      testsBytes: 0,
      layers: [],
    });
  }
  const sp = new Map<string, { bytes: number; files: number }>();
  let pycacheBytes = 0;
  let pycacheFiles = 0;
  let testsBytes = 0;
  let testsFiles = 0;
  const topOwner = new Map<string, string>();
  for (const [k, d] of dists)
    for (const f of d.files) {
      const m = SP_RE.exec(f);
      if (m && distReports.has(k)) topOwner.set(`${m[1]}/${m[2].split('/')[0]}`, k);
    }
  for (const [p, info] of finalPaths) {
    const isPyc = PYCACHE_RE.test(p) && (p.endsWith('.pyc') || p.endsWith('.pyo'));
    if (isPyc) {
      pycacheBytes += info.size;
      pycacheFiles++;
    }
    const m = SP_RE.exec(p);
    if (!m) continue;
    const e = sp.get(m[1]) ?? { bytes: 0, files: 0 };
    e.bytes += info.size;
    e.files++;
    sp.set(m[1], e);
    const isTest = TESTS_RE.test(m[2]) && !m[2].split('/')[0].endsWith('.dist-info');
    if (isTest) {
      testsBytes += info.size;
      testsFiles++;
    }
    let k = owner.get(p);
    if (!k && isPyc) {
      // foo/__pycache__/bar.cpython-311.pyc belongs with foo/bar.py
      const src = p.replace(/__pycache__\/([^/]+?)\.[^./]+\.pyc$/, '$1.py');
      k = owner.get(src);
    }
    if (!k) k = topOwner.get(`${m[1]}/${m[2].split('/')[0]}`);
    const key = k ?? `${m[1]}|(unattributed)`;
    let r = distReports.get(key);
    if (!r) {
      r = {
        name: '(unattributed)',
        version: '',
        sitePackages: m[1],
        bytes: 0,
        files: 0,
        pycacheBytes: 0,
        testsBytes: 0,
        layers: [],
      };
      distReports.set(key, r);
    }
    r.bytes += info.size;
    r.files++;
    if (isPyc) r.pycacheBytes += info.size;
    if (isTest) r.testsBytes += info.size;
    if (!r.layers.includes(info.layer)) r.layers.push(info.layer);
  }

  // Caches left behind (present in the final image).
  const caches = new Map<string, CacheFinding>();
  for (const [p, info] of finalPaths) {
    const rule = CACHE_RULES.find((r) => r.re.test(p));
    if (!rule) continue;
    let c = caches.get(rule.kind);
    if (!c) {
      c = { kind: rule.kind, bytes: 0, files: 0, layers: [], paths: [], fix: rule.fix };
      caches.set(rule.kind, c);
    }
    c.bytes += info.size;
    c.files++;
    if (!c.layers.includes(info.layer)) c.layers.push(info.layer);
    if (c.paths.length < 5) c.paths.push(p);
  }

  // Secrets: every layer's findings, noting whether a later layer hid them (they are still in the
  // image), then the config's.
  const secrets: SecretReport[] = [];
  results.forEach((r, li) => {
    for (const s of r.secrets) {
      const fin = finalPaths.get(s.path);
      secrets.push({
        ...s,
        layerIndex: li,
        createdBy: maskSecrets(image.layers[li].createdBy),
        inFinalImage: !!fin && fin.layer === li,
        source: 'layer',
        location: `file /${s.path}, layer ${li + 1}`,
        name: null,
        historyIndex: image.layers[li].historyIndex ?? null,
        alsoIn: [],
      });
    }
  });
  secrets.push(...scanConfig(image));

  const size = results.reduce((s, r) => s + r.size, 0);
  const uncompressedSize = results.reduce((s, r) => s + r.uncompressedSize, 0);
  return {
    layers,
    layerResults: results,
    size,
    uncompressedSize,
    contentBytes,
    finalBytes,
    finalFiles,
    wastedBytes,
    efficiency: contentBytes === 0 ? 1 : (contentBytes - wastedBytes) / contentBytes,
    dive: {
      wastedBytes: diveWasted,
      efficiency: diveCum === 0 ? 1 : diveMin / diveCum,
      userWastedPercent: userBytes <= 0 ? 0 : diveWasted / userBytes,
    },
    wasted: [...wastedMap.values()].sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path)),
    largestFiles: largest.slice(0, top),
    directories: [...dirs.entries()]
      .map(([path, v]) => ({ path, ...v }))
      .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
      .slice(0, top),
    python: {
      sitePackages: [...sp.entries()].map(([path, v]) => ({ path, ...v })).sort((a, b) => b.bytes - a.bytes),
      distributions: [...distReports.values()]
        .filter((d) => d.files > 0)
        .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name)),
      pycacheBytes,
      pycacheFiles,
      testsBytes,
      testsFiles,
    },
    caches: [...caches.values()].filter((c) => c.bytes > 0).sort((a, b) => b.bytes - a.bytes),
    secrets,
    tree,
  };
}
