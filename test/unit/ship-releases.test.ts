import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { UserError } from '../../src/errors.js';
import { RegistryClient } from '../../src/registry/client.js';
import { putManifest } from '../../src/registry/write.js';
import { gc } from '../../src/ship/gc.js';
import { baseRepoOf, listBases, listReleases, retag } from '../../src/ship/releases.js';
import { formatRollback, rollback } from '../../src/ship/rollback.js';
import { type FakeRegistry, type FakeRegistryOptions, startFakeRegistry } from './fake-registry.js';
import { pushGcScenario, pushShipImage, type GcScenario } from './ship-fixtures.js';

const REPO = 'team/app';
const BASE = 'team/app-base';

let fake: FakeRegistry | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function world(
  opts: FakeRegistryOptions = {},
): Promise<{ fake: FakeRegistry; c: RegistryClient; s: GcScenario }> {
  fake = await startFakeRegistry(opts);
  const c = new RegistryClient(fake.host, { credentials: null, attempts: 1 });
  const s = await pushGcScenario(c, REPO, BASE);
  return { fake, c, s };
}

/** A UserError whose message is one line matching `re`. */
function oneLine(re: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof UserError, `not a UserError: ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `more than one line: ${e.message}`);
    assert.match(e.message, re);
    return true;
  };
}

describe('listReleases / listBases', () => {
  it('lists app releases newest first, tags merged by digest, paginated, without non-ship tags', async () => {
    const { fake, c, s } = await world();
    await retag(c, REPO, s.releases[4], 'latest');
    await putManifest(c, REPO, 'junk', Buffer.from('not json'), 'application/vnd.oci.image.manifest.v1+json');
    const rs = await listReleases(c, REPO);
    assert.deepEqual(
      rs.map((r) => r.digest),
      [...s.releases].reverse(),
    );
    assert.deepEqual(
      rs.map((r) => r.tags),
      [['latest', 'v5'], ['v4'], ['v3'], ['v2'], ['live', 'v1']],
    );
    assert.equal(rs[0].created, '2026-01-15T10:00:00Z');
    assert.equal(rs[0].baseDigest, s.bases[2]);
    assert.equal(rs[0].baseName, `${BASE}:fp3`);
    assert.equal(rs[4].revision, 'rev1');
    assert.ok(!rs.some((r) => r.digest === s.other));
    // 9 tags at 2 a page: the Link header was followed to the end.
    assert.equal(fake.log.filter((l) => l.startsWith(`GET /v2/${REPO}/tags/list`)).length, 5);

    const bs = await listBases(c, baseRepoOf(REPO));
    assert.deepEqual(
      bs.map((b) => [b.digest, b.tags, b.fingerprint]),
      [
        [s.bases[2], ['fp3'], 'fp3'],
        [s.bases[1], ['fp2'], 'fp2'],
        [s.bases[0], ['fp1'], 'fp1'],
      ],
    );
    // Bases are not releases, nor releases bases.
    assert.deepEqual(await listBases(c, REPO), []);
  });

  it('skips a tag whose manifest is gone by the time it is read', async () => {
    const { c, s } = await world({ vanishedTags: ['v3'] });
    assert.deepEqual(
      (await listReleases(c, REPO)).map((r) => r.digest),
      [s.releases[4], s.releases[3], s.releases[1], s.releases[0]],
    );
  });

  it('reads manifests in parallel, never more than 8 at once', async () => {
    fake = await startFakeRegistry({ manifestDelayMs: 40, pageSize: 100 });
    const c = new RegistryClient(fake.host, { credentials: null });
    for (let i = 0; i < 20; i++)
      await pushShipImage(c, REPO, {
        kind: 'app',
        tags: [`t${i}`],
        created: `2026-02-01T00:00:${i}0Z`,
        label: `p${i}`,
      });
    const rs = await listReleases(c, REPO);
    assert.equal(rs.length, 20);
    assert.equal(fake.maxConcurrentManifestGets, 8);
  });

  it('an empty or missing repository has no releases', async () => {
    fake = await startFakeRegistry();
    const c = new RegistryClient(fake.host, { credentials: null });
    assert.deepEqual(await listReleases(c, 'nobody/here'), []);
    assert.deepEqual(await listBases(c, 'nobody/here-base'), []);
  });

  it('retag points a tag at an existing manifest without uploading blobs', async () => {
    const { fake, c, s } = await world();
    const before = fake.log.length;
    await retag(c, REPO, s.releases[2], 'live');
    assert.equal(fake.tagged(REPO, 'live'), s.releases[2]);
    assert.equal(fake.tagged(REPO, 'v1'), s.releases[0]);
    const sent = fake.log.slice(before);
    assert.deepEqual(sent, [`GET /v2/${REPO}/manifests/${s.releases[2]}`, `PUT /v2/${REPO}/manifests/live`]);
  });
});

describe('rollback', () => {
  it('without --to moves the deploy tag to the release before the current one', async () => {
    const { fake, c, s } = await world();
    await retag(c, REPO, s.releases[3], 'live'); // live = v4
    const r = await rollback(c, REPO, {});
    assert.equal(r.tag, 'live');
    assert.equal(r.from?.digest, s.releases[3]);
    assert.equal(r.to.digest, s.releases[2]);
    assert.equal(fake.tagged(REPO, 'live'), s.releases[2]);
    assert.match(formatRollback(REPO, r), /^moved team\/app:live from v4 \(\w{12}, .*\) to v3 \(/);
    // And again: one further back.
    await rollback(c, REPO, {});
    assert.equal(fake.tagged(REPO, 'live'), s.releases[1]);
  });

  it('--to a tag, a digest or a digest prefix; dry run writes nothing', async () => {
    const { fake, c, s } = await world();
    const pushed = fake.log.length;
    const dry = await rollback(c, REPO, { to: 'v5', dryRun: true });
    assert.equal(dry.to.digest, s.releases[4]);
    assert.equal(fake.tagged(REPO, 'live'), s.releases[0]);
    assert.ok(!fake.log.slice(pushed).some((l) => l.startsWith('PUT')));
    assert.match(formatRollback(REPO, dry, true), /^would move team\/app:live from v1 .* to v5 /);

    await rollback(c, REPO, { to: s.releases[3] });
    assert.equal(fake.tagged(REPO, 'live'), s.releases[3]);
    await rollback(c, REPO, { to: s.releases[2].slice(7, 19) });
    assert.equal(fake.tagged(REPO, 'live'), s.releases[2]);
    const r = await rollback(c, REPO, { to: 'v5', deployTag: 'prod' });
    assert.equal(r.from, null);
    assert.equal(fake.tagged(REPO, 'prod'), s.releases[4]);
    assert.equal(fake.tagged(REPO, 'live'), s.releases[2]);
  });

  it('to the release the tag names already: nothing is written', async () => {
    const { fake, c, s } = await world();
    const pushed = fake.log.length;
    const r = await rollback(c, REPO, { to: 'v1' });
    assert.equal(r.from?.digest, s.releases[0]);
    assert.equal(
      formatRollback(REPO, r),
      `team/app:live already names v1 (${s.releases[0].slice(7, 19)}, 2026-01-11T10:00:00Z); nothing to do`,
    );
    assert.ok(!fake.log.slice(pushed).some((l) => l.startsWith('PUT')));
  });

  it('says in one line what is wrong', async () => {
    const { c } = await world();
    await assert.rejects(rollback(c, REPO, {}), oneLine(/live names the oldest release v1 .*none before it/));
    await assert.rejects(rollback(c, REPO, { deployTag: 'prod' }), oneLine(/prod names no release; .*--to/));
    await assert.rejects(rollback(c, REPO, { to: 'other' }), oneLine(/^other is not a release in team\/app; .*v5/));
    await assert.rejects(rollback(c, REPO, { to: 'sha256:0000000' }), oneLine(/is not a release/));
    await assert.rejects(rollback(c, 'team/none', {}), oneLine(/team\/none has no ship releases/));
  });
});

describe('gc', () => {
  const pick = (r: { digest: string }[]) => r.map((x) => x.digest);

  it('keeps the newest N, the live release and their bases; deletes the rest by digest', async () => {
    const { fake, c, s } = await world();
    const r = await gc(c, REPO, { keep: 2 });
    const [v1, v2, v3, v4, v5] = s.releases;
    const [b1, b2, b3] = s.bases;
    assert.deepEqual(pick(r.kept), [v5, v4, v1, b3, b1]);
    assert.deepEqual(pick(r.deleted), [v3, v2, b2]);
    assert.deepEqual(
      r.kept.map((k) => k.why),
      [
        'newest 1 of 2',
        'newest 2 of 2',
        'deploy tag live',
        `newest base; base of kept release ${v5.slice(7, 19)}; base of kept release ${v4.slice(7, 19)}`,
        `base of kept release ${v1.slice(7, 19)}`,
      ],
    );
    assert.deepEqual(r.deleted[0], { repo: REPO, digest: v3, tags: ['v3'] });
    assert.equal(r.deleted[2].repo, BASE);
    assert.deepEqual(fake.tags(REPO), ['live', 'other', 'v1', 'v4', 'v5']);
    assert.deepEqual(fake.tags(BASE), ['fp1', 'fp3']);
    assert.ok(fake.manifests(REPO).includes(s.other));
    assert.deepEqual(
      fake.log.filter((l) => l.startsWith('DELETE')),
      [
        `DELETE /v2/${REPO}/manifests/${v3}`,
        `DELETE /v2/${REPO}/manifests/${v2}`,
        `DELETE /v2/${BASE}/manifests/${b2}`,
      ],
    );
    // A second run finds nothing more to delete.
    const again = await gc(c, REPO, { keep: 2 });
    assert.deepEqual(again.deleted, []);
  });

  it('dry run reports the same and deletes nothing', async () => {
    const { fake, c, s } = await world();
    const r = await gc(c, REPO, { keep: 2, dryRun: true });
    assert.equal(r.dryRun, true);
    assert.deepEqual(pick(r.deleted), [s.releases[2], s.releases[1], s.bases[1]]);
    assert.ok(!fake.log.some((l) => l.startsWith('DELETE')));
    assert.equal(fake.tags(REPO).length, 7);
  });

  it('protected tags keep their release and its base; another deploy tag leaves live unprotected', async () => {
    const { fake, c, s } = await world();
    const [v1, v2, v3, v4, v5] = s.releases;
    const [b1, b2, b3] = s.bases;
    const r = await gc(c, REPO, { keep: 1, deployTag: 'prod', protect: ['v3'], dryRun: true });
    assert.deepEqual(pick(r.kept), [v5, v3, b3, b2]);
    assert.deepEqual(pick(r.deleted), [v4, v2, v1, b1]);
    await assert.rejects(gc(c, REPO, { keep: 1, protect: ['v9'] }), oneLine(/--protect v9: no release/));
    await assert.rejects(gc(c, REPO, { keep: 0 }), oneLine(/--keep 0/));
    assert.ok(!fake.log.some((l) => l.startsWith('DELETE')));
  });

  it('a registry refusing deletion (405): one line naming the fix, nothing deleted', async () => {
    const { fake, c } = await world({ deletion: false });
    await assert.rejects(
      gc(c, REPO, { keep: 2 }),
      oneLine(
        /does not allow deletion \(405\); enable it \(distribution: storage\.delete\.enabled\).*; nothing was deleted$/,
      ),
    );
    assert.equal(fake.tags(REPO).length, 7);
    assert.equal(fake.tags(BASE).length, 3);
  });

  it('a refusal midway says what was deleted before it', async () => {
    const { fake, c, s } = await world({ refuseDeleteIn: [BASE] });
    const short = (d: string) => d.slice(7, 19);
    await assert.rejects(
      gc(c, REPO, { keep: 2 }),
      oneLine(
        new RegExp(
          `${BASE}@sha256:${short(s.bases[1])}.*\\(405\\).*; deleted before it: ${REPO}@${short(s.releases[2])}, ${REPO}@${short(s.releases[1])}$`,
        ),
      ),
    );
    assert.deepEqual(fake.tags(REPO), ['live', 'other', 'v1', 'v4', 'v5']);
    assert.equal(fake.tags(BASE).length, 3);
  });
});
