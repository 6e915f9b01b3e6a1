// layerwise diff --host against the world's engine: the prediction for NEW, made from every image
// the engine holds, equals the bytes a real `docker pull` of NEW then fetches through a counting
// proxy. Two hosts: one that pulled OLD from the registry (shared layers are reused) and one that
// got the same layers from `docker load` (the engine holds their ChainIDs but has never seen their
// blob digests, so it downloads them again).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildImage, type LayerSpec, writeDockerArchive, writeOciLayout } from '../unit/image/builder.js';
import { docker, loadWorld, removeImages, repoRoot, sh, tempDir, countingProxy, type CountingProxy } from './world.js';

const world = loadWorld();
const CLI = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
type Json = any;

describe('diff --host: prediction against every image on an engine, checked by a real pull', () => {
  const ctx = tempDir();
  const run = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const repo = `layerwise-test/host-${run}`;
  let proxy: CountingProxy;
  let proxyHost = '';
  const cleanup: string[] = [];

  const layer = (createdBy: string, path: string, n: number): LayerSpec => ({
    createdBy,
    files: [{ path, content: randomBytes(n) }],
  });
  const base = layer('/bin/sh -c #(nop) ADD file:0123 in / ', 'usr/lib/base.bin', 300_000);
  const deps1 = layer('RUN /bin/sh -c pip install -r requirements.txt # buildkit', 'usr/lib/py/dep.bin', 150_000);
  const deps2 = layer('RUN /bin/sh -c pip install -r requirements.txt # buildkit', 'usr/lib/py/dep.bin', 160_000);
  const app1 = layer('COPY . /app # buildkit', 'app/main.py', 2_000);
  const app2 = layer('COPY . /app # buildkit', 'app/main.py', 2_100);

  async function push(name: string, layers: LayerSpec[]): Promise<void> {
    const dir = join(ctx.path, name);
    writeOciLayout(dir, buildImage({ layers }), name);
    await sh(world.skopeo, [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      `oci:${dir}:${name}`,
      `docker://${world.registry}/${repo}:${name}`,
    ]);
  }

  before(async () => {
    // Host A pulls `old`; then `new` changes the dependency layer (the app layer above it is
    // unchanged content with a new ChainID).
    await push('old', [base, deps1, app1]);
    await push('new', [base, deps2, app1]);
    // Host B gets `loaded` by docker load, never from a registry; `next` adds one layer on top.
    const loaded = [layer('/bin/sh -c #(nop) ADD file:4567 in / ', 'usr/lib/other.bin', 250_000), app2];
    const archive = join(ctx.path, 'loaded.tar');
    const loadedTag = `layerwise-test/host-loaded:${run}`;
    writeDockerArchive(archive, buildImage({ layers: loaded }), { format: 'legacy', repoTag: loadedTag });
    await docker(['load', '-q', '-i', archive]);
    cleanup.push(loadedTag);
    await push('next', [...loaded, layer('COPY extra /extra # buildkit', 'extra/x.bin', 40_000)]);

    proxy = await countingProxy(world.registry);
    proxyHost = proxy.host;
  });
  after(async () => {
    await removeImages(...cleanup);
    proxy?.close();
    ctx.cleanup();
  });

  async function predict(tag: string): Promise<Json> {
    const r = await sh(
      process.execPath,
      [CLI, 'diff', '--host', '--format', 'json', `docker://${proxyHost}/${repo}:${tag}`],
      {
        env: { DOCKER_HOST: world.dockerHost },
      },
    );
    return JSON.parse(r.stdout);
  }

  /** Pulls through the proxy; the layer blobs fetched and their bytes (the config blob left out). */
  async function pull(tag: string, configDigest: string, configSize: number) {
    const ref = `${proxyHost}/${repo}:${tag}`;
    cleanup.push(ref);
    proxy.served.bytes = 0;
    proxy.served.blobs = [];
    await docker(['pull', '-q', ref]);
    const cfg = proxy.served.blobs.includes(configDigest) ? configSize : 0;
    return { layers: proxy.served.blobs.filter((d) => d !== configDigest).length, bytes: proxy.served.bytes - cfg };
  }

  async function rawManifest(tag: string): Promise<Json> {
    const r = await sh(world.skopeo, [
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${world.registry}/${repo}:${tag}`,
    ]);
    return JSON.parse(r.stdout);
  }

  test('a host that pulled OLD: the predicted bytes are the bytes docker pull fetches', async () => {
    const oldRef = `${proxyHost}/${repo}:old`;
    cleanup.push(oldRef);
    await docker(['pull', '-q', oldRef]);
    const j = await predict('new');
    assert.equal(j.host.engine, world.dockerHost);
    assert.ok(j.host.images >= 1);
    assert.equal(j.host.comparedWith, `${oldRef}`);
    assert.equal(j.old.configDigest, (await rawManifest('old')).config.digest);
    assert.equal(j.layers[0].shared, true);
    assert.equal(j.layers[1].verdict, 'real-change');
    assert.equal(j.layers[2].verdict, null);
    const m = await rawManifest('new');
    assert.deepEqual(j.pull.classic, { bytes: m.layers[1].size + m.layers[2].size, layers: 2, firstMissingLayer: 1 });
    assert.deepEqual(j.pull.containerd, { bytes: m.layers[1].size, layers: 1 });
    const want = j.host.store === 'containerd' ? j.pull.containerd : j.pull.classic;
    const got = await pull('new', m.config.digest, m.config.size);
    assert.deepEqual(got, { layers: want.layers, bytes: want.bytes });
    // Now NEW is on the host: nothing left to fetch.
    const again = await predict('new');
    assert.equal(again.host.upToDate, true);
    assert.equal(again.pull.classic.bytes, 0);
  });

  test('a host that got the layers from docker load downloads them again, as predicted', async () => {
    const j = await predict('next');
    const m = await rawManifest('next');
    assert.equal(j.layers[0].shared, true, 'the engine holds the ChainID');
    assert.match(j.layers[0].reason, /never pulled or pushed this blob digest/);
    const all = m.layers.reduce((s: number, l: Json) => s + l.size, 0);
    assert.deepEqual(j.pull.classic, { bytes: all, layers: 3, firstMissingLayer: 0 });
    assert.equal(j.layers[2].verdict, 'new-layer');
    const want = j.host.store === 'containerd' ? j.pull.containerd : j.pull.classic;
    const got = await pull('next', m.config.digest, m.config.size);
    assert.deepEqual(got, { layers: want.layers, bytes: want.bytes });
  });

  test('text and HTML say what the host holds', async () => {
    const t = await sh(
      process.execPath,
      [CLI, 'diff', `--host=${world.dockerHost}`, `docker://${proxyHost}/${repo}:old`],
      {
        env: { DOCKER_HOST: 'unix:///nonexistent.sock' },
      },
    );
    assert.match(t.stdout, /^host unix:\/\/\/var\/run\/docker\.sock -> /m);
    assert.match(t.stdout, /docker pull on this host fetches 0 B/);
    const h = await sh(process.execPath, [CLI, 'diff', '--host', '-f', 'html', `docker://${proxyHost}/${repo}:new`], {
      env: { DOCKER_HOST: world.dockerHost },
    });
    assert.match(h.stdout, /<section id="host">/);
  });
});
