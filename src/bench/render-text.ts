/**
 * The terminal report of `layerwise bench`: per image a table of the scenarios (median time and
 * its spread, cache hits, image size, context sent, deploy bytes on both stores), the steps that
 * ran longest, --against's table and the ratios, then the verdict of --fail-on and the facts of
 * the run.
 */
import pc from 'picocolors';
import { columns, wrap } from '../audit/render-text.js';
import { humanBytes } from '../image/thresholds.js';
import type { BenchResult, ScenarioResult, ThresholdCheck } from './types.js';

type Colors = ReturnType<typeof pc.createColors>;

const WIDTH = 100;

/** Seconds as a report shows them: `0.4 s`, `41.2 s`, `2m 03s`. */
export function fmtSeconds(s: number): string {
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m}m ${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

/** A rate 0..1 as a whole percentage; `—` when unknown. */
export function fmtRate(r: number | null): string {
  return r === null ? '—' : `${Math.round(r * 100)}%`;
}

/** A ratio of two figures: `0.42×`; `—` when unknown. */
export function fmtRatio(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '—';
  // A small ratio keeps two significant digits (a deploy 3000 times smaller is not 0.00×).
  return `${r >= 0.1 || r === 0 ? r.toFixed(2) : String(Number(r.toPrecision(2)))}×`;
}

/** The images of a run with their variant, in the order the run has them: subject images first. */
export function benchImages(
  r: BenchResult,
): { image: string; variant: 'subject' | 'against'; scenarios: ScenarioResult[] }[] {
  const out: { image: string; variant: 'subject' | 'against'; scenarios: ScenarioResult[] }[] = [];
  for (const variant of ['subject', 'against'] as const)
    for (const s of r.scenarios.filter((x) => x.variant === variant)) {
      let g = out.find((o) => o.image === s.image && o.variant === variant);
      if (!g) out.push((g = { image: s.image, variant, scenarios: [] }));
      g.scenarios.push(s);
    }
  return out;
}

/** The title of an image's table: its name, and for --against what it is. */
export function imageTitle(r: BenchResult, g: { image: string; variant: 'subject' | 'against' }): string {
  return g.variant === 'against' ? `${g.image}, --against ${r.options.against ?? ''}`.trimEnd() : g.image;
}

function cacheCell(s: ScenarioResult): string {
  // Counted as the rate is (measure.ts's cacheHitRate): FROM steps are not cache hits or misses.
  const counted = s.steps.filter((x) => !/^\[[^\]]*\] FROM /.test(x.name));
  if (s.cacheHitRate === null || !counted.length) return '—';
  const cached = counted.filter((x) => x.cached).length;
  return `${cached}/${counted.length} ${fmtRate(s.cacheHitRate)}`;
}

function scenarioTable(scenarios: ScenarioResult[], repeat: number, c: Colors): string[] {
  const spread = repeat > 1;
  const head = [
    '  scenario',
    'time',
    ...(spread ? ['min–max'] : []),
    'cache hits',
    'image',
    'context',
    'classic',
    'containerd',
    'gzip',
  ];
  const rows: string[][] = [head];
  for (const s of scenarios) {
    const d = s.deploy;
    rows.push([
      `  ${s.name}`,
      fmtSeconds(s.time.median_s),
      ...(spread ? [`${s.time.min_s.toFixed(1)}–${s.time.max_s.toFixed(1)}`] : []),
      cacheCell(s),
      humanBytes(s.imageBytes),
      s.contextBytes === null ? '—' : humanBytes(s.contextBytes),
      d ? humanBytes(d.classic) : '—',
      d ? humanBytes(d.containerd) : '—',
      d ? humanBytes(d.gzip.containerd) : '—',
    ]);
  }
  const align = head.map((_, i) => (i === 0 ? 'l' : 'r')) as ('l' | 'r')[];
  const gap = head.map((_, i) => (i === 0 ? 0 : i === head.length - 3 ? 4 : 2));
  const lines = columns(rows, align, gap);
  const header = lines[0];
  const at = header.indexOf('classic');
  return [c.bold(`${' '.repeat(at)}deploy (pulled after the scenario before)`), c.dim(header), ...lines.slice(1)];
}

