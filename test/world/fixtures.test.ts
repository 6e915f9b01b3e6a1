// Every fixture project's lock file names only the world's index, resolves and installs inside a
// build, and the installed app answers its health check (or its CLI runs).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  build,
  docker,
  fixturesDir,
  freePort,
  loadWorld,
  removeImages,
  runAndProbe,
  uniqueTag,
  worldAssetsDir,
} from './world.js';

const world = loadWorld();
const INDEX_HOST = '127.0.0.1:3141';

/** Fixture -> the lock files its tool writes. */
const LOCKS: Record<string, string[]> = {
  'fastapi-uv': ['uv.lock'],
  'django-poetry': ['poetry.lock'],
  'flask-piptools': ['requirements.txt'],
  'pdm-starlette': ['pdm.lock'],
  'scm-version': ['uv.lock'],
  'uv-workspace': ['uv.lock'],
  'data-app': ['uv.lock'],
  // Built and run by init-fixtures.test.ts (its data files need a git checkout made at test time).
  'scm-mailer': ['uv.lock'],
  // Built and run by init-monorepo.test.ts (init run in its backend/ member).
  'monorepo-uv': ['uv.lock'],
  // Built and run by init-django-uwsgi.test.ts (pip-tools with hashes, served by uWSGI).
  'django-uwsgi': ['requirements.txt', 'requirements-dev.txt'],
  // Built and run by init-flask-procfile.test.ts (a Procfile, a generated data file).
  'flask-procfile': ['uv.lock'],
  // x86_64 and aarch64 wheels in one lock; its arm64 side is checked by world-arm64.test.ts.
  'arm-app': ['uv.lock'],
};

const dockerfile = (name: string) => join(worldAssetsDir, 'fixtures', `${name}.Dockerfile`);
const images: string[] = [];
after(() => removeImages(...images));

function tagFor(name: string): string {
  const tag = uniqueTag(`fixture-${name}`);
  images.push(tag);
  return tag;
}

async function run(image: string, command: string[]): Promise<string> {
  return (await docker(['run', '--rm', '--network', 'none', image, ...command])).stdout;
}

