import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDockerfile } from '../../src/dockerfile/parse.js';
import { loadShell } from '../../src/dockerfile/shell-load.js';
import { UserError } from '../../src/errors.js';
import { appBuild, baseBuild, baseFacts, readShipLayout } from '../../src/ship/dockerfiles.js';
import { fixtureCopy, scratchDir } from './ship-fixture.js';

await loadShell();

const oneLine = (pattern: RegExp) => (e: unknown) =>
  e instanceof UserError && !e.message.includes('\n') && pattern.test(e.message);

const MULTI = `# syntax is not needed
ARG PYTHON_VERSION=3.12
ARG APP_ONLY=1

FROM python:\${PYTHON_VERSION}-slim AS tools
RUN pip install uv==0.9.0

FROM tools AS deps
ARG PIP_INDEX_URL
COPY --from=ghcr.io/astral-sh/uv:0.9.0 /uv /bin/uv
COPY constraints.txt /tmp/
RUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync --locked --no-dev

FROM deps AS runtime
ARG APP_ONLY
COPY . /app
CMD ["python", "-m", "app"]
`;

describe('readShipLayout', () => {
  it('init --split-base output: split-base with the ARG the app FROM reads', () => {
    const s = fixtureCopy('fastapi-uv');
    try {
      const layout = readShipLayout(s.dir);
      assert.deepEqual(layout, {
        kind: 'split-base',
        context: s.dir,
        baseDockerfile: join(s.dir, 'Dockerfile.base'),
        appDockerfile: join(s.dir, 'Dockerfile'),
        baseArg: 'BASE_IMAGE',
      });
      assert.deepEqual(baseBuild(layout), { dockerfile: join(s.dir, 'Dockerfile.base') });
      const app = appBuild(layout, '127.0.0.1:5000/shop-base@sha256:' + 'a'.repeat(64));
      assert.equal(app.dockerfileText, s.read('Dockerfile'));
      assert.deepEqual(app.buildArgs, { BASE_IMAGE: '127.0.0.1:5000/shop-base@sha256:' + 'a'.repeat(64) });
    } finally {
      s.done();
    }
  });

  it('no Dockerfile.base and no --base-target: says what to do and lists the stages', () => {
    const s = scratchDir({ Dockerfile: MULTI });
    try {
      assert.throws(
        () => readShipLayout(s.dir),
        oneLine(
          /no base image to ship: run `layerwise init --split-base`, or name .* --base-target STAGE \(stages: tools, deps, runtime\)$/,
        ),
      );
      assert.throws(
        () => readShipLayout(s.dir, { baseTarget: 'dpes' }),
        oneLine(/no stage named dpes \(stages: tools, deps, runtime\)/),
      );
      assert.throws(() => readShipLayout(s.dir, { baseTarget: 'runtime' }), oneLine(/last stage/));
      s.write('Dockerfile.base', 'FROM python:3.12-slim\n');
      assert.throws(
        () => readShipLayout(s.dir),
        oneLine(/first FROM is `python:\$\{PYTHON_VERSION\}-slim`, not `\$\{BASE_IMAGE\}`/),
      );
    } finally {
      s.done();
    }
  });

  it('--base-target: the app is the Dockerfile with the base stage replaced by the pushed base', () => {
    const s = scratchDir({ Dockerfile: MULTI, 'constraints.txt': 'x\n', 'uv.lock': '' });
    try {
      const layout = readShipLayout(s.dir, { baseTarget: 'DEPS' });
      assert.equal(layout.kind, 'base-target');
      assert.equal(layout.baseTarget, 'deps');
      assert.deepEqual(baseBuild(layout), { dockerfile: join(s.dir, 'Dockerfile'), target: 'deps' });
      const ref = '127.0.0.1:5000/app-base@sha256:' + 'b'.repeat(64);
      const { dockerfileText, buildArgs } = appBuild(layout, ref);
      assert.deepEqual(buildArgs, {});
      const df = parseDockerfile(dockerfileText);
      assert.deepEqual(
        df.stages.map((st) => [st.name, st.base.resolved]),
        [
          ['tools', 'python:3.12-slim'],
          ['deps', ref],
          ['runtime', 'deps'],
        ],
      );
      // The base block is gone but its ARG declarations: the runtime stage still sees PIP_INDEX_URL.
      assert.deepEqual(
        df.stages[1].instructions.map((i) => i.text.trim()),
        [`FROM ${ref} AS deps`, 'ARG PIP_INDEX_URL'],
      );
      assert.deepEqual(
        df.globalArgs.map((a) => a.pairs[0].key),
        ['PYTHON_VERSION', 'APP_ONLY'],
      );
      assert.ok(dockerfileText.endsWith('COPY . /app\nCMD ["python", "-m", "app"]\n'));
    } finally {
      s.done();
    }
  });
});

