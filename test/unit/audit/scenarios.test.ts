import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { estimateDeps } from '../../../src/audit/estimate-deps.js';
import { PYC_PER_PY, UV_LINKED_CACHE_PER_WHEEL } from '../../../src/audit/estimate-layer.js';
import { auditImage } from '../../../src/audit/image.js';
import { readLock } from '../../../src/audit/lock-read.js';
import type { AuditImage, Scenario } from '../../../src/audit/types.js';
import { WheelFinder, type WheelSourceDirs } from '../../../src/audit/wheel-sources.js';
import { detectProject } from '../../../src/project/index.js';
import { copyFixture, tempDir, writeZip } from './helpers.js';

/** A wheel directory holding a py3-none-any wheel for every package of the project's lock. */
function wheelDirFor(projectDir: string, into: string): WheelSourceDirs {
  const p = detectProject(projectDir);
  const lock = readLock(p.lockFile!, readFileSync(join(projectDir, p.lockFile!), 'utf8'), p.python.version);
  lock.packages.forEach((pkg, i) => {
    const norm = pkg.name.toLowerCase().replace(/[-_.]+/g, '_');
    writeZip(join(into, `${norm}-${pkg.version}-py3-none-any.whl`), [
      { name: `${norm}/__init__.py`, data: `x = ${i}\n`.repeat(200 * (i + 1)) },
      { name: `${norm}-${pkg.version}.dist-info/METADATA`, data: `Name: ${pkg.name}\n` },
    ]);
  });
  return { dirs: [into], uvCaches: [], indexes: [] };
}

function target(dir: string, args: Record<string, string> = {}) {
  return { name: 'app', dockerfile: join(dir, 'Dockerfile'), context: dir, args, origins: [] };
}

const sc = (img: { scenarios: Scenario[] }, name: string) => img.scenarios.find((s) => s.name === name)!;

/** Bytes of the files under `dir` (relative to root), walking everything. */
function rawBytes(root: string, rels: string[]): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    else if (!/\.py[cod]$/.test(p)) ((bytes += st.size), files++);
  };
  for (const r of rels) walk(join(root, r));
  return { bytes, files };
}

describe('audit scenarios: naive Dockerfile (COPY . . then install)', () => {
  const t = tempDir();
  after(t.done);

  it('fastapi-uv: a code change re-runs the copy and uv sync and re-ships the whole environment', async () => {
    const dir = copyFixture('fastapi-uv', t.dir);
    const sources = wheelDirFor(dir, join(t.dir, 'wheels-uv'));
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nARG PIP_INDEX_URL\nRUN uv sync --frozen --no-dev\nCMD ["uvicorn", "shop_api.main:app"]\n',
    );
    const img = await auditImage(target(dir, { PIP_INDEX_URL: 'http://127.0.0.1:3141/simple/' }), t.dir, {
      wheelSources: sources,
    });
    const deps = await estimateDeps(
      { dir, lockFile: 'uv.lock', python: '3.11', includeDev: false },
      new WheelFinder(sources),
    );
    assert.ok(deps.bytes && deps.bytes > 10_000);
    const code = sc(img, 'code-change');
    assert.equal(code.change, 'one line of src/shop_api/main.py');
    assert.deepEqual(
      code.rerun.map((r) => r.line),
      [3, 5],
      'build steps only: ARG and CMD change the image config, they are not steps',
    );
    assert.equal(code.newLayers, 2);
    const [copy, install] = code.layers.filter((l) => l.changed);
    // uv sync without --compile-bytecode: the wheels, plus uv's cache kept in the layer (hardlinked: the measured 0.1x).
    assert.equal(install.bytes, deps.bytes + Math.round(deps.bytes * UV_LINKED_CACHE_PER_WHEEL), install.basis);
    // The COPY layer: every context file, gzipped; its order of magnitude follows the real files.
    const raw = rawBytes(dir, ['.']);
    assert.ok(
      copy.bytes! > raw.bytes / 20 && copy.bytes! < raw.bytes + 600 * raw.files,
      `${copy.bytes} vs ${raw.bytes}`,
    );
    assert.equal(code.bytes.classic, copy.bytes! + install.bytes!);
    assert.equal(code.bytes.containerd, code.bytes.classic);
    assert.equal(code.knownBytes, undefined);
    assert.ok(code.rests.some((r) => /close to the gzip size of the files it installs/.test(r)));
    assert.equal(code.basis, 'estimated');

    const dep = sc(img, 'dependency-change');
    assert.equal(dep.change, 'one package in uv.lock');
    assert.equal(dep.bytes.classic, code.bytes.classic);

    const base = sc(img, 'base-change');
    assert.equal(base.bytes.classic, null);
    assert.ok(base.rests.some((r) => /base image lookup is off/.test(r)));

    const arg = sc(img, 'build-arg:PIP_INDEX_URL');
    assert.deepEqual(
      arg.rerun.map((r) => r.line),
      [5],
    );
    assert.equal(arg.bytes.containerd, install.bytes);

    assert.equal(img.contents.tests, true, 'COPY . . takes tests/ into the image');
    assert.deepEqual(img.contents.caches, ['/root/.cache/uv']);
    // The ranked findings: moving the install before the copy is worth the environment per code change.
    const top = img.findings[0];
    assert.equal(top.cost.scenario, 'code-change');
    assert.equal(top.cost.bytesPerDeploy, install.bytes);
  });

  it('flask-piptools: pip install -r compiles bytecode, counted from the wheels .py bytes', async () => {
    const dir = copyFixture('flask-piptools', t.dir);
    const sources = wheelDirFor(dir, join(t.dir, 'wheels-flask'));
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM python:3.11-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n',
    );
    const img = await auditImage(target(dir), t.dir, { wheelSources: sources });
    const deps = await estimateDeps(
      { dir, lockFile: 'requirements.txt', python: '3.11', includeDev: true },
      new WheelFinder(sources),
    );
    const code = sc(img, 'code-change');
    assert.equal(code.change, 'one line of app.py');
    const install = code.layers.find((l) => l.line === 3)!;
    assert.equal(install.changed, true);
    assert.equal(install.bytes, deps.bytes! + Math.round(deps.pyBytes * PYC_PER_PY));
    assert.deepEqual(img.contents.caches, ['/root/.cache/pip']);
  });

  it('django-poetry with no wheel anywhere: the dependency layer and the totals are unknown, with the reason', async () => {
    const dir = copyFixture('django-poetry', t.dir);
    writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.11-slim\nCOPY . .\nRUN poetry install --only main\n');
    const img = await auditImage(target(dir), t.dir, { wheelSources: { dirs: [], uvCaches: [], indexes: [] } });
    const code = sc(img, 'code-change');
    assert.equal(code.bytes.classic, null);
    assert.equal(code.bytes.containerd, null);
    // The known part is kept apart: the COPY layer alone, a floor.
    const copy = code.layers.find((l) => l.line === 2)!;
    assert.deepEqual(code.knownBytes, { classic: copy.bytes, containerd: copy.bytes });
    assert.ok(
      code.rests.some((r) => /unknown: \d+ packages? of \d+ without a size .*poetry\.lock records no sizes/.test(r)),
    );
    assert.ok(code.rests.some((r) => /leaves the total unknown/.test(r)));
  });
});

