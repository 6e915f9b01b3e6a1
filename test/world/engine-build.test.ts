// The build driver against the world's engine: steps with cached flags and durations, the image
// ID, the errors a user meets (a failing RUN, no docker CLI, no engine, --builder without buildx);
// and proveImage's housekeeping on a small context: the user's tree untouched, images removed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { proveImage } from '../../src/audit/prove.js';
import type { AuditImage, AuditTarget } from '../../src/audit/types.js';
import { BuildError, buildEnvironment, buildImage } from '../../src/engine/build.js';
import { UserError } from '../../src/errors.js';
import { docker, loadWorld, removeImages, tempDir, uniqueTag, writeFiles } from './world.js';

const world = loadWorld();
const images: string[] = [];
const temps: (() => void)[] = [];
after(async () => {
  await removeImages(...images);
  for (const t of temps) t();
});

function context(files: Record<string, string>): string {
  const t = tempDir('layerwise-engine-build-');
  temps.push(t.cleanup);
  writeFiles(t.path, files);
  return t.path;
}

const DOCKERFILE = `FROM ${world.debianImage} AS base
RUN echo one > /one
FROM base
COPY app.txt /app/app.txt
RUN sleep 1 && wc -c /app/app.txt > /app/size
`;

async function exists(ref: string): Promise<boolean> {
  return (await docker(['image', 'inspect', ref], { check: false })).code === 0;
}

describe('buildImage on the world engine', { concurrency: 1 }, () => {
  test('steps with cached flags and durations; the image ID the engine has', async () => {
    const dir = context({ Dockerfile: DOCKERFILE, 'app.txt': 'hello\n' });
    const tag = uniqueTag('build-driver');
    images.push(tag);
    const key = `${Date.now()}-${Math.random()}`;
    const first = await buildImage({ context: dir, tag, docker: world.docker, cacheKey: key });
    assert.equal(first.client, 'buildkit', 'the world has no buildx: BuildKit through docker build');
    assert.equal(first.builder, 'default');
    const id = (await docker(['image', 'inspect', '--format', '{{.Id}}', tag])).stdout.trim();
    assert.equal(first.imageId, id);
    const own = first.steps.filter((s) => !s.internal);
    const run = own.find((s) => s.name.includes('RUN sleep 1'));
    assert.ok(run, own.map((s) => s.name).join('\n'));
    assert.equal(run.cached, false, 'a fresh cache key: the RUN executes');
    assert.ok(run.seconds !== null && run.seconds >= 1, `took ${run.seconds} s`);
    assert.ok(first.seconds >= run.seconds!);

    // Same key, same inputs: every instruction from the cache, same image.
    const again = await buildImage({ context: dir, tag, docker: world.docker, cacheKey: key });
    assert.equal(again.imageId, first.imageId);
    for (const s of again.steps.filter((x) => !x.internal && !/\] FROM /.test(x.name)))
      assert.equal(s.cached, true, s.name);

    // The COPY source changes: the step above stays cached, the COPY and what follows run.
    writeFiles(dir, { 'app.txt': 'hello again\n' });
    const changed = await buildImage({ context: dir, tag, docker: world.docker, cacheKey: key });
    const by = (re: RegExp) => changed.steps.find((s) => re.test(s.name))!;
    assert.equal(by(/RUN echo one/).cached, true);
    assert.equal(by(/COPY app.txt/).cached, false);
    assert.equal(by(/RUN sleep 1/).cached, false);
    assert.notEqual(changed.imageId, first.imageId);
  });

  test('a failing RUN: a UserError naming the step, with the last lines of the log', async () => {
    const dir = context({
      Dockerfile: `FROM ${world.debianImage}\nRUN echo about to fail && exit 3\n`,
    });
    await assert.rejects(
      buildImage({ context: dir, docker: world.docker, cacheKey: `${Date.now()}` }),
      (e: unknown) => {
        assert.ok(e instanceof BuildError && e instanceof UserError);
        assert.match(e.message, /failed: \[2\/2\] RUN echo about to fail && exit 3: .*exit code: 3/);
        assert.ok(
          e.logTail.some((l) => l.includes('about to fail')),
          e.logTail.join('\n'),
        );
        return true;
      },
    );
  });

  test('no docker CLI, no engine, --builder without buildx: one line saying what to do', async () => {
    const dir = context({ Dockerfile: `FROM ${world.debianImage}\n` });
    await assert.rejects(buildImage({ context: dir, docker: '/nonexistent/docker' }), /docker CLI not found/);
    await assert.rejects(
      buildImage({ context: dir, docker: world.docker, host: 'unix:///nonexistent/docker.sock' }),
      (e: unknown) => e instanceof UserError && /^Docker engine not reachable \(unix:\/\/\/nonexistent/.test(e.message),
    );
    await assert.rejects(
      buildImage({ context: dir, docker: world.docker, builder: 'remote' }),
      /--builder remote needs docker buildx/,
    );
    await assert.rejects(buildImage({ context: join(dir, 'nope') }), /does not exist/);
    await assert.rejects(
      buildEnvironment({ docker: world.docker, host: 'unix:///nonexistent/docker.sock' }),
      (e: unknown) => e instanceof UserError && e.message.startsWith('Docker engine not reachable'),
    );
  });

  test('buildEnvironment: the engine and client a build runs on', async () => {
    const env = await buildEnvironment({ docker: world.docker });
    assert.equal(env.engine, `docker ${world.engineVersion} at ${process.env.DOCKER_HOST ?? world.dockerHost}`);
    assert.equal(env.client, 'buildkit');
    assert.equal(env.builder, 'default (BuildKit in the engine)');
  });
});

