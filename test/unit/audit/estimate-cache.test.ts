// The install layer's hidden parts: the installer's cache left in the layer (uv, pdm; pip's is
// noted) and the venv's own pip and setuptools, sized from ensurepip's wheels. Cases built here:
// Dockerfiles with and without the flags and mounts that keep a cache out, fake Python lib dirs.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { estimateDeps } from '../../../src/audit/estimate-deps.js';
import {
  PDM_CACHE_PER_WHEEL,
  UV_CACHE_PER_WHEEL,
  UV_LINKED_CACHE_PER_WHEEL,
  envBefore,
} from '../../../src/audit/estimate-layer.js';
import { auditImage } from '../../../src/audit/image.js';
import { readRun } from '../../../src/audit/install-command.js';
import { localSeed, pickSeed, VENV_PER_SEED_WHEEL } from '../../../src/audit/venv-seed.js';
import { readLock } from '../../../src/audit/lock-read.js';
import { WheelFinder, type WheelSourceDirs } from '../../../src/audit/wheel-sources.js';
import { readFileSync } from 'node:fs';
import { loadShell } from '../../../src/dockerfile/shell-load.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { copyFixture, tempDir, writeZip } from './helpers.js';

before(loadShell);

/** The last RUN of a Dockerfile, read with the ENV before it. */
function lastRun(text: string) {
  const file = parseDockerfile(text);
  const runs = file.stages.flatMap((s) => s.instructions).filter((i) => i.keyword === 'RUN');
  const ins = runs[runs.length - 1];
  return readRun(ins, envBefore(ins, file));
}

describe('readRun: does the install keep its cache in the layer', () => {
  const uv = (run: string, head = '') => lastRun(`FROM python:3.11-slim\n${head}${run}\n`);
  it('uv sync without --no-cache keeps uv cache, hardlinked by default', () => {
    const r = uv('RUN uv sync --locked --no-dev');
    assert.equal(r.keepsToolCache, true);
    assert.equal(r.cacheHardlinked, true);
    assert.equal(uv('RUN uv sync --locked', 'ENV UV_LINK_MODE=copy\n').cacheHardlinked, false);
    assert.equal(uv('RUN uv sync --link-mode=copy').cacheHardlinked, false);
    assert.equal(uv('RUN uv pip install --system -r requirements.txt').keepsToolCache, true);
  });
  it('--no-cache, UV_NO_CACHE, a cache clean or a cache mount keep it out', () => {
    assert.equal(uv('RUN uv sync --locked --no-cache').keepsToolCache, false);
    assert.equal(uv('RUN uv sync --locked', 'ENV UV_NO_CACHE=1\n').keepsToolCache, false);
    assert.equal(uv('RUN UV_NO_CACHE=true uv pip install -r r.txt').keepsToolCache, false);
    assert.equal(uv('RUN uv sync && uv cache clean').keepsToolCache, false);
    assert.equal(uv('RUN --mount=type=cache,target=/root/.cache/uv uv sync').keepsToolCache, false);
    assert.equal(uv('RUN --mount=type=cache,target=/root/.cache uv sync').keepsToolCache, false);
  });
  it("a cache mount elsewhere than uv's cache dir does not", () => {
    assert.equal(uv('RUN --mount=type=cache,target=/root/.cache/pip uv sync').keepsToolCache, true);
    assert.equal(
      uv('RUN --mount=type=cache,target=/root/.cache/uv uv sync', 'ENV UV_CACHE_DIR=/opt/uv-cache\n').keepsToolCache,
      true,
    );
    assert.equal(
      uv('RUN --mount=type=cache,target=/opt/uv-cache uv sync', 'ENV UV_CACHE_DIR=/opt/uv-cache\n').keepsToolCache,
      false,
    );
  });
  it('pdm keeps its cache unless removed, disabled or mounted; poetry and pip keep their own flags', () => {
    assert.equal(uv('RUN pdm install --prod --frozen-lockfile').keepsToolCache, true);
    assert.equal(uv('RUN pdm install --prod && rm -rf /root/.cache/pdm').keepsToolCache, false);
    assert.equal(uv('RUN pdm install --prod', 'ENV PDM_NO_CACHE=1\n').keepsToolCache, false);
    assert.equal(uv('RUN --mount=type=cache,target=/root/.cache/pdm pdm install').keepsToolCache, false);
    assert.equal(uv('RUN poetry install').keepsToolCache, false);
    assert.equal(uv('RUN pip install -r r.txt').keepsPipCache, true);
    assert.equal(uv('RUN pip install -r r.txt', 'ENV PIP_NO_CACHE_DIR=1\n').keepsPipCache, false);
  });
  it('python -m venv in the same RUN seeds pip; --without-pip and uv venv do not', () => {
    const r = uv('RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt');
    assert.equal(r.kind, 'deps');
    assert.equal(r.makesVenv, true);
    assert.equal(uv('RUN python3.11 -m venv /venv').kind, 'venv');
    assert.equal(uv('RUN python3.11 -m venv /venv').makesVenv, true);
    assert.equal(uv('RUN python -m venv --without-pip /venv && pip install -r r.txt').makesVenv, false);
    assert.equal(uv('RUN uv venv /venv').makesVenv, false);
  });
});

