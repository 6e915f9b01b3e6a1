// init run where a user of a monorepo stands: in backend/, a uv workspace member whose uv.lock
// sits at the root beside the project's own compose.yml and a frontend. init must find the
// workspace root and its lock, build from there, put the workflow where GitHub reads it, leave
// compose.yml alone; the image it writes builds, answers, turns healthy in the engine, and a
// one-line code change ships at most twice the gzip size of the code.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { runInit } from '../../src/cli/init.js';
import {
  build,
  docker,
  fixturesDir,
  freePort,
  indexBuildArgs,
  loadWorld,
  removeImages,
  sh,
  tempDir,
  uniqueTag,
  waitForHttp,
  layersOf,
  newLayerBytes,
  healthStatus,
} from './world.js';

loadWorld();
const images: string[] = [];
const temps: (() => void)[] = [];
after(async () => {
  await removeImages(...images);
  for (const t of temps) t();
});

/** A git checkout of the fixture, as a developer has it. */
async function checkout(): Promise<string> {
  const t = tempDir('layerwise-monorepo-');
  temps.push(t.cleanup);
  const dir = join(t.path, 'shop');
  cpSync(join(fixturesDir, 'monorepo-uv'), dir, { recursive: true });
  const git = (...args: string[]) =>
    sh('git', ['-c', 'user.name=layerwise test', '-c', 'user.email=test@example.invalid', ...args], { cwd: dir });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'shop');
  return dir;
}

async function buildImage(dir: string): Promise<string> {
  const tag = uniqueTag('monorepo-backend');
  images.push(tag);
  await build({ context: dir, tag, network: 'host', buildArgs: indexBuildArgs() });
  return tag;
}

/** gzip size of a tar of the code the image installs: the backend's package and the shared library, no tests. */
async function codeGzip(dir: string): Promise<number> {
  const { stdout } = await sh('sh', [
    '-c',
    'tar -C "$0" --exclude=__pycache__ --exclude=tests -cf - backend/app libs/common/src | gzip -c | wc -c',
    dir,
  ]);
  return Number(stdout.trim());
}

