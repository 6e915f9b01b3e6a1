// Which images a bench builds: the project's Dockerfile, compose services (all, or --service),
// --against FILE from the same context, --against init generated in memory as an overlay (nothing
// written), and the one-line errors for what cannot be benched.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { planBench } from '../../../src/bench/plan.js';
import { UserError } from '../../../src/errors.js';
import { findRoot } from '../repo.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-bench-plan-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  cpSync(join(findRoot(), 'test/fixtures/projects/fastapi-uv'), dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

const DOCKERFILE = 'FROM python:3.11-slim AS deps\nCOPY . /app\nFROM deps AS runtime\n';

describe('planBench', () => {
  it("the project's Dockerfile, with its project model and the build args given", () => {
    const dir = project('one', { Dockerfile: DOCKERFILE });
    const plan = planBench(dir, { buildArgs: { UV_INDEX_URL: 'http://127.0.0.1:3141/simple/' }, target: 'deps' });
    assert.equal(plan.images.length, 1);
    const [img] = plan.images;
    assert.equal(img.image, 'Dockerfile');
    assert.equal(img.variant, 'subject');
    assert.equal(img.context, dir);
    assert.equal(img.dockerfile, join(dir, 'Dockerfile'));
    assert.equal(img.target, 'deps');
    assert.deepEqual(img.buildArgs, { UV_INDEX_URL: 'http://127.0.0.1:3141/simple/' });
    assert.equal(img.project?.manager, 'uv');
  });

  it('each compose service, or the ones --service names; their args under --build-arg', () => {
    const dir = project('compose', {
      Dockerfile: DOCKERFILE,
      'compose.yaml':
        'services:\n  api:\n    build:\n      context: .\n      target: runtime\n      args:\n        MODE: api\n        VERSION: ${VERSION}\n  worker:\n    build:\n      context: .\n      target: deps\n',
    });
    assert.deepEqual(
      planBench(dir).images.map((i) => [i.image, i.target]),
      [
        ['worker', 'deps'],
        ['api', 'runtime'],
      ],
    );
    const [api] = planBench(dir, { services: ['api'], buildArgs: { MODE: 'cli' } }).images;
    // An unresolved expression is left to the Dockerfile's default.
    assert.deepEqual(api.buildArgs, { MODE: 'cli' });
    assert.throws(
      () => planBench(dir, { services: ['web'] }),
      /--service web: no such service \(images: worker, api\)/,
    );
  });

  it('--against FILE: the same context and args, its own Dockerfile', () => {
    const dir = project('against', { Dockerfile: DOCKERFILE });
    const other = join(tmp, 'other.Dockerfile');
    writeFileSync(other, 'FROM python:3.11-slim\nCOPY . /app\n');
    const plan = planBench(dir, { against: other, buildArgs: { A: '1' } });
    assert.deepEqual(
      plan.images.map((i) => [i.variant, i.dockerfile, i.context, i.buildArgs.A]),
      [
        ['subject', join(dir, 'Dockerfile'), dir, '1'],
        ['against', other, dir, '1'],
      ],
    );
    assert.throws(() => planBench(dir, { against: join(tmp, 'nope') }), UserError);
  });

  it("--against init: init's Dockerfile and .dockerignore as an overlay; the tree is not written", () => {
    const dir = project('init', { Dockerfile: DOCKERFILE });
    const before = readdirSync(dir).sort();
    const [, against] = planBench(dir, { against: 'init' }).images;
    assert.equal(against.variant, 'against');
    assert.equal(against.context, dir);
    assert.equal(against.dockerfile, join(dir, 'Dockerfile'));
    assert.deepEqual(against.overlay?.map((f) => f.path).sort(), ['.dockerignore', 'Dockerfile']);
    assert.match(against.overlay!.find((f) => f.path === 'Dockerfile')!.content, /uv sync/);
    assert.deepEqual(readdirSync(dir).sort(), before);
  });

  it('one-line errors: no Dockerfile, no project for --against init, several Dockerfiles', () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    assert.throws(() => planBench(empty), /no Dockerfile found.*layerwise init/);
    writeFileSync(join(empty, 'Dockerfile'), 'FROM scratch\n');
    assert.throws(
      () => planBench(empty, { against: 'init' }),
      /--against init: Dockerfile is not built from a Python project/,
    );
    const two = mkdtempSync(join(tmp, 'two-'));
    writeFileSync(join(two, 'a.Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(two, 'b.Dockerfile'), 'FROM scratch\n');
    assert.throws(() => planBench(two), /several Dockerfiles and no compose file; pick one with --service/);
    assert.equal(planBench(two, { services: ['b.Dockerfile'] }).images[0].image, 'b.Dockerfile');
  });
});
