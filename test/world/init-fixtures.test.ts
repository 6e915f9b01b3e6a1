// `layerwise init` on every fixture project, proven with the engine: the generated Dockerfile builds,
// the container answers its health endpoint (or its CLI runs), a one-line code change keeps every
// dependency step cached and ships at most 2x the gzip size of the project's own source, and the
// final image holds no compiler, .git, tests or package-manager cache. With --split-base, a code
// change leaves the base alone and a lock change rebuilds it.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runInit } from '../../src/cli/init.js';
import { fingerprintDir } from '../../src/generate/index.js';
import { detectProject } from '../../src/project/index.js';
import type { PythonProject } from '../../src/project/types.js';
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
  type BuildOptions,
  layersOf,
  newLayerBytes,
} from './world.js';

loadWorld();
const images: string[] = [];
const temps: (() => void)[] = [];
after(async () => {
  await removeImages(...images);
  for (const t of temps) t();
});

const quiet = { out: () => {}, err: () => {} };

interface Case {
  name: string;
  /** File (relative) whose one line a code change touches. */
  codeFile: string;
  /** Health path, or a CLI command and what its output must contain. */
  health?: { path: string; expect: Record<string, unknown> };
  cli?: { args: string[]; expect: RegExp };
  initOpts?: Record<string, unknown>;
  buildArgs?: Record<string, string>;
}

const CASES: Case[] = [
  {
    name: 'fastapi-uv',
    codeFile: 'src/shop_api/main.py',
    health: { path: '/health', expect: { status: 'ok', app: 'shop-api', version: '0.3.1' } },
  },
  {
    name: 'django-poetry',
    codeFile: 'health/views.py',
    health: { path: '/health/', expect: { status: 'ok', app: 'mysite' } },
  },
  { name: 'flask-piptools', codeFile: 'app.py', health: { path: '/health', expect: { status: 'ok', app: 'notes' } } },
  {
    name: 'pdm-starlette',
    codeFile: 'src/status_board/app.py',
    health: { path: '/health', expect: { status: 'ok', app: 'status-board' } },
  },
  {
    name: 'scm-version',
    codeFile: 'src/greeter/cli.py',
    cli: { args: ['greeter', '--json'], expect: /"version": "1\.2\.3\.dev4"/ },
    buildArgs: { APP_VERSION: '1.2.3.dev4' },
  },
  {
    name: 'uv-workspace',
    codeFile: 'services/api/src/acme_api/__init__.py',
    health: { path: '/health', expect: { status: 'ok', service: 'acme-api' } },
  },
  { name: 'data-app', codeFile: 'src/data_app/__main__.py', cli: { args: ['data-app', '300'], expect: /"rows": 300/ } },
];

function copyFixture(name: string): string {
  const t = tempDir(`layerwise-init-${name}-`);
  temps.push(t.cleanup);
  const dir = join(t.path, name);
  cpSync(join(fixturesDir, name), dir, { recursive: true });
  return dir;
}

function tagFor(name: string): string {
  const tag = uniqueTag(`init-${name}`);
  images.push(tag);
  return tag;
}

interface BuildLog {
  /** Step title by BuildKit step id, e.g. "[deps 4/4] RUN ...". */
  steps: Map<string, string>;
  cached: Set<string>;
}

function parseBuildLog(text: string): BuildLog {
  const steps = new Map<string, string>();
  const cached = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^#(\d+) (\[.*)$/.exec(line);
    if (m && !steps.has(m[1])) steps.set(m[1], m[2]);
    const c = /^#(\d+) CACHED$/.exec(line);
    if (c) cached.add(c[1]);
  }
  return { steps, cached };
}

/**
 * A copy of a generated Dockerfile (outside the context) whose stages declare TEST_RUN, built
 * with a value unique to the test: every RUN gets a cache key of this test's own. BuildKit can
 * hold several cache records for one key (after --no-cache builds on the shared engine) and
 * pick a different one for each build, which would make unchanged steps yield new layers; a
 * per-test key keeps what the test measures to what its own change causes.
 */
