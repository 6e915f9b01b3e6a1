/**
 * Per-layer file trees for the HTML report: plain objects built from the analysis (what each
 * layer adds, modifies and removes, and which of its files later layers hide), capped to the
 * largest entries per layer, and their rendering as nested details/summary elements.
 */
import type { ImageAnalysis } from '../analyze/image.js';
import { bytes, esc, type Html, h, type Raw, raw } from './html-kit.js';

export interface TreeNode {
  name: string;
  kind: 'dir' | 'file' | 'symlink' | 'hardlink' | 'other' | 'whiteout' | 'opaque';
  /** Bytes (directories: everything below them in this layer). */
  size: number;
  /** Directories: entries below them in this layer. */
  entries?: number;
  change?: 'added' | 'modified' | 'removed';
  /** A later layer overwrites or deletes this copy (its bytes are wasted). */
  hiddenLater?: boolean;
  link?: string;
  children?: TreeNode[];
  /** Entries below this directory that are not shown. */
  more?: { entries: number; bytes: number };
}

export interface LayerTree {
  index: number;
  /** Non-directory entries, whiteouts and opaque markers in the layer. */
  entries: number;
  shown: number;
  notShown: number;
  notShownBytes: number;
  root: TreeNode;
}

interface Item {
  path: string;
  kind: TreeNode['kind'];
  size: number;
  change?: TreeNode['change'];
  hiddenLater?: boolean;
  link?: string;
}

const OPQ_NAME = '(opaque: lower layers’ contents removed)';

/** Builds every layer's tree, showing at most `limit` entries per layer (largest first). */
export function layerTrees(a: ImageAnalysis, limit = 2000): LayerTree[] {
  const hidden = new Set<string>();
  for (const w of a.wasted) for (const li of w.layers) hidden.add(`${li}\0${w.path}`);
  const present = new Set<string>();
  const dropPrefix = (dir: string) => {
    const p = dir ? `${dir}/` : '';
    for (const k of present) if (k.startsWith(p)) present.delete(k);
  };
  return a.layerResults.map((res, li) => {
    const items: Item[] = [];
    for (const d of res.opaqueDirs) {
      dropPrefix(d);
      items.push({ path: d ? `${d}/${OPQ_NAME}` : OPQ_NAME, kind: 'opaque', size: 0, change: 'removed' });
    }
    for (const w of res.whiteouts) {
      if (present.has(w)) present.delete(w);
      else dropPrefix(w);
      items.push({ path: w, kind: 'whiteout', size: 0, change: 'removed' });
    }
    const dirs: string[] = [];
    for (const f of res.files) {
      if (f.type === 'dir') {
        dirs.push(f.path);
        continue;
      }
      const kind = f.type === 'file' || f.type === 'symlink' || f.type === 'hardlink' ? f.type : 'other';
      items.push({
        path: f.path,
        kind,
        size: f.size,
        change: present.has(f.path) ? 'modified' : 'added',
        hiddenLater: hidden.has(`${li}\0${f.path}`) || undefined,
        link: f.linkname,
      });
      present.add(f.path);
    }
    return buildTree(li, items, dirs, limit);
  });
}

function buildTree(index: number, items: Item[], dirs: string[], limit: number): LayerTree {
  // Totals per directory over every entry (shown or not).
  const totals = new Map<string, { entries: number; bytes: number }>();
  for (const it of items) {
    const segs = it.path.split('/');
    for (let i = 0; i < segs.length; i++) {
      const d = segs.slice(0, i).join('/');
      const t = totals.get(d) ?? { entries: 0, bytes: 0 };
      t.entries++;
      t.bytes += it.size;
      totals.set(d, t);
    }
  }
  const removals = items.filter((i) => i.kind === 'whiteout' || i.kind === 'opaque');
  const rest = items.filter((i) => i.kind !== 'whiteout' && i.kind !== 'opaque');
  rest.sort((x, y) => y.size - x.size || x.path.localeCompare(y.path));
  const shownRemovals = removals.slice(0, Math.min(removals.length, Math.floor(limit / 10)));
  const shown = [...shownRemovals, ...rest.slice(0, Math.max(0, limit - shownRemovals.length))];
  // Directories the layer creates with nothing below them, when there is room.
  const emptyDirs = dirs.filter((d) => !totals.has(d)).slice(0, Math.max(0, limit - shown.length));

  const root: TreeNode = { name: '', kind: 'dir', size: 0, children: [] };
  const dirNode = new Map<string, TreeNode>([['', root]]);
  const ensureDir = (path: string): TreeNode => {
    let n = dirNode.get(path);
    if (n) return n;
    const slash = path.lastIndexOf('/');
    const parent = ensureDir(slash < 0 ? '' : path.slice(0, slash));
    const t = totals.get(path) ?? { entries: 0, bytes: 0 };
    n = { name: path.slice(slash + 1), kind: 'dir', size: t.bytes, entries: t.entries, children: [] };
    parent.children!.push(n);
    dirNode.set(path, n);
    return n;
  };
  for (const it of shown) {
    const slash = it.path.lastIndexOf('/');
    const parent = ensureDir(slash < 0 ? '' : it.path.slice(0, slash));
    const node: TreeNode = { name: it.path.slice(slash + 1), kind: it.kind, size: it.size };
    if (it.change) node.change = it.change;
    if (it.hiddenLater) node.hiddenLater = true;
    if (it.link !== undefined) node.link = it.link;
    parent.children!.push(node);
  }
  for (const d of emptyDirs) ensureDir(d);
  const all = totals.get('') ?? { entries: 0, bytes: 0 };
  root.size = all.bytes;
  root.entries = all.entries;
  // What each directory holds that is not shown.
  for (const [path, n] of dirNode) {
    const t = totals.get(path);
    if (!t) continue;
    let e = t.entries;
    let b = t.bytes;
    for (const c of n.children!) {
      if (c.kind === 'dir') {
        const ct = totals.get(path ? `${path}/${c.name}` : c.name);
        e -= ct?.entries ?? 0;
        b -= ct?.bytes ?? 0;
      } else {
        e--;
        b -= c.size;
      }
    }
    if (e > 0) n.more = { entries: e, bytes: b };
  }
  sortTree(root);
  const shownCount = shown.length;
  return {
    index,
    entries: items.length,
    shown: shownCount,
    notShown: items.length - shownCount,
    notShownBytes: all.bytes - shown.reduce((s, i) => s + i.size, 0),
    root,
  };
}

