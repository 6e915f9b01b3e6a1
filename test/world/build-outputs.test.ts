// build's outputs against the world: a tiny image assembled without a daemon (the world's Python
// base read from the engine + one layer with a file) goes out as an OCI layout (skopeo inspects
// it, umoci unpacks the file), as a docker archive (docker load, docker run cats the file), to the
// registry (skopeo inspects the very manifest, docker pulls and runs it, a second push sends
// nothing) and straight into the engine (docker run).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { imageConfig, imageManifest } from '../../src/build/image-write.js';
import { previousLayers } from '../../src/build/layer-plan.js';
import {
  type AssembledImage,
  loadIntoEngine,
  pushImage,
  writeDockerArchive,
  writeOciLayout,
} from '../../src/build/outputs.js';
import { buildLayer } from '../../src/build/tar-write.js';
import { type Image, MediaTypes } from '../../src/image/model.js';
import { openImage } from '../../src/image/open.js';
import { RegistryClient } from '../../src/registry/client.js';
import { deleteManifest } from '../../src/registry/write.js';
import { docker, loadWorld, removeImages, sh, tempDir } from './world.js';

const world = loadWorld();
const run = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const hello = `hello from build ${run}\n`;

describe('build outputs: an image assembled without a daemon', () => {
  const dir = tempDir('layerwise-build-out-');
  const repo = `layerwise-test/build-${run}`;
  const pushed = `${world.registry}/${repo}:v1`;
  const archived = `layerwise-test/build-archive:${run}`;
  const loaded = `layerwise-test/build-load:${run}`;
  let base: Image;
  let img: AssembledImage;

  before(async () => {
    base = await openImage(world.pythonImage, { engineHost: world.dockerHost });
    const { layer, blob } = await buildLayer(
      { kind: 'project', packages: [{ name: 'demo', version: '', wheelSha256: '' }] },
      [{ path: 'app/hello.txt', type: 'file', mode: 0o644, data: Buffer.from(hello) }],
    );
    const config = imageConfig(base.config, [layer], { venv: '/app/.venv', cmd: ['cat', '/app/hello.txt'] });
    const manifest = imageManifest(config, base.manifest.layers, [layer]);
    img = {
      manifest,
      config,
      blobs: [
        ...base.manifest.layers.map((d) => ({
          digest: d.digest,
          size: d.size,
          mediaType: d.mediaType,
          open: () => base.source.openBlob(d),
        })),
        {
          digest: layer.digest,
          size: layer.size,
          mediaType: MediaTypes.ociLayerGzip,
          open: async () => Readable.from([blob]),
        },
      ],
      platform: { os: base.platform.os, architecture: base.platform.architecture },
    };
  });

  after(async () => {
    await base?.source.close();
    await removeImages(archived, loaded, pushed);
    const client = new RegistryClient(world.registry);
    if (img) await deleteManifest(client, repo, sha(img.manifest)).catch(() => {});
    dir.cleanup();
  });

  test('OCI layout: skopeo inspects it, umoci unpacks the file', async () => {
    const layout = join(dir.path, 'layout');
    await writeOciLayout(layout, img, 'v1');
    const out = JSON.parse((await sh(world.skopeo, ['inspect', `oci:${layout}:v1`])).stdout);
    assert.equal(out.Digest, sha(img.manifest));
    assert.equal(out.Layers.length, base.layers.length + 1);
    assert.ok((out.Env as string[]).some((e) => e.startsWith('PATH=/app/.venv/bin:')));
    const bundle = join(dir.path, 'bundle');
    await sh(world.umoci, ['unpack', '--rootless', '--image', `${layout}:v1`, bundle]);
    assert.equal(readFileSync(join(bundle, 'rootfs', 'app', 'hello.txt'), 'utf8'), hello);
    assert.ok(readFileSync(join(bundle, 'rootfs', 'etc', 'os-release'), 'utf8').includes('Debian'));
    // The later outputs read the base's blobs from this layout: each blob from the engine is one more export.
    img = {
      ...img,
      blobs: img.blobs.map((b) => ({
        ...b,
        open: async () => createReadStream(join(layout, 'blobs', 'sha256', b.digest.slice(7))),
      })),
    };
    // Read back as the previous image of a later build: only the build layer.
    const prev = await previousLayers(`oci:${layout}:v1`);
    assert.deepEqual(
      prev?.map((l) => l.kind),
      ['project'],
    );
  });

  test('docker archive: docker load, then docker run cats the file', async () => {
    const file = join(dir.path, 'img.tar');
    await writeDockerArchive(file, img, archived);
    const load = await docker(['load', '-i', file]);
    assert.match(load.stdout, new RegExp(archived.replace(/[/.:]/g, '\\$&')));
    const id = (await docker(['image', 'inspect', '-f', '{{.Id}}', archived])).stdout.trim();
    assert.equal(id, sha(img.config), 'the engine keeps our config as it is');
    assert.equal((await docker(['run', '--rm', archived])).stdout, hello);
  });

  test('registry: skopeo sees our manifest, docker pulls and runs it, a second push sends nothing', async () => {
    const sent = await pushImage(pushed, img);
    const layerBytes = img.blobs.reduce((n, b) => n + b.size, 0);
    console.log(`# first push: ${sent} bytes sent, ${img.blobs.length} layers (${layerBytes} bytes of blobs)`);
    assert.ok(sent >= img.manifest.length + img.config.length, `sent ${sent}`);
    assert.ok(sent <= layerBytes + img.manifest.length + img.config.length);
    const raw = (await sh(world.skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${pushed}`])).stdout;
    assert.equal(sha(raw), sha(img.manifest));
    await removeImages(pushed);
    await docker(['pull', pushed]);
    assert.equal((await docker(['run', '--rm', pushed])).stdout, hello);
    assert.equal(await pushImage(pushed, img), 0);
  });

  test('engine load: the image runs', async () => {
    await loadIntoEngine(img, loaded, { host: world.dockerHost });
    assert.equal((await docker(['run', '--rm', loaded])).stdout, hello);
    const id = (await docker(['image', 'inspect', '-f', '{{.Id}}', loaded])).stdout.trim();
    assert.equal(id, sha(img.config));
  });
});
