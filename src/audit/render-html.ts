/**
 * `layerwise audit --format html`: one self-contained page (the same shell, CSP and components
 * as the inspect and diff reports) with, per image, an inline SVG chart of what a deploy pulls
 * after each kind of change, current Dockerfile next to init's, then the scenario table, what
 * re-runs, the final image's contents, the findings by cost and init's files. Every text from
 * the repository (names, paths, messages, generated files) reaches the page only escaped.
 */
import { badge, cards, empty, type Html, h, page, raw, section, table } from '../image/report/html-kit.js';
import { humanBytes } from '../image/thresholds.js';
import { checkValue } from './fail-on.js';
import { plural, scenarioLabel } from './render-text.js';
import type { AuditImage, AuditResult, ImageContents, Scenario } from './types.js';

const CHART_CSS = `
svg.chart{display:block;width:100%;max-width:980px;height:auto;font:12.5px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
svg.chart text{fill:var(--fg)}svg.chart text.dim{fill:var(--muted)}
svg.chart rect.now{fill:var(--bad)}svg.chart rect.alt{fill:var(--good)}svg.chart rect.track{fill:var(--soft)}
svg.chart rect.unknown{fill:none;stroke:var(--muted);stroke-dasharray:4 3}
.legend i.now{background:var(--bad)}.legend i.alt{background:var(--good)}
h3.image-meta{font-size:13px;font-weight:400;color:var(--muted);margin:-6px 0 14px;word-break:break-all}
details.steps{border:1px solid var(--border);border-radius:8px;margin:0 0 8px}
details.steps>summary{padding:8px 12px;display:flex;gap:10px;align-items:center}
details.steps[open]>summary{border-bottom:1px solid var(--border);background:var(--soft)}
details.steps>summary .what{flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
details.steps>.body{padding:10px 14px}
pre.file{white-space:pre-wrap;word-break:break-all;background:var(--soft);padding:8px 10px;border-radius:6px}
`;

/** Renders the audit as one HTML page. */
export function auditHtml(result: AuditResult): string {
  const images = result.images.map((image, i) => imageSection(image, `image-${i + 1}`));
  const body: Html[] = [
    raw(`<style>${CHART_CSS}</style>`),
    summaryCards(result),
    result.warnings.length
      ? section(
          'warnings',
          'Warnings',
          h`<ul>${result.warnings.map((w) => h`<li>${w}</li>`)}</ul>`,
          'Definitions that could not be audited.',
        )
      : '',
    checksSection(result),
    images,
  ];
  return page({
    title: `layerwise audit ${result.root}`,
    heading: h`Audit of ${result.root}`,
    meta: [
      plural(result.images.length, 'image'),
      result.build ? `measured on ${result.build.engine} (${result.build.builder})` : 'estimated before building',
      `layerwise ${result.toolVersion}`,
    ],
    nav: [
      ...(result.checks?.length ? ([['checks', 'Checks']] as [string, string][]) : []),
      ...result.images.map((image, i): [string, string] => [`image-${i + 1}`, image.name]),
    ],
    body,
  });
}

const fmt = (n: number | null, s: Scenario): string =>
  n === null ? 'unknown' : `${humanBytes(n)}${s.basis === 'measured' ? ' (measured)' : ''}`;

function summaryCards(result: AuditResult): Html {
  return cards(
    result.images.flatMap((image) => {
      const now = image.scenarios.find((s) => s.name === 'code-change');
      if (!now) return [];
      const alt = image.alternative?.scenarios.find((s) => s.name === 'code-change');
      return [
        {
          label: `${image.name}: code change`,
          value: fmt(now.bytes.classic, now),
          sub: alt ? `init's Dockerfile: ${fmt(alt.bytes.classic, alt)}` : 'per deploy, classic store',
          tone: alt && alt.bytes.classic !== null && (now.bytes.classic ?? 0) > alt.bytes.classic * 2 ? 'bad' : 'info',
        },
      ];
    }),
  );
}

function checksSection(result: AuditResult): Html {
  if (!result.checks?.length) return '';
  return section(
    'checks',
    'Checks',
    table(
      [{ title: 'Result' }, { title: 'Condition' }, { title: 'Image' }, { title: 'Value', num: true }],
      result.checks.map((c) => [
        c.failed ? badge('FAIL', 'bad') : c.value === null ? badge('unknown', 'warn') : badge('ok', 'good'),
        h`<code>${c.condition}</code>`,
        c.image,
        [c.value ?? -1, checkValue(c)],
      ]),
    ),
    '--fail-on conditions on each image’s current Dockerfile; an unknown figure is not checked.',
  );
}

