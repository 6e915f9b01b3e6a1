// build's config and manifest: their shape, their stability, and an image made of them written as
// an OCI layout that umoci and skopeo read (umoci unpacks the file back), plus a docker archive
// whose manifest.json names what it holds.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { EPOCH, imageConfig, imageManifest, stableJson } from '../../src/build/image-write.js';
import { layoutKey, previousLayers } from '../../src/build/layer-plan.js';
import { type AssembledImage, pushImage, writeDockerArchive, writeOciLayout } from '../../src/build/outputs.js';
import { buildLayer } from '../../src/build/tar-write.js';
import { BUILD_LAYOUT, type BuiltLayer, LAYER_ANNOTATIONS } from '../../src/build/types.js';
import { type ImageConfig, MediaTypes } from '../../src/image/model.js';
import { openImage } from '../../src/image/open.js';
import { startFakeRegistry } from './fake-registry.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const has = (cmd: string) => {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

async function fixture() {
  const baseLayer = await buildLayer({ kind: 'venv', packages: [] }, [
    { path: 'etc/os-release', type: 'file', mode: 0o644, data: Buffer.from('ID=test\n') },
    { path: 'usr/local/bin', type: 'dir', mode: 0o755 },
  ]);
  const base: ImageConfig = {
    // Keys in an odd order on purpose: the output must not depend on it.
    rootfs: { type: 'layers', diff_ids: [baseLayer.layer.diffId] },
    os: 'linux',
    architecture: 'amd64',
    config: {
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8'],
      Cmd: ['python3'],
      Labels: { base: 'yes' },
      Hostname: 'leftover',
      OnBuild: ['RUN x'],
    },
    history: [{ created: '2024-01-01T00:00:00Z', created_by: 'base layer' }],
    created: '2024-01-01T00:00:00Z',
  };
  const pkg = await buildLayer(
    { kind: 'package', packages: [{ name: 'six', version: '1.16.0', wheelSha256: 'ab'.repeat(32) }] },
    [
      {
        path: 'app/.venv/lib/python3.11/site-packages/six.py',
        type: 'file',
        mode: 0o644,
        data: Buffer.from('# six\n'),
      },
    ],
  );
  const proj = await buildLayer({ kind: 'project', packages: [{ name: 'demo', version: '', wheelSha256: '' }] }, [
    { path: 'app/hello.txt', type: 'file', mode: 0o644, data: Buffer.from('hello from build\n') },
  ]);
  return { base, baseLayer, layers: [pkg, proj] };
}

const baseDesc = (l: BuiltLayer) => ({
  mediaType: MediaTypes.dockerLayer,
  digest: l.digest,
  size: l.size,
  annotations: { x: 'y' },
});

describe('imageConfig', () => {
  it('keeps the base runtime settings, leads PATH with the venv, appends layers and history', async () => {
    const f = await fixture();
    const built = f.layers.map((l) => l.layer);
    const bytes = imageConfig(f.base, built, {
      venv: 'app/.venv',
      env: { PYTHONUNBUFFERED: '1' },
      workdir: '/app',
      exposedPorts: ['8000'],
      labels: { app: 'demo' },
      entrypoint: ['python', '-m', 'demo'],
    });
    const c = JSON.parse(bytes.toString());
    assert.equal(c.created, EPOCH);
    assert.equal(c.architecture, 'amd64');
    assert.deepEqual(c.config.Env, [
      'PATH=/app/.venv/bin:/usr/local/bin:/usr/bin:/bin',
      'LANG=C.UTF-8',
      'VIRTUAL_ENV=/app/.venv',
      'PYTHONUNBUFFERED=1',
    ]);
    assert.equal(c.config.WorkingDir, '/app');
    assert.deepEqual(c.config.ExposedPorts, { '8000/tcp': {} });
    assert.deepEqual(c.config.Labels, { app: 'demo', base: 'yes' });
    assert.deepEqual(c.config.Entrypoint, ['python', '-m', 'demo']);
    assert.equal(c.config.Cmd, undefined, 'an entrypoint resets the base CMD');
    assert.equal(c.config.Hostname, undefined);
    assert.equal(c.config.OnBuild, undefined);
    assert.deepEqual(c.rootfs.diff_ids, [f.baseLayer.layer.diffId, ...built.map((l) => l.diffId)]);
    assert.deepEqual(
      c.history.map((h: { created_by: string }) => h.created_by),
      ['base layer', 'layerwise build: six 1.16.0', 'layerwise build: project demo'],
    );
    assert.equal(bytes.toString(), stableJson(c), 'keys sorted at every level');
    // Same inputs, same bytes, whatever the base's key order.
    const reordered = JSON.parse(stableJson(f.base)) as ImageConfig;
    assert.ok(
      imageConfig(reordered, built, { venv: '/app/.venv/' }).equals(imageConfig(f.base, built, { venv: 'app/.venv' })),
    );
    // Without an entrypoint, the base's CMD stays.
    assert.deepEqual(JSON.parse(imageConfig(f.base, built, { venv: 'app/.venv' }).toString()).config.Cmd, ['python3']);
  });
});

