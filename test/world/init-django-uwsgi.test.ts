// `layerwise init` on a Django site served by uWSGI (pyuwsgi), as a user has it: a git checkout
// with pip-tools requirements, static files, templates, nested tests, and generated files git does
// not track (a sqlite database, a search index, collectstatic output). Proven with the engine: the
// image starts the app as uwsgi.ini says, answers, its HEALTHCHECK (on the route the URLconf has)
// turns healthy, the project's own check passes, no tests directory ships, and a one-line code
// change ships at most 2x the gzip size of the code.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
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

/** The fixture as a user's checkout: its own git repository, plus the files git does not track. */
async function checkout(): Promise<string> {
  const t = tempDir('layerwise-django-uwsgi-');
  temps.push(t.cleanup);
  const dir = join(t.path, 'newsroom');
  cpSync(join(fixturesDir, 'django-uwsgi'), dir, { recursive: true });
  const git = (...args: string[]) =>
    sh('git', ['-C', dir, '-c', 'user.email=dev@example.invalid', '-c', 'user.name=dev', ...args]);
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'newsroom');
  // Generated, untracked (.gitignore): a local database, the search index, collectstatic output.
  // Random bytes, so gzip cannot hide them in the measure of what a code change ships.
  const noise = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256)));
  writeFileSync(join(dir, 'db.sqlite3'), noise(400_000));
  mkdirSync(join(dir, 'search_index'));
  writeFileSync(join(dir, 'search_index', 'posts.json'), noise(900_000).toString('base64'));
  mkdirSync(join(dir, 'staticfiles', 'css'), { recursive: true });
  cpSync(join(dir, 'static', 'css', 'site.css'), join(dir, 'staticfiles', 'css', 'site.3f2a9c1b7e4d.css'));
  writeFileSync(join(dir, 'staticfiles', 'bundle.js'), noise(300_000).toString('base64'));
  const untracked = await git('status', '--porcelain', '--ignored');
  assert.match(untracked.stdout, /!! db\.sqlite3/, 'the database is ignored by git');
  assert.match(untracked.stdout, /!! search_index\//);
  return dir;
}

function isolated(dockerfile: string): { dockerfile: string; buildArgs: Record<string, string> } {
  // Every stage declares TEST_RUN, built with a value of this test's own: the cache records this
  // test's builds make are the ones its second build reuses (see init-fixtures.test.ts).
  const t = tempDir('layerwise-django-df-');
  temps.push(t.cleanup);
  const copy = join(t.path, 'Dockerfile');
  writeFileSync(copy, readFileSync(dockerfile, 'utf8').replace(/^(FROM .*)$/gm, '$1\nARG TEST_RUN'));
  return { dockerfile: copy, buildArgs: { TEST_RUN: `${Date.now()}-${Math.random()}` } };
}

async function buildTagged(
  dir: string,
  dockerfile: string,
  buildArgs: Record<string, string>,
): Promise<{ tag: string; depsCached: boolean }> {
  const tag = uniqueTag('init-django-uwsgi');
  images.push(tag);
  const r = await build({
    context: dir,
    dockerfile,
    tag,
    network: 'host',
    buildArgs: { ...indexBuildArgs(), ...buildArgs },
  });
  // BuildKit's plain log: "#N [deps 3/3] RUN ... -r /tmp/req/requirements.txt" then "#N CACHED" on a hit.
  const log = r.stderr + r.stdout;
  const step = /^#(\d+) \[deps [^\n]*-r \/tmp\/req\//m.exec(log)?.[1];
  return { tag, depsCached: !!step && new RegExp(`^#${step} CACHED$`, 'm').test(log) };
}

/** gzip size of the code alone: the Python files git tracks, tests excluded (no static files, templates or data). */
async function codeGzip(dir: string): Promise<number> {
  const { stdout } = await sh('sh', [
    '-c',
    `cd "$0" && git ls-files -z -- '*.py' ':!**/tests/**' | tar --null -T - -cf - | gzip -c | wc -c`,
    dir,
  ]);
  return Number(stdout.trim());
}

