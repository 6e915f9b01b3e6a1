// `layerwise bench` end to end through the built CLI against the world's engine, registry and
// index, on the fastapi-uv fixture with init's Dockerfile: every scenario runs (the dependency
// change with uv from the world's tools); in code-change the dependency steps are cached; the
// deploy bytes equal the image diff of the two images and what the registry's manifests say once
// both are pushed; a step slowed by `sleep 15` is a regression against the stored baseline and
// exits 1; the user's tree is byte-identical afterwards.
import assert from 'node:assert/strict';
import { cpSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BenchResult } from '../../src/bench/types.js';
import { generateFiles } from '../../src/generate/index.js';
import { diffImages } from '../../src/image/diff.js';
import { openImage } from '../../src/image/open.js';
import { detectProject } from '../../src/project/index.js';
import { docker, fixturesDir, loadWorld, removeImages, repoRoot, sh, tempDir } from './world.js';

const CLI = join(repoRoot, 'dist', 'bundle', 'main.js');

/** Every file's bytes and mtime, by path. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  // lstat: directories (their modes), every file's mode, size, mtime and bytes, and where a
  // symlink points, without following it.
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) {
        out[`${p}/`] = `dir ${st.mode}`;
        walk(p);
      } else if (st.isSymbolicLink()) out[p] = `link ${st.mode} -> ${readlinkSync(p)}`;
      else
        out[p] =
          `${st.isFile() ? 'file' : 'other'} ${st.mode} ${st.size} ${st.mtimeMs}:${st.isFile() ? readFileSync(p).toString('base64') : ''}`;
    }
  };
  walk(dir);
  return out;
}

describe('layerwise bench', { timeout: 1_500_000 }, () => {
  const world = loadWorld();
  const tmp = tempDir('layerwise-bench-world-');
  const kept: string[] = [];
  after(async () => {
    await removeImages(...kept);
    tmp.cleanup();
  });
  const project = join(tmp.path, 'shop');
  cpSync(join(fixturesDir, 'fastapi-uv'), project, { recursive: true });
  for (const f of generateFiles(detectProject(project), { compose: false, workflow: false }))
    writeFileSync(join(project, f.path), f.content);
  const history = join(tmp.path, 'bench.jsonl');
  const env = {
    // The world's docker CLI (with BuildKit) and its tools venv (uv for the dependency change) first on PATH.
    PATH: `${dirname(world.docker)}:${world.cache}/tools/bin:${process.env.PATH}`,
    DOCKER_HOST: world.dockerHost,
    DOCKER_BUILDKIT: '1',
    NO_COLOR: '1',
  };
  const args = ['--network', 'host', '--history', history];
  for (const [k, v] of Object.entries({ UV_INDEX_URL: world.indexUrl, PIP_INDEX_URL: world.indexUrl }))
    args.push('--build-arg', `${k}=${v}`);
  const keptFrom = (stderr: string) => {
    const tags = /kept images (.*)$/m.exec(stderr)?.[1].split(' ') ?? [];
    kept.push(...tags);
    return tags;
  };
  let result: BenchResult;

  it('runs every scenario and leaves the tree as it was', async () => {
    const before = snapshot(project);
    const r = await sh(
      process.execPath,
      [
        CLI,
        'bench',
        project,
        '-f',
        'json',
        '--keep-images',
        '--scenarios',
        'cold,warm,code-change,dependency-change,base-change',
        ...args,
      ],
      { env, timeoutMs: 1_200_000 },
    );
    keptFrom(r.stderr);
    assert.deepEqual(snapshot(project), before, "the user's tree is byte-identical");
    result = JSON.parse(r.stdout) as BenchResult;
    assert.deepEqual(
      result.scenarios.map((s) => s.name),
      ['cold', 'warm', 'code-change', 'dependency-change', 'base-change'],
    );
    const by = Object.fromEntries(result.scenarios.map((s) => [s.name, s]));
    const install = (s: BenchResult['scenarios'][number]) =>
      s.steps.filter((x) => /uv sync .*--no-install-project/.test(x.name));
    assert.ok(install(by.cold).length > 0, JSON.stringify(by.cold.steps.map((s) => s.name)));
    assert.ok(
      install(by.cold).every((s) => !s.cached),
      'cold installs',
    );
    assert.equal(by.warm.cacheHitRate, 1);
    assert.equal(by.warm.deploy?.containerd, 0);
    assert.ok(
      install(by['code-change']).every((s) => s.cached),
      'code-change: the dependency steps are cached',
    );
    assert.ok(
      by['code-change'].steps.some((s) => !s.cached),
      'code-change: something ran',
    );
    assert.ok(
      install(by['dependency-change']).every((s) => !s.cached),
      'dependency-change re-runs the install',
    );
    assert.match(by['dependency-change'].change, /\S/);
    assert.ok(
      by['base-change'].steps.filter((s) => !/\] FROM /.test(s.name)).every((s) => !s.cached),
      'base-change runs all',
    );
    for (const s of result.scenarios) {
      assert.ok(s.imageBytes > 10_000_000, `${s.name} image ${s.imageBytes}`);
      assert.ok(s.contextBytes !== null && s.contextBytes > 0, `${s.name} context ${s.contextBytes}`);
      assert.ok(s.time.median_s > 0);
    }
    const lines = readFileSync(history, 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal(JSON.parse(lines[0]).schema, 'layerwise-bench/1');
  });

  it("code-change's deploy bytes are the image diff's and the registry's", async (t) => {
    const code = result.scenarios.find((s) => s.name === 'code-change')!;
    const deploy = code.deploy!;
    const images = [await openImage(deploy.against), await openImage(code.imageId)];
    try {
      const d = await diffImages(images[0], images[1], { files: false });
      assert.equal(deploy.classic, d.pull.classic.bytes);
      assert.equal(deploy.containerd, d.pull.containerd.bytes);
      assert.equal(deploy.newLayers, d.newLayers);
    } finally {
      for (const i of images) await i.source.close();
    }
    assert.ok(deploy.containerd > 0 && deploy.containerd < 1_000_000, `only the code ships: ${deploy.containerd}`);

    const repo = `${world.registry}/layerwise-test/bench-${Date.now().toString(36)}`;
    const manifests: { layers: { digest: string; size: number }[] }[] = [];
    for (const [name, id] of [
      ['before', deploy.against],
      ['after', code.imageId],
    ]) {
      await docker(['tag', id, `${repo}:${name}`]);
      kept.push(`${repo}:${name}`);
      await docker(['push', '-q', `${repo}:${name}`], { timeoutMs: 300_000 });
      const raw = await sh(world.skopeo, ['inspect', '--raw', '--tls-verify=false', `docker://${repo}:${name}`]);
      manifests.push(JSON.parse(raw.stdout));
    }
    const old = new Set(manifests[0].layers.map((l) => l.digest));
    const fresh = manifests[1].layers.filter((l) => !old.has(l.digest));
    assert.equal(fresh.length, deploy.newLayers);
    const registryBytes = fresh.reduce((n, l) => n + l.size, 0);
    // The engine pushes layers gzipped by Go's compress/flate, bench counts them gzipped by Node's
    // zlib: both at the default level, but two deflate implementations choose different matches
    // and blocks, so the same tar compresses to a few percent more or less (plus header bytes).
    const bound = 0.05 * registryBytes + 1024;
    t.diagnostic(`deploy gzip ${deploy.gzip.containerd} B, registry ${registryBytes} B, ${fresh.length} new layers`);
    assert.ok(
      Math.abs(deploy.gzip.containerd - registryBytes) <= bound,
      `bench ${deploy.gzip.containerd} B gzip vs the registry's ${registryBytes} B (bound ${bound})`,
    );
  });

  it('a step slowed by sleep 15 is a regression against the stored baseline: exit 1', async () => {
    const dockerfile = join(project, 'Dockerfile');
    const text = readFileSync(dockerfile, 'utf8');
    // After the last COPY, which the code change re-runs.
    const lines = text.split('\n');
    const at = lines
      .map((l, i) => (/^COPY /.test(l) ? i : -1))
      .filter((i) => i >= 0)
      .pop()!;
    lines.splice(at + 1, 0, 'RUN sleep 15');
    writeFileSync(dockerfile, lines.join('\n'));
    const rules = ['--fail-on', 'code-change.time>+30%', '--fail-on', 'code-change.time>+6s'];
    const summary = join(tmp.path, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const r = await sh(
      process.execPath,
      [
        CLI,
        'bench',
        project,
        '-f',
        'json',
        '--scenarios',
        'warm,code-change',
        '--baseline',
        history,
        '--summary',
        ...rules,
        ...args,
      ],
      { env: { ...env, GITHUB_STEP_SUMMARY: summary }, check: false, timeoutMs: 600_000 },
    );
    // GitHub's step summary is appended to, never replaced.
    const md = readFileSync(summary, 'utf8');
    assert.match(md, /^# earlier step\n/);
    assert.match(md, /code-change/);
    const slowed = JSON.parse(r.stdout) as BenchResult;
    const code = slowed.scenarios.find((s) => s.name === 'code-change')!;
    const sleep = code.steps.find((s) => /RUN sleep 15/.test(s.name));
    assert.ok(sleep && !sleep.cached && sleep.seconds >= 14, JSON.stringify(sleep));
    assert.equal(r.code, 1, r.stderr);
    const delta = slowed.verdict!.checks.find((c) => c.rule === 'code-change.time>+6s')!;
    assert.equal(delta.ok, false, delta.reason);
    assert.equal(slowed.verdict!.ok, false);
    assert.match(r.stderr, /--fail-on code-change\.time>\+6s: /);
    assert.equal(readFileSync(history, 'utf8').trim().split('\n').length, 2, 'the run is in the history');
  });

  it('bad input: one line, exit 2, before any build', async () => {
    for (const [extra, message] of [
      [['--scenarios', 'hot'], /--scenarios hot: no such scenario/],
      [['--repeat', '0'], /--repeat 0: expected a whole number/],
      [['--fail-on', 'warm.time>+20%'], /compares with a baseline; give --baseline/],
      [['--service', 'nope'], /--service nope: no such service/],
    ] as const) {
      const r = await sh(process.execPath, [CLI, 'bench', project, ...extra, '--no-history'], { env, check: false });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    }
  });
});
