/** A stacked file system tree: applies layers in order with overlay semantics. */
import type { FileRecord } from './layer.js';

export interface Node {
  name: string;
  rec?: FileRecord;
  layer: number;
  children?: Map<string, Node>;
}

export class FsTree {
  readonly root: Node = { name: '', layer: -1, children: new Map() };

  get(path: string): Node | undefined {
    if (path === '') return this.root;
    let n: Node | undefined = this.root;
    for (const seg of path.split('/')) {
      n = n.children?.get(seg);
      if (!n) return undefined;
    }
    return n;
  }

  /** Sets a path, creating missing parent directories; returns the node it replaced. */
  set(path: string, rec: FileRecord, layer: number): Node | undefined {
    const segs = path.split('/');
    let n = this.root;
    for (let i = 0; i < segs.length - 1; i++) {
      let c = n.children!.get(segs[i]);
      if (!c) {
        c = { name: segs[i], layer, children: new Map() };
        n.children!.set(segs[i], c);
      } else if (!c.children) {
        // A non-directory replaced by a directory (implicitly).
        c.children = new Map();
      }
      n = c;
    }
    const name = segs[segs.length - 1];
    const old = n.children!.get(name);
    const node: Node = { name, rec, layer };
    if (rec.type === 'dir') node.children = old?.children ?? new Map();
    n.children!.set(name, node);
    return old;
  }

  /** Removes a path and its subtree; returns the removed node. */
  remove(path: string): Node | undefined {
    const slash = path.lastIndexOf('/');
    const parent = slash < 0 ? this.root : this.get(path.slice(0, slash));
    const name = path.slice(slash + 1);
    const n = parent?.children?.get(name);
    if (n) parent!.children!.delete(name);
    return n;
  }

  /** Removes the children of a directory (opaque whiteout); returns them. */
  clear(path: string): Node[] {
    const n = this.get(path);
    if (!n?.children) return [];
    const out = [...n.children.values()];
    n.children.clear();
    return out;
  }
}

/** Every node of a subtree with its full path, depth first (the node itself first). */
export function* walk(node: Node, path: string): Generator<[string, Node]> {
  // An explicit stack: nested generators (yield*) cost a resume per level for every node.
  const stack: Array<[string, Node]> = [[path, node]];
  while (stack.length) {
    const top = stack.pop()!;
    yield top;
    const [p, n] = top;
    if (!n.children) continue;
    const kids = [...n.children.values()];
    for (let i = kids.length - 1; i >= 0; i--) stack.push([p ? `${p}/${kids[i].name}` : kids[i].name, kids[i]]);
  }
}
