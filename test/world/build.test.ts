// `layerwise build` against the world: images assembled without a daemon from the fixtures' locks,
// pushed to the world's registry, pulled and run by the engine; the same inputs give the same
// digest from a clean wheel cache; a dependency change ships about that package (containerd store,
// from the registry's manifests; classic store, measured through a counting proxy into a second
// engine holding the previous image); a code change ships about the code; an arm64 image assembled
// here from arm64 wheels, checked with skopeo and umoci; bad inputs fail in one line, pushing nothing.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  loadWorld,
  removeImages,
  repoRoot,
  sh,
} from './world.js';

const CLI = join(repoRoot, 'dist', 'bundle', 'main.js');
const world = loadWorld();
const PATH = `${dirname(world.docker)}:${join(world.cache, 'tools', 'bin')}:${process.env.PATH}`;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const run = `lw-build-${Date.now().toString(36)}`;
const BASE = `${world.registry}/${run}/python:3.11-slim`;
const cacheDir = mkdtempSync(join(tmpdir(), 'lw-build-cache-'));
const pushed: { repo: string; digest: string }[] = [];
const pulled: string[] = [];
const temps: string[] = [cacheDir];

async function cli(args: string[], env: Record<string, string> = {}) {
  return sh(process.execPath, [CLI, ...args], {
    env: { PATH, LAYERWISE_CACHE_DIR: cacheDir, ...env },
    check: false,
    timeoutMs: 1_200_000,
  });
}

