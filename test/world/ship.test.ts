// `layerwise ship` against the world's registry, on the fastapi-uv fixture with init's split-base
// files, through the packed CLI: the first release builds and pushes base and app; a one-line code
// change ships without building the base, and a second engine standing in for a host holding the
// previous release pulls exactly what `ship plan` predicted (counted by a proxy in front of the
// registry), at most 2x the gzip size of the app's source; a lock change makes a new fingerprint and
// a new base; --rebuild-base reports the base identical or explains the drift; rollback and gc.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { deleteManifest } from '../../src/registry/write.js';
import {
  countingProxy,
  docker,
  fixturesDir,
  hostEngine,
  httpProbe,
  indexBuildArgs,
  loadWorld,
  removeImages,
  repoRoot,
  sh,
  tempDir,
  type CountingProxy,
  type HostEngine,
} from './world.js';

const CLI = join(repoRoot, 'dist', 'bundle', 'main.js');
const world = loadWorld();
// The world's docker CLI first: the one on PATH may lack BuildKit.
const PATH = `${dirname(world.docker)}:${process.env.PATH}`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Release {
  json: Json;
  stderr: string;
  code: number;
}

/** Commands against one project copy and its repository (the repository is known once the proxy is up). */
function helpers(dir: string, repoOf: () => string) {
  const git = (...args: string[]) =>
    sh('git', ['-C', dir, ...args], {
      env: {
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.invalid',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.invalid',
      },
    });
  const cli = (args: string[], check = true) =>
    sh(process.execPath, [CLI, ...args], { env: { PATH }, check, timeoutMs: 1_200_000 });
  const buildArgs = Object.entries(indexBuildArgs()).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]);
  async function ship(...extra: string[]): Promise<Release> {
    const r = await cli(
      ['ship', dir, '--repo', repoOf(), '--network', 'host', ...buildArgs, '-f', 'json', '-v', ...extra],
      false,
    );
    if (r.code === 2) throw new Error(`ship failed: ${r.stderr.split('\n').slice(-15).join('\n')}`);
    return { json: JSON.parse(r.stdout) as Json, stderr: r.stderr, code: r.code };
  }
  const raw = async (ref: string) => {
    const r = await sh(world.skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`]);
    return { bytes: r.stdout, json: JSON.parse(r.stdout) as Json };
  };
  const sha = async (text: string) => `sha256:${(await sh('sha256sum', [], { input: text })).stdout.split(' ')[0]}`;
  const tags = async (name: string) =>
    (JSON.parse((await sh(world.skopeo, ['list-tags', '--tls-verify=false', `docker://${name}`])).stdout) as Json)
      .Tags as string[];
  return { git, cli, ship, raw, sha, tags };
}

/** Deletes what a test's releases put in the world registry (app and base manifests; gc may have taken some). */
async function deleteReleases(repo: string, releases: Release[]): Promise<void> {
  const path = repo.replace(/^[^/]+\//, '');
  const c = new RegistryClient(world.registry);
  for (const r of releases) {
    if (r.json.app.digest) await deleteManifest(c, path, r.json.app.digest).catch(() => {});
    if (r.json.base.digest) await deleteManifest(c, `${path}-base`, r.json.base.digest).catch(() => {});
  }
}

/** The local tags ship leaves in the engine for a release (layerwise-ship/NAME:TAG, layerwise-ship/NAME-base:FP). */
function localTags(r: Release, name: string): string[] {
  return [`layerwise-ship/${name}:${r.json.app.tags[0]}`, `layerwise-ship/${name}-base:${r.json.base.fingerprint.tag}`];
}

describe('ship: the base follows the lock, the app rides on it by digest', { concurrency: 1 }, () => {
  const t = tempDir('layerwise-ship-');
  const dir = join(t.path, 'shop');
  let proxy: CountingProxy;
  let host: HostEngine | undefined;
  let repo = '';
  const releases: Release[] = [];
  const pulled: string[] = [];

  const { git, cli, ship, raw, sha, tags } = helpers(dir, () => repo);
  before(async () => {
    cpSync(join(fixturesDir, 'fastapi-uv'), dir, { recursive: true });
    await git('init', '-q', '-b', 'main');
    await cli(['init', dir, '--split-base']);
    assert.ok(existsSync(join(dir, 'Dockerfile.base')));
    await git('add', '-A');
    await git('commit', '-q', '-m', 'initial');
    proxy = await countingProxy(world.registry);
    // Through the proxy, so every byte a pull fetches is counted; 127.0.0.0/8 is a plain-HTTP registry to the engine.
    repo = `${proxy.host}/lw-ship-${Date.now().toString(36)}/shop`;
  });
  after(async () => {
    proxy?.close();
    await host?.stop();
    await removeImages(...pulled, ...releases.flatMap((r) => localTags(r, 'shop')));
    await deleteReleases(repo, releases);
    t.cleanup();
  });

  test('the first release builds and pushes the base and the app; the app runs', { timeout: 1_200_000 }, async () => {
    const r = await ship();
    releases.push(r);
    const j = r.json;
    assert.equal(j.schema, 'layerwise.ship/1');
    assert.equal(j.base.built, true);
    assert.equal(j.base.pushed, true);
    assert.match(j.base.ref, /-base:[0-9a-f]{24}$/);
    const commit = (await git('rev-parse', 'HEAD')).stdout.trim();
    assert.deepEqual(j.app.tags, [commit.slice(0, 12), 'live']);
    // What the registry holds is what ship says it pushed (manifest digests from the bytes).
    const base = await raw(j.base.ref);
    assert.equal(await sha(base.bytes), j.base.digest);
    assert.equal(base.json.annotations['dev.layerwise.ship.kind'], 'base');
    const app = await raw(`${repo}:live`);
    assert.equal(await sha(app.bytes), j.app.digest);
    assert.equal(app.json.annotations['org.opencontainers.image.base.digest'], j.base.digest);
    assert.equal(app.json.annotations['org.opencontainers.image.revision'], commit);
    // The app's lower layers are the base's blobs: the base is pulled once, whatever the release.
    const baseDigests = base.json.layers.map((l: Json) => l.digest);
    assert.deepEqual(
      app.json.layers.slice(0, baseDigests.length).map((l: Json) => l.digest),
      baseDigests,
    );
    assert.ok(j.pushedBytes > 1_000_000, `pushed ${j.pushedBytes} bytes`);

    // The same commit shipped again (CI on the branch, then on its tag): nothing is built, the
    // release keeps its digest and gets the tags.
    const again = await ship('--tag', j.app.tags[0], '--tag', 'v-again');
    assert.equal(again.json.app.built, false);
    assert.equal(again.json.base.built, false);
    assert.equal(again.json.app.digest, j.app.digest);
    assert.equal(await sha((await raw(`${repo}:v-again`)).bytes), j.app.digest);

    // The engine pulls the app from the registry and it answers its health endpoint.
    const ref = `${repo}@${j.app.digest}`;
    pulled.push(ref);
    const body = await httpProbe(ref, '/health');
    assert.equal(body.status, 'ok');
  });

  test(
    'a one-line code change ships without building the base; the host pulls what the plan says',
    { timeout: 1_200_000 },
    async (tc) => {
      const r1 = releases[0].json;
      // The host holds the previous release.
      host = await hostEngine();
      await host.docker(['pull', '-q', `${repo}:live`]);

      appendFileSync(join(dir, 'src/shop_api/main.py'), `\n# a one-line change ${Date.now()}\n`);
      await git('commit', '-q', '-am', 'a one-line change');
      const r = await ship();
      releases.push(r);
      const j = r.json;
      assert.equal(j.base.built, false, 'the base is not built');
      assert.equal(j.base.digest, r1.base.digest, 'the base digest is unchanged');
      assert.equal(j.base.fingerprint.tag, r1.base.fingerprint.tag);
      assert.ok(
        j.skipped.some((s: Json) => /base build/.test(s.what)),
        JSON.stringify(j.skipped),
      );
      assert.doesNotMatch(r.stderr, /building the base/);
      assert.doesNotMatch(r.stderr, /Dockerfile\.base/, 'the build log shows no base build');
      assert.notEqual(j.app.digest, r1.app.digest);

      const plan = JSON.parse(
        (await cli(['ship', 'plan', dir, '--repo', repo, `--host=${host.host}`, '-f', 'json'])).stdout,
      ) as Json;
      assert.equal(plan.app.digest, j.app.digest);
      assert.equal(plan.base.digest, j.base.digest);
      assert.equal(plan.pull.baseBytes, 0, 'the host has the base');
      const script = join(dir, '.layerwise/deploy/deploy.sh');
      assert.ok(readFileSync(script, 'utf8').includes(j.app.digest));

      proxy.served.bytes = 0;
      proxy.served.blobs = [];
      await sh('sh', [script, 'pull'], { env: { PATH, DOCKER_HOST: host.host } });
      // The plan counts layer blobs; the pulls also fetch each image's config (the base's and the app's).
      const appManifest = (await raw(`${repo}@${j.app.digest}`)).json;
      const baseManifest = (await raw(`${repo}-base@${j.base.digest}`)).json;
      const configs = [appManifest.config, baseManifest.config].filter((c: Json) =>
        proxy.served.blobs.includes(c.digest),
      );
      const layerBytes = proxy.served.bytes - configs.reduce((n: number, c: Json) => n + c.size, 0);
      assert.equal(
        layerBytes,
        plan.pull.bytes,
        `the deploy pulled ${layerBytes} layer bytes (${proxy.served.blobs.join(' ')}); the plan said ${JSON.stringify(plan.pull)}; layers ${JSON.stringify(appManifest.layers.map((l: Json) => [l.digest.slice(7, 19), l.size]))}`,
      );
      assert.ok(plan.pull.bytes > 0, 'a code change pulls something');

      // At most twice the gzip size of the app's own source.
      const { stdout } = await sh('sh', ['-c', 'tar -C "$0" --exclude=__pycache__ -cf - src | gzip -c | wc -c', dir]);
      const source = Number(stdout.trim());
      tc.diagnostic(
        `a code change: the host pulled ${layerBytes} layer bytes (the plan said ${plan.pull.bytes}); the source is ${source} B gzip`,
      );
      assert.ok(
        plan.pull.bytes <= 2 * source,
        `the host pulls ${plan.pull.bytes} bytes; the source is ${source} bytes gzip`,
      );
    },
  );

  test('a lock change makes a new fingerprint and a new base', { timeout: 1_200_000 }, async () => {
    const r1 = releases[0].json;
    // A real lock change: uv (the binary of the world's uv image) adds a small package from the world's index.
    const id = (await docker(['create', world.uvImage, '/uv'])).stdout.trim();
    await docker(['cp', `${id}:/uv`, join(t.path, 'uv')]);
    await docker(['rm', id]);
    await sh(join(t.path, 'uv'), ['add', '--no-sync', '--quiet', 'six'], {
      cwd: dir,
      env: { UV_PYTHON_DOWNLOADS: 'never', PIP_CONFIG_FILE: '/dev/null' },
    });
    await git('commit', '-q', '-am', 'add six');
    const r = await ship();
    releases.push(r);
    const j = r.json;
    assert.notEqual(j.base.fingerprint.tag, r1.base.fingerprint.tag);
    assert.equal(j.base.built, true);
    assert.equal(j.base.pushed, true);
    assert.notEqual(j.base.digest, r1.base.digest);
    const changed = j.base.fingerprint.parts.filter(
      (p: Json) => p.sha256 !== r1.base.fingerprint.parts.find((q: Json) => q.name === p.name)?.sha256,
    );
    assert.deepEqual(
      changed.map((p: Json) => p.name),
      ['lock'],
      'only the lock part changed',
    );
  });

  test(
    '--rebuild-base on an unchanged fingerprint: identical, or the drift explained',
    { timeout: 1_200_000 },
    async () => {
      const r3 = releases[2].json;
      const r = await ship('--rebuild-base', '--tag', 'rebuild-check', '--no-deploy-tag');
      releases.push(r);
      const j = r.json;
      assert.equal(j.base.built, true);
      assert.equal(j.base.pushed, false, 'a fingerprint is never pushed over');
      assert.equal(j.base.digest, r3.base.digest);
      assert.ok(j.base.drift, 'a drift report');
      if (j.base.drift.identical) assert.equal(r.code, 0);
      else {
        assert.equal(r.code, 1);
        for (const l of j.base.drift.layers) assert.ok(l.verdict && l.reason, JSON.stringify(l));
      }
    },
  );

  test(
    'rollback points live at the release before; gc keeps what kept releases use',
    { timeout: 600_000 },
    async () => {
      const [r1, r2, r3] = releases.map((r) => r.json);
      const digestOf = async (tag: string) => sha((await raw(`${repo}:${tag}`)).bytes);
      assert.equal(await digestOf('live'), r3.app.digest);
      await cli(['ship', 'rollback', '--repo', repo]);
      assert.equal(await digestOf('live'), r2.app.digest, 'live moved back one release');

      // Keep 1: the newest release (r3, or the rebuild check), and r2 because live names it, and their bases.
      const out = JSON.parse((await cli(['ship', 'gc', '--repo', repo, '--keep', '1', '-f', 'json'])).stdout) as Json;
      const deleted = out.deleted.map((d: Json) => d.digest);
      assert.ok(deleted.includes(r1.app.digest), 'the oldest release goes');
      assert.ok(!deleted.includes(r2.app.digest), 'the release live names stays');
      assert.ok(!deleted.includes(r2.base.digest), "the live release's base stays");
      assert.ok(!deleted.includes(r3.base.digest), 'the newest base stays');
      const left = await tags(repo);
      assert.ok(left.includes('live'));
      assert.ok(!left.includes(r1.app.tags[0]), `r1's tag is gone: ${left}`);
      const baseTags = await tags(`${repo}-base`);
      assert.ok(baseTags.includes(r1.base.fingerprint.tag) && baseTags.includes(r3.base.fingerprint.tag));
    },
  );
});

describe('ship --base-target: one Dockerfile whose deps stage is the base', { concurrency: 1 }, () => {
  const t = tempDir('layerwise-ship-bt-');
  const dir = join(t.path, 'shop');
  const repo = `${world.registry}/lw-ship-bt-${Date.now().toString(36)}/shop`;
  const { git, cli, ship } = helpers(dir, () => repo);
  const releases: Release[] = [];
  before(async () => {
    cpSync(join(fixturesDir, 'fastapi-uv'), dir, { recursive: true });
    await git('init', '-q', '-b', 'main');
    await cli(['init', dir]);
    await git('add', '-A');
    await git('commit', '-q', '-m', 'initial');
  });
  after(async () => {
    await removeImages(...releases.flatMap((r) => localTags(r, 'shop')));
    await deleteReleases(repo, releases);
    t.cleanup();
  });

  test(
    'the deps stage ships as the base; a code change builds only the app on it',
    { timeout: 1_200_000 },
    async () => {
      const r1 = await ship('--base-target', 'deps');
      releases.push(r1);
      assert.equal(r1.json.base.pushed, true);
      appendFileSync(join(dir, 'src/shop_api/main.py'), `\n# a one-line change ${Date.now()}\n`);
      await git('commit', '-q', '-am', 'a one-line change');
      const r2 = await ship('--base-target', 'deps');
      releases.push(r2);
      assert.equal(r2.json.base.built, false);
      assert.equal(r2.json.base.digest, r1.json.base.digest);
      assert.notEqual(r2.json.app.digest, r1.json.app.digest);
      // The runtime stage copies the environment out of the pushed base: the same files, so the same
      // layer, and the code change pushes only the app's own small layers.
      assert.ok(r2.json.pushedBytes < 1_000_000, `a code change pushed ${r2.json.pushedBytes} bytes`);
    },
  );
});