const SCALE_MIN = 1_000_000;

/**
 * Horizontal bars per scenario, current (red) above init's (green), on one linear scale so the
 * difference is seen as it is; each bar is labelled with its figure, unknown ones are outlined.
 */
export function chartSvg(image: AuditImage): Html {
  const rows = image.scenarios.map((s) => ({
    label: scenarioLabel(s.name),
    now: s,
    alt: image.alternative?.scenarios.find((x) => x.name === s.name),
  }));
  // At least 1 MB across: a 331-byte change next to unknown ones must not fill the chart.
  const max = Math.max(SCALE_MIN, ...rows.flatMap((r) => [r.now.bytes.classic ?? 0, r.alt?.bytes.classic ?? 0]));
  const W = 900;
  const labelW = 190;
  const barW = 560;
  const barH = 16;
  const rowH = image.alternative ? 2 * barH + 18 : barH + 16;
  const H = rows.length * rowH + 6;
  const bar = (s: Scenario | undefined, y: number, cls: string, who: string): Html => {
    if (!s) return h`<text class="dim" x="${labelW}" y="${y + 12}">${who}: no such scenario</text>`;
    const v = s.bytes.classic;
    if (v === null)
      return h`<rect class="unknown" x="${labelW}" y="${y}" width="${barW}" height="${barH}" rx="3"></rect><text class="dim" x="${labelW + 8}" y="${y + 12}">${who}: unknown</text>`;
    const w = v > 0 ? Math.max(2, (v / max) * barW) : 0;
    return h`<rect class="track" x="${labelW}" y="${y}" width="${barW}" height="${barH}" rx="3"></rect><rect class="${cls}" x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" rx="3"><title>${who}: ${fmt(v, s)}, ${plural(s.rerun.length, 'step')} re-run</title></rect><text x="${labelW + barW + 10}" y="${y + 12}">${fmt(v, s)}</text>`;
  };
  const body = rows.map((r, i) => {
    const y = i * rowH + 4;
    return h`<g class="scenario" data-scenario="${r.now.name}"><text x="0" y="${y + 12}">${r.label}</text>${bar(r.now, y, 'now', 'current')}${image.alternative ? bar(r.alt, y + barH + 2, 'alt', "init's") : ''}</g>`;
  });
  return h`<div class="legend"><span><i class="now"></i>current Dockerfile</span>${image.alternative ? h`<span><i class="alt"></i>init's Dockerfile</span>` : ''}<span>bytes a host holding the previous image pulls (classic store)</span></div><svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="bytes per deploy after each change">${body}</svg>`;
}

function scenarioTable(image: AuditImage): Html {
  const alt = image.alternative;
  const cols = [
    { title: 'After' },
    { title: 'What changes' },
    { title: 'Classic', num: true },
    { title: 'Containerd', num: true },
    { title: 'Re-runs', num: true },
    { title: 'New layers', num: true },
    ...(alt
      ? [
          { title: "init's classic", num: true },
          { title: "init's containerd", num: true },
          { title: "init's re-runs", num: true },
        ]
      : []),
  ];
  const n = (v: number | null, s: Scenario): [number, Html] => [v ?? -1, fmt(v, s)];
  return table(
    cols,
    image.scenarios.map((s) => {
      const a = alt?.scenarios.find((x) => x.name === s.name);
      const row: Array<Html | [number, Html]> = [
        scenarioLabel(s.name),
        s.change,
        n(s.bytes.classic, s),
        n(s.bytes.containerd, s),
        [s.rerun.length, String(s.rerun.length)],
        [s.newLayers, String(s.newLayers)],
      ];
      if (alt)
        row.push(
          ...(a
            ? [
                n(a.bytes.classic, a),
                n(a.bytes.containerd, a),
                [a.rerun.length, String(a.rerun.length)] as [number, Html],
              ]
            : ['—', '—', '—']),
        );
      return row;
    }),
    'scenarios',
  );
}

