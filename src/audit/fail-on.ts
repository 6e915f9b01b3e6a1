/**
 * `audit --fail-on`: limits on what a deploy costs, checked on every image's current Dockerfile.
 *
 *   code-change>1MB                  bytes a deploy pulls (the larger of the two stores)
 *   code-change.classic>1MB          on Docker's classic store; `.containerd` on containerd's
 *   dependency-change>100MB          also base-change, build-arg:NAME
 *   code-change.steps>1              steps that re-run; `.layers`: new layers of the final image
 *
 * Operators >, >=, <, <=; sizes as inspect and diff take them (10MB, 512KiB; a bare number is
 * bytes). Conditions are comma-separated or repeated. A figure that is unknown fails nothing:
 * it is reported as unchecked with the reason, so CI never fails (or passes) on a guess.
 */
import { UserError } from '../errors.js';
import { humanBytes, parseSize } from '../image/thresholds.js';
import type { AuditCheck, AuditResult, Scenario, ScenarioName } from './types.js';

export type Measure = AuditCheck['measure'];

export interface FailCondition {
  /** As written. */
  expr: string;
  scenario: ScenarioName;
  measure: Measure;
  op: '>' | '>=' | '<' | '<=';
  limit: number;
}

const SCENARIO = String.raw`code-change|dependency-change|base-change|build-arg:[A-Za-z_][A-Za-z0-9_]*`;
const PATTERN = new RegExp(`^(${SCENARIO})(?:\\.([a-z]+))?\\s*(>=|<=|>|<)\\s*(\\S.*)$`);
const MEASURES: Measure[] = ['classic', 'containerd', 'steps', 'layers'];
const FORMS =
  'SCENARIO[.classic|.containerd|.steps|.layers]>VALUE, SCENARIO one of code-change, dependency-change, base-change, build-arg:NAME';

/** Parses `--fail-on` values (each comma-separated); a bad one is a UserError saying what is wrong. */
export function parseFailOn(exprs: string[]): FailCondition[] {
  const out: FailCondition[] = [];
  for (const raw of exprs.flatMap((e) => e.split(','))) {
    const expr = raw.trim();
    if (!expr) continue;
    const m = PATTERN.exec(expr);
    if (!m) throw new UserError(`--fail-on ${JSON.stringify(expr)}: expected ${FORMS}`);
    const [, scenario, suffix, op, value] = m;
    if (suffix !== undefined && !MEASURES.includes(suffix as Measure))
      throw new UserError(
        `--fail-on ${JSON.stringify(expr)}: unknown measure .${suffix} (expected .classic, .containerd, .steps or .layers)`,
      );
    const measure = (suffix ?? 'bytes') as Measure;
    let limit: number;
    if (measure === 'steps' || measure === 'layers') {
      limit = Number(value.trim());
      if (!/^\d+$/.test(value.trim()))
        throw new UserError(`--fail-on ${JSON.stringify(expr)}: ${value.trim()} is not a whole number of ${measure}`);
    } else limit = parseSize(value, `--fail-on ${expr}`);
    out.push({ expr, scenario: scenario as ScenarioName, measure, op: op as FailCondition['op'], limit });
  }
  return out;
}

function valueOf(s: Scenario, measure: Measure): number | null {
  switch (measure) {
    case 'steps':
      return s.rerun.length;
    case 'layers':
      return s.newLayers;
    case 'classic':
      return s.bytes.classic;
    case 'containerd':
      return s.bytes.containerd;
    case 'bytes':
      return s.bytes.classic === null || s.bytes.containerd === null
        ? null
        : Math.max(s.bytes.classic, s.bytes.containerd);
  }
}

function exceeds(op: FailCondition['op'], value: number, limit: number): boolean {
  return op === '>' ? value > limit : op === '>=' ? value >= limit : op === '<' ? value < limit : value <= limit;
}

/**
 * Checks every condition on every image that has its scenario. A build-arg scenario no image has
 * is a UserError (a misspelt arg would otherwise pass silently).
 */
export function checkFailOn(conds: FailCondition[], result: AuditResult): AuditCheck[] {
  const checks: AuditCheck[] = [];
  for (const c of conds) {
    let seen = false;
    for (const image of result.images) {
      const s = image.scenarios.find((x) => x.name === c.scenario);
      if (!s) continue;
      seen = true;
      const value = valueOf(s, c.measure);
      checks.push({
        condition: c.expr,
        image: image.name,
        scenario: c.scenario,
        measure: c.measure,
        value,
        basis: s.basis,
        failed: value !== null && exceeds(c.op, value, c.limit),
      });
    }
    if (!seen && c.scenario.startsWith('build-arg:') && result.images.length) {
      const args = [...new Set(result.images.flatMap((i) => Object.keys(i.args)))];
      throw new UserError(
        `--fail-on ${c.expr}: no audited image passes the build arg ${c.scenario.slice(10)} (${args.length ? `they pass ${args.join(', ')}` : 'they pass none'})`,
      );
    }
  }
  return checks;
}

/** The figure of a check in words: `111.7 MB (estimated)`, `3 steps`, `unknown`. */
export function checkValue(c: AuditCheck): string {
  if (c.value === null) return 'unknown';
  if (c.measure === 'steps' || c.measure === 'layers')
    return `${c.value} ${c.measure === 'steps' ? 'step' : 'layer'}${c.value === 1 ? '' : 's'}`;
  return `${humanBytes(c.value)} (${c.basis})`;
}

/**
 * One line per failed or unchecked condition, for standard error:
 * `--fail-on code-change>1MB: Dockerfile: 287.4 MB (estimated)`.
 */
export function checkLines(checks: AuditCheck[], result: AuditResult): string[] {
  const lines: string[] = [];
  for (const c of checks) {
    if (c.failed) lines.push(`--fail-on ${c.condition}: ${c.image}: ${checkValue(c)}`);
    else if (c.value === null) {
      const s = result.images.find((i) => i.name === c.image)?.scenarios.find((x) => x.name === c.scenario);
      const why = s?.rests.find((r) => r.startsWith('unknown')) ?? s?.rests[0];
      lines.push(`--fail-on ${c.condition}: ${c.image}: not checked, the figure is unknown${why ? ` (${why})` : ''}`);
    }
  }
  return lines;
}
