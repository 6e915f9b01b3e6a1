/**
 * `layerwise bench --format html`: one self-contained page (the shell, CSP and components of the
 * other reports: inline CSS, one script allowed by hash, no network) with, per image, line charts
 * of each scenario's median time and deploy bytes over the history, this run's figures and
 * steps, and --against side by side; then the --fail-on verdict, the environment and the runs the
 * charts draw. Every text from the project or the history (names, steps, changes) is escaped.
 */
import { badge, bytes, cards, type Html, h, page, pct, raw, section, table } from '../image/report/html-kit.js';
import { historyChart, SCENARIO_CSS, type Series } from './render-html-chart.js';
import { type BenchResult, type BenchStep, SCENARIOS, type ScenarioResult } from './types.js';

/** At most this many runs on the charts (the newest). */
const MAX_RUNS = 40;

const PAGE_CSS = `
h3.image-meta{font-size:13px;font-weight:400;color:var(--muted);margin:-6px 0 14px;word-break:break-all}
details.steps{border:1px solid var(--border);border-radius:8px;margin:0 0 8px}
details.steps>summary{padding:8px 12px;display:flex;gap:10px;align-items:center}
details.steps[open]>summary{border-bottom:1px solid var(--border);background:var(--soft)}
details.steps>summary .what{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
details.steps>.body{padding:10px 14px}
tr.against td{color:var(--muted)}
`;

/** Seconds in words: `0.42 s`, `12.3 s`, `2 min 05 s`. */
export function secs(s: number): string {
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
}

/**
 * The runs the charts draw, oldest first: the history before the current run (which may already
 * be in it: bench appends before rendering; a later run would misplace it), then the current run,
 * at most MAX_RUNS of them.
 */
export function chartRuns(r: BenchResult, history: BenchResult[]): BenchResult[] {
  const past = history
    .filter((x) => x.schema === r.schema && x.startedAt < r.startedAt)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return [...past, r].slice(-MAX_RUNS);
}

/** A run's name on the x axis: its commit (`*` when the tree had changes), else its start time. */
export function runLabel(x: BenchResult): string {
  const c = x.environment.commit;
  return c ? `${c.slice(0, 7)}${x.environment.dirty ? '*' : ''}` : x.startedAt.slice(5, 16).replace('T', ' ');
}

/** The two lines under a run on the x axis: its name, and when it ran (two runs of one commit differ there). */
const axisLabel = (x: BenchResult): [string, string] => [runLabel(x), x.startedAt.slice(5, 16).replace('T', ' ')];

const find = (x: BenchResult, image: string, variant: string, name: string): ScenarioResult | undefined =>
  x.scenarios.find((s) => s.image === image && s.variant === variant && s.name === name);

/** The series of one figure for one image: per variant and scenario, one point per run. */
export function seriesOf(
  runs: BenchResult[],
  image: string,
  value: (s: ScenarioResult) => number | null,
  tip: (s: ScenarioResult, v: number) => string,
): Series[] {
  const out: Series[] = [];
  for (const variant of ['subject', 'against'] as const)
    for (const scenario of SCENARIOS) {
      const points = runs.map((x, run) => {
        const s = find(x, image, variant, scenario);
        const v = s ? value(s) : null;
        return {
          run,
          value: v,
          tip: s && v !== null ? `${runLabel(x)} ${x.startedAt}\n${scenario} (${variant}): ${tip(s, v)}` : '',
        };
      });
      if (points.some((p) => p.value !== null)) out.push({ scenario, variant, points });
    }
  return out;
}

/** Renders the run, with charts over the history, as one HTML page. */
export function renderBenchHtml(r: BenchResult, history: BenchResult[]): string {
  const images = [...new Set(r.scenarios.map((s) => s.image))];
  const runs = chartRuns(r, history);
  const id = (i: number) => `image-${i + 1}`;
  return page({
    title: `layerwise bench ${r.project}`,
    heading: h`Bench of ${r.project}`,
    meta: [
      r.startedAt,
      r.environment.commit ? `commit ${r.environment.commit.slice(0, 12)}${r.environment.dirty ? ' (dirty)' : ''}` : '',
      `${r.options.repeat} run${r.options.repeat === 1 ? '' : 's'} per scenario`,
      `${runs.length} run${runs.length === 1 ? '' : 's'} in the charts`,
      `layerwise ${r.tool.version}`,
    ].filter(Boolean),
    nav: [
      ...images.map((name, i): [string, string] => [id(i), name]),
      ...(r.verdict ? ([['verdict', 'Verdict']] as [string, string][]) : []),
      ['environment', 'Environment'],
      ['history', 'Runs'],
    ],
    body: [
      raw(`<style>${PAGE_CSS}${SCENARIO_CSS}</style>`),
      summaryCards(r),
      images.map((name, i) => imageSection(r, runs, name, id(i))),
      verdictSection(r),
      environmentSection(r),
      historySection(runs),
    ],
  });
}