describe('init in a uv workspace member of a monorepo (monorepo-uv, run in backend/)', { concurrency: 1 }, () => {
  let dir = '';
  let out = '';
  let err = '';
  let code = -1;
  let compose = '';
  let tag = '';

  before(async () => {
    dir = await checkout();
    compose = readFileSync(join(dir, 'compose.yml'), 'utf8');
    const cwd = process.cwd();
    process.chdir(join(dir, 'backend'));
    try {
      code = await runInit(undefined, {}, { out: (s) => (out += s), err: (s) => (err += s) });
    } finally {
      process.chdir(cwd);
    }
  });

  test('finds the workspace root and its lock, and says where each file goes', () => {
    assert.equal(code, 0, `${out}\n${err}`);
    assert.match(err, /uv workspace member backend \(uv\.lock\)/);
    assert.match(
      err,
      /workspace\s+member backend of the uv workspace at \.\. \(uv\.lock\)\s+\(\.\.\/pyproject\.toml:\d+; high/,
    );
    assert.match(err, /build context\s+\.\., the workspace root/);
    assert.match(err, /^wrote {5}\.\.\/Dockerfile$/m);
    assert.match(err, /^wrote {5}\.\.\/\.github\/workflows\/image\.yml$/m);
    assert.doesNotMatch(err, /no lock|add uvicorn/);
    // The lock is used: the dependency install is --locked from the root's uv.lock.
    const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /source=uv\.lock,target=uv\.lock/);
    assert.match(dockerfile, /uv sync --locked --no-dev --no-install-workspace --package backend/);
  });

  test('writes nothing into the member; the workflow is at the git top level, where GitHub reads it', () => {
    for (const f of ['Dockerfile', '.dockerignore', 'compose.yaml', '.github'])
      assert.ok(!existsSync(join(dir, 'backend', f)), `backend/${f} written`);
    const wf = parseYaml(readFileSync(join(dir, '.github/workflows/image.yml'), 'utf8')) as {
      jobs: { image: { steps: { uses?: string; with?: Record<string, string> }[] } };
    };
    const push = wf.jobs.image.steps.find((s) => s.uses?.startsWith('docker/build-push-action'));
    assert.equal(push?.with?.context, '.');
  });

  test("never shadows the project's compose.yml: init's service goes to compose.layerwise.yaml, said how to run", () => {
    assert.equal(readFileSync(join(dir, 'compose.yml'), 'utf8'), compose);
    assert.ok(!existsSync(join(dir, 'compose.yaml')), 'compose.yaml would shadow compose.yml');
    const ours = readFileSync(join(dir, 'compose.layerwise.yaml'), 'utf8');
    assert.match(ours, /docker compose -f compose\.yml -f compose\.layerwise\.yaml watch backend/);
    const doc = parseYaml(ours) as { services: Record<string, { build: { context: string } }> };
    assert.deepEqual(Object.keys(doc.services), ['backend']);
    assert.equal(doc.services.backend.build.context, '.');
    assert.match(err, /compose\s+compose\.layerwise\.yaml beside the project's own compose\.yml/);
  });

  test('running it again changes nothing', async () => {
    let err2 = '';
    const code2 = await runInit(join(dir, 'backend'), {}, { out: () => {}, err: (s) => (err2 += s) });
    assert.equal(code2, 0, err2);
    assert.doesNotMatch(err2, /^(wrote|replaced|kept)/m);
  });

  test('the image builds from the root, answers, and turns healthy in the engine', async () => {
    tag = await buildImage(dir);
    const port = await freePort();
    const { stdout } = await docker([
      'run',
      '-d',
      '--rm',
      '-p',
      `127.0.0.1:${port}:8000`,
      '--health-interval',
      '2s',
      '--health-start-period',
      '20s',
      tag,
    ]);
    const id = stdout.trim();
    const hold = setInterval(() => {}, 1000);
    try {
      assert.deepEqual(JSON.parse(await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000)), { status: 'ok' });
      const items = JSON.parse(await waitForHttp(`http://127.0.0.1:${port}/api/v1/items/`, 10_000)) as {
        title: string;
      }[];
      assert.deepEqual(
        items.map((i) => i.title),
        ['Teapot', 'Cup'],
      );
      // psycopg[binary] loads the libpq it bundles.
      assert.match(await waitForHttp(`http://127.0.0.1:${port}/api/v1/utils/libpq/`, 10_000), /^\d{5,6}$/);
      const deadline = Date.now() + 60_000;
      let status = await healthStatus(id);
      while (status !== 'healthy' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        status = await healthStatus(id);
      }
      assert.equal(status, 'healthy');
    } catch (e) {
      const logs = await docker(['logs', id], { check: false });
      throw new Error(`${(e as Error).message}\n--- container logs\n${logs.stdout}${logs.stderr}`);
    } finally {
      clearInterval(hold);
      await docker(['rm', '-f', id], { check: false });
    }
  });

  // A workspace's .dockerignore denies by default and keeps `**/tests/` out, so the backend's
  // nested app/tests/ never reaches the build (hatchling would put it in the wheel).
  test('no tests directory of the project at any depth in the image', async () => {
    assert.ok(tag, 'the build test ran first');
    const { stdout } = await docker([
      'run',
      '--rm',
      '--network',
      'none',
      '--user',
      '0',
      '--entrypoint',
      'sh',
      tag,
      '-c',
      // The directories searched must exist, or an empty answer would prove nothing.
      'for d in /app/.venv/lib/python3*/site-packages/app /app/.venv/lib/python3*/site-packages/shop_common /app; do [ -d "$d" ] || echo "missing $d"; done; find /app/.venv/lib/python3*/site-packages/app /app/.venv/lib/python3*/site-packages/shop_common /app -path /app/.venv -prune -o -type d \\( -name tests -o -name test \\) -print 2>/dev/null; true',
    ]);
    assert.equal(stdout.trim(), '', 'tests directories in the image');
  });

  test('a one-line code change ships at most 2x the gzip size of the code', async () => {
    assert.ok(tag, 'the build test ran first');
    appendFileSync(join(dir, 'backend/app/api/routes/items.py'), '\nCHANGED_BY_TEST = 1\n');
    const tag2 = await buildImage(dir);
    const shipped = await newLayerBytes(tag2, await layersOf(tag));
    const code = await codeGzip(dir);
    process.stderr.write(
      `monorepo-uv: a code change ships ${shipped.bytes} bytes gzip in ${shipped.count} layer(s); code ${code} bytes gzip\n`,
    );
    assert.ok(shipped.count >= 1 && shipped.count <= 2, `${shipped.count} new layers`);
    assert.ok(shipped.bytes <= 2 * code, `ships ${shipped.bytes} bytes for ${code} bytes of code`);
  });
});