function isolated(dockerfile: string): { dockerfile: string; buildArgs: Record<string, string> } {
  const t = tempDir('layerwise-init-df-');
  temps.push(t.cleanup);
  const copy = join(t.path, 'Dockerfile');
  writeFileSync(copy, readFileSync(dockerfile, 'utf8').replace(/^(FROM .*)$/gm, '$1\nARG TEST_RUN'));
  return { dockerfile: copy, buildArgs: { TEST_RUN: `${Date.now()}-${Math.random()}` } };
}

async function buildLogged(opts: BuildOptions): Promise<BuildLog> {
  const r = await build({ network: 'host', ...opts, buildArgs: { ...indexBuildArgs(), ...opts.buildArgs } });
  return parseBuildLog(r.stderr + r.stdout);
}

const DEP_STEP = /uv sync --locked|poetry sync|pdm install|pipenv sync|-r \/tmp\/req\//;

/** The dependency install steps of a build and whether each was a cache hit. */
function depSteps(log: BuildLog): { title: string; cached: boolean }[] {
  return [...log.steps.entries()]
    .filter(([, t]) => t.startsWith('[deps ') && DEP_STEP.test(t))
    .map(([id, t]) => ({ title: t, cached: log.cached.has(id) }));
}

/** gzip size of a tar of the project's own code (its packages and top-level modules). */
async function ownSourceGzip(p: PythonProject): Promise<number> {
  const paths = [...p.packageDirs, ...p.modules];
  const { stdout } = await sh('sh', [
    '-c',
    `tar -C "$0" --exclude=__pycache__ -cf - "$@" | gzip -c | wc -c`,
    p.dir,
    ...paths,
  ]);
  return Number(stdout.trim());
}

/**
 * world.waitForHttp, with a timer that keeps the event loop alive: through a published port,
 * docker-proxy accepts the connection before the app listens, and fetch then waits on handles
 * (its abort timer, the socket) that do not hold the loop, which ends the test runner early.
 */
async function waitForHttpHeld(url: string, timeoutMs: number): Promise<string> {
  const hold = setInterval(() => {}, 1000);
  try {
    return await waitForHttp(url, timeoutMs);
  } finally {
    clearInterval(hold);
  }
}

async function probe(tag: string, c: Case): Promise<void> {
  if (c.health) {
    const port = await freePort();
    const { stdout } = await docker(['run', '-d', '--rm', '-p', `127.0.0.1:${port}:8000`, tag]);
    const id = stdout.trim();
    try {
      const body = JSON.parse(await waitForHttpHeld(`http://127.0.0.1:${port}${c.health.path}`, 60_000)) as Record<
        string,
        unknown
      >;
      for (const [k, v] of Object.entries(c.health.expect))
        assert.equal(body[k], v, `${c.name}: ${k} in ${JSON.stringify(body)}`);
    } catch (e) {
      const logs = await docker(['logs', id], { check: false });
      throw new Error(`${(e as Error).message}\n--- container logs\n${logs.stdout}${logs.stderr}`);
    } finally {
      await docker(['rm', '-f', id], { check: false });
    }
  }
  if (c.cli) {
    const { stdout } = await docker(['run', '--rm', '--network', 'none', tag, ...c.cli.args]);
    assert.match(stdout, c.cli.expect);
  }
}

