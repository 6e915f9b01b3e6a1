// ship plan against a real engine and registry: a base (FROM the world's python image plus a
// 1 MB layer) and two app releases on it, in the registry with ship's annotations. An engine
// holding v1 runs the generated deploy script (`pull`) for v2 through a counting proxy and
// downloads exactly the layer bytes the plan predicted; the plan against the release v1 says the
// same for the classic store.
//
// The images are built by the engine (BuildKit) but put in the registry with skopeo from
// `docker save`, not with docker push: a push teaches the engine the blob digests of its layers,
// and BuildKit's cache keeps the layers after `docker image rm`, so every later pull would find
// them all ("Already exists") and fetch nothing, whatever the plan said.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MediaTypes } from '../../src/image/model.js';
import { RegistryClient } from '../../src/registry/client.js';
import { deleteManifest, putManifest, sha256 } from '../../src/registry/write.js';
import { renderComposeOverride, renderDeployScript, writeDeployFiles } from '../../src/ship/deploy-files.js';
import { planDeploy, planRelease } from '../../src/ship/plan.js';
import { ANNOTATIONS, type DeployPlan } from '../../src/ship/types.js';
import {
  build,
  countingProxy,
  type CountingProxy,
  docker,
  loadWorld,
  removeImages,
  sh,
  tempDir,
  uniqueTag,
  writeFiles,
} from './world.js';

const world = loadWorld();
type Json = any;

