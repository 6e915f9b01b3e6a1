// layerwise diff against a real registry and engine: the predicted download equals the
// compressed sizes of the missing blobs in the registry's manifests, and an engine holding OLD
// that pulls NEW through a counting proxy fetches exactly the predicted bytes (classic store).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildImage, type LayerSpec, writeOciLayout } from '../unit/image/builder.js';
import {
  build,
  docker,
  loadWorld,
  removeImages,
  repoRoot,
  sh,
  tempDir,
  uniqueTag,
  writeFiles,
  countingProxy,
  type CountingProxy,
} from './world.js';

const world = loadWorld();
const CLI = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
type Json = any;

describe('diff: predicted pull bytes against a registry and an engine', () => {
  const ctx = tempDir();
  const run = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const repo = `layerwise-test/diff-${run}`;
  let proxy: CountingProxy;
  let proxyHost = '';
  const pulled: string[] = [];

  const base: LayerSpec = {
    createdBy: 'ADD rootfs /',
    files: [{ path: 'usr/lib/base.bin', content: randomBytes(300_000) }],
  };
  const deps = (n: string): LayerSpec => ({
    createdBy: 'RUN pip install -r requirements.txt',
    files: [
      {
        path: 'usr/lib/python3/site-packages/dep/data.bin',
        content: Buffer.concat([randomBytes(150_000), Buffer.from(n)]),
      },
    ],
  });
  const app: LayerSpec = {
    createdBy: 'COPY . /app',
    files: [{ path: 'app/main.py', content: `print(${JSON.stringify(run)})\n` }],
  };

  before(async () => {
    for (const [name, layers] of [
      ['old', [base, deps('1'), app]],
      ['new', [base, deps('2'), app]],
    ] as const) {
      const dir = join(ctx.path, name);
      writeOciLayout(dir, buildImage({ layers: [...layers] }), name);
      await sh(world.skopeo, [
        'copy',
        '--quiet',
        '--dest-tls-verify=false',
        `oci:${dir}:${name}`,
        `docker://${world.registry}/${repo}:${name}`,
      ]);
    }
    proxy = await countingProxy(world.registry);
    proxyHost = proxy.host;
  });
  after(async () => {
    proxy?.close();
    await removeImages(...pulled);
    ctx.cleanup();
  });

  async function diffJson(): Promise<Json> {
    const r = await sh(process.execPath, [
      CLI,
      'diff',
      '--format',
      'json',
      `docker://${world.registry}/${repo}:old`,
      `docker://${world.registry}/${repo}:new`,
    ]);
    return JSON.parse(r.stdout);
  }

  test('predicted bytes equal the sizes of the missing blobs in the manifests', async () => {
    const j = await diffJson();
    const raw = async (t: string) =>
      JSON.parse(
        (await sh(world.skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${world.registry}/${repo}:${t}`]))
          .stdout,
      );
    const o = await raw('old');
    const n = await raw('new');
    const oldDigests = new Set(o.layers.map((l: Json) => l.digest));
    const missing = n.layers.filter((l: Json) => !oldDigests.has(l.digest));
    assert.equal(
      j.pull.containerd.bytes,
      missing.reduce((s: number, l: Json) => s + l.size, 0),
    );
    assert.equal(j.pull.containerd.layers, 1);
    // Classic: the deps layer and the unchanged app layer above it (new ChainID).
    assert.equal(j.pull.classic.layers, 2);
    assert.equal(j.pull.classic.bytes, n.layers[1].size + n.layers[2].size);
    assert.equal(j.pull.classic.firstMissingLayer, 1);
    assert.equal(j.layers[1].verdict, 'real-change');
    assert.equal(j.layers[2].verdict, null);
    assert.match(j.layers[2].reason, /new ChainID/);
  });

  test('an engine holding OLD fetches exactly the predicted bytes for NEW', async () => {
    const j = await diffJson();
    const oldRef = `${proxyHost}/${repo}:old`;
    const newRef = `${proxyHost}/${repo}:new`;
    pulled.push(oldRef, newRef);
    await docker(['pull', '-q', oldRef]);
    proxy.served.bytes = 0;
    proxy.served.blobs = [];
    await docker(['pull', '-q', newRef]);
    const info = JSON.parse((await docker(['info', '--format', '{{json .}}'])).stdout);
    const containerdStore = JSON.stringify(info.DriverStatus ?? []).includes('io.containerd.snapshotter');
    const want = containerdStore ? j.pull.containerd : j.pull.classic;
    // The config blob is fetched too; the prediction counts layer blobs only.
    const cfg = j.new.configDigest;
    const layerBlobs = proxy.served.blobs.filter((d) => d !== cfg);
    assert.equal(layerBlobs.length, want.layers);
    const rawNew = JSON.parse(
      (await sh(world.skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${world.registry}/${repo}:new`]))
        .stdout,
    );
    const cfgBytes = proxy.served.blobs.includes(cfg) ? rawNew.config.size : 0;
    assert.equal(proxy.served.bytes - cfgBytes, want.bytes);
  });
});

describe('diff: a rebuild that changes only timestamps', () => {
  const ctx = tempDir();
  const a = uniqueTag('mtime-a');
  const b = uniqueTag('mtime-b');
  after(async () => {
    await removeImages(a, b);
    ctx.cleanup();
  });

  test('is diagnosed as metadata-only with the fix', async () => {
    writeFiles(ctx.path, {
      Dockerfile: `FROM ${world.debianImage}\nRUN mkdir -p /app && printf 'same content' > /app/data.txt\nCOPY main.py /app/main.py\n`,
      'main.py': 'print(1)\n',
    });
    await build({ context: ctx.path, tag: a });
    await new Promise((r) => setTimeout(r, 1100)); // a different second for the new mtimes
    await build({ context: ctx.path, tag: b, noCache: true });
    const r = await sh(process.execPath, [CLI, 'diff', '--format', 'json', a, b], {
      env: { DOCKER_HOST: world.dockerHost },
    });
    const j = JSON.parse(r.stdout);
    assert.equal(j.layers[0].shared, true);
    assert.equal(j.layers[1].verdict, 'metadata-only');
    assert.ok(j.layers[1].change.metadataFields.includes('mtime'));
    assert.match(j.layers[1].fix, /SOURCE_DATE_EPOCH/);
    const t = await sh(process.execPath, [CLI, 'diff', a, b], { env: { DOCKER_HOST: world.dockerHost } });
    assert.match(t.stdout, /only timestamps\/owners\/modes/);
  });
});