describe("audit scenarios: init's layout (the alternative)", () => {
  const t = tempDir();
  after(t.done);
  const cases: { name: string; own: string[] }[] = [
    { name: 'fastapi-uv', own: ['src/shop_api'] },
    { name: 'flask-piptools', own: ['app.py', 'gunicorn.conf.py'] },
    { name: 'django-poetry', own: ['health', 'mysite', 'manage.py'] },
    { name: 'pdm-starlette', own: ['src/status_board'] },
  ];
  const results = new Map<string, { img: AuditImage; dir: string; before: string[] }>();
  before(async () => {
    for (const c of cases) {
      const dir = copyFixture(c.name, t.dir);
      writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n');
      const listing = readdirSync(dir, { recursive: true }).map(String).sort();
      const img = await auditImage(target(dir), t.dir, { wheelSources: wheelDirFor(dir, join(t.dir, `w-${c.name}`)) });
      results.set(c.name, { img, dir, before: listing });
    }
  });

  for (const c of cases) {
    it(`${c.name}: a code change re-ships only the last layer, about the size of the code`, () => {
      const { img, dir, before: listing } = results.get(c.name)!;
      assert.deepEqual(readdirSync(dir, { recursive: true }).map(String).sort(), listing, 'nothing written');
      const alt = img.alternative!;
      assert.deepEqual(
        alt.files.map((f) => f.path),
        ['Dockerfile', '.dockerignore'],
      );
      const code = sc(alt, 'code-change');
      assert.equal(code.newLayers, 1, JSON.stringify(code.layers, null, 1));
      const last = code.layers[code.layers.length - 1];
      assert.equal(last.changed, true);
      assert.match(last.instruction, /^COPY --from=(build|source)/);
      assert.equal(code.bytes.classic, last.bytes);
      assert.equal(code.bytes.containerd, last.bytes);
      const raw = rawBytes(dir, c.own);
      assert.ok(
        last.bytes! > 50 && last.bytes! < raw.bytes + 700 * raw.files + 1024,
        `${last.bytes} for ${raw.files} files, ${raw.bytes} bytes`,
      );
      // The current naive layout re-ships far more per code change.
      const naive = sc(img, 'code-change');
      assert.ok(naive.bytes.classic! > 5 * code.bytes.classic!, `${naive.bytes.classic} vs ${code.bytes.classic}`);

      const dep = sc(alt, 'dependency-change');
      const venv = dep.layers.find((l) => /COPY --from=deps \/app\/\.venv/.test(l.instruction))!;
      assert.equal(venv.changed, true);
      assert.ok(venv.bytes! > 1000);
      assert.ok(
        !dep.layers.some((l) => l.changed && /COPY --from=(build|source) \/(app-code|src)/.test(l.instruction)),
      );
      assert.equal(alt.contents.tests, false);
      assert.equal(alt.contents.git, false);
    });
  }
});