async function build(dir: string, args: string[], env: Record<string, string> = {}): Promise<Json> {
  const r = await cli(['build', dir, '--base', `docker://${BASE}`, '-f', 'json', ...args], env);
  if (r.code !== 0) throw new Error(`build exited ${r.code}: ${r.stderr}`);
  const j = JSON.parse(r.stdout) as Json;
  for (const a of args.filter((_, i) => args[i - 1] === '--tag'))
    pushed.push({ repo: a.replace(/^[^/]+\//, '').replace(/:[^:]+$/, ''), digest: j.digest });
  return j;
}

const raw = async (ref: string) =>
  JSON.parse((await sh(world.skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${ref}`])).stdout) as Json;

function project(name: string): string {
  const t = mkdtempSync(join(tmpdir(), `lw-build-${name}-`));
  temps.push(t);
  const dir = join(t, name);
  cpSync(join(fixturesDir, name), dir, { recursive: true });
  return dir;
}

const git = (dir: string, ...args: string[]) =>
  sh('git', ['-C', dir, ...args], {
    env: {
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@e.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@e.invalid',
    },
  });

async function committed(dir: string): Promise<string> {
  await git(dir, 'init', '-q', '-b', 'main');
  await git(dir, 'add', '-A');
  await git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

before(async () => {
  // The base as teams have it: in a registry, gzip layers (skopeo compresses the engine's tars).
  await sh(world.skopeo, [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    `docker-daemon:${world.pythonImage}`,
    `docker://${BASE}`,
  ]);
});
after(async () => {
  const c = new RegistryClient(world.registry);
  for (const p of pushed) await deleteManifest(c, p.repo, p.digest).catch(() => {});
  const base = await raw(BASE).catch(() => null);
  if (base)
    await deleteManifest(
      c,
      `${run}/python`,
      `sha256:${(await sh('sha256sum', [], { input: JSON.stringify(base) })).stdout}`,
    ).catch(() => {});
  await removeImages(...pulled);
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe('build: fastapi-uv, pushed and run; reproducible; a dependency and a code change', { concurrency: 1 }, () => {
  let dir = '';
  const repo = `${world.registry}/${run}/shop`;
  const digests: string[] = [];
  before(async () => {
    dir = await committed(project('fastapi-uv'));
  });

  test('pushed to the registry, the engine pulls and runs it, /health answers', { timeout: 900_000 }, async () => {
    const j = await build(dir, ['--tag', `${repo}:1`]);
    digests.push(j.digest);
    assert.equal(j.schema, 'layerwise.build/1');
    const m = await raw(`${repo}:1`);
    assert.equal(m.layers.length, j.base.layers + j.layers.length);
    // One layer per locked package (the lock's 15 minus the project), the venv and the project.
    const kinds = j.layers.map((l: Json) => l.kind);
    assert.equal(kinds[0], 'venv');
    assert.equal(kinds.at(-1), 'project');
    assert.ok(j.layers.some((l: Json) => l.package === 'fastapi'));
    assert.ok(j.layers.some((l: Json) => l.package === 'pydantic-core'));
    const ref = `${repo}@${j.digest}`;
    pulled.push(ref);
    const body = await httpProbe(ref, '/health');
    assert.equal(body.status, 'ok');
    assert.equal(body.app, 'shop-api');
  });

  test('the same inputs from a clean wheel cache give the same manifest digest', { timeout: 900_000 }, async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'lw-build-cache2-'));
    temps.push(fresh);
    const out = join(dirname(dir), 'oci');
    const j = await build(dir, ['--output', `oci:${out}:again`, '--no-previous'], { LAYERWISE_CACHE_DIR: fresh });
    assert.equal(j.digest, digests[0]);
    assert.ok(readdirSync(join(fresh, 'wheels')).length > 5, 'the wheels were fetched again');
  });

  test(
    'one small package added: a host pulls about that wheel (containerd), or it and the app (classic)',
    { timeout: 900_000 },
    async (t) => {
      await sh('uv', ['add', '--no-sync', '--quiet', 'six'], {
        cwd: dir,
        env: { PATH, PIP_CONFIG_FILE: '/dev/null', UV_PYTHON_DOWNLOADS: 'never' },
      });
      await git(dir, 'commit', '-q', '-am', 'add six');
      const j = await build(dir, ['--tag', `${repo}:2`, '--previous', `${repo}:1`]);
      digests.push(j.digest);
      const fresh = j.layers.filter((l: Json) => !l.reused);
      assert.ok(
        fresh.some((l: Json) => l.package === 'six'),
        JSON.stringify(fresh),
      );
      const wheel = Number(
        (
          await sh('sh', [
            '-c',
            `curl -sI "$0" | sed -n 's/^[Cc]ontent-[Ll]ength: *//p'`,
            'http://127.0.0.1:3141/files/six-1.17.0-py2.py3-none-any.whl',
          ])
        ).stdout.trim(),
      );
      // containerd store: the blobs of :2 that :1 lacks.
      const [m1, m2] = [await raw(`${repo}:1`), await raw(`${repo}:2`)];
      const had = new Set(m1.layers.map((l: Json) => l.digest));
      const newBlobs = m2.layers.filter((l: Json) => !had.has(l.digest));
      const sixLayer = newBlobs.find((l: Json) =>
        (l.annotations?.['dev.layerwise.build.packages'] ?? '').startsWith('six=='),
      );
      assert.ok(sixLayer, 'six has a layer of its own');
      assert.ok(sixLayer.size <= 1.2 * wheel, `six's layer is ${sixLayer.size} bytes; its wheel ${wheel}`);
      const project = newBlobs.filter((l: Json) => l !== sixLayer);
      assert.ok(project.length <= 1, `only the app's metadata besides: ${JSON.stringify(project)}`);
      const containerd = newBlobs.reduce((n: number, l: Json) => n + l.size, 0);
      assert.ok(
        containerd <= 1.2 * wheel,
        `a host on the containerd store pulls ${containerd} B; six's wheel is ${wheel} B`,
      );

      // classic store, measured: a second engine holding :1 pulls :2 through a counting proxy.
      const proxy = await countingProxy(world.registry);
      const host = await hostEngine();
      try {
        await host.docker(['pull', '-q', `${proxy.host}/${run}/shop:1`]);
        proxy.served.bytes = 0;
        proxy.served.blobs = [];
        await host.docker(['pull', '-q', `${proxy.host}/${run}/shop:2`]);
        const cfg = m2.config;
        const layerBytes = proxy.served.bytes - (proxy.served.blobs.includes(cfg.digest) ? cfg.size : 0);
        // The app: its metadata (which names six now) and its code, the two layers on top.
        const appLayers = m2.layers.slice(-2).reduce((n: number, l: Json) => n + l.size, 0);
        t.diagnostic(
          `six ${wheel} B wheel: containerd pulls ${newBlobs.reduce((n: number, l: Json) => n + l.size, 0)} B (six's layer ${sixLayer.size} B); classic pulled ${layerBytes} B (app layers ${appLayers} B)`,
        );
        assert.ok(
          layerBytes <= 1.2 * wheel + appLayers,
          `classic pulled ${layerBytes}; six ${wheel}, app layers ${appLayers}`,
        );
      } finally {
        proxy.close();
        await host.stop();
      }
    },
  );

  test(
    'a one-line code change ships at most twice the gzip size of the package source',
    { timeout: 900_000 },
    async (t) => {
      appendFileSync(join(dir, 'src/shop_api/main.py'), `\n# a one-line change ${Date.now()}\n`);
      await git(dir, 'commit', '-q', '-am', 'change');
      const j = await build(dir, ['--tag', `${repo}:3`, '--previous', `${repo}:2`]);
      const [m2, m3] = [await raw(`${repo}:2`), await raw(`${repo}:3`)];
      const had = new Set(m2.layers.map((l: Json) => l.digest));
      const bytes = m3.layers.filter((l: Json) => !had.has(l.digest)).reduce((n: number, l: Json) => n + l.size, 0);
      const { stdout } = await sh('sh', ['-c', 'tar -C "$0" --exclude=__pycache__ -cf - src | gzip -c | wc -c', dir]);
      t.diagnostic(`a one-line code change ships ${bytes} B; the package source is ${stdout.trim()} B gzip`);
      assert.ok(
        bytes <= 2 * Number(stdout.trim()),
        `a code change ships ${bytes} bytes; the source is ${stdout.trim()} gzip`,
      );
      assert.equal(
        j.layers.filter((l: Json) => !l.reused && l.kind === 'package').length,
        0,
        'no package layer is new',
      );
    },
  );
});

describe('build: the heavy data-app', { concurrency: 1 }, () => {
  test('pushed, pulled and its command runs', { timeout: 1_200_000 }, async () => {
    const dir = await committed(project('data-app'));
    const repo = `${world.registry}/${run}/data`;
    const j = await build(dir, ['--tag', `${repo}:1`]);
    assert.ok(j.layers.some((l: Json) => l.package === 'pyarrow'));
    const ref = `${repo}@${j.digest}`;
    pulled.push(ref);
    const { stdout } = await docker(['run', '--rm', '--network', 'none', ref, 'data-app', '300']);
    assert.match(stdout, /"rows": 300/);
  });
});

describe('build --platform linux/arm64: assembled here from arm64 wheels, checked, never run', () => {
  test(
    'the manifest, the platform and the files are arm64',
    { skip: !world.arm64Base && 'no arm64 base in this world', timeout: 900_000 },
    async () => {
      const dir = await committed(project('arm-app'));
      const out = join(dirname(dir), 'oci');
      const r = await cli([
        'build',
        dir,
        '--base',
        world.arm64Base!,
        '--platform',
        'linux/arm64',
        '--output',
        `oci:${out}:arm`,
        '-f',
        'json',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as Json;
      assert.equal(j.target.platform.architecture, 'arm64');
      const info = JSON.parse((await sh(world.skopeo, ['inspect', `oci:${out}:arm`])).stdout) as Json;
      assert.equal(info.Architecture, 'arm64');
      assert.equal(info.Os, 'linux');
      const unpacked = join(dirname(dir), 'unpacked');
      await sh(world.umoci, ['unpack', '--image', `${out}:arm`, unpacked]);
      const site = join(unpacked, 'rootfs/app/.venv/lib/python3.11/site-packages');
      const so = readdirSync(join(site, 'markupsafe')).find((f) => f.endsWith('.so'));
      assert.ok(so && /aarch64/.test(so), `markupsafe's extension: ${so}`);
      const file = await sh('file', ['-b', join(site, 'markupsafe', so!)]);
      assert.match(file.stdout, /aarch64/);
      assert.ok(readdirSync(join(site, 'pydantic_core')).some((f) => /aarch64.*\.so$/.test(f)));
    },
  );
});

describe('build: bad input fails in one line and pushes nothing', () => {
  const cases: [string, (dir: string) => void, RegExp, string[]?][] = [
    [
      'a wheel with a wrong hash',
      (dir) => {
        const lock = join(dir, 'uv.lock');
        const text = readFileSync(lock, 'utf8');
        const m = /(annotated_types-[^"]+\.whl", hash = "sha256:)([0-9a-f]{64})/.exec(text)!;
        writeFileSync(lock, text.replace(m[0], `${m[1]}${'0'.repeat(64)}`));
      },
      /sha256/,
    ],
    [
      'a lock naming a missing file',
      (dir) => {
        const lock = join(dir, 'uv.lock');
        writeFileSync(
          lock,
          readFileSync(lock, 'utf8').replace(/files\/annotated_types-/, 'files/gone-annotated_types-'),
        );
      },
      /404|not found|no longer/i,
    ],
    ['a base image without Python', () => {}, /no Python/i, ['--base', world.debianImage]],
    [
      'a package with only an sdist',
      (dir) => {
        const lock = join(dir, 'uv.lock');
        const text = readFileSync(lock, 'utf8');
        // annotated-doc keeps its name and version, and loses its wheel for an sdist.
        writeFileSync(
          lock,
          text.replace(
            /(name = "annotated-doc"[\s\S]*?)wheels = \[[\s\S]*?\]\n/,
            `$1sdist = { url = "http://127.0.0.1:3141/files/annotated_doc-0.0.5.tar.gz", hash = "sha256:${'1'.repeat(64)}" }\n`,
          ),
        );
      },
      /sdist/,
    ],
  ];
  for (const [name, edit, message, extra] of cases) {
    test(name, { timeout: 300_000 }, async () => {
      const dir = project('fastapi-uv');
      edit(dir);
      const tag = `${world.registry}/${run}/bad:${name.replace(/[^a-z]+/g, '-')}`;
      // An empty wheel cache: a cached wheel (found by its hash) would need no download at all.
      const empty = mkdtempSync(join(tmpdir(), 'lw-build-empty-'));
      temps.push(empty);
      const r = await cli(['build', dir, '--base', `docker://${BASE}`, '--tag', tag, ...(extra ?? [])], {
        LAYERWISE_CACHE_DIR: empty,
      });
      assert.equal(r.code, 2, r.stderr + r.stdout);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
      const tags = await sh(
        world.skopeo,
        ['list-tags', '--tls-verify=false', `docker://${world.registry}/${run}/bad`],
        { check: false },
      );
      assert.ok(
        tags.code !== 0 || !(JSON.parse(tags.stdout).Tags as string[]).includes(tag.split(':').pop()!),
        'nothing pushed',
      );
    });
  }
});
