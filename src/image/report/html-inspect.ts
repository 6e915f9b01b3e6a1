/**
 * `layerwise inspect --format html`: one self-contained page rendered from the same plain
 * object as the JSON output (plus the per-layer file trees): layer bars, an expandable file
 * tree per layer, wasted files, size by directory, the Python breakdown, caches, secrets.
 */
import type { LayerReport } from '../analyze/image.js';
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
  pct,
  plural,
  section,
  table,
} from './html-kit.js';
import { type LayerTree, renderTree } from './html-tree.js';
import type { InspectJson } from './inspect.js';

export function inspectHtml(j: InspectJson, trees: LayerTree[] = []): string {
  const layers = j.layers as unknown as LayerReport[];
  const name = j.image.reference;
  const secrets = j.secrets.filter((s) => !s.inPackage);
  const cacheBytes = j.caches.reduce((n, c) => n + c.bytes, 0);
  const failed = j.checks.filter((c) => c.failed).length;
  const stored = j.image.source === 'registry' || j.image.source === 'oci' ? 'compressed' : 'as stored';

  const overview = cards([
    { label: 'Layers', value: String(layers.length), sub: `${j.history.length} history entries`, tone: 'info' },
    { label: `Size (${stored})`, value: bytes(j.size), sub: `${bytes(j.uncompressedSize)} uncompressed` },
    { label: 'Final file system', value: bytes(j.finalBytes), sub: plural(j.finalFiles, 'file') },
    {
      label: 'Wasted',
      value: bytes(j.wastedBytes),
      sub: `efficiency ${pct(j.efficiency)} · dive: ${bytes(j.dive.wastedBytes)}`,
      tone: j.wastedBytes > 0.05 * Math.max(1, j.contentBytes) ? 'warn' : 'good',
    },
    {
      label: 'Caches left',
      value: bytes(cacheBytes),
      sub: j.caches.map((c) => c.kind).join(', ') || 'none',
      tone: cacheBytes > 0 ? 'warn' : 'good',
    },
    {
      label: 'Secrets',
      value: String(secrets.length),
      sub: j.secrets.length > secrets.length ? `${j.secrets.length - secrets.length} more inside packages` : 'found',
      tone: secrets.length > 0 ? 'bad' : 'good',
    },
    ...(j.checks.length
      ? [
          {
            label: 'Checks',
            value: failed ? `${failed} failed` : 'all pass',
            sub: `${j.checks.length} conditions`,
            tone: failed ? ('bad' as const) : ('good' as const),
          },
        ]
      : []),
  ]);

  // Layer bars: compressed in front of uncompressed, on one scale.
  const max = Math.max(1, ...layers.map((l) => Math.max(l.uncompressedSize, l.size)));
  const layerBars = barRows(
    layers.map((l): BarRow => ({
      label: h`<span class="muted">${l.index + 1}</span>&nbsp; ${oneLine(instruction(l.createdBy), 90)}`,
      value: l.size,
      back: l.uncompressedSize,
      note: h`${bytes(l.size)}${l.uncompressedSize !== l.size ? h` <span class="muted">/ ${bytes(l.uncompressedSize)}</span>` : ''}`,
      tip: `layer ${l.index + 1}: ${instruction(l.createdBy)}\n${bytes(l.size)} ${stored}, ${bytes(l.uncompressedSize)} uncompressed\n+${l.files.added} added, ~${l.files.modified} modified, −${l.files.removed} removed${l.hiddenByLaterBytes ? `\n${bytes(l.hiddenByLaterBytes)} hidden by later layers` : ''}`,
      cls: 'layer-row',
      attrs: h` data-layer="${l.index}"`,
    })),
    max,
    'layer-bars',
  );
  const legend = h`<div class="legend"><span><i style="background:var(--accent)"></i>${stored} size</span><span><i style="background:var(--accent2)"></i>uncompressed size</span><span>hover a bar for the whole instruction</span></div>`;

  const details = layers.map((l) => {
    const t = trees[l.index];
    const ch = h`<span class="muted">+${l.files.added} ~${l.files.modified} −${l.files.removed}</span>`;
    return h`<details class="layer" id="layer-${l.index}"><summary><span class="layer-num">${l.index + 1}</span><span class="layer-cmd" data-tip="${instruction(l.createdBy)}">${oneLine(instruction(l.createdBy), 160)}</span><span>${ch} &nbsp;<b>${bytes(l.size)}</b>${l.hiddenByLaterBytes ? h` &nbsp;${badge(`${bytes(l.hiddenByLaterBytes)} hidden later`, 'warn')}` : ''}</span></summary><div class="layer-body"><pre>${instruction(l.createdBy)}</pre>${
      l.emptyLayerInstructions.length
        ? h`<p class="muted">Before it (no layer): ${l.emptyLayerInstructions.map((e, i) => h`${i ? ', ' : ''}<code>${oneLine(instruction(e), 80)}</code>`)}</p>`
        : ''
    }<dl class="kv"><dt>digest</dt><dd class="mono">${l.digest}</dd><dt>diffID</dt><dd class="mono">${l.diffId}</dd><dt>size</dt><dd>${bytes(l.size)} ${stored} (${l.compression}), ${bytes(l.uncompressedSize)} uncompressed, ${plural(l.entries, 'tar entry', 'tar entries')}</dd><dt>changes</dt><dd>${plural(l.files.added, 'file')} added (${bytes(l.bytes.added)}), ${l.files.modified} modified (${bytes(l.bytes.modified)}), ${l.files.removed} removed (${bytes(l.bytes.removed)})</dd>${l.created ? h`<dt>created</dt><dd>${l.created}</dd>` : ''}</dl>${t ? renderTree(t) : empty('No file tree for this layer.')}</div></details>`;
  });

  const wasted = j.wasted.length
    ? table(
        [
          { title: 'Path' },
          { title: 'Wasted', num: true },
          { title: 'Copies', num: true },
          { title: 'Status' },
          { title: 'In layers' },
        ],
        j.wasted.map((w) => [
          h`<span class="path">/${w.path}</span>`,
          [w.bytes, bytes(w.bytes)],
          [w.copies, String(w.copies)],
          w.deleted ? badge('deleted', 'bad') : badge('overwritten', 'warn'),
          w.layers.map((i) => i + 1).join(', '),
        ]),
        'paths',
      )
    : empty('Nothing is wasted: no later layer overwrites or deletes a file of a lower one.');

  const dirs = dirBars(j.directories);

  const largest = j.largestFiles.length
    ? table(
        [{ title: 'File' }, { title: 'Size', num: true }, { title: 'Layer', num: true }],
        j.largestFiles.map((f) => [
          h`<span class="path">/${f.path}</span>`,
          [f.size, bytes(f.size)],
          [f.layerIndex, String(f.layerIndex + 1)],
        ]),
        'paths',
      )
    : empty('No files.');

  const py = j.python;
  const spTotal = py.sitePackages.reduce((n, s) => n + s.bytes, 0);
  const distMax = Math.max(1, ...py.distributions.map((d) => d.bytes));
  const python = py.sitePackages.length
    ? h`${cards([
        { label: 'site-packages', value: bytes(spTotal), sub: py.sitePackages.map((s) => `/${s.path}`).join(', ') },
        { label: 'Distributions', value: String(py.distributions.filter((d) => d.version).length) },
        {
          label: '__pycache__ / .pyc',
          value: bytes(py.pycacheBytes),
          sub: plural(py.pycacheFiles, 'file'),
          tone: py.pycacheBytes > 0 ? 'warn' : undefined,
        },
        { label: 'Tests in packages', value: bytes(py.testsBytes), sub: plural(py.testsFiles, 'file') },
      ])}${barRows(
        py.distributions.slice(0, 40).map((d) => ({
          label: h`<b>${d.name}</b> <span class="muted">${d.version}</span>`,
          value: d.bytes,
          note: h`${bytes(d.bytes)} <span class="muted">· ${d.files} files</span>`,
          tip: `${d.name} ${d.version} in /${d.sitePackages}\n${bytes(d.bytes)} in ${d.files} files\n__pycache__ ${bytes(d.pycacheBytes)}, tests ${bytes(d.testsBytes)}\nlayer ${d.layers.map((i) => i + 1).join(', ')}`,
        })),
        distMax,
      )}${py.distributions.length > 40 ? h`<p class="muted">${py.distributions.length - 40} smaller distributions not shown.</p>` : ''}`
    : empty('No site-packages or dist-packages directory in this image.');

  const caches = j.caches.length
    ? table(
        [
          { title: 'Cache' },
          { title: 'Size', num: true },
          { title: 'Files', num: true },
          { title: 'Layer' },
          { title: 'Fix' },
        ],
        j.caches.map((c) => [
          h`<b>${c.kind}</b><div class="muted path">${c.paths.map((p) => `/${p}`).join('\n')}</div>`,
          [c.bytes, bytes(c.bytes)],
          [c.files, String(c.files)],
          c.layers.map((i) => i + 1).join(', '),
          h`<div class="fix">${c.fix}</div>`,
        ]),
      )
    : empty('No package-manager caches left in the final image.');

  const secretsTable = j.secrets.length
    ? table(
        [
          { title: 'Kind' },
          { title: 'Where' },
          { title: 'Layer', num: true },
          { title: 'Status' },
          { title: 'Preview (masked)' },
        ],
        j.secrets.map((s) => [
          h`<b>${s.kind}</b>`,
          s.source === 'layer'
            ? h`<span class="path">/${s.path}</span>`
            : h`${s.location}${s.alsoIn.length ? h`<div class="muted">also ${s.alsoIn.join(', ')}</div>` : ''}`,
          s.layerIndex === null ? [-1, '—'] : [s.layerIndex, String(s.layerIndex + 1)],
          s.inPackage
            ? badge('inside a package', 'muted')
            : s.source !== 'layer'
              ? badge('in the image config', 'bad')
              : s.inFinalImage
                ? badge('in the final image', 'bad')
                : badge('deleted later, still in the layer', 'warn'),
          h`<code>${s.masked}</code>`,
        ]),
      )
    : empty('No private keys, .env files or credentials found in the layers or the image config.');

  const checks = checksSection(j.checks);

  const body: Html = [
    overview,
    section(
      'layers',
      'Layers',
      h`${legend}${layerBars}`,
      'Bottom layer first. Each bar is one layer; its instruction is on the left.',
    ),
    section(
      'files',
      'Files by layer',
      details,
      'Open a layer to see the files it adds (+), replaces (~) and removes (−). Directories show their size and entry count.',
    ),
    h`<div class="grid2">${section('dirs', 'Size by directory', dirs, 'Final file system.')}${section('largest', 'Largest files', largest)}</div>`,
    section(
      'wasted',
      'Wasted files',
      wasted,
      `${bytes(j.wastedBytes)} in copies that later layers overwrite or delete (the kept copy is not counted); dive counts ${bytes(j.dive.wastedBytes)}.`,
    ),
    section('python', 'Python', python),
    section('caches', 'Caches left behind', caches),
    section(
      'secrets',
      'Secrets',
      secretsTable,
      'Values are masked; a secret deleted by a later layer is still inside the image, and one in the config (ENV, LABEL, build args, RUN lines in the history) is readable by anyone who can pull it.',
    ),
    checks,
  ];
  return page({
    title: `${name} · layerwise inspect`,
    heading: name,
    meta: [
      `${j.image.source}`,
      j.image.platform,
      `id ${shortDigest(j.image.configDigest)}`,
      j.image.created ? `created ${j.image.created}` : null,
      j.image.tags.length ? `tags ${j.image.tags.join(', ')}` : null,
    ].filter((m): m is string => !!m),
    nav: [
      ['layers', 'Layers'],
      ['files', 'Files'],
      ['dirs', 'Directories'],
      ['wasted', 'Wasted'],
      ['python', 'Python'],
      ['caches', 'Caches'],
      ['secrets', 'Secrets'],
      ...(j.checks.length ? [['checks', 'Checks'] as [string, string]] : []),
    ],
    body,
  });
}

