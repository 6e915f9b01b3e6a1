/**
 * `bench --fail-on`: limits on a bench run's figures, absolute or against the baseline.
 *
 *   code-change.deploy>1MB     bytes a deploy pulls after the scenario (the larger of the two stores)
 *   warm.time>+20%             median time, more than 20% over the baseline's
 *   cache-hit<90%              cache hit rate of every scenario but cold (cold has no cache by design)
 *   *.time>30s                 every scenario; a bare metric means the same
 *   base-change.image>+10MB    more than 10 MB over the baseline's image
 *
 * Form: `[SCENARIO.]METRIC OP VALUE`, SCENARIO one of the scenarios or `*`, OP one of > >= < <=.
 * VALUE is absolute (sizes 10MB, 512KiB, a bare number is bytes; times 30s, 2m, 500ms, a bare
 * number is seconds; rates 90% or 0.9; counts), or signed, which compares with the baseline: `+20%`
 * is a change relative to the baseline's figure, `+5s` / `+10MB` / `+2` a difference in the
 * metric's unit (for cache-hit a signed value is in percentage points). Rules apply to each image
 * of the project (not --against's). A figure the run cannot give (a scenario not run, no baseline
 * for a signed rule, a null figure) fails nothing: its check says `unchecked` and why, so CI never
 * fails (or passes) on a guess.
 */
import { UserError } from '../errors.js';
import { humanBytes, parseSize } from '../image/thresholds.js';
import {
  SCENARIOS,
  type BenchResult,
  type BenchVerdict,
  type ScenarioName,
  type ScenarioResult,
  type ThresholdCheck,
} from './types.js';

export const METRICS = [
  'time',
  'deploy',
  'deploy.classic',
  'deploy.containerd',
  'deploy.gzip',
  'image',
  'context',
  'cache-hit',
  'steps',
  'layers',
] as const;
export type Metric = (typeof METRICS)[number];

type Op = '>' | '>=' | '<' | '<=';

/** One parsed `--fail-on` rule. */
export interface Threshold {
  /** As written (one comma-separated part of a --fail-on value). */
  rule: string;
  /** The scenario checked; `*` every scenario the run has (a bare metric is `*`). */
  scenario: ScenarioName | '*';
  metric: Metric;
  op: Op;
  /**
   * `absolute`: the figure itself against `limit`; `percent`: its change relative to the
   * baseline's figure (`limit` 0.2 for +20%); `delta`: its difference from the baseline's, in the
   * metric's unit (for cache-hit, a rate: 0.1 for 10 points).
   */
  kind: 'absolute' | 'percent' | 'delta';
  /** Bytes, seconds, a rate 0..1, or a count, as the metric is; for `percent` a fraction. */
  limit: number;
}

type Unit = 'bytes' | 'seconds' | 'rate' | 'count';

const UNIT: Record<Metric, Unit> = {
  time: 'seconds',
  deploy: 'bytes',
  'deploy.classic': 'bytes',
  'deploy.containerd': 'bytes',
  'deploy.gzip': 'bytes',
  image: 'bytes',
  context: 'bytes',
  'cache-hit': 'rate',
  steps: 'count',
  layers: 'count',
};

/** How each metric reads in a reason: `warm time`, `code-change deploy (containerd)`. */
const LABEL: Record<Metric, string> = {
  time: 'time',
  deploy: 'deploy',
  'deploy.classic': 'deploy (classic)',
  'deploy.containerd': 'deploy (containerd)',
  'deploy.gzip': 'deploy (gzip)',
  image: 'image',
  context: 'context',
  'cache-hit': 'cache hits',
  steps: 'steps run',
  layers: 'new layers',
};

const FORMS = `[SCENARIO.]METRIC>VALUE, SCENARIO one of ${SCENARIOS.join(', ')} or *, METRIC one of ${METRICS.join(', ')}`;
const PATTERN = new RegExp(`^(?:(${SCENARIOS.join('|')}|\\*)\\.)?([a-z][a-z.-]*?)\\s*(>=|<=|>|<)\\s*(\\S.*?)\\s*$`);

const TIME_UNITS: Record<string, number> = { '': 1, ms: 0.001, s: 1, sec: 1, m: 60, min: 60, h: 3600 };