/** Start the image as its CMD says, get answers, and wait for the engine to call it healthy. */
async function runAndCheck(tag: string): Promise<void> {
  const port = await freePort();
  const { stdout } = await docker([
    'run',
    '-d',
    '--rm',
    '-p',
    `127.0.0.1:${port}:8000`,
    // Only the probe's timing: the probe itself is the image's HEALTHCHECK.
    '--health-interval',
    '2s',
    '--health-start-period',
    '2s',
    tag,
  ]);
  const id = stdout.trim();
  // docker-proxy accepts before the app listens; fetch's handles do not hold the event loop.
  const hold = setInterval(() => {}, 1000);
  try {
    const health = JSON.parse(await waitForHttp(`http://127.0.0.1:${port}/ops/healthz/`, 60_000)) as unknown;
    assert.deepEqual(health, { status: 'ok' });
    // The home page renders templates/base.html through core/templates/core/home.html.
    assert.match(await waitForHttp(`http://127.0.0.1:${port}/`, 10_000), /<h1>Newsroom<\/h1>/);
    let status = '';
    for (let i = 0; i < 60 && status !== 'healthy' && status !== 'unhealthy'; i++) {
      status = await healthStatus(id);
      if (status !== 'healthy') await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(status, 'healthy', 'the HEALTHCHECK passes in the engine');
  } catch (e) {
    const logs = await docker(['logs', id], { check: false });
    throw new Error(`${(e as Error).message}\n--- container logs\n${(logs.stdout + logs.stderr).slice(-4000)}`);
  } finally {
    clearInterval(hold);
    await docker(['rm', '-f', id], { check: false });
  }
}

describe('init on a Django site served by uWSGI', { concurrency: 1 }, () => {
  test(
    'starts as uwsgi.ini says, healthy on the URLconf route, ships only code on a code change',
    { timeout: 1_200_000 },
    async (t) => {
      const dir = await checkout();
      const out: string[] = [];
      const io = { out: (s: string) => void out.push(s), err: (s: string) => void out.push(s) };
      // Run where the user stands: the project directory.
      assert.equal(await runInit(dir, {}, io), 0, `init exits 0:\n${out.join('')}`);
      const summary = out.join('');
      assert.match(summary, /start command\s+uwsgi --ini uwsgi\.ini\s+\(uwsgi\.ini:1; high/);
      assert.match(summary, /server\s+uwsgi\s+\(requirements\.txt:\d+: pyuwsgi; high/);
      assert.match(summary, /health route\s+\/ops\/healthz\/\s+\(core\/urls\.py:8;/);

      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      assert.match(dockerfile, /^CMD \["uwsgi", "--ini", "uwsgi\.ini"\]$/m, 'the command uwsgi.ini implies');
      assert.doesNotMatch(dockerfile, /gunicorn/, 'no server the project does not install');
      assert.match(dockerfile, /urlopen\('http:\/\/127\.0\.0\.1:8000\/ops\/healthz\/'/);
      assert.doesNotMatch(dockerfile, /\/ping\//, 'a path in a comment or constant is not a route');

      const iso = isolated(join(dir, 'Dockerfile'));
      const { tag: tag1 } = await buildTagged(dir, iso.dockerfile, iso.buildArgs);
      await runAndCheck(tag1);
      // The project's own check command, in the image.
      const check = await docker(['run', '--rm', '--network', 'none', tag1, 'python', 'manage.py', 'check']);
      assert.match(check.stdout + check.stderr, /System check identified no issues/);

      // Tests directories at any depth (asserted at the end).
      const tests = await docker([
        'run',
        '--rm',
        '--network',
        'none',
        '--entrypoint',
        'sh',
        tag1,
        '-c',
        `find / -xdev -type d \\( -name tests -o -name test \\) -not -path '*/site-packages/*' -not -path '/usr/*' 2>/dev/null; true`,
      ]);

      // A one-line code change.
      appendFileSync(join(dir, 'core', 'views.py'), '\nCHANGED_BY_TEST = 1\n');
      const { tag: tag2, depsCached } = await buildTagged(dir, iso.dockerfile, iso.buildArgs);
      assert.ok(depsCached, 'the dependency install stays cached on a code change');
      await runAndCheck(tag2);
      const shipped = await newLayerBytes(tag2, await layersOf(tag1));
      const code = await codeGzip(dir);
      t.diagnostic(
        `django-uwsgi: a code change ships ${shipped.bytes} bytes gzip in ${shipped.count} layer(s); the code alone is ${code} bytes gzip`,
      );
      assert.ok(shipped.count >= 1, 'the change makes a new layer');
      // The assertions that need the i-layers slice come last, so the rest is proven without it.
      // No tests directory at any depth (blog/tests, core/tests): needs the `**/tests/` patterns of
      // the i-layers slice in .dockerignore; with this slice alone the nested ones still ship.
      assert.equal(tests.stdout.trim(), '', `tests directories in the image:\n${tests.stdout}`);
      // Within 2x of the code: needs the i-layers slice (static files, templates and the untracked
      // database, search index and collectstatic output out of the code layer); with this slice
      // alone the last layer copies the whole tree, generated files included.
      assert.ok(
        shipped.bytes <= 2 * code,
        `a code change ships ${shipped.bytes} bytes (gzip) in ${shipped.count} layers; the code alone is ${code} bytes gzip`,
      );
    },
  );

  test(
    '--server gunicorn: the server no dependency installs is added to the image, and it serves',
    { timeout: 900_000 },
    async () => {
      const dir = await checkout();
      const err: string[] = [];
      assert.equal(
        await runInit(
          dir,
          { server: 'gunicorn', compose: false, workflow: false },
          { out: () => {}, err: (s) => void err.push(s) },
        ),
        0,
        err.join(''),
      );
      assert.match(err.join(''), /server\s+gunicorn \(added: gunicorn\)/);
      const dockerfile = readFileSync(join(dir, 'Dockerfile'), 'utf8');
      assert.match(dockerfile, /install --disable-pip-version-check gunicorn$/m);
      assert.match(dockerfile, /^CMD \["gunicorn", "--bind", "0\.0\.0\.0:8000", "config\.wsgi:application"\]$/m);
      const iso = isolated(join(dir, 'Dockerfile'));
      const { tag } = await buildTagged(dir, iso.dockerfile, iso.buildArgs);
      await runAndCheck(tag);
    },
  );
});
