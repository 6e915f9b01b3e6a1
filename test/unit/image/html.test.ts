import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { diffArgs } from '../../../src/cli/diff.js';
import { analyzeImage } from '../../../src/image/analyze/image.js';
import { diffImages, type HeldLayers } from '../../../src/image/diff.js';
import { openImage } from '../../../src/image/open.js';
import { esc, h, raw } from '../../../src/image/report/html-kit.js';
import { layerTrees, type TreeNode } from '../../../src/image/report/html-tree.js';
import { HOSTILE, HOSTILE2, writeDiffPair, writeInspectImage } from './html-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-html-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const CLI = join(import.meta.dirname, '../../../src/cli/main.js');
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const ref = writeInspectImage(tmp);
const pair = writeDiffPair(tmp);

/** No resource the page could load from anywhere: no src/href to a URL, no url(), no @import. */
function assertSelfContained(html: string): void {
  assert.doesNotMatch(html, /\b(src|href|action|poster|data)\s*=\s*["']?(https?:|\/\/)/i);
  assert.doesNotMatch(html, /url\(|@import|<link\b|<iframe\b|<object\b|<embed\b/i);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
  assert.equal((html.match(/<script>/g) ?? []).length, 1, 'one script, ours');
}

describe('html kit', () => {
  it('escapes interpolations, keeps raw', () => {
    assert.equal(esc(`<a href="x">'&`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    const name = '<script>alert(1)</script>';
    assert.equal(
      h`<b>${name}</b>${raw('<i>ok</i>')}${[name, raw('<br>')]}`.html,
      `<b>${esc(name)}</b><i>ok</i>${esc(name)}<br>`,
    );
    assert.equal(h`<td data-tip="${'"><x>'}">`.html, '<td data-tip="&quot;&gt;&lt;x&gt;">');
  });
});

describe('inspect --format html', () => {
  it('renders every section from the analysis, hostile names escaped, nothing external', () => {
    const r = cli('inspect', ref, '-f', 'html');
    assert.equal(r.code, 0, r.stderr);
    const html = r.stdout;
    assert.match(html, /^<!DOCTYPE html>/);
    assertSelfContained(html);
    assert.equal((html.match(/class="bar-row layer-row"/g) ?? []).length, 5);
    assert.equal((html.match(/<details class="layer" id="layer-\d+">/g) ?? []).length, 5);
    for (const id of ['layers', 'files', 'dirs', 'wasted', 'python', 'caches', 'secrets'])
      assert.match(html, new RegExp(`<section id="${id}">`));
    assert.ok(!html.includes(HOSTILE) && !html.includes('<svg'), 'hostile names are escaped');
    assert.ok(!html.includes('<script>alert') && html.includes('&lt;script&gt;alert(3)&lt;'));
    assert.ok(html.includes(esc(HOSTILE)) && html.includes(esc(HOSTILE2)));
    assert.match(html, /numpy<\/b> <span class="muted">2\.1\.0/);
    assert.match(html, /apt lists/);
    assert.match(html, /pip cache/);
    assert.match(html, /dotenv file/);
    assert.ok(!html.includes('hunter2hunter2'), 'secret values are masked');
    assert.match(html, /\/tmp\/build\.tar/); // wasted: deleted in layer 4
    assert.match(html, /more not shown/); // 2,600 doc files in layer 1, 2,000 shown
  });

  it('-o writes the file, refuses to overwrite it without --force', () => {
    const out = join(tmp, 'report.html');
    let r = cli('inspect', ref, '-f', 'html', '-o', out);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(readFileSync(out, 'utf8'), /<\/html>/);
    writeFileSync(out, 'keep me');
    r = cli('inspect', ref, '-f', 'html', '-o', out);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /exists; use --force/);
    assert.equal(readFileSync(out, 'utf8'), 'keep me');
    r = cli('inspect', ref, '-f', 'html', '--output', out, '--force');
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(out, 'utf8'), /<\/html>/);
  });

  it('file trees: capped per layer, the rest counted; changes and hidden copies marked', async () => {
    const img = await openImage(ref);
    try {
      const a = await analyzeImage(img);
      const trees = layerTrees(a, 100);
      const t0 = trees[0];
      assert.equal(t0.entries, 2603);
      assert.equal(t0.shown, 100);
      assert.equal(t0.notShown, 2503);
      const count = (n: TreeNode): number =>
        (n.kind === 'dir' ? 0 : 1) + (n.children ?? []).reduce((s, c) => s + count(c), 0);
      assert.equal(count(t0.root), 100);
      const more = (n: TreeNode): number =>
        (n.more?.entries ?? 0) + (n.children ?? []).reduce((s, c) => s + more(c), 0);
      assert.equal(more(t0.root), 2503, 'every entry not shown is counted in some directory');
      const find = (n: TreeNode, path: string[]): TreeNode | undefined =>
        path.length === 0 ? n : find(n.children?.find((c) => c.name === path[0]) as TreeNode, path.slice(1));
      const tar = find(trees[1].root, ['tmp', 'build.tar']);
      assert.equal(tar?.change, 'added');
      assert.equal(tar?.hiddenLater, true);
      assert.equal(find(trees[3].root, ['tmp', 'build.tar'])?.kind, 'whiteout');
      assert.equal(find(trees[4].root, ['app', HOSTILE])?.kind, 'file');
    } finally {
      await img.source.close();
    }
  });
});

describe('diff --format html', () => {
  it('renders pull figures, verdicts and fixes; hostile names escaped', () => {
    const j = JSON.parse(cli('diff', '-f', 'json', pair.old, pair.new).stdout);
    const r = cli('diff', pair.old, pair.new, '--format', 'html');
    assert.equal(r.code, 0, r.stderr);
    const html = r.stdout;
    assertSelfContained(html);
    assert.equal((html.match(/class="bar-row layer-row/g) ?? []).length, 4);
    assert.match(html, /only timestamps\/owners\/modes/);
    assert.match(html, /only apt lists, caches or logs/);
    assert.match(html, /SOURCE_DATE_EPOCH/);
    assert.ok(html.includes(`<b>${(j.pull.classic.bytes / 1000).toFixed(1)} kB</b> in 3 layers`));
    assert.ok(!html.includes(HOSTILE));
  });
});

describe('diff --host', () => {
  it('arguments: --host[=ENGINE] NEW', () => {
    assert.deepEqual(diffArgs(['a', 'b'], undefined), { oldRef: 'a', newRef: 'b', engine: undefined, host: false });
    // --host=app:2 names an engine, not NEW (a bare --host no longer takes the argument after it).
    assert.throws(() => diffArgs([], 'app:2'), /expected an engine address/);
    assert.deepEqual(diffArgs(['app:2'], true), { oldRef: null, newRef: 'app:2', engine: undefined, host: true });
    assert.deepEqual(diffArgs(['app:2'], 'unix:///run/d.sock'), {
      oldRef: null,
      newRef: 'app:2',
      engine: 'unix:///run/d.sock',
      host: true,
    });
    assert.throws(() => diffArgs(['a'], undefined), /expected OLD and NEW/);
    assert.throws(() => diffArgs(['a', 'b'], true), /expected one image/);
    assert.throws(() => diffArgs(['unix:///run/d.sock', 'b'], true), /--host=unix:\/\/\/run\/d.sock/);
    assert.throws(() => diffArgs(['b'], 'app:1'), /expected an engine address/);
    const r = cli('diff', 'only-one');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /expected OLD and NEW/);
  });

  it('prediction: ChainID on the host and a known blob digest, else fetched from there up', async () => {
    const o = await openImage(pair.old);
    const n = await openImage(pair.new);
    try {
      const held = (knownBlobs: string[]): HeldLayers => ({
        chainIds: new Set(o.layers.map((l) => l.chainId)),
        diffIds: new Set(o.layers.map((l) => l.diffId)),
        knownBlobs: new Set(knownBlobs),
        imageIds: new Set([o.configDigest]),
      });
      const size = (from: number) => n.layers.slice(from).reduce((s, l) => s + l.size, 0);
      // The host pulled OLD: its blobs are known; the base is reused, the rest fetched.
      let d = await diffImages(o, n, { held: held(o.layers.map((l) => l.digest)) });
      assert.deepEqual(d.pull.classic, { bytes: size(1), layers: 3, firstMissingLayer: 1 });
      assert.deepEqual(d.pull.containerd, { bytes: size(1), layers: 3 });
      assert.equal(d.layers[2].verdict, 'metadata-only');
      // OLD came from a build or docker load: its layers are there but no blob digest is known.
      d = await diffImages(o, n, { held: held([]) });
      assert.deepEqual(d.pull.classic, { bytes: size(0), layers: 4, firstMissingLayer: 0 });
      assert.equal(d.layers[0].shared, true);
      assert.match(d.layers[0].reason ?? '', /never pulled or pushed this blob/);
      // No image to compare with: pull figures only.
      d = await diffImages(null, n, { held: held(o.layers.map((l) => l.digest)) });
      assert.equal(d.pull.classic.bytes, size(1));
      assert.equal(d.layers[1].verdict, null);
      assert.match(d.layers[1].reason ?? '', /no image on the host/);
      // NEW itself on the host: nothing to pull.
      const h2 = held(o.layers.map((l) => l.digest));
      h2.imageIds.add(n.configDigest);
      d = await diffImages(o, n, { held: h2 });
      assert.deepEqual(d.pull.classic, { bytes: 0, layers: 0, firstMissingLayer: null });
      assert.deepEqual(d.pull.containerd, { bytes: 0, layers: 0 });
    } finally {
      await o.source.close();
      await n.source.close();
    }
  });
});
