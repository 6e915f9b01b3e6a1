/**
 * `--fail-on` expressions and `.dive-ci` rules, evaluated against plain metric values.
 *   wasted>50MB  efficiency<0.95  efficiency<95%  size>1GB  secrets>0  caches>10MB  download>10MB
 * Sizes are decimal (kB, MB, GB) or binary (KiB, MiB, GiB); a bare number is bytes.
 */
import { UserError } from '../errors.js';

export interface Check {
  rule: string;
  metric: string;
  op: '>' | '>=' | '<' | '<=';
  limit: number;
  value: number;
  failed: boolean;
}

export interface Condition {
  rule: string;
  metric: string;
  op: Check['op'];
  limit: number;
}

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  k: 1e3,
  m: 1e6,
  g: 1e9,
};

export function parseSize(s: string, what: string): number {
  const m = /^\s*([\d.]+)\s*([a-z]*)\s*$/i.exec(s);
  const unit = m?.[2].toLowerCase() ?? '';
  if (!m || !(unit in UNITS || unit === ''))
    throw new UserError(`${what}: ${JSON.stringify(s)} is not a size (e.g. 10MB, 512KiB)`);
  const n = Number(m[1]) * (unit ? UNITS[unit] : 1);
  if (!Number.isFinite(n)) throw new UserError(`${what}: ${JSON.stringify(s)} is not a size`);
  return Math.round(n);
}

/** Parses comma-separated conditions; `known` maps metric names to "size" | "ratio" | "count". */
export function parseConditions(exprs: string[], known: Record<string, 'size' | 'ratio' | 'count'>): Condition[] {
  const out: Condition[] = [];
  for (const raw of exprs.flatMap((e) => e.split(','))) {
    const e = raw.trim();
    if (!e) continue;
    const m = /^([a-z][a-z0-9.-]*)\s*(>=|<=|>|<)\s*(.+)$/i.exec(e);
    if (!m)
      throw new UserError(
        `--fail-on ${JSON.stringify(e)}: expected METRIC>VALUE or METRIC<VALUE (metrics: ${Object.keys(known).join(', ')})`,
      );
    const metric = m[1].toLowerCase();
    const kind = known[metric];
    if (!kind)
      throw new UserError(
        `--fail-on ${JSON.stringify(e)}: unknown metric ${metric} (metrics: ${Object.keys(known).join(', ')})`,
      );
    let limit: number;
    if (kind === 'size') limit = parseSize(m[3], `--fail-on ${e}`);
    else if (kind === 'ratio') {
      const v = m[3].trim();
      limit = v.endsWith('%') ? Number(v.slice(0, -1)) / 100 : Number(v);
    } else limit = Number(m[3]);
    if (!Number.isFinite(limit)) throw new UserError(`--fail-on ${JSON.stringify(e)}: ${m[3]} is not a number`);
    out.push({ rule: e, metric, op: m[2] as Condition['op'], limit });
  }
  return out;
}

export function evaluate(conds: Condition[], values: Record<string, number>): Check[] {
  return conds.map((c) => {
    const v = values[c.metric];
    const failed =
      c.op === '>' ? v > c.limit : c.op === '>=' ? v >= c.limit : c.op === '<' ? v < c.limit : v <= c.limit;
    return { ...c, value: v, failed };
  });
}

/**
 * Conditions from a `.dive-ci` file (dive's CI mode): lowestEfficiency, highestWastedBytes,
 * highestUserWastedPercent; "disabled" or absent rules are skipped. They apply to dive's own
 * figures, which layerwise computes the way dive does.
 */
export async function diveCiConditions(text: string, file: string): Promise<Condition[]> {
  const { parse } = await import('yaml');
  let doc: { rules?: Record<string, unknown> };
  try {
    doc = (parse(text) ?? {}) as typeof doc;
  } catch (e) {
    throw new UserError(`${file}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const rules = doc.rules ?? {};
  const out: Condition[] = [];
  const val = (k: string): string | undefined => {
    const v = rules[k];
    if (v === undefined || v === null || String(v).toLowerCase() === 'disabled') return undefined;
    return String(v);
  };
  const eff = val('lowestEfficiency');
  if (eff !== undefined)
    out.push({ rule: `lowestEfficiency: ${eff}`, metric: 'dive-efficiency', op: '<', limit: Number(eff) });
  const wb = val('highestWastedBytes');
  if (wb !== undefined)
    out.push({
      rule: `highestWastedBytes: ${wb}`,
      metric: 'dive-wasted',
      op: '>',
      limit: parseSize(wb, file),
    });
  const uw = val('highestUserWastedPercent');
  if (uw !== undefined)
    out.push({
      rule: `highestUserWastedPercent: ${uw}`,
      metric: 'dive-user-wasted',
      op: '>',
      limit: Number(uw),
    });
  for (const c of out) if (!Number.isFinite(c.limit)) throw new UserError(`${file}: ${c.rule} is not a number`);
  return out;
}

export function humanBytes(n: number): string {
  const a = Math.abs(n);
  if (a < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(Math.abs(v) < 10 ? 2 : 1)} ${units[i]}`;
}