function parseTime(v: string, what: string): number {
  const m = /^([\d.]+)\s*([a-z]*)$/i.exec(v);
  const unit = m?.[2].toLowerCase() ?? '';
  const n = m && unit in TIME_UNITS ? Number(m[1]) * TIME_UNITS[unit] : NaN;
  if (!Number.isFinite(n)) throw new UserError(`${what}: ${JSON.stringify(v)} is not a time (e.g. 30s, 2m, 500ms)`);
  return n;
}

function parseRate(v: string, what: string): number {
  const pct = v.endsWith('%');
  const n = Number(pct ? v.slice(0, -1).trim() : v);
  if (!/\d/.test(v) || !Number.isFinite(n) || n < 0 || (pct ? n > 100 : n > 1))
    throw new UserError(`${what}: ${JSON.stringify(v)} is not a rate (e.g. 90% or 0.9)`);
  return pct ? n / 100 : n;
}

function parseCount(v: string, what: string, metric: Metric): number {
  if (!/^\d+$/.test(v)) throw new UserError(`${what}: ${JSON.stringify(v)} is not a whole number of ${LABEL[metric]}`);
  return Number(v);
}

function parseValue(unit: Unit, v: string, what: string, metric: Metric): number {
  switch (unit) {
    case 'bytes':
      return parseSize(v, what);
    case 'seconds':
      return parseTime(v, what);
    case 'rate':
      return parseRate(v, what);
    case 'count':
      return parseCount(v, what, metric);
  }
}

/** Parses `--fail-on` values (each may hold several rules, comma-separated); a bad rule is a UserError naming it. */
export function parseFailOn(rules: string[]): Threshold[] {
  const out: Threshold[] = [];
  for (const raw of rules.flatMap((r) => r.split(','))) {
    const rule = raw.trim();
    if (!rule) continue;
    const what = `--fail-on ${JSON.stringify(rule)}`;
    const m = PATTERN.exec(rule);
    if (!m) throw new UserError(`${what}: expected ${FORMS}`);
    const [, scenario = '*', name, op, value] = m;
    if (!(METRICS as readonly string[]).includes(name)) {
      const head = name.split('.')[0];
      if (name.includes('.') && !(METRICS as readonly string[]).includes(head) && !/^deploy\./.test(name))
        throw new UserError(`${what}: unknown scenario ${head} (scenarios: ${SCENARIOS.join(', ')}, or * for all)`);
      throw new UserError(`${what}: unknown metric ${name} (metrics: ${METRICS.join(', ')})`);
    }
    const metric = name as Metric;
    const unit = UNIT[metric];
    let kind: Threshold['kind'] = 'absolute';
    let limit: number;
    const sign = value[0] === '+' || value[0] === '-' ? value[0] : '';
    if (!sign) limit = parseValue(unit, value, what, metric);
    else {
      const rest = value.slice(1).trim();
      const s = sign === '-' ? -1 : 1;
      if (rest.endsWith('%') && unit !== 'rate') {
        const n = Number(rest.slice(0, -1).trim());
        if (!/\d/.test(rest) || !Number.isFinite(n))
          throw new UserError(`${what}: ${JSON.stringify(value)} is not a percentage (e.g. +20%)`);
        kind = 'percent';
        limit = (s * n) / 100;
      } else {
        kind = 'delta';
        limit = s * parseValue(unit, rest, what, metric);
      }
    }
    out.push({ rule, scenario: scenario as Threshold['scenario'], metric, op: op as Op, kind, limit });
  }
  return out;
}

/**
 * Rules a run cannot check, said before it starts: a scenario not selected (`--scenarios`).
 * A UserError naming the rule, so a typo in CI does not pass silently after a long run.
 */
export function validateThresholds(t: Threshold[], scenarios: readonly ScenarioName[]): void {
  for (const x of t) {
    if (x.scenario !== '*' && !scenarios.includes(x.scenario))
      throw new UserError(
        `--fail-on ${JSON.stringify(x.rule)}: the run does not build ${x.scenario} (--scenarios ${scenarios.join(',')}); add it or drop the rule`,
      );
    // cold is measured against no image before it, so it never has a deploy figure to check.
    if (x.scenario === 'cold' && DEPLOY_METRICS.includes(x.metric))
      throw new UserError(
        `--fail-on ${JSON.stringify(x.rule)}: cold has no deploy figure (nothing is pulled before it); put the rule on a later scenario`,
      );
  }
}

