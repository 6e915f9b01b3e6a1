/**
 * Images defined by `docker buildx bake` files (`docker-bake.hcl`, `docker-bake.json`, their
 * `.override` files, read together per directory as bake does). Variables take their defaults
 * (the environment is not read, so an audit does not depend on who runs it); `inherits` merges
 * parents first; a target only inherited from, and in no group, is a template, not an image.
 * Paths resolve as bake run from the file's directory resolves them: the context from that
 * directory, the Dockerfile from the context.
 */
import { basename, dirname } from 'node:path';
import {
  type BuildDef,
  type SourceResult,
  isRemoteContext,
  lineAt,
  readDefFile,
  relPath,
  resolveFrom,
  where,
} from './discover-def.js';
import { exprText, HclError, parseHcl, type HclBody, type HclExpr } from './discover-hcl.js';
import { isObj } from './discover-yaml.js';

/** Bake file names: the defaults and `-f` variants such as `docker-bake.prod.hcl`. */
export const BAKE_NAME = /^docker-bake(\.[\w.-]+)?\.(hcl|json)$/;
const DEFAULT_ORDER = ['docker-bake.json', 'docker-bake.hcl', 'docker-bake.override.json', 'docker-bake.override.hcl'];

interface TargetBlock {
  file: string;
  line: number;
  attrs: Map<string, HclExpr>;
}

/** Everything one bake invocation sees: variables, targets (blocks in order), groups. */
interface BakeSet {
  dir: string;
  vars: Map<string, HclExpr>;
  targets: Map<string, TargetBlock[]>;
  groups: Map<string, { targets: string[]; file: string; line: number }>;
}

/** Evaluated target attributes after inherits. */
interface Resolved {
  attrs: Map<string, { value: unknown; unresolved: string[] }>;
  args: Record<string, string>;
}

/** Reads every bake file in `files` (absolute paths) and returns the images they build. */
export function discoverBake(root: string, files: string[]): SourceResult {
  const warnings: string[] = [];
  const defs: BuildDef[] = [];
  const byDir = new Map<string, string[]>();
  for (const f of files) byDir.set(dirname(f), [...(byDir.get(dirname(f)) ?? []), f]);
  for (const [dir, list] of byDir) {
    const rank = (f: string) => {
      const i = DEFAULT_ORDER.indexOf(basename(f));
      return i < 0 ? DEFAULT_ORDER.length : i;
    };
    const defaults = list.filter((f) => rank(f) < DEFAULT_ORDER.length).sort((a, b) => rank(a) - rank(b));
    const variants = list.filter((f) => rank(f) === DEFAULT_ORDER.length).sort();
    const parsed = new Map<string, HclBody | null>();
    const load = (f: string) => {
      if (!parsed.has(f)) parsed.set(f, loadBakeFile(root, f, warnings));
      return parsed.get(f)!;
    };
    const sets = defaults.length ? [defaults] : [];
    for (const v of variants) sets.push([...defaults, v]);
    for (const set of sets) {
      const bake: BakeSet = { dir, vars: new Map(), targets: new Map(), groups: new Map() };
      for (const f of set) {
        const body = load(f);
        if (body) addBody(bake, relPath(root, f), body);
      }
      defs.push(...bakeDefs(bake, warnings));
    }
  }
  return { defs, warnings };
}

/** Parses one bake file (HCL, or JSON turned into the same shape); a warning when unreadable. */
function loadBakeFile(root: string, abs: string, warnings: string[]): HclBody | null {
  const rel = relPath(root, abs);
  const read = readDefFile(root, abs);
  if ('warning' in read) {
    warnings.push(read.warning);
    return null;
  }
  if (abs.endsWith('.json')) {
    try {
      return jsonBody(JSON.parse(read.text), read.text);
    } catch (e) {
      warnings.push(`${rel}: not a bake JSON file (${(e as Error).message.split('\n')[0]}); skipped`);
      return null;
    }
  }
  try {
    return parseHcl(read.text);
  } catch (e) {
    // HclError has the line; anything else (a stack overflow on absurd nesting) is still a bad file.
    const at = e instanceof HclError ? `${rel}:${e.line}` : rel;
    warnings.push(`${at}: cannot be parsed as HCL (${(e as Error).message.split('\n')[0]}); skipped`);
    return null;
  }
}