/** The steps that ran longest in each scenario (cached steps take no time; under 0.1 s is noise), at most `top`. */
function slowSteps(scenarios: ScenarioResult[], top: number, c: Colors): string[] {
  const rows: string[][] = [];
  for (const s of scenarios) {
    const ran = s.steps.filter((x) => !x.cached && x.seconds >= 0.1).sort((a, b) => b.seconds - a.seconds);
    for (const x of ran.slice(0, top)) rows.push([`    ${s.name}`, fmtSeconds(x.seconds), x.name]);
  }
  if (!rows.length) return [];
  return [c.dim('  longest steps that ran'), ...columns(rows, ['l', 'r', 'l'], [0, 2, 2]).map((l) => cut(l, WIDTH))];
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function changes(scenarios: ScenarioResult[], c: Colors): string[] {
  const said = scenarios.filter((s) => s.change && s.name !== 'cold' && s.name !== 'warm');
  if (!said.length) return [];
  return wrap(`(${said.map((s) => `${s.name}: ${s.change}`).join(' · ')})`, WIDTH, '   ', '  ').map((l) => c.dim(l));
}

function stagesText(scenarios: ScenarioResult[], c: Colors): string[] {
  const withStages = scenarios.filter((s) => s.stages?.length);
  if (!withStages.length) return [];
  // Stage sizes hardly move between scenarios: the last scenario's say what the stages weigh now.
  const s = withStages[withStages.length - 1];
  const text = s.stages!.map((x) => `${x.name} ${humanBytes(x.bytes)}`).join(' · ');
  return wrap(`stages (${s.name}): ${text}`, WIDTH, '    ', '  ').map((l) => c.dim(l));
}

function ratiosText(r: BenchResult, c: Colors): string[] {
  if (!r.ratios?.length) return [];
  const rows: string[][] = [['  scenario', 'image', 'time', 'deploy (gzip)']];
  for (const x of r.ratios) rows.push([`  ${x.scenario}`, x.image, fmtRatio(x.time), fmtRatio(x.deploy)]);
  const lines = columns(rows, ['l', 'l', 'r', 'r'], [0, 2, 2, 2]);
  return [
    c.bold(`--against ${r.options.against ?? ''} / this project (below 1: --against is faster or pulls less)`),
    c.dim(lines[0]),
    ...lines.slice(1),
  ];
}

/** One line per check: `FAIL  warm.time>+20%  warm time 41.2 s is +35% ...`. */
export function checkLine(k: ThresholdCheck, c: Colors): string {
  const mark = k.unchecked ? c.yellow('??  ') : k.ok ? c.green('ok  ') : c.red('FAIL');
  return `${mark}  ${k.rule}  ${c.dim(k.reason)}`;
}

function verdictText(r: BenchResult, c: Colors): string[] {
  const v = r.verdict;
  if (!v) return [];
  const out: string[] = [];
  if (v.baseline)
    out.push(
      `baseline: ${v.baseline.ref}${v.baseline.commit ? ` (commit ${v.baseline.commit.slice(0, 12)})` : ''}, run ${v.baseline.startedAt}`,
    );
  for (const k of v.checks) out.push(checkLine(k, c));
  const failed = v.checks.filter((k) => !k.ok).length;
  if (v.checks.length)
    out.push(
      failed ? c.red(`${failed} of ${v.checks.length} checks failed`) : c.green(`all ${v.checks.length} checks passed`),
    );
  return out;
}

/** The facts of the run in one line: commit, engine, builder, machine. */
export function environmentLine(r: BenchResult): string {
  const e = r.environment;
  const commit = e.commit ? `commit ${e.commit.slice(0, 12)}${e.dirty ? ' (with changes)' : ''}` : 'no git commit';
  const engine = e.engine.version
    ? `docker ${e.engine.version}${e.engine.storage ? ` (${e.engine.storage} store)` : ''} at ${e.engine.host}`
    : `engine at ${e.engine.host} (version unknown)`;
  const builder = `${e.builder.client} ${e.builder.name}${e.builder.version ? ` ${e.builder.version}` : ''}`;
  const m = e.machine;
  return `${commit} · ${engine} · ${builder} · ${m.os} ${m.arch}, ${m.cpus} CPUs, ${humanBytes(m.memoryBytes)} · node ${m.node}`;
}

/** Renders a bench run as text (ends with a newline). */
export function renderBenchText(r: BenchResult, opts: { color: boolean }): string {
  const c = pc.createColors(opts.color);
  const runs = r.options.repeat > 1 ? `medians of ${r.options.repeat} runs` : 'one run each';
  const out: string[] = [`${c.bold('layerwise bench')} ${r.project} ${c.dim(`(${runs}, started ${r.startedAt})`)}`];
  for (const g of benchImages(r)) {
    out.push(
      '',
      c.bold(imageTitle(r, g)),
      ...scenarioTable(g.scenarios, r.options.repeat, c),
      ...changes(g.scenarios, c),
    );
    out.push(...stagesText(g.scenarios, c), ...slowSteps(g.scenarios, 3, c));
  }
  const ratios = ratiosText(r, c);
  if (ratios.length) out.push('', ...ratios);
  const verdict = verdictText(r, c);
  if (verdict.length) out.push('', ...verdict);
  out.push('');
  const note =
    "deploy: bytes a host holding the scenario before's image pulls, as `layerwise diff` counts them (uncompressed); classic = Docker's classic store (every layer above the first new one), containerd = only new layers; gzip = containerd's, compressed as a registry transfers them.";
  out.push(...wrap(note, WIDTH, '').map((l) => c.dim(l)));
  out.push(...wrap(environmentLine(r), WIDTH, '  ', '').map((l) => c.dim(l)));
  return `${out.join('\n')}\n`;
}