/** The rules that compare with a baseline (signed values): they need `--baseline`. */
export function needsBaseline(t: Threshold[]): Threshold[] {
  return t.filter((x) => x.kind !== 'absolute');
}

/** The figure of a metric in a scenario; null when the run has none (the first scenario's deploy, unknown context bytes). */
export function metricValue(s: ScenarioResult, metric: Metric): number | null {
  switch (metric) {
    case 'time':
      return s.time.median_s;
    case 'deploy':
      return s.deploy ? Math.max(s.deploy.classic, s.deploy.containerd) : null;
    case 'deploy.classic':
      return s.deploy?.classic ?? null;
    case 'deploy.containerd':
      return s.deploy?.containerd ?? null;
    case 'deploy.gzip':
      return s.deploy ? Math.max(s.deploy.gzip.classic, s.deploy.gzip.containerd) : null;
    case 'image':
      return s.imageBytes;
    case 'context':
      return s.contextBytes;
    case 'cache-hit':
      return s.cacheHitRate;
    case 'steps':
      // FROM steps are left out as the cache hit rate leaves them out: a base is resolved on every build.
      return s.steps.filter((x) => !x.cached && !/^\[[^\]]*\] FROM /.test(x.name)).length;
    case 'layers':
      return s.deploy?.newLayers ?? null;
  }
}

/** A figure in the metric's unit: `41.2 s`, `287.4 MB`, `75%`, `3 steps`. */
export function formatMetric(metric: Metric, v: number): string {
  switch (UNIT[metric]) {
    case 'bytes':
      return humanBytes(Math.round(v));
    case 'seconds':
      return `${fmtNumber(v)} s`;
    case 'rate':
      return `${fmtNumber(v * 100)}%`;
    case 'count':
      return String(v);
  }
}

function fmtNumber(v: number): string {
  return String(Math.round(v * 10) / 10);
}

function signed(v: string, n: number): string {
  return n < 0 ? v : `+${v}`;
}

/** The limit as the rule states it, normalised: `1 MB`, `+20%`, `+5 s`, `90%`. */
function limitText(t: Threshold): string {
  if (t.kind === 'percent') return `${signed(fmtNumber(t.limit * 100), t.limit)}%`;
  if (t.kind === 'delta') {
    const text = formatMetric(t.metric, Math.abs(t.limit));
    return `${t.limit < 0 ? '-' : '+'}${UNIT[t.metric] === 'rate' ? text.replace('%', ' points') : text}`;
  }
  return formatMetric(t.metric, t.limit);
}

function crosses(op: Op, value: number, limit: number): boolean {
  return op === '>' ? value > limit : op === '>=' ? value >= limit : op === '<' ? value < limit : value <= limit;
}

const OP_WORDS: Record<Op, string> = { '>': 'over', '>=': 'at or over', '<': 'under', '<=': 'at or under' };

/** The images the rules apply to: the project's own (subject), in the order the run has them. */
function subjectImages(r: BenchResult): string[] {
  return [...new Set(r.scenarios.filter((s) => s.variant === 'subject').map((s) => s.image))];
}

const DEPLOY_METRICS: readonly Metric[] = ['deploy', 'deploy.classic', 'deploy.containerd', 'deploy.gzip', 'layers'];

/**
 * Scenarios a `*` rule skips: where the figure is absent by construction, not by accident: cold's
 * cache hits and deploy, and the deploy of a scenario that had no image before it (the first one
 * when no priming build gave it one).
 */
function skippedByDesign(t: Threshold, s: ScenarioResult): boolean {
  if (t.scenario !== '*') return false;
  if (t.metric === 'cache-hit' && s.name === 'cold') return true;
  return DEPLOY_METRICS.includes(t.metric) && (s.deploy === null || s.name === 'cold');
}

/**
 * Checks each rule on each image of the project and each scenario it names (every one for `*`),
 * against the baseline for signed rules. One check per rule, image and scenario; a rule nothing
 * in the run matches gives one unchecked check saying why.
 */
