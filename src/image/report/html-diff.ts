/**
 * `layerwise diff --format html`: one self-contained page rendered from the same plain object as
 * the JSON output: shared and new layers, what a pull fetches in the classic and containerd
 * stores, and for each new layer its file-level change, verdict and fix.
 */
import type { DiffLayer } from '../diff.js';
import { shortDigest } from '../digest.js';
import {
  type BarRow,
  badge,
  checksSection,
  barRows,
  bytes,
  cards,
  empty,
  type Html,
  h,
  instruction,
  oneLine,
  page,
  plural,
  raw,
  section,
  type Tone,
  table,
} from './html-kit.js';
import type { DiffJson } from './diff.js';

export const VERDICTS: Record<string, [string, Tone]> = {
  'real-change': ['real change', 'info'],
  'metadata-only': ['only timestamps/owners/modes', 'warn'],
  'pyc-only': ['only .pyc', 'warn'],
  'caches-only': ['only apt lists, caches or logs', 'warn'],
  'noise-only': ['only .pyc, caches or logs', 'warn'],
  'identical-content': ['same content, different tar bytes', 'warn'],
  'new-layer': ['new instruction', 'info'],
};

const NOISE = new Set(['metadata-only', 'pyc-only', 'caches-only', 'noise-only', 'identical-content']);

/** shared: not downloaded; refetch: downloaded although its content did not really change; fetch: new content. */
function kind(l: DiffLayer): 'shared' | 'refetch' | 'fetch' {
  if (!l.pulledClassic && !l.pulledContainerd) return 'shared';
  if (l.shared || NOISE.has(l.verdict ?? '') || (!l.verdict && !l.pulledContainerd)) return 'refetch';
  return 'fetch';
}

function status(l: DiffLayer): { cls: string; text: string; tone: Tone } {
  const k = kind(l);
  if (k === 'shared') return { cls: k, text: 'already there', tone: 'good' };
  if (k === 'refetch')
    return {
      cls: k,
      text: l.pulledContainerd ? 'downloaded for nothing' : 'fetched again (classic)',
      tone: 'warn',
    };
  return { cls: k, text: 'downloaded', tone: 'bad' };
}

/** One stacked bar over NEW's layers: which bytes a store fetches. */
function stack(layers: DiffLayer[], pulled: (l: DiffLayer) => boolean, cls: string): Raw {
  const total = Math.max(
    1,
    layers.reduce((n, l) => n + l.size, 0),
  );
  return h`<div class="stack ${cls}">${layers.map((l) => {
    const w = ((l.size / total) * 100).toFixed(3);
    const p = pulled(l);
    const c = p ? kind(l) : 'shared';
    return h`<div class="${c}" style="width:${raw(w)}%" data-tip="${`layer ${l.index + 1}: ${oneLine(instruction(l.createdBy), 200)}\n${bytes(l.size)} ${p ? 'downloaded' : 'already there'}`}"></div>`;
  })}</div>`;
}
type Raw = ReturnType<typeof h>;