/** The project's own images' headline figures (per image when there are several), then the verdict. */
function summaryCards(r: BenchResult): Html {
  const images = [...new Set(r.scenarios.filter((s) => s.variant === 'subject').map((s) => s.image))];
  const items = images.flatMap((image) => {
    const pick = (name: string) => find(r, image, 'subject', name);
    const who = images.length > 1 ? `${image}: ` : '';
    const out: { label: string; value: string; sub?: string; tone?: 'info' | 'good' | 'bad' }[] = [];
    const warm = pick('warm');
    if (warm) out.push({ label: `${who}warm build`, value: secs(warm.time.median_s), tone: 'info' });
    const code = pick('code-change');
    if (code) {
      out.push({ label: `${who}code change build`, value: secs(code.time.median_s), tone: 'info' });
      if (code.deploy)
        out.push({
          label: `${who}code change deploy`,
          value: bytes(code.deploy.gzip.containerd),
          sub: 'gzip, containerd store',
          tone: 'info',
        });
    }
    const cold = pick('cold');
    if (cold) out.push({ label: `${who}cold build`, value: secs(cold.time.median_s) });
    return out;
  });
  if (r.verdict)
    items.push({
      label: 'verdict',
      value: r.verdict.ok ? 'ok' : 'regression',
      sub: `${r.verdict.checks.filter((c) => !c.ok).length} of ${r.verdict.checks.length} checks failed`,
      tone: r.verdict.ok ? ('good' as const) : ('bad' as const),
    });
  return cards(items);
}

const deployText = (s: ScenarioResult): Html =>
  s.deploy ? h`${bytes(s.deploy.gzip.containerd)} <span class="muted">(${bytes(s.deploy.containerd)} tar)</span>` : '—';

function runTable(r: BenchResult, image: string): Html {
  const rows = SCENARIOS.flatMap((name) =>
    (['subject', 'against'] as const).flatMap((variant) => {
      const s = r.scenarios.find((x) => x.image === image && x.variant === variant && x.name === name);
      if (!s) return [];
      const ratio = variant === 'against' ? r.ratios?.find((x) => x.scenario === name && x.image === image) : undefined;
      const row: Array<Html | [number, Html]> = [
        name,
        variant === 'against' ? badge('against', 'muted') : badge('subject', 'info'),
        s.change,
        [s.time.median_s, secs(s.time.median_s)],
        [s.time.max_s - s.time.min_s, s.runs > 1 ? `${secs(s.time.min_s)} – ${secs(s.time.max_s)}` : '—'],
        [s.cacheHitRate ?? -1, s.cacheHitRate === null ? '—' : pct(s.cacheHitRate)],
        [s.imageBytes, bytes(s.imageBytes)],
        [s.deploy?.gzip.containerd ?? -1, deployText(s)],
        [s.deploy?.classic ?? -1, s.deploy ? bytes(s.deploy.classic) : '—'],
        [s.contextBytes ?? -1, s.contextBytes === null ? '—' : bytes(s.contextBytes)],
      ];
      if (r.ratios)
        row.push(
          ratio
            ? [
                ratio.time ?? -1,
                `${ratio.time === null ? '—' : `${ratio.time.toFixed(2)}×`} / ${ratio.deploy === null ? '—' : `${ratio.deploy.toFixed(2)}×`}`,
              ]
            : '',
        );
      return [row];
    }),
  );
  return table(
    [
      { title: 'Scenario' },
      { title: 'Image' },
      { title: 'Change' },
      { title: 'Time (median)', num: true },
      { title: 'Range', num: true },
      { title: 'Cache hits', num: true },
      { title: 'Image size', num: true },
      { title: 'Deploy (gzip)', num: true },
      { title: 'Deploy classic', num: true },
      { title: 'Context', num: true },
      ...(r.ratios ? [{ title: 'against / subject: time / deploy', num: true }] : []),
    ],
    rows,
    'run',
  );
}

