/**
 * `bench --summary`: the run as GitHub step summary markdown (GitHub renders `$GITHUB_STEP_SUMMARY`
 * on the workflow run's page): the verdict first, a table per image with each scenario's figures
 * and, with a baseline, their change against it, the --against ratios, then the facts of the run.
 */
import { humanBytes } from '../image/thresholds.js';
import { benchImages, environmentLine, fmtRate, fmtRatio, fmtSeconds, imageTitle } from './render-text.js';
import type { BenchResult, ScenarioResult } from './types.js';

/** Text made safe for a markdown table cell: pipes escaped, no line breaks, no HTML. */
export function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\s*\n\s*/g, ' ');
}

/** `code` in backticks, safe whatever it holds. */
function code(text: string): string {
  const t = text.replace(/\s*\n\s*/g, ' ');
  const ticks = '`'.repeat(Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return `${ticks}${t.startsWith('`') || t.endsWith('`') ? ` ${t} ` : t}${ticks}`;
}

/** The change of a figure against the baseline's: `+35%`, `-1.2 MB`; empty when either is unknown. */
function change(now: number | null | undefined, was: number | null | undefined, kind: 'time' | 'bytes'): string {
  if (now === null || now === undefined || was === null || was === undefined) return '';
  if (kind === 'time') {
    if (was === 0) return now === 0 ? '±0%' : '';
    const p = Math.round(((now - was) / was) * 100);
    return p === 0 ? '±0%' : `${p > 0 ? '+' : ''}${p}%`;
  }
  const d = now - was;
  return d === 0 ? '±0' : `${d > 0 ? '+' : '-'}${humanBytes(Math.abs(d))}`;
}

function table(g: { scenarios: ScenarioResult[] }, baseline: BenchResult | undefined, variant: string): string[] {
  const base = (s: ScenarioResult) =>
    baseline?.scenarios.find((b) => b.name === s.name && b.image === s.image && b.variant === variant);
  const withBase = !!baseline;
  const head = [
    'scenario',
    'time',
    ...(withBase ? ['vs baseline'] : []),
    'cache hits',
    'image',
    'deploy (containerd)',
    ...(withBase ? ['vs baseline'] : []),
    'deploy (classic)',
  ];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? ' --: ' : ' --- ')).join('|')}|`];
  for (const s of g.scenarios) {
    const b = base(s);
    const row = [
      cell(s.name),
      fmtSeconds(s.time.median_s),
      ...(withBase ? [b ? change(s.time.median_s, b.time.median_s, 'time') : 'not in baseline'] : []),
      fmtRate(s.cacheHitRate),
      humanBytes(s.imageBytes),
      s.deploy ? humanBytes(s.deploy.containerd) : '—',
      ...(withBase ? [b ? change(s.deploy?.containerd, b.deploy?.containerd, 'bytes') : ''] : []),
      s.deploy ? humanBytes(s.deploy.classic) : '—',
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines;
}

/** GitHub step summary markdown for a bench run (ends with a newline). */
export function renderBenchSummary(r: BenchResult, baseline?: BenchResult): string {
  const out: string[] = [];
  const v = r.verdict;
  const failed = v?.checks.filter((k) => !k.ok) ?? [];
  const title = !v?.checks.length
    ? 'layerwise bench'
    : failed.length
      ? `layerwise bench: ❌ ${failed.length} of ${v.checks.length} checks failed`
      : `layerwise bench: ✅ all ${v.checks.length} checks passed`;
  out.push(`## ${title}`, '');
  const runs = r.options.repeat > 1 ? `medians of ${r.options.repeat} runs` : 'one run per scenario';
  const b = baseline ?? undefined;
  const against = b
    ? `, against ${v?.baseline?.ref ? `${code(v.baseline.ref)} ` : ''}(${b.environment.commit ? `commit ${code(b.environment.commit.slice(0, 12))}, ` : ''}run ${b.startedAt})`
    : '';
  out.push(`${code(r.project)}, ${runs}${against}.`, '');
  if (v?.checks.length) {
    for (const k of v.checks)
      out.push(`- ${k.unchecked ? '⚪' : k.ok ? '✅' : '❌'} ${code(k.rule)}: ${cell(k.reason)}`);
    out.push('');
  }
  for (const g of benchImages(r)) {
    out.push(`### ${cell(imageTitle(r, g))}`, '', ...table(g, b, g.variant), '');
    const said = g.scenarios.filter((s) => s.change && s.name !== 'cold' && s.name !== 'warm');
    if (said.length) out.push(said.map((s) => `${cell(s.name)}: ${cell(s.change)}`).join(' · '), '');
  }
  if (r.ratios?.length) {
    out.push(
      `### --against ${cell(r.options.against ?? '')} / this project`,
      '',
      '| scenario | image | time | deploy (gzip) |',
      '| --- | --- | --: | --: |',
    );
    for (const x of r.ratios)
      out.push(`| ${cell(x.scenario)} | ${cell(x.image)} | ${fmtRatio(x.time)} | ${fmtRatio(x.deploy)} |`);
    out.push('');
  }
  out.push(
    '<details><summary>Run facts</summary>',
    '',
    cell(environmentLine(r)),
    '',
    "Deploy: bytes a host holding the scenario before's image pulls (uncompressed, as `layerwise diff` counts them); classic = Docker's classic store, containerd = only new layers.",
    '',
    '</details>',
  );
  return `${out.join('\n')}\n`;
}
