import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeImage } from '../../../src/image/analyze/image.js';
import { openImage } from '../../../src/image/open.js';
import { validateImage } from '../../../src/image/validate.js';
import { buildImage, type ImageSpec, writeDockerArchive, writeOciLayout } from './builder.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-model-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const big = (n: number, c = 'x') => Buffer.alloc(n, c);

export const SPEC: ImageSpec = {
  emptyHistoryBefore: { 1: ['ENV A=1'], 3: ['CMD ["python3"]'] },
  layers: [
    {
      createdBy: 'ADD rootfs.tar /',
      files: [
        { path: 'etc', type: 'dir' },
        { path: 'etc/os-release', content: 'ID=debian\n' },
        { path: 'usr/bin/python3', content: big(3000) },
        { path: 'usr/bin/python', type: 'symlink', linkname: 'python3' },
      ],
    },
    {
      createdBy: 'RUN apt-get update && apt-get install -y curl',
      files: [
        { path: 'var/lib/apt/lists/deb_dists_bookworm_InRelease', content: big(5000) },
        { path: 'var/lib/apt/lists/lock', content: '' },
        { path: 'tmp/big.bin', content: big(10000) },
        { path: 'etc/os-release', content: 'ID=debian\nVERSION=12\n' },
      ],
    },
    {
      createdBy: 'RUN rm /tmp/big.bin',
      files: [{ path: 'tmp/.wh.big.bin' }],
    },
    {
      createdBy: 'COPY . /app',
      files: [
        { path: 'app/main.py', content: 'print("hi")\n' },
        { path: 'app/.env', content: 'SECRET_KEY=abc123\nDB_PASSWORD=hunter2\n' },
        {
          path: 'root/.ssh/id_rsa',
          content: '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n',
        },
        { path: 'usr/lib/python3/site-packages/demo/__init__.py', content: big(700) },
        { path: 'usr/lib/python3/site-packages/demo/tests/test_x.py', content: big(300) },
        {
          path: 'usr/lib/python3/site-packages/demo/__pycache__/__init__.cpython-311.pyc',
          content: big(200),
        },
        {
          path: 'usr/lib/python3/site-packages/demo-1.0.dist-info/RECORD',
          content: 'demo/__init__.py,sha256=x,700\ndemo/tests/test_x.py,,\ndemo-1.0.dist-info/RECORD,,\n',
        },
        { path: 'root/.cache/pip/http/abc', content: big(400) },
      ],
    },
  ],
};

describe('image model from every file source', () => {
  const img = buildImage(SPEC);
  writeOciLayout(join(tmp, 'layout'), img, 'v1');
  writeDockerArchive(join(tmp, 'legacy.tar'), img, { format: 'legacy', repoTag: 'demo:v1' });
  writeDockerArchive(join(tmp, 'oci.tar'), img, { format: 'oci', repoTag: 'demo:v1' });
  const refs = [
    `oci:${join(tmp, 'layout')}:v1`,
    `oci:${join(tmp, 'layout')}`,
    `archive:${join(tmp, 'legacy.tar')}`,
    `archive:${join(tmp, 'oci.tar')}`,
  ];

  for (const ref of refs) {
    it(`loads and validates ${ref.replace(tmp, 'TMP')}`, async () => {
      const image = await openImage(ref);
      try {
        assert.equal(image.layers.length, 4);
        assert.equal(image.configDigest, img.configDigest);
        assert.deepEqual(
          image.layers.map((l) => l.diffId),
          img.layers.map((l) => l.diffId),
        );
        assert.deepEqual(
          image.layers.map((l) => l.createdBy),
          SPEC.layers.map((l) => l.createdBy),
        );
        assert.equal(image.historyMismatch, 0);
        const v = await validateImage(image);
        assert.deepEqual(v.problems, []);
        if (ref.startsWith('oci:')) {
          assert.deepEqual(
            image.layers.map((l) => [l.digest, l.size]),
            img.layers.map((l) => [l.digest, l.blob.length]),
          );
        } else {
          // docker save archives hold uncompressed layers: digest = diffID.
          assert.deepEqual(
            image.layers.map((l) => [l.digest, l.size]),
            img.layers.map((l) => [l.diffId, l.tar.length]),
          );
        }
      } finally {
        await image.source.close();
      }
    });
  }

  it('gives the same analysis from every source', async () => {
    const outs = [];
    for (const ref of refs) {
      const image = await openImage(ref);
      const a = await analyzeImage(image);
      await image.source.close();
      outs.push({
        wasted: a.wastedBytes,
        eff: a.efficiency,
        dive: a.dive,
        final: a.finalBytes,
        unc: a.layers.map((l) => l.uncompressedSize),
        files: a.layers.map((l) => l.files),
        secrets: a.secrets.map((s) => [s.path, s.kind]),
        caches: a.caches.map((c) => [c.kind, c.bytes]),
      });
    }
    for (const o of outs.slice(1)) assert.deepEqual(o, outs[0]);
  });

  it('computes exact wasted bytes, caches, python and secrets', async () => {
    const image = await openImage(refs[0]);
    const a = await analyzeImage(image);
    await image.source.close();
    // Superseded copies: the first os-release (10 bytes) and the deleted big.bin (10000).
    assert.equal(a.wastedBytes, 10 + 10000);
    assert.deepEqual(
      a.wasted.map((w) => [w.path, w.bytes, w.deleted]),
      [
        ['tmp/big.bin', 10000, true],
        ['etc/os-release', 10, false],
      ],
    );
    // dive counts every copy of a path seen in more than one layer (the kept one too).
    assert.equal(a.dive.wastedBytes, 10000 + 10 + 21);
    const content = SPEC.layers.flatMap((l) => l.files).reduce((n, f) => n + Buffer.byteLength(f.content ?? ''), 0);
    assert.equal(content, 19841);
    assert.equal(a.contentBytes, content);
    assert.equal(a.efficiency, (content - 10010) / content);
    assert.deepEqual(a.layers[1].files, { added: 3, modified: 1, removed: 0 });
    assert.deepEqual(a.layers[2].files, { added: 0, modified: 0, removed: 1 });
    assert.equal(a.layers[2].bytes.removed, 10000);
    assert.equal(a.layers[1].hiddenByLaterBytes, 10000);
    assert.equal(a.layers[0].hiddenByLaterBytes, 10);
    assert.deepEqual(a.layers[1].emptyLayerInstructions, ['ENV A=1']);
    assert.deepEqual(
      a.caches.map((c) => [c.kind, c.bytes, c.layers]),
      [
        ['apt lists', 5000, [1]],
        ['pip cache', 400, [3]],
      ],
    );
    const demo = a.python.distributions.find((d) => d.name === 'demo')!;
    assert.equal(demo.bytes, 700 + 300 + 200 + 81);
    assert.equal(demo.pycacheBytes, 200);
    assert.equal(demo.testsBytes, 300);
    assert.equal(a.python.testsBytes, 300);
    assert.deepEqual(
      a.secrets.map((s) => [s.path, s.kind, s.masked]),
      [
        ['app/.env', 'dotenv file', 'SECRET_KEY=**** DB_PASSWORD=****'],
        ['root/.ssh/id_rsa', 'SSH private key', '(file present)'],
      ],
    );
    assert.deepEqual(
      a.largestFiles.slice(0, 2).map((f) => [f.path, f.size, f.layerIndex]),
      [
        ['var/lib/apt/lists/deb_dists_bookworm_InRelease', 5000, 1],
        ['usr/bin/python3', 3000, 0],
      ],
    );
  });
});
