/**
 * Lint findings ranked by what they cost per deploy. A cache finding costs the bytes a code
 * change re-ships because of it: the layers at and after its line that the code change makes
 * new, the code's own layer excepted (that one ships with any layout). Other findings have no
 * per-deploy byte cost; they follow, size findings first, then by severity.
 */
import { relative } from 'node:path';
import { severityRank, type Finding } from '../rules/types.js';
import type { RankedFinding, Scenario } from './types.js';

/** Ranks `findings` of the Dockerfile at `dockerfile` (absolute) against its scenarios; highest cost first. */
export function rankFindings(
  findings: Finding[],
  scenarios: Scenario[],
  root: string,
  dockerfile: string,
): RankedFinding[] {
  const code = scenarios.find((s) => s.name === 'code-change');
  const ranked = findings.map((f): RankedFinding => {
    const base = {
      rule: f.rule,
      name: f.name,
      category: f.category,
      severity: f.severity,
      file: relative(root, dockerfile).split('\\').join('/') || dockerfile,
      line: f.line,
      column: f.column,
      message: f.message,
      fix: f.fix?.description,
      fixable: f.fixable,
    };
    return { ...base, cost: costOf(f, code) };
  });
  return ranked.sort(
    (a, b) =>
      tier(a) - tier(b) ||
      (b.cost.bytesPerDeploy ?? -1) - (a.cost.bytesPerDeploy ?? -1) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      a.line - b.line,
  );
}

/**
 * Known bytes per deploy first; then findings that make a code change re-ship layers of unknown
 * size (often the costliest: an install re-run); then what only adds to the image size; then
 * the rest. Within a tier: bytes, then severity, then line.
 */
function tier(f: RankedFinding): number {
  if (f.cost.bytesPerDeploy !== null) return 0;
  if (f.cost.scenario && f.cost.why.includes('re-runs')) return 1;
  if (f.category === 'size') return 2;
  return 3;
}

function costOf(f: Finding, code: Scenario | undefined): RankedFinding['cost'] {
  if (f.category !== 'cache' || !code)
    return {
      bytesPerDeploy: null,
      why:
        f.category === 'size' ? 'adds to the image size, not to what a code change ships' : 'no byte cost per deploy',
    };
  const changed = code.layers.filter((l) => l.changed && l.line !== null && l.line >= f.line);
  // The first changed layer is the code itself when it is a COPY: every layout ships that.
  const extra = changed.filter((l, i) => !(i === 0 && /^(COPY|ADD) /.test(l.instruction) && l.line === f.line));
  if (!extra.length)
    return { bytesPerDeploy: null, scenario: 'code-change', why: 'a code change re-ships nothing more because of it' };
  const unknown = extra.some((l) => l.bytes === null);
  const bytes = unknown ? null : extra.reduce((a, l) => a + (l.bytes ?? 0), 0);
  const lines = extra.map((l) => l.line).join(', ');
  return {
    bytesPerDeploy: bytes,
    scenario: 'code-change',
    why: unknown
      ? `a code change re-runs line${extra.length === 1 ? '' : 's'} ${lines} (size unknown)`
      : `a code change re-runs line${extra.length === 1 ? '' : 's'} ${lines} and re-ships their layers`,
  };
}