describe('ship plan: predicted pull bytes equal what the deploy script downloads', () => {
  const ctx = tempDir('layerwise-ship-plan-');
  const run = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const repo = `layerwise-test/plan-${run}`;
  const baseRepo = `${repo}-base`;
  const fp = randomBytes(12).toString('hex');
  const fp2 = randomBytes(12).toString('hex');
  const local = {
    base: uniqueTag('plan-base'),
    base2: uniqueTag('plan-base2'),
    v1: uniqueTag('plan-v1'),
    v2: uniqueTag('plan-v2'),
    v3: uniqueTag('plan-v3'),
  };
  const client = new RegistryClient(world.registry);
  const manifests: { repo: string; digest: string }[] = [];
  const pulled: string[] = [];
  const raw: Record<string, Json> = {};
  const digests: Record<string, string> = {};
  let proxy: CountingProxy;

  /** Copies a local image to the registry (skopeo, from `docker save`) as an OCI manifest. */
  async function toRegistry(tag: string, dest: string): Promise<void> {
    const archive = join(ctx.path, `${randomBytes(4).toString('hex')}.tar`);
    await docker(['save', '-o', archive, tag]);
    await sh(world.skopeo, [
      'copy',
      '--quiet',
      '--format',
      'oci',
      '--dest-tls-verify=false',
      `docker-archive:${archive}`,
      `docker://${world.registry}/${dest}`,
    ]);
  }

  /** PUTs the manifest under repo:tag again with ship's annotations; returns the new digest. */
  async function annotate(r: string, tag: string, annotations: Record<string, string>, as = tag): Promise<string> {
    const got = await client.getManifest(r, tag);
    // skopeo's own manifest stays in the registry untagged: deleted afterwards too.
    manifests.push({ repo: r, digest: sha256(got.bytes) });
    const m = JSON.parse(got.bytes.toString()) as Json;
    m.mediaType = MediaTypes.ociManifest;
    if (Object.keys(annotations).length) m.annotations = annotations;
    else delete m.annotations;
    const digest = await putManifest(client, r, as, Buffer.from(JSON.stringify(m)), MediaTypes.ociManifest);
    manifests.push({ repo: r, digest });
    raw[as] = m;
    digests[as] = digest;
    return digest;
  }

  before(async () => {
    // Two bases (the second one for a release whose dependencies changed), each ~1 MB of random bytes.
    writeFiles(ctx.path, {
      'Dockerfile.base': `FROM ${world.pythonImage}\nRUN head -c 1000000 /dev/urandom > /opt/base-${run}.bin\n`,
      'Dockerfile.base2': `FROM ${world.pythonImage}\nRUN head -c 1000000 /dev/urandom > /opt/base2-${run}.bin\n`,
      'Dockerfile.app': 'ARG BASE\nFROM ${BASE}\nCOPY app.txt /app/app.txt\nEXPOSE 8000\n',
    });
    for (const b of ['base', 'base2'] as const)
      await build({ context: ctx.path, dockerfile: join(ctx.path, `Dockerfile.${b}`), tag: local[b], network: 'none' });
    for (const [v, b] of [
      ['v1', 'base'],
      ['v2', 'base'],
      ['v3', 'base2'],
    ] as const) {
      writeFiles(ctx.path, { 'app.txt': `${v} ${run}\n` });
      await build({
        context: ctx.path,
        dockerfile: join(ctx.path, 'Dockerfile.app'),
        tag: local[v],
        buildArgs: { BASE: local[b] },
      });
    }
    await toRegistry(local.base, `${baseRepo}:${fp}`);
    await toRegistry(local.base2, `${baseRepo}:${fp2}`);
    for (const v of ['v1', 'v2', 'v3'] as const) await toRegistry(local[v], `${repo}:${v}`);
    // The engine must not hold these images: the host's state is what the v1 pull gives it.
    await removeImages(...Object.values(local));
    const created = new Date().toISOString();
    for (const f of [fp, fp2])
      await annotate(baseRepo, f, {
        [ANNOTATIONS.fingerprint]: f,
        [ANNOTATIONS.created]: created,
        [ANNOTATIONS.kind]: 'base',
      });
    // Without annotations first (a release that names no base), then the same image as ship writes it.
    await annotate(repo, 'v2', {}, 'plain');
    for (const [v, f] of [
      ['v1', fp],
      ['v2', fp],
      ['v3', fp2],
    ])
      await annotate(repo, v, {
        [ANNOTATIONS.fingerprint]: f,
        [ANNOTATIONS.created]: created,
        [ANNOTATIONS.kind]: 'app',
        [ANNOTATIONS.version]: v,
        // As ship writes it: the address it pushed through, which the plan does not use.
        [ANNOTATIONS.baseName]: `${world.registry}/${baseRepo}:${f}`,
        [ANNOTATIONS.baseDigest]: digests[f],
      });
    proxy = await countingProxy(world.registry);
  });

  after(async () => {
    proxy?.close();
    await removeImages(...pulled, ...Object.values(local));
    for (const m of new Map(manifests.map((x) => [`${x.repo}@${x.digest}`, x])).values())
      await deleteManifest(client, m.repo, m.digest).catch(() => {});
    ctx.cleanup();
  });

  test('the releases share the base layers (the setup is what the test means)', () => {
    const layers = (t: string) => raw[t].layers.map((l: Json) => l.digest);
    const base = layers(fp);
    assert.deepEqual(layers('v1').slice(0, base.length), base);
    assert.deepEqual(layers('v2').slice(0, base.length), base);
    assert.equal(layers('v2').length, base.length + 1);
    assert.notEqual(layers('v1').at(-1), layers('v2').at(-1));
    assert.ok(raw[fp].layers.at(-1).size > 1_000_000, 'the base layer is ~1 MB of random bytes');
  });

  /** Writes the plan's files under sub/, runs `deploy.sh pull` through the proxy: the layer blobs it fetched, in order, and their bytes. */
  async function deployPull(plan: DeployPlan, sub: string): Promise<{ blobs: string[]; bytes: number }> {
    const composeFiles = ['compose.yaml', 'compose.release.yaml'];
    const files = {
      [`${sub}/deploy.sh`]: renderDeployScript(plan, { composeFiles, service: 'web' }),
      [`${sub}/compose.release.yaml`]: renderComposeOverride(plan, { service: 'web', standalone: false }),
    };
    const w = writeDeployFiles(ctx.path, files, {});
    assert.deepEqual(w.written.sort(), Object.keys(files).sort());
    pulled.push(plan.app.ref, ...(plan.base ? [plan.base.ref] : []));
    proxy.served.bytes = 0;
    proxy.served.blobs = [];
    await sh('sh', [join(ctx.path, sub, 'deploy.sh'), 'pull'], {
      env: { DOCKER_HOST: world.dockerHost, PATH: `${dirname(world.docker)}:${process.env.PATH}` },
    });
    // Config blobs are fetched too; the prediction counts layer blobs only.
    const configs = new Map<string, number>(Object.values(raw).map((m: Json) => [m.config.digest, m.config.size]));
    const blobs = proxy.served.blobs.filter((d) => !configs.has(d));
    const configBytes = proxy.served.blobs.reduce((s, d) => s + (configs.get(d) ?? 0), 0);
    return { blobs, bytes: proxy.served.bytes - configBytes };
  }

  let hostPlan: DeployPlan;
  test('an engine holding v1 downloads exactly the predicted bytes for v2', async (t) => {
    const v1 = `${proxy.host}/${repo}:v1`;
    pulled.push(v1);
    await docker(['pull', '-q', v1]);
    // The host's layers came from this pull (the engine did not know the blobs from elsewhere).
    assert.ok(proxy.served.blobs.includes(raw[fp].layers.at(-1).digest), 'the v1 pull fetched the base layer');

    const r = await planRelease({ registry: proxy.host, repo, release: 'v2', against: { host: world.dockerHost } });
    hostPlan = r.plan;
    assert.deepEqual(r.ports, ['8000/tcp']);
    const info = JSON.parse((await docker(['info', '--format', '{{json .}}'])).stdout);
    const store = JSON.stringify(info.DriverStatus ?? []).includes('io.containerd.snapshotter')
      ? 'containerd'
      : 'classic';
    assert.equal(hostPlan.store, store);
    assert.equal(hostPlan.against, `engine ${world.dockerHost}`);
    assert.equal(hostPlan.base?.digest, digests[fp]);
    assert.equal(hostPlan.base?.ref, `${proxy.host}/${baseRepo}@${digests[fp]}`);
    assert.equal(hostPlan.app.digest, digests.v2);
    assert.equal(hostPlan.app.ref, `${proxy.host}/${repo}@${digests.v2}`);
    // Only v2's own top layer is new to this host; the base is held through v1.
    const top = raw.v2.layers.at(-1);
    assert.equal(hostPlan.pull.layers, 1);
    assert.equal(hostPlan.pull.bytes, top.size);
    assert.equal(hostPlan.pull.appBytes, top.size);
    assert.equal(hostPlan.pull.baseBytes, 0);

    const got = await deployPull(hostPlan, 'deploy-v2');
    t.diagnostic(
      `v2 against the engine: predicted ${hostPlan.pull.bytes} B in ${hostPlan.pull.layers} layer(s), fetched ${got.bytes} B`,
    );
    assert.deepEqual(got.blobs, [top.digest]);
    assert.equal(got.blobs.length, hostPlan.pull.layers);
    assert.equal(got.bytes, hostPlan.pull.bytes);
    // The engine now holds the release under the digest the override pins.
    const id = await docker(['image', 'inspect', '--format', '{{.Id}}', hostPlan.app.ref]);
    assert.equal(id.stdout.trim(), raw.v2.config.digest);
  });

  test('a release on a new base: the base layer, then the app layer, as predicted', async (t) => {
    const p = await planDeploy({ registry: proxy.host, repo, release: 'v3', against: { host: world.dockerHost } });
    const baseTop = raw[fp2].layers.at(-1);
    const appTop = raw.v3.layers.at(-1);
    assert.equal(p.base?.digest, digests[fp2]);
    assert.equal(p.pull.layers, 2);
    assert.equal(p.pull.baseBytes, baseTop.size);
    assert.equal(p.pull.appBytes, appTop.size);
    assert.equal(p.pull.bytes, baseTop.size + appTop.size);
    const got = await deployPull(p, 'deploy-v3');
    t.diagnostic(
      `v3 against the engine: predicted ${p.pull.baseBytes} B base + ${p.pull.appBytes} B app, fetched ${got.bytes} B`,
    );
    // The base's layer first (its own pull), then the app's.
    assert.deepEqual(got.blobs, [baseTop.digest, appTop.digest]);
    assert.equal(got.bytes, p.pull.bytes);
  });

  test('against the release v1: the same bytes on the classic store', async () => {
    const p = await planDeploy({ registry: proxy.host, repo, release: 'v2', against: { release: 'v1' } });
    assert.equal(p.store, 'classic');
    assert.equal(p.against, 'release v1');
    assert.equal(p.app.digest, hostPlan.app.digest);
    assert.equal(p.pull.bytes, raw.v2.layers.at(-1).size);
    assert.equal(p.pull.layers, 1);
    assert.equal(p.pull.bytes, hostPlan.pull.bytes);
    assert.deepEqual(p.pull.other, { store: 'containerd', layers: 1, bytes: p.pull.bytes });
  });

  test('a release whose manifest names no base: base null, every byte is the app', async () => {
    const p = await planDeploy({ registry: proxy.host, repo, release: 'plain', against: { release: 'v1' } });
    assert.equal(p.base, null);
    assert.equal(p.pull.baseBytes, 0);
    assert.equal(p.pull.appBytes, p.pull.bytes);
    assert.equal(p.pull.bytes, raw.plain.layers.at(-1).size);
    const script = renderDeployScript(p, { composeFiles: ['compose.yaml'], service: 'web' });
    assert.doesNotMatch(script, /-base/);
  });
});