describe('baseFacts', () => {
  it('the base stage and the stages it depends on: instructions, declared args, external images, copied paths', () => {
    const s = scratchDir({ Dockerfile: MULTI });
    try {
      const facts = baseFacts(readShipLayout(s.dir, { baseTarget: 'deps' }), { APP_ONLY: '2', UNRELATED: 'x' });
      assert.deepEqual(facts.instructions, [
        'ARG PYTHON_VERSION=3.12',
        'FROM python:${PYTHON_VERSION}-slim AS tools',
        'RUN pip install uv==0.9.0',
        'FROM tools AS deps',
        'ARG PIP_INDEX_URL',
        'COPY --from=ghcr.io/astral-sh/uv:0.9.0 /uv /bin/uv',
        'COPY constraints.txt /tmp/',
        'RUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync --locked --no-dev',
      ]);
      assert.deepEqual(facts.args, { PYTHON_VERSION: '3.12' }, 'APP_ONLY and UNRELATED are not the base`s');
      assert.deepEqual(facts.images, ['ghcr.io/astral-sh/uv:0.9.0', 'python:3.12-slim']);
      assert.deepEqual(facts.copies, ['constraints.txt', 'uv.lock']);
      const passed = baseFacts(readShipLayout(s.dir, { baseTarget: 'deps' }), {
        PYTHON_VERSION: '3.13',
        PIP_INDEX_URL: 'http://m/',
      });
      assert.deepEqual(passed.args, { PYTHON_VERSION: '3.13', PIP_INDEX_URL: 'http://m/' });
      assert.deepEqual(passed.images, ['ghcr.io/astral-sh/uv:0.9.0', 'python:3.13-slim']);
      s.write('Dockerfile', MULTI.replace('ARG PYTHON_VERSION=3.12', 'ARG PYTHON_VERSION'));
      assert.throws(
        () => baseFacts(readShipLayout(s.dir, { baseTarget: 'deps' }), {}),
        oneLine(/Dockerfile:5: the image `python:\$\{PYTHON_VERSION\}-slim` needs the build arg PYTHON_VERSION/),
      );
    } finally {
      s.done();
    }
  });

  it('comments, blank lines, continuation layout and keyword case do not change the instructions; a changed RUN does', () => {
    const s = fixtureCopy('django-poetry');
    try {
      const layout = readShipLayout(s.dir);
      const before = baseFacts(layout, {}).instructions;
      assert.ok(
        before.some((i) => i.startsWith('RUN --mount=type=cache,target=/root/.cache/pypoetry --mount=type=bind')),
      );
      s.edit('Dockerfile.base', /^# .*$/gm, '# reworded');
      s.edit('Dockerfile.base', 'WORKDIR /app\n', 'workdir   /app\n\n\n');
      s.edit(
        'Dockerfile.base',
        '    poetry sync --only main --no-root \\\n',
        '    # the install\n    poetry   sync --only main --no-root \\\n',
      );
      assert.deepEqual(baseFacts(layout, {}).instructions, before);
      s.write('Dockerfile.base', `# syntax=docker/dockerfile:1.7\n${s.read('Dockerfile.base')}`);
      assert.deepEqual(
        baseFacts(layout, {}).instructions,
        ['# syntax=docker/dockerfile:1.7', ...before],
        'the frontend counts',
      );
      s.edit('Dockerfile.base', 'poetry   sync --only main', 'poetry sync --only main,extra');
      assert.notDeepEqual(baseFacts(layout, {}).instructions, before);
    } finally {
      s.done();
    }
  });

  it('split-base: every stage of Dockerfile.base the last one needs; the image as the build args make it', () => {
    const s = fixtureCopy('uv-workspace');
    try {
      const facts = baseFacts(readShipLayout(s.dir), { PYTHON_VERSION: '3.12' });
      assert.equal(facts.instructions.filter((i) => i.startsWith('FROM ')).length, 2);
      assert.deepEqual(facts.images, ['python:3.12-slim']);
      assert.deepEqual(facts.copies, [
        'packages/common/pyproject.toml',
        'pyproject.toml',
        'services/api/pyproject.toml',
        'services/worker/pyproject.toml',
        'uv.lock',
      ]);
      assert.equal(facts.args.PYTHON_VERSION, '3.12');
      assert.match(facts.args.UV_VERSION, /^\d+\.\d+\.\d+$/);
    } finally {
      s.done();
    }
  });
});