describe('venv seed wheels', () => {
  const t = tempDir();
  after(t.done);
  it('reads ensurepip/_bundled of a local Python of the minor version, the highest version of each', () => {
    const lib = join(t.dir, 'usr-local-lib');
    const bundled = join(lib, 'python3.11', 'ensurepip', '_bundled');
    mkdirSync(bundled, { recursive: true });
    writeFileSync(join(bundled, 'pip-24.0-py3-none-any.whl'), Buffer.alloc(2000));
    writeFileSync(join(bundled, 'pip-9.0-py3-none-any.whl'), Buffer.alloc(50));
    writeFileSync(join(bundled, 'setuptools-65.5.0-py3-none-any.whl'), Buffer.alloc(1000));
    const s = localSeed('3.11', [lib]);
    assert.equal(s?.bytes, 3000);
    assert.match(s!.basis, /pip-24\.0-py3-none-any\.whl \(2000 B\) \+ setuptools-65\.5\.0/);
    assert.match(s!.basis, /local Python 3\.11/);
    assert.equal(localSeed('3.12', [lib]), null, 'no Python 3.12 here');
  });
  it("takes Debian's /usr/share/python-wheels beside its lib dir", () => {
    const usr = join(t.dir, 'usr');
    mkdirSync(join(usr, 'lib', 'python3.11', 'ensurepip'), { recursive: true });
    mkdirSync(join(usr, 'share', 'python-wheels'), { recursive: true });
    writeFileSync(join(usr, 'share', 'python-wheels', 'pip-23.0.1-py3-none-any.whl'), Buffer.alloc(700));
    writeFileSync(join(usr, 'share', 'python-wheels', 'wheel-0.38-py3-none-any.whl'), Buffer.alloc(99));
    assert.equal(localSeed('3.11', [join(usr, 'lib')])?.bytes, 700, 'pip only; wheel is not seeded');
  });
  it('pickSeed: no pip, no seed; later paths of the same wheel do not double count', () => {
    assert.equal(pickSeed(new Map([['usr/share/python-wheels/setuptools-1.0-py3-none-any.whl', 5]]), 'x'), null);
    const m = new Map([
      ['usr/local/lib/python3.12/ensurepip/_bundled/pip-25.0-py3-none-any.whl', 10],
      ['usr/local/lib/python3.12/ensurepip/_bundled/pip-24.0-py3-none-any.whl', 9],
    ]);
    assert.equal(pickSeed(m, 'x')?.bytes, 10);
  });
});

/** A wheel directory with a py3-none-any wheel for every package of the lock (the fixtures' locks may record no sizes). */
function wheelDirFor(dir: string, lockFile: string, into: string): WheelSourceDirs {
  const lock = readLock(lockFile, readFileSync(join(dir, lockFile), 'utf8'), '3.11');
  mkdirSync(into, { recursive: true });
  lock.packages.forEach((pkg, i) => {
    const norm = pkg.name.toLowerCase().replace(/[-_.]+/g, '_');
    writeZip(join(into, `${norm}-${pkg.version}-py3-none-any.whl`), [
      { name: `${norm}/__init__.py`, data: `x = ${i}\n`.repeat(100 * (i + 1)) },
    ]);
  });
  return { dirs: [into], uvCaches: [], indexes: [] };
}