/** What must not be in the final image: compilers, .git, the project's tests, package-manager caches. */
async function assertClean(tag: string, p: PythonProject): Promise<void> {
  const own = p.packageDirs.map((d) => d.split('/').pop() as string);
  const script = [
    'for t in gcc cc g++ make uv uvx poetry pdm pipenv; do command -v $t && echo "FOUND tool $t"; done',
    'find / -xdev -name .git -print 2>/dev/null | sed "s/^/FOUND git /"',
    'for d in /root/.cache/uv /root/.cache/pip /root/.cache/pypoetry /root/.cache/pdm /home/app/.cache /app/.cache; do [ -e $d ] && echo "FOUND cache $d"; done',
    'for d in /app/tests /app/test /app/.venv/lib/python3*/site-packages/tests; do [ -e $d ] && echo "FOUND tests $d"; done',
    `find / -xdev \\( -name 'test_*.py' -o -name conftest.py \\) -not -path '*/site-packages/*' -not -path '/usr/*' 2>/dev/null | sed "s/^/FOUND testfile /"`,
    ...own.map(
      (pkg) =>
        `for d in /app/.venv/lib/python3*/site-packages/${pkg}/tests /app/${pkg}/tests; do [ -e $d ] && echo "FOUND tests $d"; done`,
    ),
    'find /app -name "*.lock" -o -name "pyproject.toml" -maxdepth 1 2>/dev/null | sed "s/^/FOUND manifest /"',
    'true',
  ].join('\n');
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
    script,
  ]);
  const found = stdout.split('\n').filter((l) => l.startsWith('FOUND'));
  assert.deepEqual(found, [], `${p.name}: the final image holds what it should not`);
}

function changeOneLine(dir: string, file: string): void {
  appendFileSync(join(dir, file), '\nCHANGED_BY_TEST = 1\n');
}

describe('init on every fixture: build, run, change a line, rebuild', { concurrency: 1 }, () => {
  for (const c of CASES) {
    test(
      `${c.name}: generated, built, answers; a code change ships only the code`,
      { timeout: 1_200_000 },
      async (t) => {
        const dir = copyFixture(c.name);
        assert.equal(await runInit(dir, (c.initOpts ?? {}) as never, quiet), 0, 'init exits 0 (self-check passed)');
        const p = detectProject(dir);
        const iso = isolated(join(dir, 'Dockerfile'));
        const tag1 = tagFor(c.name);
        await buildLogged({
          context: dir,
          dockerfile: iso.dockerfile,
          tag: tag1,
          buildArgs: { ...c.buildArgs, ...iso.buildArgs },
        });
        await probe(tag1, c);

        changeOneLine(dir, c.codeFile);
        const tag2 = tagFor(c.name);
        const log = await buildLogged({
          context: dir,
          dockerfile: iso.dockerfile,
          tag: tag2,
          buildArgs: { ...c.buildArgs, ...iso.buildArgs },
        });
        const deps = depSteps(log);
        assert.ok(deps.length >= 1, `the dependency step is in the build log:\n${[...log.steps.values()].join('\n')}`);
        for (const d of deps) assert.ok(d.cached, `dependency step re-ran after a code change: ${d.title}`);
        await probe(tag2, c);

        const shipped = await newLayerBytes(tag2, await layersOf(tag1));
        const source = await ownSourceGzip(p);
        t.diagnostic(
          `${c.name}: a code change ships ${shipped.bytes} bytes gzip in ${shipped.count} layer(s); own source ${source} bytes gzip`,
        );
        assert.ok(shipped.count >= 1 && shipped.count <= 2, `${shipped.count} new layers`);
        assert.ok(
          shipped.bytes <= 2 * source,
          `a code change ships ${shipped.bytes} bytes (gzip) in ${shipped.count} layers; the own source is ${source} bytes gzip`,
        );
        await assertClean(tag2, p);
      },
    );
  }

  test(
    'uv-workspace: the worker service from the same workspace (--package, --out)',
    { timeout: 900_000 },
    async () => {
      const dir = copyFixture('uv-workspace');
      const out = join(dir, 'deploy', 'worker');
      assert.equal(
        await runInit(dir, { package: 'acme-worker', out, compose: false, workflow: false } as never, quiet),
        0,
      );
      rmSync(join(out, '.dockerignore'));
      // The context's own .dockerignore comes from an init for the api (the same members).
      assert.equal(await runInit(dir, { compose: false, workflow: false } as never, quiet), 0);
      const tag = tagFor('uv-workspace-worker');
      await buildLogged({ context: dir, dockerfile: join(out, 'Dockerfile'), tag });
      const health = await docker(['run', '--rm', '--network', 'none', tag, 'acme-worker', 'health']);
      assert.deepEqual(JSON.parse(health.stdout), { status: 'ok', service: 'acme-worker' });
      const probeWeb = await docker(['run', '--rm', '--network', 'none', tag, 'python', '-c', 'import fastapi'], {
        check: false,
      });
      assert.notEqual(probeWeb.code, 0, 'the worker image holds no web stack');
    },
  );
});