describe('proveImage housekeeping', { concurrency: 1 }, () => {
  const target = (dir: string): AuditTarget => ({
    name: 'small',
    dockerfile: join(dir, 'Dockerfile'),
    context: dir,
    args: {},
    origins: [{ kind: 'dockerfile', file: 'Dockerfile' }],
  });
  const image: AuditImage = {
    name: 'small',
    dockerfile: 'Dockerfile',
    context: '.',
    args: {},
    origins: [],
    project: null,
    base: world.debianImage,
    scenarios: [],
    contents: { compilers: [], caches: [], devDeps: [], git: false, tests: false, evidence: [] },
    findings: [],
    alternative: null,
    notes: [],
  };

  test('measures in a copy: the tree is untouched and the images are gone afterwards', async () => {
    const dir = context({
      Dockerfile: DOCKERFILE,
      // Unique to the run: the rebuild's cache flags are this run's own.
      'app.txt': `hello ${Date.now()} ${Math.random()}\n`,
      '.dockerignore': 'secret.txt\n',
      'secret.txt': 'never sent',
    });
    const before = readFileSync(join(dir, 'app.txt'), 'utf8');
    const t = { ...target(dir), args: { GIT_SHA: '${{ github.sha }}' } };
    const proved = await proveImage(image, t, dir, { docker: world.docker, touch: 'app.txt' });
    assert.ok(
      proved.notes.some((n) => n.startsWith('built without GIT_SHA: ')),
      `an unresolved build arg is left out, and said so: ${proved.notes.join(' | ')}`,
    );
    const s = proved.scenarios.find((x) => x.name === 'code-change')!;
    assert.equal(s.basis, 'measured');
    assert.equal(s.file, 'app.txt');
    // COPY app.txt and the RUN after it are new layers; the base and `RUN echo one` are shared.
    assert.equal(s.newLayers, 2);
    assert.equal(s.proof!.diff.containerd.layers, 2);
    assert.ok(s.bytes.containerd! > 0 && s.bytes.containerd! < s.proof!.diff.containerd.bytes);
    assert.deepEqual(
      s.proof!.rebuild.cached.map((n) => n.replace(/^\[[^\]]*\] /, '')),
      ['RUN echo one > /one'],
    );
    assert.equal(readFileSync(join(dir, 'app.txt'), 'utf8'), before, 'the user file is untouched');
    assert.equal(await exists(s.proof!.tags.before), false, 'image removed');
    assert.equal(await exists(s.proof!.tags.after), false, 'image removed');
    assert.equal(await exists(s.proof!.after), false, 'image removed by ID too (no other tag held it)');
  });

  test('a build that fails: a UserError, and nothing left behind', async () => {
    const dir = context({ Dockerfile: `FROM ${world.debianImage}\nCOPY app.txt /\nRUN exit 7\n`, 'app.txt': 'x\n' });
    await assert.rejects(
      proveImage({ ...image, name: 'failing-proof' }, target(dir), dir, { docker: world.docker, touch: 'app.txt' }),
      (e: unknown) => e instanceof UserError && /exit code: 7/.test(e.message),
    );
    const left = await docker([
      'images',
      '--format',
      '{{.Repository}}:{{.Tag}}',
      'layerwise-audit/failing-proof-current',
    ]);
    assert.equal(left.stdout.trim(), '');
  });
});