describe('auditImage: the cache and the venv in the install layer', () => {
  const t = tempDir();
  after(t.done);
  const wheels = (dir: string): WheelSourceDirs => {
    mkdirSync(dir, { recursive: true });
    for (const [n, v] of [
      ['flask', '3.1.3'],
      ['blinker', '1.9.0'],
    ])
      writeZip(join(dir, `${n}-${v}-py3-none-any.whl`), [{ name: `${n}/__init__.py`, data: 'x = 1\n'.repeat(300) }]);
    return { dirs: [dir], uvCaches: [], indexes: [] };
  };
  const install = async (dir: string, run: string, sources: WheelSourceDirs, roots: string[]) => {
    writeFileSync(join(dir, 'Dockerfile'), `FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\n${run}\n`);
    const img = await auditImage(
      { name: 'app', dockerfile: join(dir, 'Dockerfile'), context: dir, args: {}, origins: [] },
      dir,
      { wheelSources: sources, venvSeedRoots: roots, noAlternative: true },
    );
    return img.scenarios[0].layers[img.scenarios[0].layers.length - 1];
  };

  it('pip into a venv: the wheels, their .pyc and the seed wheels times the measured ratio', async () => {
    const dir = join(t.dir, 'proj');
    mkdirSync(dir);
    writeFileSync(join(dir, 'requirements.txt'), 'flask==3.1.3\nblinker==1.9.0\n');
    writeFileSync(join(dir, 'app.py'), 'from flask import Flask\napp = Flask(__name__)\n');
    const sources = wheels(join(t.dir, 'wheels'));
    const lib = join(t.dir, 'lib');
    mkdirSync(join(lib, 'python3.12', 'ensurepip', '_bundled'), { recursive: true });
    writeFileSync(join(lib, 'python3.12', 'ensurepip', '_bundled', 'pip-24.0-py3-none-any.whl'), Buffer.alloc(100_000));
    const plain = await install(dir, 'RUN pip install --no-cache-dir -r requirements.txt', sources, [lib]);
    const venv = await install(
      dir,
      'RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir -r requirements.txt',
      sources,
      [lib],
    );
    assert.ok(plain.bytes && venv.bytes);
    assert.equal(venv.bytes - plain.bytes, Math.round(100_000 * VENV_PER_SEED_WHEEL), venv.basis);
    assert.match(venv.basis, /pip-24\.0-py3-none-any\.whl \(100000 B\).*local Python 3\.12/);
    const none = await install(dir, 'RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt', sources, [
      join(t.dir, 'nowhere'),
    ]);
    assert.equal(none.bytes, null);
    assert.match(
      none.basis,
      /unknown: the venv's own pip and setuptools \(the engine is not asked; no local Python 3\.12/,
    );
    assert.match(none.basis, /pip's http cache not counted/);
  });

  it("uv without --no-cache adds the measured cache ratio to the lock's wheel sizes", async () => {
    const dir = copyFixture('fastapi-uv', t.dir);
    const sources = wheelDirFor(dir, 'uv.lock', join(t.dir, 'wheels-uv'));
    const deps = await estimateDeps(
      { dir, lockFile: 'uv.lock', python: '3.11', includeDev: false },
      new WheelFinder(sources),
    );
    if (deps.bytes === null) throw new Error(`fixture lock without sizes: ${deps.basis}`);
    const at = (run: string) => install(dir, run, sources, []);
    assert.equal((await at('RUN uv sync --locked --no-dev --no-cache')).bytes, deps.bytes);
    const copy = await at('RUN UV_LINK_MODE=copy uv sync --locked --no-dev');
    assert.equal(copy.bytes, deps.bytes + Math.round(deps.bytes * UV_CACHE_PER_WHEEL), copy.basis);
    assert.match(copy.basis, /uv's cache stays in the layer/);
    const linked = await at('RUN uv sync --locked --no-dev');
    assert.equal(linked.bytes, deps.bytes + Math.round(deps.bytes * UV_LINKED_CACHE_PER_WHEEL));
    assert.match(linked.basis, /hardlinked into the venv/);
  });

  it('pdm without removing its cache adds its measured ratio', async () => {
    const dir = copyFixture('pdm-starlette', t.dir);
    const sources = wheelDirFor(dir, 'pdm.lock', join(t.dir, 'wheels-pdm'));
    const deps = await estimateDeps(
      { dir, lockFile: 'pdm.lock', python: '3.11', includeDev: false },
      new WheelFinder(sources),
    );
    if (deps.bytes === null) throw new Error(deps.basis);
    const kept = await install(dir, 'RUN pdm install --prod --frozen-lockfile --no-self', sources, []);
    assert.equal(kept.bytes, deps.bytes + Math.round(deps.bytes * PDM_CACHE_PER_WHEEL), kept.basis);
    const removed = await install(dir, 'RUN pdm install --prod --no-self && rm -rf /root/.cache/pdm', sources, []);
    assert.equal(removed.bytes, deps.bytes);
  });
});