function sortTree(n: TreeNode): void {
  if (!n.children) return;
  n.children.sort((a, b) => b.size - a.size || a.name.localeCompare(b.name));
  for (const c of n.children) sortTree(c);
}

const MARK: Record<string, [string, string]> = {
  added: ['added', '+'],
  modified: ['modified', '~'],
  removed: ['removed', '−'],
};

function fileNode(n: TreeNode): Raw {
  const m = n.change ? MARK[n.change] : null;
  const name =
    n.kind === 'opaque'
      ? h`<span class="name muted">${n.name}</span>`
      : n.kind === 'symlink' || n.kind === 'hardlink'
        ? h`<span class="name">${n.name}</span><span class="muted"> → ${n.link ?? ''}</span>`
        : h`<span class="name">${n.name}</span>`;
  const title =
    n.kind === 'whiteout'
      ? 'removed by this layer (whiteout)'
      : n.change === 'modified'
        ? 'replaces a copy from a lower layer'
        : n.change === 'added'
          ? 'new in this layer'
          : '';
  return h`<div class="node f">${m ? h`<span class="ch ${m[0]}" data-tip="${title}">${m[1]}</span>` : ''}${name}${n.hiddenLater ? h`<span class="ch hidden" data-tip="a later layer overwrites or deletes this copy: its bytes are wasted">hidden later</span>` : ''}<span class="size">${n.kind === 'whiteout' || n.kind === 'opaque' ? '' : bytes(n.size)}</span></div>`;
}

function renderNode(n: TreeNode, open: boolean, parts: string[]): void {
  if (n.kind !== 'dir') {
    parts.push(fileNode(n).html);
    return;
  }
  // Chains of single directories read as one path (usr/local/lib/python3.11).
  let name = n.name;
  let cur = n;
  while (cur.children?.length === 1 && cur.children[0].kind === 'dir' && !cur.more) {
    cur = cur.children[0];
    name += `/${cur.name}`;
  }
  parts.push(
    `<details${open ? ' open' : ''}><summary class="dir"><span class="name">${esc(name)}/</span><span class="size">${esc(bytes(n.size))} · ${n.entries ?? 0} ${n.entries === 1 ? 'entry' : 'entries'}</span></summary>`,
  );
  for (const c of cur.children ?? []) renderNode(c, open, parts);
  if (cur.more)
    parts.push(`<div class="more">${cur.more.entries} more not shown (${esc(bytes(cur.more.bytes))})</div>`);
  parts.push('</details>');
}

/** The tree of one layer; small trees start open. */
export function renderTree(t: LayerTree): Html {
  if (t.entries === 0 && !t.root.children?.length) return h`<p class="empty">This layer adds no files.</p>`;
  const parts: string[] = [];
  const open = t.shown <= 60;
  for (const c of t.root.children ?? []) renderNode(c, open, parts);
  if (t.root.more)
    parts.push(`<div class="more">${t.root.more.entries} more not shown (${esc(bytes(t.root.more.bytes))})</div>`);
  const note =
    t.notShown > 0
      ? h`<p class="muted">Showing the ${t.shown} largest of ${t.entries} entries; ${t.notShown} more not shown (${bytes(t.notShownBytes)}).</p>`
      : '';
  const id = `tree-${t.index}`;
  return h`${note}<div class="toolbar"><button type="button" data-open="1" data-target="${id}">expand all</button><button type="button" data-open="0" data-target="${id}">collapse all</button></div><div class="tree" id="${id}">${raw(parts.join(''))}</div>`;
}
