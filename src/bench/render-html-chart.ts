/**
 * The bench page's line charts: one figure (median time, deploy bytes) per scenario over the runs
 * of the history, as inline SVG. Every point carries its figure in `data-value` and its run in
 * `data-run`, so a test (or a reader with devtools) can check a point against the history line it
 * came from; the y position is linear in the value from 0, so lines compare as they are.
 */
import { type Html, h, raw } from '../image/report/html-kit.js';
import { SCENARIOS, type ScenarioName } from './types.js';

/** One point of a series: the run's index on the x axis and its figure (null: not measured). */
export interface SeriesPoint {
  run: number;
  value: number | null;
  /** Tooltip text. */
  tip: string;
}

export interface Series {
  scenario: ScenarioName;
  variant: 'subject' | 'against';
  points: SeriesPoint[];
}

export interface ChartSpec {
  /** `time` or `deploy`: the chart's class, for tests and CSS. */
  metric: string;
  /** Accessible name. */
  label: string;
  /** x axis labels, one per run (oldest first): a first line (the commit) and a second (when). */
  runs: [string, string][];
  series: Series[];
  /** Axis figures in words (seconds, bytes). */
  format: (v: number) => string;
  /** The smallest top of the y axis (so tiny figures do not fill the chart). */
  minTop: number;
}

/** Colours per scenario: the same in every chart and legend. */
export const SCENARIO_CSS = `
svg.history{display:block;width:100%;max-width:1000px;height:auto;font:12px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
svg.history text{fill:var(--muted)}svg.history line.grid{stroke:var(--border)}svg.history line.axis{stroke:var(--muted)}
svg.history rect.now{fill:var(--soft)}
svg.history path.series{fill:none;stroke-width:2}svg.history path.series.against{stroke-dasharray:6 4}
svg.history circle.pt{stroke-width:2}svg.history circle.pt.against{fill:var(--card)}
${SCENARIOS.map((s, i) => `.sc-${s}{stroke:var(--sc${i});fill:var(--sc${i})}i.sc-${s}{background:var(--sc${i})}`).join('\n')}
:root{--sc0:#2f6fdf;--sc1:#1e8a4c;--sc2:#b86e00;--sc3:#8e44ad;--sc4:#c8323c}
@media (prefers-color-scheme:dark){:root{--sc0:#6ea0ff;--sc1:#4cc38a;--sc2:#f0a93b;--sc3:#c58af0;--sc4:#ff6b73}}
.legend i.dash{background:none;border-top:2px dashed var(--muted);border-radius:0;height:0;vertical-align:3px}
`;

const W = 1000;
const H = 280;
const LEFT = 78;
const RIGHT = 48;
const TOP = 12;
const BOTTOM = 46;

/** A round top for the y axis: 1, 2 or 5 times a power of ten, at least `v`. */
export function niceTop(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** x of run i of n, in the plot. */
export function xOf(i: number, n: number): number {
  const span = W - LEFT - RIGHT;
  return n <= 1 ? LEFT + span / 2 : LEFT + (i / (n - 1)) * span;
}

/** y of a value on a 0..top axis. */
export function yOf(v: number, top: number): number {
  return TOP + (1 - v / top) * (H - TOP - BOTTOM);
}

/** The chart as SVG plus its legend; a chart with no figure at all says so instead. */
export function historyChart(spec: ChartSpec): Html {
  const values = spec.series.flatMap((s) => s.points.map((p) => p.value)).filter((v): v is number => v !== null);
  if (!values.length) return h`<p class="empty">No ${spec.label} measured in these runs.</p>`;
  const top = niceTop(Math.max(spec.minTop, ...values));
  const n = spec.runs.length;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * top);
  const grid = ticks.map(
    (t) =>
      h`<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${yOf(t, top).toFixed(1)}" y2="${yOf(t, top).toFixed(1)}"></line><text x="${LEFT - 8}" y="${(yOf(t, top) + 4).toFixed(1)}" text-anchor="end">${spec.format(t)}</text>`,
  );
  // Label at most ~12 runs so the labels never overlap; the newest is always labelled.
  const every = Math.max(1, Math.ceil(n / 12));
  const xLabels = spec.runs.map(([first, second], i) => {
    if (i % every !== 0 && i !== n - 1) return '';
    const x = xOf(i, n).toFixed(1);
    return h`<text class="run" x="${x}" y="${H - BOTTOM + 16}" text-anchor="middle"><tspan>${first}</tspan><tspan class="when" x="${x}" dy="14">${second}</tspan></text>`;
  });
  const band = raw(
    `<rect class="now" x="${(xOf(n - 1, n) - 12).toFixed(1)}" y="${TOP}" width="24" height="${H - TOP - BOTTOM}"></rect>`,
  );
  const series = spec.series.map((s) => {
    const cls = `sc-${s.scenario} ${s.variant}`;
    // A missing figure breaks the line rather than drawing it through zero.
    let d = '';
    let pen = false;
    for (const p of s.points) {
      if (p.value === null) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${xOf(p.run, n).toFixed(1)} ${yOf(p.value, top).toFixed(1)}`;
      pen = true;
    }
    const dots = s.points
      .filter((p) => p.value !== null)
      .map(
        (p) =>
          h`<circle class="pt ${cls}" data-scenario="${s.scenario}" data-variant="${s.variant}" data-run="${p.run}" data-value="${p.value as number}" cx="${xOf(p.run, n).toFixed(1)}" cy="${yOf(p.value as number, top).toFixed(1)}" r="4" data-tip="${p.tip}"></circle>`,
      );
    return h`<g class="series" data-scenario="${s.scenario}" data-variant="${s.variant}"><path class="series ${cls}" d="${d}"></path>${dots}</g>`;
  });
  const scenarios = SCENARIOS.filter((sc) => spec.series.some((s) => s.scenario === sc));
  const hasAgainst = spec.series.some((s) => s.variant === 'against');
  const legend = h`<div class="legend">${scenarios.map((sc) => h`<span><i class="sc-${sc}"></i>${sc}</span>`)}${hasAgainst ? h`<span><i class="dash"></i>--against (dashed, hollow)</span>` : ''}<span>shaded: this run</span></div>`;
  return h`${legend}<svg class="history ${spec.metric}" data-top="${top}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${spec.label} per run">${band}${grid}<line class="axis" x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${H - BOTTOM}"></line>${xLabels}${series}</svg>`;
}