describe('imageManifest and the OCI layout', () => {
  it('lists base layers as OCI, new layers annotated; umoci and skopeo read the layout', async () => {
    const f = await fixture();
    const built = f.layers.map((l) => l.layer);
    const config = imageConfig(f.base, built, { venv: '/app/.venv', cmd: ['cat', '/app/hello.txt'] });
    const manifest = imageManifest(config, [baseDesc(f.baseLayer.layer)], built, {
      'org.opencontainers.image.title': 'demo',
    });
    const m = JSON.parse(manifest.toString());
    assert.equal(m.mediaType, MediaTypes.ociManifest);
    assert.deepEqual(m.config, { digest: sha(config), mediaType: MediaTypes.ociConfig, size: config.length });
    assert.equal(m.layers.length, 3);
    assert.deepEqual(m.layers[0], {
      digest: f.baseLayer.layer.digest,
      mediaType: MediaTypes.ociLayerGzip,
      size: f.baseLayer.layer.size,
    });
    assert.deepEqual(m.layers[1].annotations, {
      [LAYER_ANNOTATIONS.kind]: 'package',
      [LAYER_ANNOTATIONS.layout]: BUILD_LAYOUT,
      [LAYER_ANNOTATIONS.packages]: `six==1.16.0 ${'ab'.repeat(32)}`,
    });
    assert.equal(m.layers[2].annotations[LAYER_ANNOTATIONS.packages], 'demo');
    assert.equal(m.annotations['org.opencontainers.image.title'], 'demo');

    const blobs = [f.baseLayer, ...f.layers].map((l) => ({
      digest: l.layer.digest,
      size: l.layer.size,
      mediaType: MediaTypes.ociLayerGzip,
      open: async () => Readable.from([l.blob]),
    }));
    const img: AssembledImage = { manifest, config, blobs, platform: { os: 'linux', architecture: 'amd64' } };
    const dir = mkdtempSync(join(tmpdir(), 'build-image-'));
    try {
      const layout = join(dir, 'layout');
      await writeOciLayout(layout, img, 'v1');
      await writeOciLayout(layout, img, 'v2');
      await writeOciLayout(layout, img, 'v1'); // again: replaces, does not duplicate
      const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
      assert.deepEqual(
        index.manifests
          .map((d: { annotations: Record<string, string> }) => d.annotations['org.opencontainers.image.ref.name'])
          .sort(),
        ['v1', 'v2'],
      );
      assert.ok(existsSync(join(layout, 'blobs', 'sha256', sha(manifest).slice(7))));

      // Read back by layerwise itself: previousLayers finds the build layers, not the base's.
      const prev = await previousLayers(`oci:${layout}:v1`);
      assert.deepEqual(
        prev!.map((l) => [l.kind, l.digest, l.diffId, l.layout]),
        built.map((l) => [l.kind, l.digest, l.diffId, BUILD_LAYOUT]),
      );
      assert.equal(await previousLayers(`oci:${layout}:nope`), null);
      assert.equal(await previousLayers(`oci:${join(dir, 'missing')}:v1`), null);
      const opened = await openImage(`oci:${layout}:v2`);
      assert.equal(opened.manifestDigest, sha(manifest));
      await opened.source.close();

      if (has('skopeo')) {
        const out = JSON.parse(execFileSync('skopeo', ['inspect', `oci:${layout}:v1`], { encoding: 'utf8' }));
        assert.equal(out.Digest, sha(manifest));
        assert.deepEqual(
          out.Layers,
          [f.baseLayer, ...f.layers].map((l) => l.layer.digest),
        );
      } else console.log('skopeo missing: skipped');
      if (has('umoci')) {
        const st = execFileSync('umoci', ['stat', '--image', `${layout}:v1`], { encoding: 'utf8' });
        assert.match(st, /layerwise build: six 1\.16\.0/);
        const bundle = join(dir, 'bundle');
        execFileSync('umoci', ['unpack', '--rootless', '--image', `${layout}:v1`, bundle], { stdio: 'pipe' });
        assert.equal(readFileSync(join(bundle, 'rootfs', 'app', 'hello.txt'), 'utf8'), 'hello from build\n');
        assert.equal(readFileSync(join(bundle, 'rootfs', 'etc', 'os-release'), 'utf8'), 'ID=test\n');
      } else console.log('umoci missing: skipped');

      // A docker archive: manifest.json names the config and the layers it holds.
      const archive = join(dir, 'img.tar');
      await writeDockerArchive(archive, img, 'demo:v1');
      const x = join(dir, 'x');
      execFileSync('mkdir', [x]);
      execFileSync('tar', ['-xf', archive, '-C', x]);
      const dm = JSON.parse(readFileSync(join(x, 'manifest.json'), 'utf8'));
      assert.deepEqual(dm[0].RepoTags, ['demo:v1']);
      assert.ok(readFileSync(join(x, dm[0].Config)).equals(config));
      assert.equal(dm[0].Layers.length, 3);
      for (const [i, l] of dm[0].Layers.entries()) assert.equal(sha(readFileSync(join(x, l))), blobs[i].digest);

      // A blob that is not what its descriptor says is refused.
      const bad: AssembledImage = {
        ...img,
        blobs: [{ ...blobs[0], open: async () => Readable.from([Buffer.from('nope')]) }],
      };
      await assert.rejects(writeOciLayout(join(dir, 'bad'), bad, 'v1'), /expected/);
      writeFileSync(join(dir, 'bad', 'index.json'), '{}');
      await assert.rejects(writeOciLayout(join(dir, 'bad'), img, 'v1'), /schemaVersion 2/);
      // A directory with a foreign or broken index.json is refused before anything is written.
      for (const [name, text, why] of [
        ['foreign', '{"name":"my-web-app","version":"1.0.0"}', /schemaVersion 2/],
        [
          'docker-index',
          JSON.stringify({ schemaVersion: 2, mediaType: MediaTypes.dockerList, manifests: [] }),
          /media type/,
        ],
        ['broken', '{"schemaVersion": 2, "manif', /not valid JSON/],
        ['nolist', '{"schemaVersion": 2}', /no manifests list/],
      ] as const) {
        const d = join(dir, name);
        execFileSync('mkdir', [d]);
        writeFileSync(join(d, 'index.json'), text);
        await assert.rejects(writeOciLayout(d, img, 'v1'), why);
        assert.deepEqual(readdirSync(d), ['index.json'], `${name}: nothing written`);
        assert.equal(readFileSync(join(d, 'index.json'), 'utf8'), text);
      }
      const odd = join(dir, 'odd-layout');
      execFileSync('mkdir', [odd]);
      writeFileSync(join(odd, 'index.json'), '{"schemaVersion":2,"manifests":[]}');
      writeFileSync(join(odd, 'oci-layout'), 'not json');
      await assert.rejects(writeOciLayout(odd, img, 'v1'), /imageLayoutVersion/);
      assert.deepEqual(readdirSync(odd).sort(), ['index.json', 'oci-layout']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pushImage', () => {
  it('sends only what the registry lacks, mounts from a sibling, and previousLayers reads it back', async () => {
    const f = await fixture();
    const built = f.layers.map((l) => l.layer);
    const config = imageConfig(f.base, built, { venv: '/app/.venv' });
    const key = layoutKey('3.11', '/app/.venv');
    const manifest = imageManifest(config, [baseDesc(f.baseLayer.layer)], built, undefined, key);
    const all = [f.baseLayer, ...f.layers];
    const img: AssembledImage = {
      manifest,
      config,
      blobs: all.map((l) => ({
        digest: l.layer.digest,
        size: l.layer.size,
        mediaType: MediaTypes.ociLayerGzip,
        open: async () => Readable.from([l.blob]),
      })),
      platform: { os: 'linux', architecture: 'amd64' },
    };
    const reg = await startFakeRegistry();
    try {
      const layerBytes = all.reduce((n, l) => n + l.blob.length, 0);
      assert.equal(await pushImage(`${reg.host}/team/a:v1`, img), layerBytes + config.length + manifest.length);
      assert.equal(reg.tagged('team/a', 'v1'), sha(manifest));
      assert.equal(await pushImage(`docker://${reg.host}/team/a:v1`, img), 0, 'nothing sent twice');
      // Another repository of the same registry: blobs mounted, only the manifest sent.
      assert.equal(
        await pushImage(`${reg.host}/team/b:v1`, img, { mountFrom: `${reg.host}/team/a:v1` }),
        manifest.length,
      );
      assert.ok(reg.log.some((l) => l.includes('mount=') && l.includes('from=team%2Fa')));
      const prev = await previousLayers(`${reg.host}/team/b:v1`);
      assert.deepEqual(
        prev!.map((l) => [l.kind, l.digest, l.diffId, l.packages.map((p) => p.name).join(), l.layout]),
        built.map((l) => [l.kind, l.digest, l.diffId, l.packages.map((p) => p.name).join(), key]),
      );
      assert.equal(await previousLayers(`${reg.host}/team/none:v1`), null);
      // A blob whose bytes are not its digest is never uploaded.
      const bad = { ...img, blobs: [{ ...img.blobs[0], digest: sha(Buffer.from('other')), open: img.blobs[0].open }] };
      await assert.rejects(pushImage(`${reg.host}/team/c:v1`, bad), /expected/);
    } finally {
      await reg.close();
    }
  });
});
