// ship's registry state against the world's real registry (distribution, deletion enabled):
// synthetic releases and bases pushed with the write side, listed, rolled back and collected, and
// every result read back with skopeo rather than with the code under test.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { deleteManifest, listTags, sha256 } from '../../src/registry/write.js';
import { gc } from '../../src/ship/gc.js';
import { baseRepoOf, listBases, listReleases, retag } from '../../src/ship/releases.js';
import { rollback } from '../../src/ship/rollback.js';
import { type GcScenario, pushGcScenario } from '../unit/ship-fixtures.js';
import { loadWorld, sh } from './world.js';

const world = loadWorld();
const REPO = `layerwise-test/gc-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const BASE = baseRepoOf(REPO);
const c = new RegistryClient(world.registry, { credentials: null });

/** Tags of repo as skopeo lists them (sorted; [] when the registry knows no such repository). */
async function skopeoTags(repo: string): Promise<string[]> {
  const r = await sh(world.skopeo, ['list-tags', '--tls-verify=false', `docker://${world.registry}/${repo}`], {
    check: false,
  });
  if (r.code !== 0) {
    assert.match(r.stderr, /unknown|not found/i, r.stderr);
    return [];
  }
  return ((JSON.parse(r.stdout) as { Tags: string[] | null }).Tags ?? []).sort();
}

/** Digest of the manifest `ref` names, per skopeo (null when the registry has none). */
async function skopeoDigest(repo: string, ref: string): Promise<string | null> {
  const sep = ref.startsWith('sha256:') ? '@' : ':';
  const r = await sh(
    world.skopeo,
    ['inspect', '--raw', '--tls-verify=false', `docker://${world.registry}/${repo}${sep}${ref}`],
    { check: false },
  );
  if (r.code !== 0) {
    assert.match(r.stderr, /unknown|not found/i, r.stderr);
    return null;
  }
  return sha256(r.stdout);
}

describe('ship releases, rollback and gc on the registry', () => {
  let s: GcScenario;

  before(async () => {
    s = await pushGcScenario(c, REPO, BASE);
    await retag(c, REPO, s.releases[4], 'latest');
  });

  after(async () => {
    // Leave no repository content behind: every manifest still tagged, in both repositories.
    for (const repo of [REPO, BASE]) {
      const digests = new Set<string>();
      for (const tag of await listTags(c, repo)) {
        const m = await c.getManifest(repo, tag);
        digests.add(m.digest ?? sha256(m.bytes));
      }
      for (const d of digests) await deleteManifest(c, repo, d);
    }
  });

  it('lists releases and bases as pushed', async () => {
    assert.deepEqual(await skopeoTags(REPO), ['latest', 'live', 'other', 'v1', 'v2', 'v3', 'v4', 'v5']);
    const rs = await listReleases(c, REPO);
    assert.deepEqual(
      rs.map((r) => r.digest),
      [...s.releases].reverse(),
    );
    assert.deepEqual(rs[0].tags, ['latest', 'v5']);
    assert.deepEqual(rs[4].tags, ['live', 'v1']);
    assert.equal(rs[4].baseDigest, s.bases[0]);
    assert.deepEqual(
      (await listBases(c, BASE)).map((b) => b.digest),
      [...s.bases].reverse(),
    );
  });

  it('rollback moves live by re-PUTting the manifest, and back', async () => {
    await rollback(c, REPO, { to: 'v4' });
    assert.equal(await skopeoDigest(REPO, 'live'), s.releases[3]);
    const r = await rollback(c, REPO, {});
    assert.equal(r.from?.digest, s.releases[3]);
    assert.equal(await skopeoDigest(REPO, 'live'), s.releases[2]);
    await rollback(c, REPO, { to: 'v1', dryRun: true });
    assert.equal(await skopeoDigest(REPO, 'live'), s.releases[2]);
    await rollback(c, REPO, { to: 'v1' });
    assert.equal(await skopeoDigest(REPO, 'live'), s.releases[0]);
  });

  it('gc keeps the newest 2, the live release and their bases; deletes the rest and their tags', async () => {
    const [v1, v2, v3, v4, v5] = s.releases;
    const [b1, b2, b3] = s.bases;
    const dry = await gc(c, REPO, { keep: 2, dryRun: true });
    assert.deepEqual(
      dry.deleted.map((d) => d.digest),
      [v3, v2, b2],
    );
    assert.deepEqual(await skopeoTags(BASE), ['fp1', 'fp2', 'fp3']);

    const started = Date.now();
    const r = await gc(c, REPO, { keep: 2 });
    const ms = Date.now() - started;
    assert.deepEqual(
      r.kept.map((k) => k.digest),
      [v5, v4, v1, b3, b1],
    );
    assert.deepEqual(
      r.deleted.map((d) => d.digest),
      [v3, v2, b2],
    );
    assert.deepEqual(await skopeoTags(REPO), ['latest', 'live', 'other', 'v1', 'v4', 'v5']);
    assert.deepEqual(await skopeoTags(BASE), ['fp1', 'fp3']);
    assert.equal(await skopeoDigest(REPO, v3), null);
    assert.equal(await skopeoDigest(BASE, b2), null);
    assert.equal(await skopeoDigest(REPO, 'other'), s.other);
    assert.equal(await skopeoDigest(BASE, b1), b1);
    console.log(`# gc of ${REPO}: 8 tags + 3 base tags read, 3 manifests deleted in ${ms} ms`);

    // Nothing left to collect; keep 1 then drops v4 but still not the live release nor `other`.
    assert.deepEqual((await gc(c, REPO, { keep: 2 })).deleted, []);
    const one = await gc(c, REPO, { keep: 1 });
    assert.deepEqual(
      one.deleted.map((d) => d.digest),
      [v4],
    );
    assert.deepEqual(await skopeoTags(REPO), ['latest', 'live', 'other', 'v1', 'v5']);
  });
});
