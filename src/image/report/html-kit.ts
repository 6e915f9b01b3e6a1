/**
 * Building blocks of the HTML reports: escaping (everything interpolated into `h` is escaped
 * unless wrapped in `raw`), the page shell (inline CSS and JS, a Content-Security-Policy that
 * allows no network access and only the report's own script, by hash), and small components
 * (cards, bar rows, sortable tables, badges). File names are hostile input: they only ever
 * reach the page through `esc`.
 */
import { createHash } from 'node:crypto';
import { humanBytes } from '../thresholds.js';
import { createdByText, fmtMetric } from './inspect.js';

/** Trusted HTML (already escaped or written by us). */
export class Raw {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type Html = Raw | string | number | null | undefined | false | Html[];

export const raw = (s: string): Raw => new Raw(s);

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ESC[c]);
}

function render(v: Html): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Raw) return v.html;
  if (Array.isArray(v)) return v.map(render).join('');
  return esc(v);
}

/** Tagged template: interpolated values are escaped, `Raw` values and arrays of them are kept. */
export function h(strings: TemplateStringsArray, ...values: Html[]): Raw {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Raw(out);
}

export const bytes = (n: number): string => humanBytes(n);
export const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** One line, at most n characters. */
export function oneLine(s: string, n = 140): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
}

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'muted';

export function badge(text: string, tone: Tone = 'muted'): Raw {
  return h`<span class="badge ${tone}">${text}</span>`;
}

export interface Card {
  label: string;
  value: string;
  sub?: string;
  tone?: Tone;
}

export function cards(items: Card[]): Raw {
  return h`<div class="cards">${items.map(
    (c) =>
      h`<div class="card ${c.tone ?? ''}"><div class="card-label">${c.label}</div><div class="card-value">${c.value}</div>${c.sub ? h`<div class="card-sub">${c.sub}</div>` : ''}</div>`,
  )}</div>`;
}

export interface BarRow {
  /** Text left of the bar (escaped) or trusted HTML. */
  label: Html;
  /** Main bar, as a fraction of the scale. */
  value: number;
  /** A lighter bar behind the main one (e.g. uncompressed size). */
  back?: number;
  /** Text right of the bar. */
  note: Html;
  tip?: string;
  cls?: string;
  indent?: number;
  attrs?: Raw;
}

/** Horizontal bar rows on one scale (`max`). */
export function barRows(rows: BarRow[], max: number, cls = ''): Raw {
  const w = (v: number) => (max > 0 ? Math.max(0, Math.min(100, (v / max) * 100)) : 0).toFixed(2);
  return h`<div class="bars ${cls}">${rows.map(
    (r) =>
      h`<div class="bar-row ${r.cls ?? ''}"${r.tip ? h` data-tip="${r.tip}"` : ''}${r.attrs ?? ''}><div class="bar-label"${r.indent ? raw(` style="padding-left:${r.indent * 1.1}em"`) : ''}>${r.label}</div><div class="bar-track">${r.back !== undefined ? raw(`<div class="bar back" style="width:${w(r.back)}%"></div>`) : ''}${raw(`<div class="bar main" style="width:${w(r.value)}%"></div>`)}</div><div class="bar-note">${r.note}</div></div>`,
  )}</div>`;
}

export interface Column {
  title: string;
  /** Numeric columns sort by number and align right. */
  num?: boolean;
}

/** A table whose headers sort it; a cell is text, trusted HTML, or [sort value, content]. */
export function table(cols: Column[], rows: Array<Array<Html | [number, Html]>>, cls = ''): Raw {
  const cell = (c: Html | [number, Html], col: Column) => {
    if (Array.isArray(c) && c.length === 2 && typeof c[0] === 'number')
      return h`<td class="${col.num ? 'num' : ''}" data-v="${c[0]}">${c[1] as Html}</td>`;
    return h`<td class="${col.num ? 'num' : ''}">${c as Html}</td>`;
  };
  return h`<div class="table-wrap"><table class="sortable ${cls}"><thead><tr>${cols.map(
    (c) => h`<th class="${c.num ? 'num' : ''}" data-num="${c.num ? '1' : ''}">${c.title}</th>`,
  )}</tr></thead><tbody>${rows.map((r) => h`<tr>${r.map((c, i) => cell(c, cols[i]))}</tr>`)}</tbody></table></div>`;
}

