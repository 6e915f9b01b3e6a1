// layerwise inspect against real images: built by the engine, pushed to the registry, copied to
// an OCI layout by skopeo and saved by docker save. Digests, sizes and history must equal what
// docker and skopeo report, every source must give the same analysis, and a constructed image
// must give the exact wasted bytes and findings.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build, docker, loadWorld, removeImages, repoRoot, sh, tempDir, uniqueTag, writeFiles } from './world.js';

const world = loadWorld();
const CLI = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

type Json = any;

export async function inspectJson(ref: string, extra: string[] = []): Promise<Json> {
  const r = await sh(process.execPath, [CLI, 'inspect', '--format', 'json', ref, ...extra], {
    env: { DOCKER_HOST: world.dockerHost },
  });
  return JSON.parse(r.stdout);
}

const KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n';

describe('inspect: four sources of one real image', () => {
  const ctx = tempDir();
  const tag = uniqueTag('known');
  const [repo, version] = tag.split(':');
  const pushed = `${world.registry}/${repo}:${version}`;
  const refs: Record<string, string> = {};
  const results: Record<string, Json> = {};

  before(async () => {
    writeFiles(ctx.path, {
      Dockerfile: [
        `FROM ${world.debianImage}`,
        'RUN head -c 100000 /dev/urandom > /tmp/big.bin',
        'RUN rm /tmp/big.bin',
        "RUN printf 'v1-aaaa' > /etc/app.conf",
        "RUN printf 'v2-bbbbbbbb' > /etc/app.conf",
        'RUN mkdir -p /root/.cache/pip/http && head -c 5000 /dev/zero > /root/.cache/pip/http/blob',
        'ENV X=1',
        'COPY id_rsa /root/.ssh/id_rsa',
        '',
      ].join('\n'),
      id_rsa: KEY,
    });
    await build({ context: ctx.path, tag });
    await docker(['tag', tag, pushed]);
    await docker(['push', pushed]);
    await sh(world.skopeo, ['copy', '--quiet', `docker-daemon:${tag}`, `oci:${join(ctx.path, 'layout')}:v1`]);
    await docker(['save', '-o', join(ctx.path, 'image.tar'), tag]);
    refs.engine = tag;
    refs.registry = `docker://${pushed}`;
    refs.oci = `oci:${join(ctx.path, 'layout')}:v1`;
    refs.archive = `archive:${join(ctx.path, 'image.tar')}`;
    for (const [k, r] of Object.entries(refs)) results[k] = await inspectJson(r);
  });
  after(async () => {
    ctx.cleanup();
    await removeImages(tag, pushed);
  });

  test('engine: image ID, diffIDs and history equal docker inspect / docker history', async () => {
    const j = results.engine;
    const info = JSON.parse((await docker(['image', 'inspect', tag])).stdout)[0];
    assert.equal(j.image.configDigest, info.Id);
    assert.deepEqual(
      j.layers.map((l: Json) => l.diffId),
      info.RootFS.Layers,
    );
    const hist = JSON.parse(
      `[${(await docker(['history', '--no-trunc', '--format', '{{json .}}', tag])).stdout.trim().split('\n').join(',')}]`,
    );
    // docker history lists newest first, one row per history entry.
    assert.equal(hist.length, j.history.length);
    assert.deepEqual(
      hist.map((h: Json) => h.CreatedBy).reverse(),
      j.history.map((h: Json) => h.createdBy ?? ''),
    );
    assert.equal(j.historyMismatch, 0);
  });

  test('registry: manifest digest, layer digests and sizes equal skopeo inspect', async () => {
    const j = results.registry;
    const sk = JSON.parse((await sh(world.skopeo, ['inspect', '--tls-verify=false', `docker://${pushed}`])).stdout);
    assert.equal(j.image.manifestDigest, sk.Digest);
    const raw = JSON.parse(
      (await sh(world.skopeo, ['inspect', '--tls-verify=false', '--raw', `docker://${pushed}`])).stdout,
    );
    assert.deepEqual(
      j.layers.map((l: Json) => l.digest),
      sk.Layers,
    );
    assert.deepEqual(
      j.layers.map((l: Json) => [l.digest, l.size, l.mediaType]),
      raw.layers.map((l: Json) => [l.digest, l.size, l.mediaType]),
    );
    assert.equal(
      j.size,
      raw.layers.reduce((n: number, l: Json) => n + l.size, 0),
    );
    const cfg = JSON.parse(
      (await sh(world.skopeo, ['inspect', '--tls-verify=false', '--config', `docker://${pushed}`])).stdout,
    );
    assert.deepEqual(
      j.layers.map((l: Json) => l.diffId),
      cfg.rootfs.diff_ids,
    );
    assert.equal(j.image.configDigest, results.engine.image.configDigest);
  });

  test('OCI layout: digests and sizes equal the layout skopeo wrote', async () => {
    const j = results.oci;
    const raw = JSON.parse((await sh(world.skopeo, ['inspect', '--raw', `oci:${join(ctx.path, 'layout')}:v1`])).stdout);
    assert.deepEqual(
      j.layers.map((l: Json) => [l.digest, l.size]),
      raw.layers.map((l: Json) => [l.digest, l.size]),
    );
  });

  test('the four sources give the same analysis', () => {
    const key = (j: Json) => ({
      diffIds: j.layers.map((l: Json) => l.diffId),
      uncompressed: j.layers.map((l: Json) => l.uncompressedSize),
      createdBy: j.layers.map((l: Json) => l.createdBy),
      files: j.layers.map((l: Json) => l.files),
      wastedBytes: j.wastedBytes,
      efficiency: j.efficiency,
      dive: j.dive,
      finalBytes: j.finalBytes,
      finalFiles: j.finalFiles,
      largest: j.largestFiles,
      wasted: j.wasted,
      caches: j.caches,
      secrets: j.secrets,
      python: j.python,
    });
    const base = key(results.engine);
    for (const k of ['registry', 'oci', 'archive']) assert.deepEqual(key(results[k]), base, `${k} differs from engine`);
  });

  test('the constructed image gives the exact wasted bytes and findings', () => {
    const j = results.registry;
    // /tmp/big.bin added then deleted (100000), /etc/app.conf overwritten (the 7-byte first copy).
    assert.equal(j.wastedBytes, 100000 + 7);
    assert.deepEqual(
      j.wasted.map((w: Json) => [w.path, w.bytes, w.deleted]),
      [
        ['tmp/big.bin', 100000, true],
        ['etc/app.conf', 7, false],
      ],
    );
    // dive also counts the kept copy of app.conf (11 bytes).
    assert.equal(j.dive.wastedBytes, 100000 + 7 + 11);
    assert.deepEqual(
      j.caches.map((c: Json) => [c.kind, c.bytes, c.files]),
      [['pip cache', 5000, 1]],
    );
    assert.deepEqual(
      j.secrets.map((s: Json) => [s.path, s.kind, s.inFinalImage]),
      [['root/.ssh/id_rsa', 'SSH private key', true]],
    );
    assert.ok(!JSON.stringify(j).includes('b3BlbnNzaC1rZXkt'), 'the key material is never printed');
    assert.equal(j.layers[2].files.removed, 1);
    assert.equal(j.layers[1].hiddenByLaterBytes, 100000);
  });

  test('--fail-on and exit codes', async () => {
    const fail = await sh(process.execPath, [CLI, 'inspect', refs.oci, '--fail-on', 'secrets>0'], {
      check: false,
    });
    assert.equal(fail.code, 1);
    assert.match(fail.stdout, /FAIL +secrets>0/);
    const ok = await sh(process.execPath, [CLI, 'inspect', refs.oci, '--fail-on', 'wasted>1MB'], {
      check: false,
    });
    assert.equal(ok.code, 0, ok.stderr);
    const missing = await sh(process.execPath, [CLI, 'inspect', `docker://${world.registry}/layerwise-test/nope:1`], {
      check: false,
    });
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^layerwise: registry 127\.0\.0\.1:\d+: manifest layerwise-test\/nope:1: not found \(404\)\n$/,
    );
    const noEngine = await sh(process.execPath, [CLI, 'inspect', 'engine:whatever:1'], {
      check: false,
      env: { DOCKER_HOST: 'unix:///nonexistent.sock' },
    });
    assert.equal(noEngine.code, 2);
    assert.match(noEngine.stderr, /Docker engine at \/nonexistent\.sock: not running or not reachable/);
  });
});