describe('fixtures: lock files', () => {
  test('every fixture is known here and has its lock file', () => {
    const found = readdirSync(fixturesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    assert.deepEqual(found, Object.keys(LOCKS).sort());
    for (const [name, locks] of Object.entries(LOCKS)) {
      for (const lock of locks) assert.ok(existsSync(join(fixturesDir, name, lock)), `${name}/${lock}`);
    }
  });

  test('lock files and project files name no host but the world index', () => {
    for (const [name, locks] of Object.entries(LOCKS)) {
      for (const file of [...locks, 'pyproject.toml', 'requirements.in']) {
        const path = join(fixturesDir, name, file);
        if (!existsSync(path)) continue;
        const hosts = new Set(
          [...readFileSync(path, 'utf8').matchAll(/\b[a-z][a-z0-9+.-]*:\/\/([^/\s"'#]+)/gi)].map((m) => m[1]),
        );
        hosts.delete(INDEX_HOST);
        assert.deepEqual([...hosts], [], `${name}/${file} names other hosts`);
      }
    }
  });
});

describe('fixtures: install from the lock inside a build and run', { concurrency: 1 }, () => {
  test('fastapi-uv: uv sync --locked, then GET /health', async () => {
    const tag = tagFor('fastapi-uv');
    await build({
      context: join(fixturesDir, 'fastapi-uv'),
      dockerfile: dockerfile('uv'),
      tag,
      network: 'host',
      buildArgs: { UV_IMAGE: world.uvImage },
    });
    const port = await freePort();
    const body = await runAndProbe(
      tag,
      ['uvicorn', 'shop_api.main:app', '--host', '127.0.0.1', '--port', String(port)],
      `http://127.0.0.1:${port}/health`,
    );
    assert.deepEqual(JSON.parse(body), { status: 'ok', app: 'shop-api', version: '0.3.1' });
  });

  test('uv-workspace: each service syncs its own part of the one uv.lock', async () => {
    const api = tagFor('uv-workspace-api');
    const worker = tagFor('uv-workspace-worker');
    const context = join(fixturesDir, 'uv-workspace');
    await build({
      context,
      dockerfile: dockerfile('uv'),
      tag: api,
      network: 'host',
      buildArgs: { UV_IMAGE: world.uvImage, SYNC_ARGS: '--package acme-api' },
    });
    await build({
      context,
      dockerfile: dockerfile('uv'),
      tag: worker,
      network: 'host',
      buildArgs: { UV_IMAGE: world.uvImage, SYNC_ARGS: '--package acme-worker' },
    });
    const port = await freePort();
    const body = await runAndProbe(
      api,
      ['uvicorn', 'acme_api:app', '--host', '127.0.0.1', '--port', String(port)],
      `http://127.0.0.1:${port}/health`,
    );
    assert.deepEqual(JSON.parse(body), { status: 'ok', service: 'acme-api' });
    assert.deepEqual(JSON.parse(await run(worker, ['acme-worker', 'health'])), {
      status: 'ok',
      service: 'acme-worker',
    });
    // The worker image has the shared library but not the API's web stack.
    const probe = await docker(['run', '--rm', worker, 'python', '-c', 'import fastapi'], { check: false });
    assert.notEqual(probe.code, 0, 'fastapi is not installed in the worker');
  });

  test('scm-version: the version comes from SETUPTOOLS_SCM_PRETEND_VERSION without .git', async () => {
    const tag = tagFor('scm-version');
    const context = join(fixturesDir, 'scm-version');
    let failed = '';
    try {
      await build({
        context,
        dockerfile: dockerfile('uv'),
        tag,
        network: 'host',
        buildArgs: { UV_IMAGE: world.uvImage },
      });
    } catch (e) {
      failed = (e as Error).message;
    }
    assert.ok(failed, 'without git metadata or a pretend version the build fails');
    assert.match(failed, /setuptools.scm|SETUPTOOLS_SCM_PRETEND_VERSION|version/i);
    // Two versions in a row: the uv cache mount must not serve the first build's version
    // (the fixture lists SETUPTOOLS_SCM_PRETEND_VERSION in tool.uv.cache-keys).
    for (const version of ['1.2.3.dev4', '1.2.4']) {
      await build({
        context,
        dockerfile: dockerfile('uv'),
        tag,
        network: 'host',
        buildArgs: { UV_IMAGE: world.uvImage, SETUPTOOLS_SCM_PRETEND_VERSION: version },
      });
      assert.deepEqual(JSON.parse(await run(tag, ['greeter', '--json'])), {
        status: 'ok',
        greeting: 'hello world',
        version,
      });
    }
  });

  test('data-app: pandas + pyarrow from uv.lock, the CLI round-trips Parquet', async () => {
    const tag = tagFor('data-app');
    await build({
      context: join(fixturesDir, 'data-app'),
      dockerfile: dockerfile('uv'),
      tag,
      network: 'host',
      buildArgs: { UV_IMAGE: world.uvImage },
    });
    const out = JSON.parse(await run(tag, ['data-app', '500'])) as Record<string, unknown>;
    assert.equal(out.status, 'ok');
    assert.equal(out.rows, 500);
    assert.deepEqual(out.regions, ['east', 'north', 'south', 'west']);
  });

  test('arm-app: uv sync picks the x86_64 wheels here, the compiled extensions load', async () => {
    const tag = tagFor('arm-app');
    await build({
      context: join(fixturesDir, 'arm-app'),
      dockerfile: dockerfile('uv'),
      tag,
      network: 'host',
      buildArgs: { UV_IMAGE: world.uvImage },
    });
    const out = JSON.parse(await run(tag, ['arm-app', 'ship'])) as Record<string, unknown>;
    assert.equal(out.machine, 'x86_64');
    assert.deepEqual(out.greeting, { name: 'ship', times: 2 });
    assert.equal(out.escaped, '&lt;arm &amp; x86&gt;');
    assert.equal(out.markupsafe_speedups, true);
    assert.match(String(out.pydantic_core_binary), /x86_64-linux-gnu\.so$/);
  });

  test('flask-piptools: pip install --require-hashes, then GET /health', async () => {
    const tag = tagFor('flask-piptools');
    await build({
      context: join(fixturesDir, 'flask-piptools'),
      dockerfile: dockerfile('pip-tools'),
      tag,
      network: 'host',
    });
    const port = await freePort();
    const body = await runAndProbe(
      tag,
      ['gunicorn', '--bind', `127.0.0.1:${port}`, 'app:app'],
      `http://127.0.0.1:${port}/health`,
    );
    assert.deepEqual(JSON.parse(body), { status: 'ok', app: 'notes', notes: 0 });
  });

  test('django-poetry: poetry sync from poetry.lock, then GET /health/', async () => {
    const tag = tagFor('django-poetry');
    await build({
      context: join(fixturesDir, 'django-poetry'),
      dockerfile: dockerfile('poetry'),
      tag,
      network: 'host',
      buildArgs: { INDEX_URL: world.indexUrl },
    });
    const port = await freePort();
    const body = await runAndProbe(
      tag,
      ['gunicorn', '--bind', `127.0.0.1:${port}`, 'mysite.wsgi'],
      `http://127.0.0.1:${port}/health/`,
    );
    const json = JSON.parse(body) as Record<string, string>;
    assert.equal(json.status, 'ok');
    assert.match(json.django, /^5\./);
  });

  test('pdm-starlette: pdm install --check from pdm.lock, then GET /health', async () => {
    const tag = tagFor('pdm-starlette');
    await build({
      context: join(fixturesDir, 'pdm-starlette'),
      dockerfile: dockerfile('pdm'),
      tag,
      network: 'host',
      buildArgs: { INDEX_URL: world.indexUrl },
    });
    const port = await freePort();
    const body = await runAndProbe(
      tag,
      ['uvicorn', '--app-dir', 'src', 'status_board.app:app', '--host', '127.0.0.1', '--port', String(port)],
      `http://127.0.0.1:${port}/health`,
    );
    assert.deepEqual(JSON.parse(body), { status: 'ok', app: 'status-board' });
  });
});
