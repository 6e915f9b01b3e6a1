// Smoke tests that prove the test world works: BuildKit mounts, the local registry, the wheel
// index inside a build, skopeo and umoci against what was pushed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build, docker, loadWorld, removeImages, sh, tempDir, uniqueTag, worldAssetsDir } from './world.js';

const world = loadWorld();

/** Read a file from an image without starting its entrypoint. */
async function catFromImage(image: string, path: string): Promise<string> {
  const { stdout } = await docker(['run', '--rm', '--entrypoint', 'cat', image, path]);
  return stdout;
}

describe('world: environment', () => {
  test('the env file names a BuildKit client, an engine, a registry and an index', async () => {
    assert.match(world.registry, /^127\.0\.0\.1:\d+$/);
    assert.match(world.indexUrl, /^http:\/\/127\.0\.0\.1:3141\/simple\/$/);
    const v = await docker(['version', '--format', '{{.Server.Version}}']);
    assert.equal(v.stdout.trim(), world.engineVersion);
    for (const img of [world.debianImage, world.pythonImage, world.uvImage]) {
      await docker(['image', 'inspect', img]);
    }
  });

  test('the wheel index serves the simple API with hashes', async () => {
    const res = await fetch(`${world.indexUrl}fastapi/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /href="\.\.\/\.\.\/files\/fastapi-[^"]+\.whl#sha256=[0-9a-f]{64}"/);
    const uv = await (await fetch(`${world.indexUrl}uv/`)).text();
    assert.ok(uv.includes(`uv-${world.uvVersion}-`), 'the wheelhouse is served too');
  });
});

describe('world: BuildKit mounts', () => {
  const ctx = tempDir();
  const tag = uniqueTag('mounts');
  const secret = `s3cret-${Date.now()}`;
  after(async () => {
    ctx.cleanup();
    await removeImages(tag);
  });

  test('cache, bind and secret mounts work and leave no trace of the secret', async () => {
    copyFileSync(join(worldAssetsDir, 'mounts', 'Dockerfile'), join(ctx.path, 'Dockerfile'));
    writeFileSync(join(ctx.path, 'data.txt'), 'bound data\n');
    const secretFile = join(ctx.path, '..', `${tag.replace(/[/:]/g, '_')}.secret`);
    writeFileSync(secretFile, secret);
    try {
      const first = `first-${Date.now()}-${process.pid}`;
      await build({ context: ctx.path, tag, buildArgs: { NONCE: first }, secrets: { token: secretFile } });
      const second = await build({
        context: ctx.path,
        tag,
        buildArgs: { NONCE: `second-${Date.now()}`, PREVIOUS_NONCE: first },
        secrets: { token: secretFile },
      });
      // The layer before the ARG comes from the build cache the second time.
      assert.match(second.stderr, /CACHED/);
      assert.equal((await catFromImage(tag, '/out/previous.txt')).trim(), first, 'cache mount persisted');
      assert.equal(await catFromImage(tag, '/out/bound.txt'), 'bound data\n');
      const sha = createHash('sha256').update(secret).digest('hex');
      assert.equal((await catFromImage(tag, '/out/secret.sha256')).trim(), sha);
      const probe = await docker(
        ['run', '--rm', tag, 'sh', '-c', 'test -e /run/secrets/token || test -e /mnt/data.txt'],
        {
          check: false,
        },
      );
      assert.notEqual(probe.code, 0, 'neither the secret nor the bind mount is in the image');
      const history = await docker(['history', '--no-trunc', tag]);
      assert.ok(!history.stdout.includes(secret));
    } finally {
      await sh('rm', ['-f', secretFile]);
    }
  });
});

describe('world: registry, skopeo, umoci', () => {
  const local = uniqueTag('push');
  const remote = `${world.registry}/${local}`;
  const oci = tempDir();
  before(async () => {
    const ctx = tempDir();
    try {
      writeFileSync(join(ctx.path, 'Dockerfile'), `FROM ${world.debianImage}\nRUN echo ${local} > /marker\n`);
      await build({ context: ctx.path, tag: local });
    } finally {
      ctx.cleanup();
    }
  });
  after(async () => {
    oci.cleanup();
    await removeImages(local, remote);
  });

  test('push to and pull from the local registry', async () => {
    const id = (await docker(['image', 'inspect', '--format', '{{.Id}}', local])).stdout.trim();
    await docker(['tag', local, remote]);
    await docker(['push', remote]);
    await docker(['image', 'rm', remote]);
    await docker(['image', 'rm', local]);
    await docker(['pull', remote]);
    const pulled = (await docker(['image', 'inspect', '--format', '{{.Id}}', remote])).stdout.trim();
    assert.equal(pulled, id, 'the pulled image has the pushed config');
    assert.equal((await catFromImage(remote, '/marker')).trim(), local);
    await docker(['tag', remote, local]);
  });

  test('skopeo inspect of the pushed image agrees with the engine', async () => {
    const { stdout } = await sh(world.skopeo, ['inspect', '--tls-verify=false', `docker://${remote}`]);
    const info = JSON.parse(stdout) as { Digest: string; Layers: string[] };
    const repoDigests = JSON.parse(
      (await docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', remote])).stdout,
    ) as string[];
    assert.ok(
      repoDigests.includes(`${remote.replace(/:[^:/]+$/, '')}@${info.Digest}`),
      `${info.Digest} in ${repoDigests}`,
    );
    const layers = JSON.parse(
      (await docker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', remote])).stdout,
    ) as string[];
    assert.equal(info.Layers.length, layers.length);
  });

  test('skopeo copies the image into an OCI layout that umoci reads', async () => {
    const layout = join(oci.path, 'layout');
    await sh(world.skopeo, ['copy', '--src-tls-verify=false', `docker://${remote}`, `oci:${layout}:smoke`]);
    const { stdout } = await sh(world.umoci, ['ls', '--layout', layout]);
    assert.match(stdout, /^smoke$/m);
    const stat = await sh(world.umoci, ['stat', '--image', `${layout}:smoke`, '--json']);
    const history = (JSON.parse(stat.stdout) as { history: unknown[] }).history;
    assert.ok(history.length >= 2, 'base layer plus the RUN');
  });
});

describe('world: wheel index inside a build', () => {
  const tag = uniqueTag('pip-index');
  after(() => removeImages(tag));

  test('pip install from the local index with --network=host', async () => {
    await build({
      context: join(worldAssetsDir, 'pip-index'),
      tag,
      network: 'host',
      buildArgs: { INDEX_URL: world.indexUrl },
    });
    assert.equal((await catFromImage(tag, '/six-version')).trim(), '1.17.0');
  });
});