// uv projects go through the whole loop in ship.test.ts (layerwise ship on init's split-base files);
// here the other managers' base Dockerfiles, which ship's test does not build.
const SPLIT_BASE_CASES = CASES.filter((c) => ['django-poetry', 'pdm-starlette', 'flask-piptools'].includes(c.name));

describe('init --split-base: the base follows the lock, not the code', { concurrency: 1 }, () => {
  for (const c of SPLIT_BASE_CASES) {
    test(`${c.name}: a code change keeps the base; a lock change rebuilds it`, { timeout: 1_200_000 }, async () => {
      const dir = copyFixture(c.name);
      assert.equal(await runInit(dir, { splitBase: true } as never, quiet), 0);
      const p = detectProject(dir);
      const baseRepo = uniqueTag(`init-${c.name}-base`).split(':')[0];
      const runArgs = { TEST_RUN: `${Date.now()}-${Math.random()}` };
      const baseBuild = async () => {
        const fp = fingerprintDir(dir, p.python.version, p.depFiles);
        const ref = `${baseRepo}:${fp}`;
        images.push(ref);
        const iso = isolated(join(dir, 'Dockerfile.base'));
        const log = await buildLogged({ context: dir, dockerfile: iso.dockerfile, tag: ref, buildArgs: runArgs });
        return { fp, ref, log };
      };
      const appBuild = async (baseRef: string) => {
        const tag = tagFor(`${c.name}-app`);
        const iso = isolated(join(dir, 'Dockerfile'));
        await buildLogged({
          context: dir,
          dockerfile: iso.dockerfile,
          tag,
          buildArgs: { ...c.buildArgs, ...runArgs, BASE_IMAGE: baseRef },
        });
        return tag;
      };

      const b1 = await baseBuild();
      const app1 = await appBuild(b1.ref);
      await probe(app1, c);
      const baseId = (await docker(['image', 'inspect', '--format', '{{.Id}}', b1.ref])).stdout.trim();

      // Code change: same fingerprint, so CI does not build the base; building it anyway is all cache.
      changeOneLine(dir, c.codeFile);
      const b2 = await baseBuild();
      assert.equal(b2.fp, b1.fp, 'a code change leaves the base fingerprint alone');
      for (const d of depSteps(b2.log)) assert.ok(d.cached, `base dependency step re-ran: ${d.title}`);
      assert.equal((await docker(['image', 'inspect', '--format', '{{.Id}}', b2.ref])).stdout.trim(), baseId);
      const app2 = await appBuild(b2.ref);
      await probe(app2, c);
      const shipped = await newLayerBytes(app2, await layersOf(app1));
      assert.ok(shipped.bytes <= 2 * (await ownSourceGzip(p)), `code change ships ${shipped.bytes} bytes`);

      // Lock change: a new fingerprint, and the dependency step re-runs.
      // Unique per run, so no earlier run's build cache can answer for it.
      appendFileSync(join(dir, p.lockFile as string), `\n# touched by a test ${Date.now()}-${Math.random()}\n`);
      const b3 = await baseBuild();
      assert.notEqual(b3.fp, b1.fp, 'a lock change makes a new base fingerprint');
      const deps = depSteps(b3.log);
      assert.ok(
        deps.length >= 1 && deps.every((d) => !d.cached),
        'the base re-installs the dependencies after a lock change',
      );
      const app3 = await appBuild(b3.ref);
      await probe(app3, c);
    });
  }
});
