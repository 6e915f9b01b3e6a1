// `layerwise ship` on the command line, through the bundle: bad input is one line and exit 2 before
// anything is built or pushed; rollback and gc against an in-process registry; git's release tags.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RegistryClient } from '../../src/registry/client.js';
import { defaultTags, gitFacts } from '../../src/ship/git.js';
import { shipText } from '../../src/ship/render-text.js';
import { shipRepo } from '../../src/ship/run.js';
import type { ShipResult } from '../../src/ship/types.js';
import { startFakeRegistry, type FakeRegistry } from './fake-registry.js';
import { BUNDLE_BIN } from './repo.js';
import { pushGcScenario } from './ship-fixtures.js';

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [BUNDLE_BIN, ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    c.stdout.on('data', (b) => (out += b));
    c.stderr.on('data', (b) => (err += b));
    c.on('close', (code) => resolve({ code: code ?? 128, out, err }));
  });
}

const oneLine = (err: string) => {
  assert.equal(err.trim().split('\n').length, 1, err);
  assert.doesNotMatch(err, /at .*\.js:\d+/, 'no stack trace');
};

describe('ship: bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lw-ship-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('no --repo: one line saying how to give it', async () => {
    const r = await cli(['ship', dir], { LAYERWISE_SHIP_REPO: '' });
    assert.equal(r.code, 2);
    oneLine(r.err);
    assert.match(r.err, /--repo HOST\/NAME/);
  });
  it('a repo with a tag: ship chooses the tags', async () => {
    const r = await cli(['ship', dir, '--repo', '127.0.0.1:5/team/app:v1']);
    assert.equal(r.code, 2);
    oneLine(r.err);
    assert.match(r.err, /without a tag or digest/);
  });
  it('a directory with no base: says how to make one', async () => {
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM python:3.11-slim AS deps\nRUN true\nFROM deps AS runtime\nCMD ["python"]\n',
    );
    const r = await cli(['ship', dir, '--repo', '127.0.0.1:5/team/app', '--tag', 'x']);
    assert.equal(r.code, 2);
    oneLine(r.err);
    assert.match(r.err, /--split-base|--base-target/);
  });
  it('gc --keep 0 and plan with --host and --against', async () => {
    const g = await cli(['ship', 'gc', '--repo', '127.0.0.1:5/team/app', '--keep', '0']);
    assert.equal(g.code, 2);
    oneLine(g.err);
    assert.match(g.err, /--keep 0: expected a whole number/);
    const p = await cli(['ship', 'plan', dir, '--repo', '127.0.0.1:5/team/app', '--host', '--against', 'v1']);
    assert.equal(p.code, 2);
    oneLine(p.err);
    assert.match(p.err, /give one/);
  });
  it('--help teaches: examples and the subcommands', async () => {
    const r = await cli(['ship', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Examples:/);
    assert.match(r.out, /ship plan/);
    assert.match(r.out, /--rebuild-base/);
  });
});