/** Bake JSON (`{variable:{}, group:{}, target:{}}`) as HCL blocks; strings interpolate as in HCL. */
function jsonBody(json: unknown, text: string): HclBody {
  if (!isObj(json)) throw new Error('the top level is not an object');
  const body: HclBody = { attrs: [], blocks: [] };
  for (const type of ['variable', 'group', 'target']) {
    const section = json[type];
    if (section === undefined) continue;
    if (!isObj(section)) throw new Error(`${type} is not an object`);
    for (const [name, v] of Object.entries(section)) {
      if (!isObj(v)) throw new Error(`${type} ${name} is not an object`);
      const at = text.indexOf(JSON.stringify(name), text.indexOf(JSON.stringify(type)));
      const line = at < 0 ? 0 : lineAt(text, at);
      const attrs = Object.entries(v).map(([k, val]) => ({ name: k, expr: jsonExpr(val), line }));
      body.blocks.push({ type, labels: [name], line, body: { attrs, blocks: [] } });
    }
  }
  return body;
}

function jsonExpr(v: unknown): HclExpr {
  if (typeof v === 'string') return parseHcl(`v = ${JSON.stringify(v)}`).attrs[0].expr;
  if (Array.isArray(v)) return { t: 'list', items: v.map(jsonExpr) };
  if (isObj(v)) return { t: 'obj', entries: Object.entries(v).map(([k, x]) => [k, jsonExpr(x)]) };
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return { t: 'lit', v };
  return { t: 'raw', text: String(v) };
}

function addBody(bake: BakeSet, file: string, body: HclBody): void {
  for (const b of body.blocks) {
    const name = b.labels[0];
    if (name === undefined) continue;
    const attrs = new Map(b.body.attrs.map((a) => [a.name, a.expr]));
    if (b.type === 'variable') {
      const d = attrs.get('default');
      bake.vars.set(name, d ?? { t: 'lit', v: '' });
    } else if (b.type === 'target') {
      bake.targets.set(name, [...(bake.targets.get(name) ?? []), { file, line: b.line, attrs }]);
    } else if (b.type === 'group') {
      const t = attrs.get('targets');
      const names = t && t.t === 'list' ? t.items.map((i) => (i.t === 'lit' ? String(i.v) : exprText(i))) : [];
      const prev = bake.groups.get(name);
      bake.groups.set(name, { targets: [...(prev?.targets ?? []), ...names], file, line: b.line });
    }
  }
}

/** Evaluates an expression with the set's variables; what cannot be evaluated stays as text. */
function evaluate(e: HclExpr, bake: BakeSet, unresolved: string[], seen: Set<string> = new Set()): unknown {
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'list':
      return e.items.map((i) => evaluate(i, bake, unresolved, seen));
    case 'obj':
      return Object.fromEntries(e.entries.map(([k, v]) => [k, evaluate(v, bake, unresolved, seen)]));
    case 'tmpl':
      return e.parts
        .map((p) => {
          if (typeof p === 'string') return p;
          const v = evaluate(p, bake, unresolved, seen);
          return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
            ? String(v)
            : `\${${exprText(p)}}`;
        })
        .join('');
    case 'ref': {
      const name = e.path[0];
      if (e.path.length === 1 && name === 'BAKE_CMD_CONTEXT') return '.';
      const v = e.path.length === 1 ? bake.vars.get(name) : undefined;
      if (v === undefined || seen.has(name)) {
        unresolved.push(exprText(e));
        return { unresolved: exprText(e) };
      }
      return evaluate(v, bake, unresolved, new Set([...seen, name]));
    }
    case 'raw':
      unresolved.push(e.text);
      return { unresolved: e.text };
  }
}

/**
 * A target's attributes with its parents' merged under them (args merged by name). null for an
 * unknown target; 'loop' when its inherits chain loops (warned once, where the loop is found).
 */
