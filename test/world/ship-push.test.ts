// ship's push against the world's registry: an image built by the engine is pushed by layerwise's
// own client; skopeo reads back the very manifest and blobs we sent; the daemon pulls it by digest
// through a counting proxy (so it really downloads and verifies our blobs) and runs it. Pushing
// again sends nothing; an image FROM the first, pushed to another repository with the first's
// blobs as `reuse`, mounts them and uploads only its own layer.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { UserError } from '../../src/errors.js';
import { RegistryClient } from '../../src/registry/client.js';
import { deleteManifest } from '../../src/registry/write.js';
import { pushedLayers, pushEngineImage } from '../../src/ship/push.js';
import type { PushResult } from '../../src/ship/types.js';
import {
  build,
  countingProxy,
  docker,
  layersOf,
  loadWorld,
  removeImages,
  sh,
  tempDir,
  uniqueTag,
  writeFiles,
} from './world.js';

const world = loadWorld();
const run = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const repoA = `layerwise-test/push-${run}`;
const repoB = `layerwise-test/push-${run}-app`;
const client = new RegistryClient(world.registry);

interface Raw {
  schemaVersion: number;
  mediaType: string;
  config: { mediaType: string; digest: string; size: number };
  layers: { mediaType: string; digest: string; size: number }[];
  annotations?: Record<string, string>;
}

