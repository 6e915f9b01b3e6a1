import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { diffImages } from '../../../src/image/diff.js';
import { openImage } from '../../../src/image/open.js';
import { buildImage, type FileSpec, type LayerSpec, writeOciLayout } from './builder.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-diff-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const CLI = join(import.meta.dirname, '../../../src/cli/main.js');

const base: LayerSpec = {
  createdBy: 'ADD rootfs /',
  files: [{ path: 'usr/bin/python3', content: Buffer.alloc(40000, 7) }],
};
const apt = (lists: string, mtime = 1): LayerSpec => ({
  createdBy: 'RUN apt-get update && apt-get install -y curl',
  files: [
    { path: 'usr/bin/curl', content: Buffer.alloc(20000, 3), mtime },
    { path: 'var/lib/apt/lists/main_Packages', content: lists, mtime },
  ],
});
const deps = (files: FileSpec[]): LayerSpec => ({ createdBy: 'RUN pip install -r requirements.txt', files });
const app = (code: string, mtime = 1): LayerSpec => ({
  createdBy: 'COPY . /app',
  files: [{ path: 'app/main.py', content: code, mtime }],
});
const pkg = (pyc: string, mtime = 1): FileSpec[] => [
  { path: 'usr/lib/python3/site-packages/lib/__init__.py', content: Buffer.alloc(9000, 1), mtime },
  { path: 'usr/lib/python3/site-packages/lib/__pycache__/__init__.cpython-311.pyc', content: pyc, mtime },
];

let n = 0;
function ref(layers: LayerSpec[]) {
  const dir = join(tmp, `i${n++}`);
  const img = buildImage({ layers });
  writeOciLayout(dir, img);
  return { ref: `oci:${dir}`, img };
}

async function diff(a: LayerSpec[], b: LayerSpec[]) {
  const A = ref(a);
  const B = ref(b);
  const oi = await openImage(A.ref);
  const ni = await openImage(B.ref);
  const d = await diffImages(oi, ni);
  return { d, A, B };
}

describe('diff: pull prediction and verdicts', () => {
  it('a code change pulls only the top layer in both stores', async () => {
    const { d, B } = await diff(
      [base, apt('L1'), deps(pkg('p')), app('v1')],
      [base, apt('L1'), deps(pkg('p')), app('v2')],
    );
    assert.deepEqual(d.pull.containerd, { bytes: B.img.layers[3].blob.length, layers: 1 });
    assert.deepEqual(d.pull.classic, { bytes: B.img.layers[3].blob.length, layers: 1, firstMissingLayer: 3 });
    assert.equal(d.layers[3].verdict, 'real-change');
    assert.equal(d.layers[3].change?.contentChanged, 1);
  });

  it('classic refetches every layer above the first changed one; containerd only changed blobs', async () => {
    const { d, B } = await diff(
      [base, apt('L1'), deps(pkg('p')), app('v1')],
      [base, apt('L2'), deps(pkg('p')), app('v1')],
    );
    const sizes = B.img.layers.map((l) => l.blob.length);
    assert.deepEqual(d.pull.classic, {
      bytes: sizes[1] + sizes[2] + sizes[3],
      layers: 3,
      firstMissingLayer: 1,
    });
    assert.deepEqual(d.pull.containerd, { bytes: sizes[1], layers: 1 });
    assert.equal(d.layers[1].verdict, 'caches-only');
    assert.match(d.layers[1].fix ?? '', /apt\/lists/);
    assert.equal(d.layers[2].verdict, null);
    assert.match(d.layers[2].reason ?? '', /new ChainID/);
  });

  it('a rebuild that changes only mtimes is metadata-only, with the fix', async () => {
    const { d } = await diff([base, apt('L1', 1), app('v1', 1)], [base, apt('L1', 2), app('v1', 1)]);
    assert.equal(d.layers[1].verdict, 'metadata-only');
    assert.deepEqual(d.layers[1].change?.metadataFields, ['mtime']);
    assert.match(d.layers[1].fix ?? '', /SOURCE_DATE_EPOCH/);
  });

  it('only .pyc changed', async () => {
    const { d } = await diff([base, deps(pkg('a'))], [base, deps(pkg('b'))]);
    assert.equal(d.layers[1].verdict, 'pyc-only');
    assert.match(d.layers[1].fix ?? '', /unchecked-hash|PYTHONDONTWRITEBYTECODE/);
  });

  it('a changed base layer suggests pinning the base by digest', async () => {
    const other: LayerSpec = {
      createdBy: 'ADD rootfs /',
      files: [{ path: 'usr/bin/python3', content: Buffer.alloc(40001, 7) }],
    };
    const { d } = await diff([base, app('v1')], [other, app('v1')]);
    assert.equal(d.layers[0].verdict, 'real-change');
    assert.match(d.layers[0].fix ?? '', /pin it by digest/);
  });

  it('a new instruction is a new layer', async () => {
    const { d } = await diff([base, app('v1')], [base, deps(pkg('p')), app('v1')]);
    assert.equal(d.layers[1].verdict, 'new-layer');
    assert.equal(d.pull.classic.layers, 2);
    assert.equal(d.pull.containerd.layers, 1);
  });

  it('CLI: JSON contract and --fail-on download>SIZE', () => {
    const A = ref([base, app('v1')]);
    const B = ref([base, app('v2')]);
    const r = spawnSync(
      process.execPath,
      [CLI, 'diff', '--format', 'json', A.ref, B.ref, '--fail-on', 'download>10B'],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 1, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.pull.containerd.bytes, B.img.layers[1].blob.length);
    assert.equal(j.pull.classic.layers, 1);
    assert.equal(Number.isInteger(j.pull.classic.bytes), true);
    assert.equal(j.checks[0].failed, true);
    const ok = spawnSync(process.execPath, [CLI, 'diff', A.ref, B.ref, '--fail-on', 'download>10MB'], {
      encoding: 'utf8',
    });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /real change/);
    const bad = spawnSync(process.execPath, [CLI, 'diff', A.ref, B.ref, '--fail-on', 'download>ten'], {
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
  });

  it('CLI inspect: JSON contract, --fail-on and .dive-ci', () => {
    const A = ref([base, { createdBy: 'RUN x', files: [{ path: 'usr/bin/python3', content: 'small' }] }]);
    const r = spawnSync(process.execPath, [CLI, 'inspect', '-f', 'json', A.ref, '--fail-on', 'wasted>1kB'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 1, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.wastedBytes, 40000);
    assert.equal(j.layers.length, 2);
    for (const k of ['digest', 'diffId', 'size', 'uncompressedSize', 'createdBy']) assert.ok(k in j.layers[0], k);
    assert.equal(j.layers[1].createdBy, 'RUN x');
    assert.ok(j.efficiency > 0 && j.efficiency < 1);
    assert.equal(j.dive.wastedBytes, 40005);
    const t = spawnSync(process.execPath, [CLI, 'inspect', A.ref, '--fail-on', 'efficiency<0.0001,layers>5'], {
      encoding: 'utf8',
    });
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /wasted 40\.0 kB/);
    const ci = join(tmp, '.dive-ci');
    writeFileSync(ci, 'rules:\n  lowestEfficiency: 0.9\n  highestWastedBytes: disabled\n');
    const d = spawnSync(process.execPath, [CLI, 'inspect', A.ref, `--dive-ci=${ci}`], { encoding: 'utf8' });
    assert.equal(d.status, 1, d.stderr);
    assert.match(d.stdout, /FAIL +lowestEfficiency: 0.9/);
  });
});