describe('ship rollback and gc on a registry', () => {
  let reg: FakeRegistry;
  before(async () => {
    reg = await startFakeRegistry();
    await pushGcScenario(new RegistryClient(reg.host), 'team/app', 'team/app-base');
  });
  after(() => reg.close());

  it('rollback without --to moves live to the release created before the one it names', async () => {
    // live is on v1, the oldest: first point it at v3, then roll back to v2.
    assert.equal((await cli(['ship', 'rollback', '--repo', `${reg.host}/team/app`, '--to', 'v3'])).code, 0);
    const r = await cli(['ship', 'rollback', '--repo', `${reg.host}/team/app`, '-f', 'json']);
    assert.equal(r.code, 0, r.err);
    assert.equal(reg.tagged('team/app', 'live'), reg.tagged('team/app', 'v2'));
    const j = JSON.parse(r.out) as { from: { digest: string }; to: { digest: string } };
    assert.equal(j.from.digest, reg.tagged('team/app', 'v3'));
    // Back where the scenario had it, for the tests after this one.
    assert.equal((await cli(['ship', 'rollback', '--repo', `${reg.host}/team/app`, '--to', 'v1'])).code, 0);
  });
  it('rollback --to moves live to that release, and says so in one line', async () => {
    const before = reg.tagged('team/app', 'live');
    const r = await cli(['ship', 'rollback', '--repo', `${reg.host}/team/app`, '--to', 'v2']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^moved .*:live from .* to v2 /);
    assert.notEqual(reg.tagged('team/app', 'live'), before);
    assert.equal(reg.tagged('team/app', 'live'), reg.tagged('team/app', 'v2'));
  });
  it('plan: writes its files, replaces its own, refuses a file it did not write, and names a missing release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-ship-plan-'));
    try {
      const repo = `${reg.host}/team/app`;
      const first = await cli([
        'ship',
        'plan',
        dir,
        '--repo',
        repo,
        '--release',
        'v2',
        '--against',
        'v1',
        '-f',
        'json',
      ]);
      assert.equal(first.code, 0, first.err);
      const plan = JSON.parse(first.out) as { files: string[]; app: { digest: string } };
      assert.deepEqual(plan.files.sort(), ['.layerwise/deploy/compose.deploy.yaml', '.layerwise/deploy/deploy.sh']);
      const script = join(dir, '.layerwise/deploy/deploy.sh');
      assert.match(readFileSync(script, 'utf8'), new RegExp(plan.app.digest));
      // Its own files are replaced by the next plan (another release).
      const again = await cli(['ship', 'plan', dir, '--repo', repo, '--release', 'v3', '--against', 'v2']);
      assert.equal(again.code, 0, again.err);
      assert.doesNotMatch(readFileSync(script, 'utf8'), new RegExp(plan.app.digest));
      // A file the user wrote is never replaced without --force, and nothing else is written either.
      const override = join(dir, '.layerwise/deploy/compose.deploy.yaml');
      writeFileSync(override, 'services: {}\n');
      const before = readFileSync(script, 'utf8');
      const refused = await cli(['ship', 'plan', dir, '--repo', repo, '--release', 'v4', '--against', 'v3']);
      assert.equal(refused.code, 2);
      assert.match(refused.err, /compose\.deploy\.yaml: not written by ship plan/);
      assert.equal(readFileSync(override, 'utf8'), 'services: {}\n');
      assert.equal(readFileSync(script, 'utf8'), before, 'nothing written when one file is refused');
      const missing = await cli(['ship', 'plan', dir, '--repo', `${reg.host}/team/none`, '--no-write']);
      assert.equal(missing.code, 2);
      oneLine(missing.err);
      assert.match(missing.err, /has no release live: run layerwise ship first/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('gc --dry-run deletes nothing; gc deletes what it listed', async () => {
    const dry = await cli(['ship', 'gc', '--repo', `${reg.host}/team/app`, '--keep', '2', '--dry-run', '-f', 'json']);
    assert.equal(dry.code, 0, dry.err);
    const plan = JSON.parse(dry.out) as { deleted: { digest: string }[] };
    assert.ok(plan.deleted.length > 0);
    const held = reg.manifests('team/app');
    for (const d of plan.deleted)
      assert.ok(held.includes(d.digest) || reg.manifests('team/app-base').includes(d.digest));
    const real = await cli(['ship', 'gc', '--repo', `${reg.host}/team/app`, '--keep', '2']);
    assert.equal(real.code, 0, real.err);
    for (const d of plan.deleted)
      assert.ok(!reg.manifests('team/app').includes(d.digest) && !reg.manifests('team/app-base').includes(d.digest));
    assert.ok(reg.tagged('team/app', 'live'), 'live survives');
  });
});

describe('ship: release tags from git', () => {
  it('the commit, -dirty on a changed tree, the version on a clean tagged one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-ship-git-'));
    try {
      const git = (...a: string[]) =>
        execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...a], {
          stdio: 'ignore',
        });
      assert.deepEqual(defaultTags(gitFacts(dir)), [], 'no repository: no default tag');
      git('init', '-q');
      writeFileSync(join(dir, 'a.py'), 'x = 1\n');
      git('add', '-A');
      git('commit', '-q', '-m', 'a');
      git('tag', 'v1.2.0');
      const g = gitFacts(dir);
      assert.deepEqual(defaultTags(g), [g.commit!.slice(0, 12), '1.2.0']);
      writeFileSync(join(dir, 'a.py'), 'x = 2\n');
      assert.deepEqual(defaultTags(gitFacts(dir)), [`${g.commit!.slice(0, 12)}-dirty`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('shipRepo: the base lives beside the app', () => {
    const r = shipRepo('127.0.0.1:5000/team/app');
    assert.equal(r.registry, '127.0.0.1:5000');
    assert.equal(r.appPath, 'team/app');
    assert.equal(r.basePath, 'team/app-base');
    assert.equal(r.baseName, '127.0.0.1:5000/team/app-base');
  });
  it('the text report says what was reused and why', () => {
    const r: ShipResult = {
      schema: 'layerwise.ship/1',
      builder: 'docker',
      repo: 'r.example/team/app',
      dryRun: false,
      base: {
        ref: 'r.example/team/app-base:0123456789abcdef01234567',
        fingerprint: { tag: '0123456789abcdef01234567', sha256: '0'.repeat(64), parts: [] },
        built: false,
        pushed: false,
        digest: `sha256:${'a'.repeat(64)}`,
        reason: 'fingerprint 0123 is in the registry',
      },
      app: {
        repo: 'r.example/team/app',
        built: true,
        digest: `sha256:${'b'.repeat(64)}`,
        tags: ['abc', 'live'],
        buildSeconds: 2.5,
      },
      pushedBytes: 2410,
      skipped: [{ what: 'base build and push', reason: 'exists' }],
      seconds: 6.8,
    };
    const t = shipText(r);
    assert.match(t, /base {2}reused/);
    assert.match(t, /tags abc, live/);
    assert.match(t, /pushed 2\.41 kB in 6\.8 s/);
  });
});