async function rawManifest(ref: string): Promise<{ text: string; json: Raw }> {
  const { stdout } = await sh(world.skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
  return { text: stdout, json: JSON.parse(stdout) as Raw };
}

const sha = async (text: string) =>
  `sha256:${(await import('node:crypto')).createHash('sha256').update(text).digest('hex')}`;

describe('ship push: an engine image to the registry with layerwise’s client', () => {
  const ctx = tempDir('layerwise-push-');
  const cache = join(ctx.path, 'cache');
  const tagA = uniqueTag('push-a');
  const tagB = uniqueTag('push-b');
  const hello = `hello from ${run}\n`;
  // Half random, half text: the app's layer is over the export's keep-in-memory size, so it streams.
  const extra = Buffer.concat([randomBytes(300_000), Buffer.from('layerwise '.repeat(40_000))]);
  const pulled: string[] = [];
  const manifests: [string, string][] = [];
  let first: PushResult;
  const savedCacheDir = process.env.LAYERWISE_CACHE_DIR;

  before(async () => {
    mkdirSync(cache);
    process.env.LAYERWISE_CACHE_DIR = cache;
    writeFiles(join(ctx.path, 'a'), {
      Dockerfile: `FROM ${world.pythonImage}\nCOPY hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\n`,
      'hello.txt': hello,
    });
    await build({ context: join(ctx.path, 'a'), tag: tagA });
    writeFiles(join(ctx.path, 'b'), { Dockerfile: `FROM ${tagA}\nCOPY extra.bin /extra.bin\n` });
    writeFileSync(join(ctx.path, 'b', 'extra.bin'), extra);
    await build({ context: join(ctx.path, 'b'), tag: tagB });
  });
  after(async () => {
    if (savedCacheDir === undefined) delete process.env.LAYERWISE_CACHE_DIR;
    else process.env.LAYERWISE_CACHE_DIR = savedCacheDir;
    for (const [repo, digest] of manifests) await deleteManifest(client, repo, digest).catch(() => {});
    await removeImages(tagA, tagB, ...pulled);
    ctx.cleanup();
  });

  test('first push: skopeo reads our manifest; the daemon pulls it by digest and runs it', async () => {
    const id = (await docker(['image', 'inspect', '--format', '{{.Id}}', tagA])).stdout.trim();
    const diffIds = await layersOf(tagA);
    const annotations = { 'dev.layerwise.ship.kind': 'base', 'org.opencontainers.image.revision': run };
    const t0 = Date.now();
    first = await pushEngineImage(tagA, { client, repo: repoA, tags: ['v1'], annotations });
    const seconds = (Date.now() - t0) / 1000;
    manifests.push([repoA, first.digest]);
    assert.equal(first.configDigest, id);
    assert.deepEqual(
      first.layers.map((l) => l.diffId),
      diffIds,
    );
    assert.ok(first.layers.every((l) => l.pushed === 'uploaded'));

    const { text, json } = await rawManifest(`${world.registry}/${repoA}:v1`);
    assert.equal(await sha(text), first.digest);
    assert.equal(json.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.deepEqual(json.config, {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: id,
      size: json.config.size,
    });
    assert.deepEqual(
      json.layers,
      first.layers.map((l) => ({
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: l.digest,
        size: l.size,
      })),
    );
    assert.deepEqual(json.annotations, annotations);
    const total = first.layers.reduce((n, l) => n + l.size, 0) + json.config.size + text.length;
    assert.equal(first.pushedBytes, total);
    console.log(`first push: ${diffIds.length} layers, ${(total / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`);

    // Pulled through a counting proxy: the daemon downloads the blobs whose digests it has never
    // seen (at least this run's own layer; the python image's may be known from other pushes of
    // the same deterministic gzip), checks them against the config's diff_ids, and runs the image.
    // The daemon skips a pull whose config it holds: the image leaves the engine first (its
    // layers stay, held by the image built FROM it) and comes back by the pull, tagged again.
    await docker(['image', 'rm', tagA]);
    const proxy = await countingProxy(world.registry);
    try {
      const ref = `${proxy.host}/${repoA}@${first.digest}`;
      await docker(['pull', ref]);
      pulled.push(ref);
      await docker(['tag', ref, tagA]);
      assert.ok(proxy.served.blobs.includes(first.layers.at(-1)!.digest), 'the pull fetched our own layer');
      const out = await docker(['run', '--rm', '--network', 'none', ref]);
      assert.equal(out.stdout, hello);
    } finally {
      proxy.close();
    }
  });

  test('second push: every blob exists, same manifest digest, 0 bytes sent; again without the blob index too', async () => {
    assert.ok(first, 'the first push ran');
    let t0 = Date.now();
    const again = await pushEngineImage(tagA, {
      client,
      repo: repoA,
      tags: ['v1'],
      annotations: { 'dev.layerwise.ship.kind': 'base', 'org.opencontainers.image.revision': run },
    });
    assert.equal(again.digest, first.digest);
    assert.ok(again.layers.every((l) => l.pushed === 'exists'));
    assert.deepEqual(
      again.layers,
      first.layers.map((l) => ({ ...l, pushed: 'exists' })),
    );
    assert.equal(again.pushedBytes, 0);
    const tAgain = (Date.now() - t0) / 1000;
    // Without the index every layer is compressed again: the same bytes, so the same digests.
    rmSync(join(cache, 'blobs'), { recursive: true, force: true });
    t0 = Date.now();
    const fresh = await pushEngineImage(tagA, {
      client,
      repo: repoA,
      tags: ['v1'],
      annotations: { 'dev.layerwise.ship.kind': 'base', 'org.opencontainers.image.revision': run },
    });
    assert.equal(fresh.digest, first.digest);
    assert.equal(fresh.pushedBytes, 0);
    console.log(
      `push again: ${tAgain.toFixed(1)} s with the blob index, ${((Date.now() - t0) / 1000).toFixed(1)} s without (all compressed again)`,
    );
  });

  test('an image FROM the first, reusing its blobs: they are mounted, only the new layer is uploaded', async () => {
    assert.ok(first, 'the first push ran');
    const reuse = await pushedLayers(client, repoA, 'v1');
    assert.equal(reuse.size, first.layers.length);
    const said: string[] = [];
    const t0 = Date.now();
    const b = await pushEngineImage(tagB, {
      client,
      repo: repoB,
      tags: ['1.0', 'latest'],
      reuse,
      reuseRepo: repoA,
      onProgress: (m) => said.push(m),
    });
    const seconds = (Date.now() - t0) / 1000;
    // The engine's v1 IDs told which entry is the new layer: one read of the export.
    assert.ok(!said.some((m) => m.includes('reading the export again')), said.join('\n'));
    manifests.push([repoB, b.digest]);
    const diffIds = await layersOf(tagB);
    assert.equal(b.layers.length, first.layers.length + 1);
    assert.deepEqual(
      b.layers.slice(0, -1),
      first.layers.map((l) => ({ ...l, pushed: 'mounted' })),
    );
    const top = b.layers.at(-1)!;
    assert.equal(top.diffId, diffIds.at(-1));
    assert.equal(top.pushed, 'uploaded');
    const { text, json } = await rawManifest(`${world.registry}/${repoB}:latest`);
    assert.equal(await sha(text), b.digest);
    assert.equal((await rawManifest(`${world.registry}/${repoB}:1.0`)).text, text);
    assert.equal(b.pushedBytes, top.size + json.config.size + text.length);
    // The new layer's blob is about what gzip makes of the file (tar headers aside).
    const gz = gzipSync(extra).length;
    assert.ok(top.size > gz && top.size < gz + 4096, `new layer ${top.size} bytes, gzip of the file ${gz}`);
    console.log(
      `app push in ${seconds.toFixed(1)} s: ${b.pushedBytes} bytes sent (new layer ${top.size}, config ${json.config.size}, manifest ${text.length})`,
    );
  });

  test('an image the engine does not have: one line, a UserError', async () => {
    await assert.rejects(
      pushEngineImage(`layerwise-test/absent:${run}`, { client, repo: repoA, tags: [] }),
      (e: Error) =>
        e instanceof UserError && /not found in the Docker engine/.test(e.message) && !e.message.includes('\n'),
    );
  });
});