/** Two bars per scenario, subject over against, for one figure. */
function sideBySide(r: BenchResult, image: string, metric: 'time' | 'deploy'): Html {
  const value = (s?: ScenarioResult) =>
    s ? (metric === 'time' ? s.time.median_s : (s.deploy?.gzip.containerd ?? null)) : null;
  const rows = SCENARIOS.flatMap((name) => {
    const pair = (['subject', 'against'] as const).map((v) => find(r, image, v, name));
    if (!pair[0] || !pair[1]) return [];
    return pair.map((s, i) => ({ name, variant: i ? 'against' : 'subject', v: value(s) }));
  });
  const max = Math.max(metric === 'time' ? 1 : 1_000_000, ...rows.map((x) => x.v ?? 0));
  const W = 620;
  const LW = 190;
  const BW = 330;
  const body = rows.map((x, i) => {
    const y = i * 22 + (i >> 1) * 8 + 4;
    const w = x.v === null ? 0 : Math.max(x.v > 0 ? 2 : 0, (x.v / max) * BW);
    const text = x.v === null ? 'none' : metric === 'time' ? secs(x.v) : bytes(x.v);
    return h`<g class="pair" data-scenario="${x.name}" data-variant="${x.variant}" data-value="${x.v ?? ''}"><text x="0" y="${y + 12}">${x.name} · ${x.variant}</text><rect class="sc-${x.name}" x="${LW}" y="${y}" width="${w.toFixed(1)}" height="16" rx="3" opacity="${x.variant === 'against' ? 0.45 : 1}"></rect><text x="${LW + BW + 10}" y="${y + 12}">${text}</text></g>`;
  });
  const H = rows.length * 22 + (rows.length >> 1) * 8 + 8;
  return h`<svg class="chart side ${metric}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${metric} subject against --against">${body}</svg>`;
}

function stepsTable(steps: BenchStep[]): Html {
  if (!steps.length) return h`<p class="empty">No steps reported.</p>`;
  return table(
    [{ title: '#', num: true }, { title: 'Step' }, { title: 'Cached' }, { title: 'Seconds', num: true }],
    steps.map((s, i) => [
      [i + 1, String(i + 1)],
      h`<code>${s.name}</code>`,
      s.cached ? badge('cached', 'good') : badge('ran', 'warn'),
      [s.seconds, s.cached ? '—' : secs(s.seconds)],
    ]),
    'steps',
  );
}

function stepsDetails(r: BenchResult, image: string): Html {
  return SCENARIOS.map((name) => {
    const pair = (['subject', 'against'] as const).map((v) => find(r, image, v, name));
    if (!pair[0] && !pair[1]) return '';
    const ran = (s?: ScenarioResult) => (s ? `${s.steps.filter((x) => !x.cached).length}/${s.steps.length} ran` : '');
    const block = (s: ScenarioResult | undefined, who: string) =>
      s
        ? h`<div><h4>${who}</h4>${stepsTable(s.steps)}${s.stages?.length ? h`<p class="muted">stages: ${s.stages.map((x) => `${x.name} ${bytes(x.bytes)}`).join(' · ')}</p>` : ''}</div>`
        : '';
    return h`<details class="steps" data-scenario="${name}"><summary><span class="what">${name}: ${pair[0]?.change ?? pair[1]?.change ?? ''}</span><span class="muted">${[ran(pair[0]), pair[1] ? `against ${ran(pair[1])}` : ''].filter(Boolean).join(' · ')}</span></summary><div class="body${pair[0] && pair[1] ? ' grid2' : ''}">${block(pair[0], 'subject')}${block(pair[1], 'against')}</div></details>`;
  });
}