/** Directories as nested bars: each parent followed by its children, largest first. */
function dirBars(dirs: InspectJson['directories']): Html {
  if (!dirs.length) return empty('No files.');
  const have = new Set(dirs.map((d) => d.path));
  const parentOf = (p: string): string | null => {
    const segs = p.split('/');
    for (let i = segs.length - 1; i > 0; i--) {
      const q = segs.slice(0, i).join('/');
      if (have.has(q)) return q;
    }
    return null;
  };
  const kids = new Map<string | null, typeof dirs>();
  for (const d of dirs) {
    const p = parentOf(d.path);
    kids.set(p, [...(kids.get(p) ?? []), d]);
  }
  const rows: BarRow[] = [];
  const visit = (p: string | null, depth: number) => {
    for (const d of (kids.get(p) ?? []).sort((a, b) => b.bytes - a.bytes)) {
      const rel = p ? d.path.slice(p.length + 1) : d.path;
      rows.push({
        label: h`<span class="mono">${depth ? rel : `/${rel}`}</span>`,
        value: d.bytes,
        note: h`${bytes(d.bytes)} <span class="muted">· ${d.files}</span>`,
        tip: `/${d.path}: ${bytes(d.bytes)} in ${d.files} files`,
        indent: depth,
      });
      visit(d.path, depth + 1);
    }
  };
  visit(null, 0);
  const max = Math.max(...dirs.map((d) => d.bytes));
  return barRows(rows, max, 'dir-bars');
}