function scenarioDetails(s: Scenario, who: string): Html {
  return h`<details class="steps"><summary>${badge(s.basis, s.basis === 'measured' ? 'good' : 'muted')}<span class="what">${who}: ${scenarioLabel(s.name)} (${s.change})</span><span class="muted">${plural(s.rerun.length, 'step')} re-run, ${plural(s.newLayers, 'new layer')}</span></summary><div class="body">${
    s.rerun.length
      ? table(
          [{ title: 'Line', num: true }, { title: 'Stage' }, { title: 'Re-runs' }, { title: 'Why' }],
          s.rerun.map((r) => [[r.line, String(r.line)], r.stage, h`<code>${r.instruction}</code>`, r.reason]),
        )
      : empty('Nothing re-runs.')
  }${
    s.layers.length
      ? table(
          [
            { title: 'Line', num: true },
            { title: 'Layer' },
            { title: 'New' },
            { title: 'Bytes', num: true },
            { title: 'Rests on' },
          ],
          s.layers.map((l) => [
            [l.line ?? 0, l.line === null ? 'base' : String(l.line)],
            h`<code>${l.instruction}</code>`,
            l.changed ? badge('new', 'warn') : badge('kept', 'good'),
            [l.bytes ?? -1, l.bytes === null ? 'unknown' : humanBytes(l.bytes)],
            l.basis,
          ]),
        )
      : ''
  }${s.rests.length ? h`<ul class="muted">${s.rests.map((r) => h`<li>${r}</li>`)}</ul>` : ''}</div></details>`;
}

function contentsTable(image: AuditImage): Html {
  const alt = image.alternative?.contents;
  const kinds: [string, (k: ImageContents) => string][] = [
    ['compilers', (k) => k.compilers.join(', ') || 'none'],
    ['caches', (k) => k.caches.join(', ') || 'none'],
    ['dev dependencies', (k) => k.devDeps.join(', ') || 'none'],
    ['.git', (k) => (k.git ? 'yes' : 'no')],
    ['tests', (k) => (k.tests ? 'yes' : 'no')],
  ];
  const body = table(
    [{ title: 'In the final image' }, { title: 'Current' }, ...(alt ? [{ title: "init's" }] : [])],
    kinds.map(([name, get]) => [name, get(image.contents), ...(alt ? [get(alt)] : [])]),
  );
  const evidence = image.contents.evidence.length
    ? h`<ul class="muted">${image.contents.evidence.map((e) => h`<li><code>${e}</code></li>`)}</ul>`
    : '';
  return h`${body}${evidence}`;
}

function findingsTable(image: AuditImage): Html {
  if (!image.findings.length) return empty('No lint findings.');
  return table(
    [{ title: 'Where' }, { title: 'Cost', num: true }, { title: 'Rule' }, { title: 'Finding and fix' }],
    image.findings.map((f) => [
      h`<code>${f.file}:${f.line}</code>`,
      [
        f.cost.bytesPerDeploy ?? -1,
        f.cost.bytesPerDeploy === null
          ? h`<span class="muted">${f.cost.why}</span>`
          : h`${humanBytes(f.cost.bytesPerDeploy)} per ${f.cost.scenario ? scenarioLabel(f.cost.scenario) : 'deploy'}`,
      ],
      h`${f.rule} ${f.name}${f.fixable ? h` ${badge('--fix', 'info')}` : ''}`,
      h`${f.message}${f.fix ? h`<div class="fix">fix: ${f.fix}</div>` : ''}`,
    ]),
    'findings',
  );
}

function imageSection(image: AuditImage, id: string): Html {
  const where = [
    `${image.dockerfile}${image.target ? ` --target ${image.target}` : ''}`,
    `context ${image.context}`,
    ...image.origins.map((o) => `${o.kind} ${o.file}${o.line ? `:${o.line}` : ''}${o.detail ? ` ${o.detail}` : ''}`),
    image.project
      ? `${image.project.manager} project${image.project.lockFile ? ` (${image.project.lockFile})` : ', no lock'}`
      : 'no Python project',
    image.base ? `FROM ${image.base}` : '',
  ].filter(Boolean);
  const alt = image.alternative;
  const body = h`<h3 class="image-meta">${where.join(' · ')}</h3>
${chartSvg(image)}
<h3>Per deploy</h3>${scenarioTable(image)}
<h3>What re-runs</h3>${image.scenarios.map((s) => scenarioDetails(s, 'current'))}${(alt?.scenarios ?? []).map((s) => scenarioDetails(s, "init's"))}
<h3>Final image</h3>${contentsTable(image)}
<h3>Findings, costliest first</h3>${findingsTable(image)}
${alt ? h`<h3>init's files</h3>${alt.files.map((f) => h`<details class="steps"><summary><span class="what">${f.path}</span></summary><div class="body"><pre class="file">${f.text}</pre></div></details>`)}` : ''}
${image.notes.length ? h`<ul class="muted notes">${image.notes.map((n) => h`<li>${n}</li>`)}</ul>` : ''}`;
  return section(id, image.name, body);
}