export function section(id: string, title: string, body: Html, intro?: Html): Raw {
  return h`<section id="${id}"><h2>${title}</h2>${intro ? h`<p class="intro">${intro}</p>` : ''}${body}</section>`;
}

export function empty(text: string): Raw {
  return h`<p class="empty">${text}</p>`;
}

const CSS = `
:root{--bg:#f7f8fa;--fg:#1d2330;--muted:#5f6b7c;--card:#fff;--border:#e2e6ec;--soft:#eef1f5;
--accent:#2f6fdf;--accent2:#a9c4f5;--good:#1e8a4c;--warn:#b86e00;--bad:#c8323c;--info:#2f6fdf;
--good-bg:#e3f4ea;--warn-bg:#fdf0dc;--bad-bg:#fbe4e6;--info-bg:#e4edfc;--muted-bg:#eceff3;
--shadow:0 1px 2px rgba(16,24,40,.06),0 1px 3px rgba(16,24,40,.08);color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#12151b;--fg:#e3e7ee;--muted:#97a1b1;--card:#1b2029;--border:#2c3340;
--soft:#232935;--accent:#6ea0ff;--accent2:#2f4a7a;--good:#4cc38a;--warn:#f0a93b;--bad:#ff6b73;--info:#6ea0ff;
--good-bg:#173425;--warn-bg:#3b2c12;--bad-bg:#41191d;--info-bg:#1b2a47;--muted-bg:#262c37;--shadow:none}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;-webkit-font-smoothing:antialiased}
code,.mono,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px}
header.top{background:var(--card);border-bottom:1px solid var(--border);padding:22px 0 14px}
.wrap{max-width:1240px;margin:0 auto;padding:0 24px}
h1{font-size:22px;margin:0 0 4px;font-weight:650;letter-spacing:-.01em;word-break:break-all}
h2{font-size:17px;margin:0 0 12px;font-weight:650}
.meta{color:var(--muted);font-size:13px}.meta span+span:before{content:"·";margin:0 8px;color:var(--border)}
nav.toc{position:sticky;top:0;z-index:5;background:var(--card);border-bottom:1px solid var(--border)}
nav.toc .wrap{display:flex;gap:4px;overflow-x:auto}
nav.toc a{color:var(--muted);text-decoration:none;padding:9px 10px;font-size:13px;white-space:nowrap;border-bottom:2px solid transparent}
nav.toc a:hover{color:var(--fg);border-bottom-color:var(--accent)}
main{padding:20px 0 60px}
section{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:18px 20px;margin:0 0 18px;box-shadow:var(--shadow)}
p.intro{color:var(--muted);margin:-6px 0 12px}
p.empty{color:var(--muted);margin:0;font-style:italic}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px;margin:0 0 18px}
.card{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:12px 14px;box-shadow:var(--shadow);border-top:3px solid var(--border)}
.card.good{border-top-color:var(--good)}.card.warn{border-top-color:var(--warn)}.card.bad{border-top-color:var(--bad)}.card.info{border-top-color:var(--accent)}
.card-label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card-value{font-size:22px;font-weight:650;margin-top:2px;font-variant-numeric:tabular-nums}
.card-sub{color:var(--muted);font-size:12px}
.bars{display:flex;flex-direction:column;gap:3px}
.bar-row{display:grid;grid-template-columns:minmax(160px,30%) 1fr minmax(150px,22%);gap:12px;align-items:center;padding:3px 6px;border-radius:6px}
.bar-row:hover{background:var(--soft)}
.bar-label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bar-note{color:var(--muted);font-size:12.5px;font-variant-numeric:tabular-nums;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bar-track{position:relative;height:16px;background:var(--soft);border-radius:4px;overflow:hidden}
.bar{position:absolute;left:0;top:0;bottom:0;border-radius:4px;min-width:2px}
.bar.back{background:var(--accent2)}.bar.main{background:var(--accent)}
.bar-row.shared .bar.main{background:var(--good)}.bar-row.refetch .bar.main{background:var(--warn)}.bar-row.fetch .bar.main{background:var(--bad)}
.legend{display:flex;gap:16px;flex-wrap:wrap;color:var(--muted);font-size:12.5px;margin:0 0 10px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;vertical-align:-2px}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600;white-space:nowrap}
.badge.good{background:var(--good-bg);color:var(--good)}.badge.warn{background:var(--warn-bg);color:var(--warn)}
.badge.bad{background:var(--bad-bg);color:var(--bad)}.badge.info{background:var(--info-bg);color:var(--info)}.badge.muted{background:var(--muted-bg);color:var(--muted)}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--border);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em;cursor:pointer;user-select:none;white-space:nowrap}
th:hover{color:var(--fg)}th.sorted-asc:after{content:" ▲"}th.sorted-desc:after{content:" ▼"}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.path{word-break:break-all;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px}
tbody tr:hover{background:var(--soft)}
.fix{background:var(--info-bg);border-left:3px solid var(--accent);padding:6px 10px;border-radius:0 6px 6px 0;margin:6px 0}
details{margin:0}summary{cursor:pointer}
details.layer{border:1px solid var(--border);border-radius:8px;margin:0 0 8px;background:var(--card)}
details.layer>summary{padding:9px 12px;display:grid;grid-template-columns:48px 1fr auto;gap:10px;align-items:center;list-style:none}
details.layer>summary::-webkit-details-marker{display:none}
details.layer>summary:before{content:"▸";position:absolute;margin-left:-2px;color:var(--muted)}
details.layer[open]>summary:before{content:"▾"}
details.layer[open]>summary{border-bottom:1px solid var(--border);background:var(--soft);border-radius:8px 8px 0 0}
.layer-num{font-weight:650;color:var(--muted);padding-left:14px}
.layer-cmd{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.layer-body{padding:10px 14px 14px}
.layer-body pre{white-space:pre-wrap;word-break:break-all;background:var(--soft);padding:8px 10px;border-radius:6px;margin:0 0 8px}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;font-size:12.5px;margin:0 0 10px}.kv dt{color:var(--muted)}.kv dd{margin:0;word-break:break-all}
.tree{font-size:13px}
.tree details{margin-left:14px}.tree>details,.tree>.node{margin-left:0}
.tree summary,.tree .node{display:flex;gap:10px;align-items:baseline;padding:1px 4px;border-radius:4px}
.tree .node{margin-left:14px;padding-left:24px}
.tree summary:hover,.tree .node:hover{background:var(--soft)}
.tree summary{list-style:none}.tree summary::-webkit-details-marker{display:none}
.tree summary:before{content:"▸";color:var(--muted);width:10px;display:inline-block;flex:none}.tree details[open]>summary:before{content:"▾"}
.tree .name{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px;word-break:break-all}
.tree .size{margin-left:auto;color:var(--muted);font-variant-numeric:tabular-nums;white-space:nowrap;font-size:12px}
.tree .dir>.name{font-weight:600}
.tree .more{color:var(--muted);font-style:italic;margin-left:30px;font-size:12.5px}
.ch{font-size:11px;font-weight:700;border-radius:3px;padding:0 4px}
.ch.added{color:var(--good);background:var(--good-bg)}.ch.modified{color:var(--warn);background:var(--warn-bg)}
.ch.removed{color:var(--bad);background:var(--bad-bg)}.ch.hidden{color:var(--muted);background:var(--muted-bg)}
.toolbar{display:flex;gap:8px;margin:0 0 10px}
button{font:inherit;font-size:12.5px;color:var(--fg);background:var(--soft);border:1px solid var(--border);border-radius:6px;padding:3px 10px;cursor:pointer}
button:hover{border-color:var(--accent)}
.muted{color:var(--muted)}.mono{word-break:break-all}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px}@media (max-width:900px){.grid2{grid-template-columns:1fr}.bar-row{grid-template-columns:120px 1fr 110px}}
.stack{display:flex;height:26px;border-radius:6px;overflow:hidden;background:var(--soft);margin:4px 0 2px}
.stack>div{height:100%;border-right:1px solid var(--card)}.stack>.fetch,.stack>.refetch{min-width:3px}
.stack .shared{background:var(--good)}.stack .refetch{background:var(--warn)}.stack .fetch{background:var(--bad)}
#tip{position:fixed;z-index:20;max-width:560px;pointer-events:none;background:#1d2330;color:#f2f4f8;padding:6px 9px;border-radius:6px;font-size:12.5px;white-space:pre-wrap;word-break:break-word;box-shadow:0 4px 14px rgba(0,0,0,.25);display:none}
.layer-why{border-top:1px solid var(--border);padding:14px 0 10px}.layer-why:first-of-type{border-top:0;padding-top:0}
.layer-why h3{font-size:14.5px;margin:0 0 6px;font-weight:600;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}.layer-why p{margin:4px 0}
footer{color:var(--muted);font-size:12px;text-align:center;padding:10px 0 30px}
`;

