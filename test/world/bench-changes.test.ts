// bench's scenario edits, proven with the engine: the fastapi-uv fixture, with init's Dockerfile
// and .dockerignore laid over a temp copy of it, built through the build driver with each
// scenario's AppliedChange in bench's order. cold runs every RUN step, warm none, a code change
// keeps the dependency steps cached, a dependency change (uv from the world's tools venv, against
// the world's index) re-runs the install and the image holds the new package, a base change
// re-runs the final stage from its FROM. The fixture's tree is byte-identical afterwards.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { applyChange, type AppliedChange, type ChangeOptions } from '../../src/bench/changes.js';
import { copyForBench, type BenchImageSource } from '../../src/bench/workspace.js';
import { loadShell } from '../../src/dockerfile/shell-load.js';
import { buildImage, type BuildOutcome } from '../../src/engine/build.js';
import { generateFiles } from '../../src/generate/index.js';
import { detectProject } from '../../src/project/index.js';
import { docker, fixturesDir, indexBuildArgs, loadWorld, removeImages, uniqueTag } from './world.js';

const w = loadWorld();
const images: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c().catch(() => {});
  await removeImages(...images);
});

/** Every file and link under dir: content hash, mode, size and mtime (what "byte-identical" means here). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const rel = relative(dir, p);
      if (st.isDirectory()) {
        out.set(`${rel}/`, `dir ${st.mode}`);
        walk(p);
      } else {
        const hash = st.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'link';
        out.set(rel, `${hash} ${st.mode} ${st.size} ${st.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

const step = (b: BuildOutcome, text: string) => {
  const hit = b.steps.find((s) => !s.internal && s.name.includes(text));
  assert.ok(hit, `no step with ${text} in ${b.steps.map((s) => s.name).join('\n')}`);
  return hit;
};
const runSteps = (b: BuildOutcome) => b.steps.filter((s) => !s.internal && /\] RUN /.test(s.name));

describe('bench scenario changes on fastapi-uv with init Dockerfile', { timeout: 1_500_000 }, () => {
  test('cold, warm, code-change, dependency-change, base-change', async (t) => {
    const dir = join(fixturesDir, 'fastapi-uv');
    const before = snapshot(dir);
    await loadShell();
    const project = detectProject(dir);
    const files = generateFiles(project, { compose: false, workflow: false });
    const img: BenchImageSource = {
      context: dir,
      dockerfile: join(dir, 'Dockerfile'),
      buildArgs: indexBuildArgs(),
      project,
      overlay: files.filter((f) => f.path === 'Dockerfile' || f.path === '.dockerignore'),
    };
    const opts: ChangeOptions = {
      runKey: `bc-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
      indexUrl: w.indexUrl,
      docker: w.docker,
      host: w.dockerHost,
      // uv from the world's tools venv; no pip config of the machine.
      env: { PATH: `${join(w.cache, 'tools', 'bin')}:${process.env.PATH}`, PIP_CONFIG_FILE: '/dev/null' },
    };
    const copy = copyForBench(img);
    const root = join(copy.context, '..');
    try {
      const build = async (a: AppliedChange): Promise<BuildOutcome> => {
        if (a.cleanup) cleanups.push(a.cleanup);
        const tag = uniqueTag('bench-changes');
        images.push(tag);
        return buildImage({
          context: copy.context,
          dockerfile: copy.dockerfile,
          ...a.request,
          buildArgs: img.buildArgs,
          network: 'host',
          docker: w.docker,
          host: w.dockerHost,
          client: 'buildkit',
          tag,
        });
      };
      // .dockerignore of init: tests/ stay out of the copy, the app's code is in.
      assert.ok(!existsSync(join(copy.context, 'tests')));
      assert.ok(existsSync(join(copy.context, 'src', 'shop_api', 'main.py')));

      const seen: string[] = [];
      const cold = await build(await applyChange('cold', copy, img, opts, 1));
      assert.ok(runSteps(cold).length >= 3, 'the Dockerfile has RUN steps');
      for (const s of runSteps(cold)) assert.equal(s.cached, false, `cold: ${s.name} came from the cache`);
      // Nothing but FROM is answered from the cache: COPY/WORKDIR before the first RUN included.
      for (const s of cold.steps.filter((x) => !x.internal && !/^\[[^\]]*\] FROM /.test(x.name)))
        assert.equal(s.cached, false, `cold: ${s.name} came from the cache`);

      const warm = await build(await applyChange('warm', copy, img, opts, 1));
      for (const s of warm.steps.filter((x) => !x.internal && !/^\[[^\]]*\] FROM /.test(x.name)))
        assert.equal(s.cached, true, `warm: ${s.name} ran`);
      assert.equal(warm.imageId, cold.imageId);

      const code = await applyChange('code-change', copy, img, opts, 1);
      assert.equal(code.change, 'appended a line to src/shop_api/main.py');
      const codeBuilt = await build(code);
      assert.equal(step(codeBuilt, 'uv sync --locked --no-dev --no-install-project').cached, true);
      assert.equal(step(codeBuilt, 'pip install').cached, true);
      assert.equal(step(codeBuilt, 'COPY . /src').cached, false);
      assert.notEqual(codeBuilt.imageId, warm.imageId);

      const dep = await applyChange('dependency-change', copy, img, opts, 1);
      assert.match(dep.change, /^added six [\d.]+ to uv\.lock with uv$/);
      assert.match(readFileSync(join(copy.context, 'uv.lock'), 'utf8'), /name = "six"/);
      assert.doesNotMatch(readFileSync(join(dir, 'uv.lock'), 'utf8'), /name = "six"/);
      const depBuilt = await build(dep);
      assert.equal(step(depBuilt, 'uv sync --locked --no-dev --no-install-project').cached, false);
      assert.equal(step(depBuilt, 'pip install').cached, true);
      const six = await docker(['run', '--rm', depBuilt.imageId, 'python', '-c', 'import six; print(six.__version__)']);
      assert.match(six.stdout.trim(), /^\d+\.\d+/);

      const base = await applyChange('base-change', copy, img, opts, 1);
      assert.match(base.change, /^rebuilt the base image python:3\.11-slim with one new layer \(layerwise-bench-base:/);
      assert.ok(base.cleanup);
      const baseBuilt = await build(base);
      assert.equal(step(baseBuilt, 'useradd').cached, false);
      for (const s of runSteps(baseBuilt)) assert.equal(s.cached, false, `base-change: ${s.name} came from the cache`);
      const tag = /\((layerwise-bench-base:[^)]+)\)/.exec(base.change)![1];
      assert.equal((await docker(['image', 'inspect', tag], { check: false })).code, 0);
      await base.cleanup();
      assert.notEqual((await docker(['image', 'inspect', tag], { check: false })).code, 0, 'cleanup removed the base');
      for (const [n, b] of Object.entries({ cold, warm, code: codeBuilt, dep: depBuilt, base: baseBuilt }))
        seen.push(
          `${n} ${b.seconds} s (${b.steps.filter((s) => !s.internal && s.cached).length}/${b.steps.filter((s) => !s.internal).length} steps cached)`,
        );
      t.diagnostic(seen.join('; '));
    } finally {
      copy.dispose();
    }
    assert.ok(!existsSync(root), 'dispose removed the copy');
    assert.deepEqual(snapshot(dir), before, "the fixture's tree is byte-identical");
  });
});

describe(
  "dependency-change with each fixture's own manager (the world's tools, its index)",
  { timeout: 600_000 },
  () => {
    const cases: [string, string][] = [
      ['django-poetry', 'poetry.lock'],
      ['pdm-starlette', 'pdm.lock'],
      ['flask-piptools', 'requirements.txt'],
      ['uv-workspace', 'uv.lock'],
    ];
    for (const [name, lock] of cases) {
      test(name, async () => {
        const dir = join(fixturesDir, name);
        const before = snapshot(dir);
        const project = detectProject(dir);
        const img: BenchImageSource = {
          context: dir,
          dockerfile: join(dir, 'Dockerfile'),
          buildArgs: {},
          project,
          overlay: [{ path: 'Dockerfile', content: `FROM ${w.pythonImage}\nCOPY . /app\n` }],
        };
        const copy = copyForBench(img);
        try {
          const opts: ChangeOptions = {
            runKey: 'dep',
            indexUrl: w.indexUrl,
            env: { PATH: `${join(w.cache, 'tools', 'bin')}:${process.env.PATH}`, PIP_CONFIG_FILE: '/dev/null' },
          };
          const a = await applyChange('dependency-change', copy, img, opts, 1);
          const m = new RegExp(`^added (\\S+) ([\\d.]+) to ${lock.replace('.', '\\.')} with \\S+$`).exec(a.change);
          assert.ok(m, a.change);
          const text = readFileSync(join(copy.context, lock), 'utf8');
          assert.ok(text.includes(`name = "${m[1]}"`) || text.includes(`${m[1]}==${m[2]}`), `${lock} holds ${m[1]}`);
          // The lock names no host but the world's index.
          for (const url of text.match(/[a-z][a-z0-9+.-]*:\/\/[^/\s"'#]+/g) ?? [])
            assert.equal(url, `http://${w.indexHost}`, `${lock} names ${url}`);
          const b = await applyChange('dependency-change', copy, img, opts, 2);
          assert.notEqual(b.change.split(' ')[1], m[1], 'the second repetition adds another package');
        } finally {
          copy.dispose();
        }
        assert.deepEqual(snapshot(dir), before, "the fixture's tree is byte-identical");
      });
    }
  },
);