export function checkThresholds(t: Threshold[], r: BenchResult, baseline?: BenchResult): ThresholdCheck[] {
  const checks: ThresholdCheck[] = [];
  const images = subjectImages(r);
  const many = images.length > 1;
  for (const x of t) {
    let matched = false;
    for (const image of images) {
      const mine = r.scenarios.filter((s) => s.variant === 'subject' && s.image === image);
      for (const s of mine) {
        if (x.scenario !== '*' && s.name !== x.scenario) continue;
        if (skippedByDesign(x, s)) continue;
        matched = true;
        const label = `${many ? `${image}: ` : ''}${s.name} ${LABEL[x.metric]}`;
        checks.push(checkOne(x, s, label, baseline));
      }
    }
    if (!matched) {
      const why =
        x.scenario === '*'
          ? `no scenario of this run has ${LABEL[x.metric]} (scenarios run: ${r.options.scenarios.join(', ') || 'none'})`
          : `this run did not build ${x.scenario} (scenarios run: ${r.options.scenarios.join(', ') || 'none'})`;
      checks.push({ rule: x.rule, ok: true, unchecked: true, reason: `not checked: ${why}` });
    }
  }
  return checks;
}

function checkOne(x: Threshold, s: ScenarioResult, label: string, baseline?: BenchResult): ThresholdCheck {
  const unchecked = (why: string): ThresholdCheck => ({
    rule: x.rule,
    ok: true,
    unchecked: true,
    reason: `not checked: ${why}`,
  });
  const value = metricValue(s, x.metric);
  if (value === null) return unchecked(`${label} is unknown in this run`);
  const now = formatMetric(x.metric, value);
  if (x.kind === 'absolute') {
    const failed = crosses(x.op, value, x.limit);
    return {
      rule: x.rule,
      ok: !failed,
      reason: `${label} ${now} is ${failed ? '' : 'not '}${OP_WORDS[x.op]} ${limitText(x)}`,
    };
  }
  if (!baseline)
    return unchecked(`${label} ${now}; the rule compares with a baseline and none was given (--baseline REF|FILE)`);
  const b = baseline.scenarios.find((o) => o.name === s.name && o.image === s.image && o.variant === s.variant);
  if (!b) return unchecked(`the baseline (${baselineName(baseline)}) has no ${s.name} for ${s.image}`);
  const was = metricValue(b, x.metric);
  if (was === null) return unchecked(`${label} is unknown in the baseline (${baselineName(baseline)})`);
  const then = formatMetric(x.metric, was);
  let change: number;
  let changeText: string;
  if (x.kind === 'percent') {
    change = was === 0 ? (value === 0 ? 0 : Math.sign(value) * Infinity) : (value - was) / Math.abs(was);
    changeText = Number.isFinite(change) ? `${signed(fmtNumber(change * 100), change)}%` : 'up from nothing';
  } else {
    change = value - was;
    const text = formatMetric(x.metric, Math.abs(change));
    changeText = `${change < 0 ? '-' : '+'}${UNIT[x.metric] === 'rate' ? text.replace('%', ' points') : text}`;
  }
  const failed = crosses(x.op, change, x.limit);
  return {
    rule: x.rule,
    ok: !failed,
    reason: `${label} ${now} is ${changeText} on the baseline's ${then}, ${failed ? '' : 'not '}${OP_WORDS[x.op]} the limit ${limitText(x)}`,
  };
}

function baselineName(b: BenchResult): string {
  return b.environment.commit ? `commit ${b.environment.commit.slice(0, 12)}` : `run of ${b.startedAt}`;
}

/**
 * The run's verdict: the checks of every rule and, when a baseline was picked, which one
 * (`ref` as the user gave --baseline). `ok` is false when any check failed.
 */
export function benchVerdict(
  t: Threshold[],
  r: BenchResult,
  baseline?: { ref: string; result: BenchResult },
): BenchVerdict {
  const checks = checkThresholds(t, r, baseline?.result);
  return {
    ...(baseline
      ? {
          baseline: {
            ref: baseline.ref,
            startedAt: baseline.result.startedAt,
            commit: baseline.result.environment.commit,
          },
        }
      : {}),
    checks,
    ok: checks.every((k) => k.ok),
  };
}

/** One line per failed check, for standard error: `--fail-on warm.time>+20%: warm time 41.2 s is +35% ...`. */
export function failureLines(v: BenchVerdict): string[] {
  return v.checks.filter((k) => !k.ok).map((k) => `--fail-on ${k.rule}: ${k.reason}`);
}

/** One line per rule that could not be checked, for standard error: a CI log must not hide them. */
export function uncheckedLines(v: BenchVerdict): string[] {
  return v.checks.filter((k) => k.unchecked).map((k) => `--fail-on ${k.rule}: ${k.reason}`);
}