// Tooltips (text only), sortable tables, expand/collapse buttons. Reads data-* attributes and
// writes textContent only: no HTML is ever built from the report's data.
const SCRIPT = `(function(){
var tip=document.getElementById('tip');
document.addEventListener('mouseover',function(e){var t=e.target.closest&&e.target.closest('[data-tip]');
if(!t){tip.style.display='none';return;}tip.textContent=t.getAttribute('data-tip');tip.style.display='block';});
document.addEventListener('mousemove',function(e){if(tip.style.display!=='block')return;
var x=e.clientX+14,y=e.clientY+16,r=tip.getBoundingClientRect();
if(x+r.width>innerWidth-8)x=Math.max(8,innerWidth-r.width-8);if(y+r.height>innerHeight-8)y=e.clientY-r.height-10;
tip.style.left=x+'px';tip.style.top=y+'px';});
document.querySelectorAll('table.sortable th').forEach(function(th){th.addEventListener('click',function(){
var table=th.closest('table'),body=table.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th);
var num=th.getAttribute('data-num')==='1',asc=!th.classList.contains('sorted-asc');
table.querySelectorAll('th').forEach(function(x){x.classList.remove('sorted-asc','sorted-desc');});
th.classList.add(asc?'sorted-asc':'sorted-desc');
var rows=Array.prototype.slice.call(body.rows);
var key=function(r){var c=r.cells[i];if(!c)return '';var v=c.getAttribute('data-v');
return num?Number(v!==null?v:c.textContent):(c.textContent||'').toLowerCase();};
rows.sort(function(a,b){var x=key(a),y=key(b);return (x<y?-1:x>y?1:0)*(asc?1:-1);});
rows.forEach(function(r){body.appendChild(r);});});});
document.querySelectorAll('[data-open]').forEach(function(b){b.addEventListener('click',function(){
var open=b.getAttribute('data-open')==='1',root=document.getElementById(b.getAttribute('data-target'));
if(root)root.querySelectorAll('details').forEach(function(d){d.open=open;});});});
})();`;