function imageSection(r: BenchResult, runs: BenchResult[], image: string, id: string): Html {
  const hasAgainst = r.scenarios.some((s) => s.image === image && s.variant === 'against');
  const time = historyChart({
    metric: 'time',
    label: 'median build time',
    runs: runs.map(axisLabel),
    series: seriesOf(
      runs,
      image,
      (s) => s.time.median_s,
      (s, v) => `${secs(v)} median of ${s.runs}`,
    ),
    format: (v) => secs(v),
    minTop: 1,
  });
  const deploy = historyChart({
    metric: 'deploy',
    label: 'deploy bytes',
    runs: runs.map(axisLabel),
    series: seriesOf(
      runs,
      image,
      (s) => s.deploy?.gzip.containerd ?? null,
      (s, v) => `${bytes(v)} gzip (${s.deploy?.newLayers ?? 0} new layers)`,
    ),
    format: (v) => bytes(v),
    minTop: 1_000,
  });
  const meta = [
    r.options.target ? `--target ${r.options.target}` : '',
    Object.keys(r.options.buildArgs).length
      ? `build args ${Object.entries(r.options.buildArgs)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`
      : '',
    r.options.against ? `--against ${r.options.against}` : '',
  ].filter(Boolean);
  return section(
    id,
    image,
    h`${meta.length ? h`<h3 class="image-meta">${meta.join(' · ')}</h3>` : ''}
<h3>Median build time per run</h3><div class="chart-wrap" data-metric="time">${time}</div>
<h3>Deploy bytes per run</h3><p class="intro">What a host holding the previous scenario's image pulls, gzip, containerd store.</p><div class="chart-wrap" data-metric="deploy">${deploy}</div>
<h3>This run</h3>${runTable(r, image)}
${hasAgainst ? h`<h3>Side by side</h3><div class="grid2"><div><h4>Median build time</h4>${sideBySide(r, image, 'time')}</div><div><h4>Deploy bytes (gzip)</h4>${sideBySide(r, image, 'deploy')}</div></div>` : ''}
<h3>Steps</h3>${stepsDetails(r, image)}`,
  );
}

function verdictSection(r: BenchResult): Html {
  const v = r.verdict;
  if (!v) return '';
  return section(
    'verdict',
    'Verdict',
    table(
      [{ title: 'Result' }, { title: 'Rule' }, { title: 'Why' }],
      v.checks.map((c) => [c.ok ? badge('ok', 'good') : badge('FAIL', 'bad'), h`<code>${c.rule}</code>`, c.reason]),
      'checks',
    ),
    v.baseline
      ? `Against the baseline ${v.baseline.ref} (${v.baseline.startedAt}${v.baseline.commit ? `, commit ${v.baseline.commit.slice(0, 12)}` : ''}).`
      : 'No baseline: only absolute thresholds were checked.',
  );
}

function environmentSection(r: BenchResult): Html {
  const e = r.environment;
  const rows: [string, string][] = [
    ['commit', e.commit ? `${e.commit}${e.dirty ? ' (uncommitted changes)' : ''}` : 'not a git repository'],
    ['engine', `${e.engine.version ?? 'unknown version'} at ${e.engine.host}, ${e.engine.storage ?? 'unknown'} store`],
    ['builder', `${e.builder.client} ${e.builder.name}${e.builder.version ? ` ${e.builder.version}` : ''}`],
    [
      'machine',
      `${e.machine.os} ${e.machine.arch}, ${e.machine.cpus} CPUs, ${bytes(e.machine.memoryBytes)} memory, Node ${e.machine.node}`,
    ],
    ['scenarios', `${r.options.scenarios.join(', ')}; ${r.options.repeat} per scenario`],
  ];
  return section(
    'environment',
    'Environment',
    h`<dl class="kv">${rows.map(([k, v]) => h`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`,
  );
}

/** The runs the charts draw, newest first; a machine or engine unlike this run's is flagged. */
function historySection(runs: BenchResult[]): Html {
  const now = runs[runs.length - 1];
  const machine = (x: BenchResult) =>
    `${x.environment.machine.os}/${x.environment.machine.arch}/${x.environment.machine.cpus}`;
  return section(
    'history',
    'Runs in the charts',
    table(
      [
        { title: 'Run' },
        { title: 'Started' },
        { title: 'Commit' },
        { title: 'Engine' },
        { title: 'Builder' },
        { title: 'Machine' },
      ],
      [...runs]
        .reverse()
        .map((x) => [
          runLabel(x),
          x.startedAt,
          x.environment.commit
            ? h`<code>${x.environment.commit.slice(0, 12)}</code>${x.environment.dirty ? ' dirty' : ''}`
            : '—',
          h`${x.environment.engine.version ?? '?'}${x.environment.engine.version !== now.environment.engine.version ? h` ${badge('differs', 'warn')}` : ''}`,
          `${x.environment.builder.client} ${x.environment.builder.name}`,
          h`${x.environment.machine.cpus} CPUs, ${bytes(x.environment.machine.memoryBytes)}${machine(x) !== machine(now) ? h` ${badge('differs', 'warn')}` : ''}`,
        ]),
      'history',
    ),
    'Figures from another machine or engine compare only roughly.',
  );
}
