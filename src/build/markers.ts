/**
 * PEP 508 environment markers evaluated for a build target (the image's interpreter and
 * platform, never this host's). A marker that does not parse fails as a UserError rather than
 * being guessed: a wrong guess would silently add or drop a package from the image.
 */
import { UserError } from '../errors.js';
import { wheelArch } from './tags.js';
import type { BuildTarget } from './types.js';

/** The marker variables of a target, plus the extras and dependency groups asked for. */
export interface MarkerEnv {
  vars: Record<string, string>;
  extras: Set<string>;
  groups: Set<string>;
}

/** The environment the image's CPython reports. */
export function targetEnv(t: Omit<BuildTarget, 'tags'>, extras: string[] = [], groups: string[] = []): MarkerEnv {
  return {
    vars: {
      python_version: t.python.minor,
      python_full_version: t.python.version,
      implementation_version: t.python.version,
      platform_machine: wheelArch(t.platform),
      sys_platform: 'linux',
      platform_system: 'Linux',
      os_name: 'posix',
      implementation_name: 'cpython',
      platform_python_implementation: 'CPython',
      platform_release: '',
      platform_version: '',
    },
    extras: new Set(extras.map(normExtra)),
    groups: new Set(groups.map(normExtra)),
  };
}

function normExtra(s: string): string {
  return s.toLowerCase().replace(/[-_.]+/g, '-');
}

type Tok = { k: 'str' | 'var' | 'op' | '(' | ')' | 'and' | 'or'; v: string };

function tokenize(m: string): Tok[] {
  const out: Tok[] = [];
  const re =
    /\s*(?:(\()|(\))|'([^']*)'|"([^"]*)"|(===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b)|(and\b|or\b)|([A-Za-z_][A-Za-z0-9_.]*))/y;
  let i = 0;
  while (i < m.length) {
    if (/^\s*$/.test(m.slice(i))) break;
    re.lastIndex = i;
    const x = re.exec(m);
    if (!x) throw new UserError(`marker ${JSON.stringify(m)}: cannot read it at ${JSON.stringify(m.slice(i))}`);
    i = re.lastIndex;
    if (x[1]) out.push({ k: '(', v: '(' });
    else if (x[2]) out.push({ k: ')', v: ')' });
    else if (x[3] !== undefined || x[4] !== undefined) out.push({ k: 'str', v: x[3] ?? x[4] });
    else if (x[5]) out.push({ k: 'op', v: x[5].replace(/\s+/, ' ') });
    else if (x[6]) out.push({ k: x[6] as 'and' | 'or', v: x[6] });
    else out.push({ k: 'var', v: x[7] });
  }
  return out;
}

/** Whether `marker` holds in `env`. */
export function evalMarker(marker: string, env: MarkerEnv): boolean {
  const toks = tokenize(marker);
  let p = 0;
  const fail = (): never => {
    throw new UserError(`marker ${JSON.stringify(marker)}: not a PEP 508 marker`);
  };
  const orExpr = (): boolean => {
    let v = andExpr();
    while (toks[p]?.k === 'or') {
      p++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = atom();
    while (toks[p]?.k === 'and') {
      p++;
      const r = atom();
      v = v && r;
    }
    return v;
  };
  const atom = (): boolean => {
    if (toks[p]?.k === '(') {
      p++;
      const v = orExpr();
      if (toks[p++]?.k !== ')') fail();
      return v;
    }
    const l = toks[p++];
    const op = toks[p++];
    const r = toks[p++];
    if (!l || !op || !r || op.k !== 'op' || (l.k !== 'str' && l.k !== 'var') || (r.k !== 'str' && r.k !== 'var'))
      fail();
    return compare(l, op.v, r, env);
  };
  const v = orExpr();
  if (p !== toks.length) fail();
  return v;
}

function compare(l: Tok, op: string, r: Tok, env: MarkerEnv): boolean {
  // `extra` and `dependency_groups` are sets: `extra == "x"` asks whether x was requested.
  const setVar = (t: Tok) =>
    t.k === 'var' && (t.v === 'extra' || t.v === 'extras')
      ? env.extras
      : t.k === 'var' && t.v === 'dependency_groups'
        ? env.groups
        : null;
  const ls = setVar(l);
  const rs = setVar(r);
  if (ls || rs) {
    const set = (ls ?? rs)!;
    const value = normExtra((ls ? r : l).v);
    if (op === '==' || op === 'in') return set.has(value);
    if (op === '!=' || op === 'not in') return !set.has(value);
    return false;
  }
  const val = (t: Tok) => (t.k === 'var' ? (env.vars[t.v] ?? '') : t.v);
  const a = val(l);
  const b = val(r);
  if (op === 'in') return b.includes(a);
  if (op === 'not in') return !b.includes(a);
  const isVersionVar = (t: Tok) => t.k === 'var' && /version$/.test(t.v);
  if ((isVersionVar(l) || isVersionVar(r)) && /^\d/.test(a) && /^\d/.test(b.replace(/\.\*$/, '')))
    return versionOp(a, op, b);
  if (op === '==' || op === '===') return a === b;
  if (op === '!=') return a !== b;
  return false;
}

function release(v: string): number[] {
  return (/^\d+(\.\d+)*/.exec(v)?.[0] ?? '0').split('.').map(Number);
}

function cmp(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** PEP 440 comparison on release numbers (what Python versions in markers need). */
export function versionOp(have: string, op: string, spec: string): boolean {
  const a = release(have);
  if (spec.endsWith('.*') && (op === '==' || op === '!=')) {
    const pre = release(spec.slice(0, -2));
    const match = pre.every((n, i) => (a[i] ?? 0) === n);
    return op === '==' ? match : !match;
  }
  const b = release(spec);
  const c = cmp(a, b);
  switch (op) {
    case '==':
    case '===':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '~=': {
      // ~=X.Y.Z means >=X.Y.Z and ==X.Y.*
      const prefix = b.slice(0, Math.max(1, b.length - 1));
      return c >= 0 && prefix.every((n, i) => (a[i] ?? 0) === n);
    }
  }
  return false;
}

/** Whether `version` meets a comma-separated specifier set such as `>=3.11,<3.12` or `==3.11.*`. */
export function satisfies(version: string, spec: string): boolean {
  return spec
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .every((x) => {
      const m = /^(===|==|!=|<=|>=|~=|<|>)\s*(\S+)$/.exec(x);
      return m ? versionOp(version, m[1], m[2]) : true;
    });
}