export interface PageOptions {
  title: string;
  heading: Html;
  meta: Html[];
  nav: Array<[string, string]>;
  body: Html;
}

export function page(o: PageOptions): string {
  const scriptHash = createHash('sha256').update(SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${scriptHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return h`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${o.title}</title>
<style>${raw(CSS)}</style></head>
<body>
<header class="top"><div class="wrap"><h1>${o.heading}</h1><div class="meta">${o.meta.map((m) => h`<span>${m}</span>`)}</div></div></header>
<nav class="toc"><div class="wrap">${o.nav.map(([id, t]) => h`<a href="#${id}">${t}</a>`)}</div></nav>
<main><div class="wrap">${o.body}</div></main>
<footer>made by layerwise · one self-contained file, no network access</footer>
<div id="tip" role="tooltip"></div>
<script>${raw(SCRIPT)}</script>
</body></html>
`.html;
}

/** The instruction as a person writes it (RUN ..., COPY ...). */
export function instruction(createdBy: string | null | undefined): string {
  return createdByText(createdBy)
    .replace(/^RUN \/bin\/sh -c /, 'RUN ')
    .replace(/\s*# buildkit$/, '');
}

/** The `--fail-on` conditions and their results, shared by the inspect and diff pages. */
export function checksSection(checks: { rule: string; metric: string; value: number; failed: boolean }[]): Html {
  if (!checks.length) return '';
  return section(
    'checks',
    'Checks',
    table(
      [{ title: 'Result' }, { title: 'Condition' }, { title: 'Value', num: true }],
      checks.map((c) => [
        c.failed ? badge('FAIL', 'bad') : badge('ok', 'good'),
        h`<code>${c.rule}</code>`,
        fmtMetric(c.metric, c.value),
      ]),
    ),
  );
}