function resolveTarget(
  name: string,
  bake: BakeSet,
  warnings: string[],
  stack: string[] = [],
): Resolved | null | 'loop' {
  const blocks = bake.targets.get(name);
  if (!blocks) return null;
  if (stack.includes(name)) {
    const first = bake.targets.get(stack[0])![0];
    warnings.push(
      `${where(first.file, first.line)}: target "${stack[0]}": inherits loops (${[...stack, name].join(' -> ')}); skipped`,
    );
    return 'loop';
  }
  const out: Resolved = { attrs: new Map(), args: {} };
  for (const b of blocks) {
    const inh = b.attrs.get('inherits');
    const parents = inh ? evaluate(inh, bake, []) : [];
    for (const p of Array.isArray(parents) ? parents : []) {
      if (typeof p !== 'string') continue;
      const r = resolveTarget(p, bake, warnings, [...stack, name]);
      if (r === 'loop') return r;
      if (!r) {
        if (!bake.targets.has(p))
          warnings.push(`${where(b.file, b.line)}: target "${name}" inherits unknown target "${p}"; ignored`);
        continue;
      }
      for (const [k, v] of r.attrs) out.attrs.set(k, v);
      Object.assign(out.args, r.args);
    }
    for (const [k, e] of b.attrs) {
      if (k === 'inherits') continue;
      const unresolved: string[] = [];
      const value = evaluate(e, bake, unresolved);
      if (k === 'args' && isObj(value)) {
        for (const [ak, av] of Object.entries(value)) {
          if (av === null) delete out.args[ak];
          else out.args[ak] = isObj(av) ? `\${${String(av.unresolved)}}` : String(av);
        }
      } else out.attrs.set(k, { value, unresolved });
    }
  }
  return out;
}

/** The images of one bake set: targets in groups, and targets nobody inherits from. */
function bakeDefs(bake: BakeSet, warnings: string[]): BuildDef[] {
  const inherited = new Set<string>();
  for (const blocks of bake.targets.values())
    for (const b of blocks) {
      const inh = b.attrs.get('inherits');
      const v = inh ? evaluate(inh, bake, []) : [];
      for (const p of Array.isArray(v) ? v : []) if (typeof p === 'string') inherited.add(p);
    }
  const grouped = new Set<string>();
  const expand = (g: string, seen: string[]) => {
    const group = bake.groups.get(g)!;
    for (const t of group.targets) {
      if (bake.groups.has(t) && !seen.includes(t)) expand(t, [...seen, t]);
      else if (bake.targets.has(t)) grouped.add(t);
      else if (!bake.groups.has(t))
        warnings.push(`${where(group.file, group.line)}: group "${g}" names unknown target "${t}"; ignored`);
    }
  };
  for (const g of bake.groups.keys()) expand(g, [g]);
  const defs: BuildDef[] = [];
  for (const [name, blocks] of bake.targets) {
    if (inherited.has(name) && !grouped.has(name)) continue;
    const r = resolveTarget(name, bake, warnings);
    if (!r || r === 'loop') continue;
    const def = targetDef(bake, name, blocks[0], r, warnings);
    if (def) defs.push(def);
  }
  return defs;
}

function targetDef(bake: BakeSet, name: string, first: TargetBlock, r: Resolved, warnings: string[]): BuildDef | null {
  const at = `${where(first.file, first.line)}: target "${name}"`;
  if (r.attrs.has('dockerfile-inline')) {
    warnings.push(`${at}: dockerfile-inline is not audited (move it into a Dockerfile to audit it); skipped`);
    return null;
  }
  if (r.attrs.has('matrix')) {
    warnings.push(`${at}: matrix targets are not expanded; skipped`);
    return null;
  }
  const text = (key: string, dflt?: string): string | null | undefined => {
    const a = r.attrs.get(key);
    if (!a || a.value === null) return dflt;
    if (a.unresolved.length > 0 || typeof a.value !== 'string') {
      warnings.push(`${at}: ${key} ${a.unresolved[0] ?? JSON.stringify(a.value)} cannot be evaluated; skipped`);
      return null;
    }
    return a.value;
  };
  const ctx = text('context', '.');
  if (ctx === null) return null;
  if (isRemoteContext(ctx!)) {
    warnings.push(`${at}: context ${ctx} is a remote (git/URL) context, not a local directory; skipped`);
    return null;
  }
  const df = text('dockerfile', 'Dockerfile');
  const target = text('target');
  if (df === null || target === null) return null;
  const context = resolveFrom(bake.dir, ctx!);
  return {
    name,
    context,
    dockerfile: resolveFrom(context, df!),
    ...(target ? { target } : {}),
    args: r.args,
    origins: [{ kind: 'bake', file: first.file, line: first.line || undefined, detail: `target "${name}"` }],
  };
}