export function diffHtml(j: DiffJson): string {
  const layers = j.layers as DiffLayer[];
  const host = j.host ?? null;
  const oldName = host ? `the host ${host.engine}` : (j.old?.tags[0] ?? j.old?.reference ?? 'OLD');
  const newName = j.new.tags[0] ?? j.new.reference;
  const k = j.pull.classic;
  const cd = j.pull.containerd;
  const total = j.new.size;
  const avoidable = (pulled: (l: DiffLayer) => boolean) =>
    layers.filter((l) => pulled(l) && kind(l) === 'refetch').reduce((n, l) => n + l.size, 0);
  const avoidClassic = avoidable((l) => l.pulledClassic);
  const avoidContainerd = avoidable((l) => l.pulledContainerd);
  const noise = layers.filter((l) => (l.pulledClassic || l.pulledContainerd) && kind(l) === 'refetch').length;
  const store = host?.store;

  const overview = cards([
    {
      label: `Pull, classic store${store === 'classic' ? ' (this engine)' : ''}`,
      value: bytes(k.bytes),
      sub: `${plural(k.layers, 'layer')}, by ChainID`,
      tone: k.bytes === 0 ? 'good' : k.bytes > total / 2 ? 'bad' : 'warn',
    },
    {
      label: `Pull, containerd store${store === 'containerd' ? ' (this engine)' : ''}`,
      value: bytes(cd.bytes),
      sub: `${plural(cd.layers, 'blob')}, by digest`,
      tone: cd.bytes === 0 ? 'good' : cd.bytes > total / 2 ? 'bad' : 'warn',
    },
    {
      label: 'Shared layers',
      value: `${j.sharedLayers} of ${layers.length}`,
      sub: `${plural(j.newLayers, 'new layer')}`,
      tone: 'info',
    },
    { label: 'NEW image', value: bytes(total), sub: `${plural(layers.length, 'layer')}` },
    {
      label: 'Downloaded for nothing',
      value: bytes(avoidClassic),
      sub: `${plural(noise, 'layer')} without a real change (containerd: ${bytes(avoidContainerd)})`,
      tone: avoidClassic ? 'warn' : 'good',
    },
  ]);

  const download = h`<div class="legend"><span><i style="background:var(--good)"></i>already on the host</span><span><i style="background:var(--bad)"></i>real change, downloaded</span><span><i style="background:var(--warn)"></i>downloaded for nothing: same content, or only timestamps, .pyc, caches</span></div>
<p><b>Classic store</b> (layers keyed by ChainID: everything above the first missing layer is fetched again): <b>${bytes(k.bytes)}</b> in ${plural(k.layers, 'layer')}</p>${stack(layers, (l) => l.pulledClassic, 'classic')}
<p><b>containerd store</b> (content keyed by blob digest): <b>${bytes(cd.bytes)}</b> in ${plural(cd.layers, 'blob')}</p>${stack(layers, (l) => l.pulledContainerd, 'containerd')}`;

  const max = Math.max(1, ...layers.map((l) => l.size));
  const bars = barRows(
    layers.map((l): BarRow => {
      const s = status(l);
      return {
        label: h`<span class="muted">${l.index + 1}</span>&nbsp; ${oneLine(instruction(l.createdBy), 90)}`,
        value: l.size,
        note: h`${bytes(l.size)} ${badge(s.text, s.tone)}`,
        tip: `layer ${l.index + 1}: ${instruction(l.createdBy)}\n${bytes(l.size)}, ${s.text}${l.verdict ? `\n${VERDICTS[l.verdict]?.[0] ?? l.verdict}` : ''}`,
        cls: `layer-row ${s.cls}`,
        attrs: h` data-layer="${l.index}"`,
      };
    }),
    max,
  );

  const explained = layers.filter((l) => !l.shared || l.pulledClassic || l.pulledContainerd);
  const why = explained.length
    ? explained.map((l) => {
        const v = l.verdict ? VERDICTS[l.verdict] : null;
        const ch = l.change;
        const samples = ch?.samples.length
          ? h`<details><summary class="muted">${plural(ch.samples.length, 'largest change')}</summary>${table(
              [{ title: 'Change' }, { title: 'Path' }, { title: 'Size', num: true }, { title: 'Kind' }],
              ch.samples.map((s) => [
                badge(s.change, s.change === 'metadata' ? 'warn' : s.change === 'removed' ? 'bad' : 'info'),
                h`<span class="path">/${s.path}</span>${s.fields ? h` <span class="muted">(${s.fields.join(', ')})</span>` : ''}`,
                [s.size, bytes(s.size)],
                s.category,
              ]),
              'paths',
            )}</details>`
          : '';
        return h`<div class="layer-why" id="why-${l.index}"><h3><span class="muted">${l.index + 1}</span> ${oneLine(instruction(l.createdBy), 150)} ${v ? badge(v[0], v[1]) : ''} <span class="muted">${bytes(l.size)}</span></h3>${l.reason ? h`<p>${l.reason}${l.comparedWith !== null ? h` <span class="muted">(compared with OLD layer ${l.comparedWith + 1})</span>` : ''}</p>` : ''}${
          ch
            ? h`<p class="muted">${ch.contentChanged} changed (${bytes(ch.contentChangedBytes)}), ${ch.added} added (${bytes(ch.addedBytes)}), ${ch.removed} removed (${bytes(ch.removedBytes)}), ${ch.metadataOnly} with only ${ch.metadataFields.join('/') || 'metadata'} changed</p>`
            : ''
        }${l.fix ? h`<div class="fix"><b>Fix:</b> ${l.fix}</div>` : ''}${samples}</div>`;
      })
    : empty('Every layer of NEW is already there: the pull downloads nothing.');

  const checks = checksSection(j.checks);

  const hostSection = host
    ? section(
        'host',
        'The host',
        h`<dl class="kv"><dt>engine</dt><dd class="mono">${host.engine}</dd><dt>store</dt><dd>${host.store}</dd><dt>images</dt><dd>${host.images} (${plural(host.layers, 'distinct layer')})</dd><dt>blobs known</dt><dd>${host.knownBlobs} (from the manifests of the images' repository digests)</dd><dt>compared with</dt><dd>${host.comparedWith ?? 'no image on the host shares a layer with NEW'}</dd></dl>${host.notes.map((n) => h`<p class="muted">${n}</p>`)}${
          host.unresolved.length
            ? h`<details><summary class="muted">${plural(host.unresolved.length, 'repository digest')} not resolved</summary><ul>${host.unresolved.map((u) => h`<li><code>${u.repoDigest}</code>: ${u.reason}</li>`)}</ul></details>`
            : ''
        }`,
      )
    : '';

  return page({
    title: `${oldName} → ${newName} · layerwise diff`,
    heading: h`${oldName} <span class="muted">→</span> ${newName}`,
    meta: [
      j.old
        ? `${host ? `compared with ${j.old.tags[0] ?? j.old.reference}` : `OLD ${j.old.source}`}, ${plural(j.old.layers, 'layer')}, id ${shortDigest(j.old.configDigest)}`
        : null,
      `NEW ${j.new.source}, ${plural(j.new.layers, 'layer')}, id ${shortDigest(j.new.configDigest)}`,
      j.new.platform,
    ].filter((m): m is string => !!m),
    nav: [
      ['download', 'Download'],
      ['layers', 'Layers'],
      ['why', 'Why they changed'],
      ...(host ? [['host', 'Host'] as [string, string]] : []),
      ...(j.checks.length ? [['checks', 'Checks'] as [string, string]] : []),
    ],
    body: [
      overview,
      section('download', 'What a pull downloads', download),
      section('layers', 'Layers of NEW', bars, 'Bottom layer first.'),
      section('why', 'Why each new layer exists', why as Html),
      hostSection,
      checks,
    ],
  });
}
