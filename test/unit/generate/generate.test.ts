import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { fingerprint, fingerprintDir, generateFiles, selfCheck } from '../../../src/generate/index.js';
import { detectProject } from '../../../src/project/index.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'projects');
const NAMES = [
  'fastapi-uv',
  'django-poetry',
  'flask-piptools',
  'pdm-starlette',
  'scm-version',
  'uv-workspace',
  'data-app',
  'scm-mailer',
];
const gen = (name: string, splitBase = false) => {
  const p = detectProject(join(fixtures, name));
  return { p, files: generateFiles(p, { splitBase }) };
};
const file = (files: { path: string; content: string }[], path: string) =>
  files.find((f) => f.path === path)?.content ?? '';

describe('generated files', () => {
  for (const name of NAMES) {
    for (const split of [false, true]) {
      it(`${name}${split ? ' --split-base' : ''}: lint clean, a code change re-builds only the last layers`, () => {
        const { p, files } = gen(name, split);
        const check = selfCheck(p, files);
        assert.deepEqual(check.problems, []);
        assert.ok(check.ok, check.summary);
        const df = file(files, 'Dockerfile');
        // The portable subset for the 20.10 frontend, and nothing that pulls a frontend image.
        assert.doesNotMatch(df, /^# syntax=/m);
        assert.doesNotMatch(df, /^(RUN|COPY|ADD) .*(<<-?\s*\w|--link|--parents|--checksum)/m);
        assert.doesNotMatch(df, /127\.0\.0\.1:3141/, 'the index URL comes from a build arg');
        assert.match(df, /^USER 10001:10001$/m);
        assert.match(df, /^CMD \[/m);
        assert.ok(parseDockerfile(df).stages.length >= 2);
        const compose = parseYaml(file(files, 'compose.yaml')) as {
          services: Record<string, { develop: { watch: unknown[] } }>;
        };
        assert.ok(Object.values(compose.services)[0].develop.watch.length >= 2);
        const wf = parseYaml(file(files, '.github/workflows/image.yml')) as { jobs: { image: { steps: unknown[] } } };
        assert.ok(wf.jobs.image.steps.length >= 4);
        // With --split-base, `layerwise ship` builds and pushes; otherwise buildx with a registry cache.
        assert.match(
          file(files, '.github/workflows/image.yml'),
          split ? / ship --repo "\$IMAGE"/ : /type=registry,ref=/,
        );
      });
    }
  }

  it('a start command that reads $PORT gets ENV PORT (its default) in the image; others do not', () => {
    const p = detectProject(join(fixtures, 'fastapi-uv'));
    const withPort = {
      ...p,
      app: { ...p.app, command: ['sh', '-c', 'exec uvicorn app:app --port $PORT'], port: 8123 },
    };
    const df = file(generateFiles(withPort, { splitBase: false }), 'Dockerfile');
    assert.match(df, /^\s*PORT=8123\b/m);
    assert.match(df, /^CMD \["sh", ?"-c", ?"exec uvicorn app:app --port \$PORT"\]/m);
    if (p.app.kind === 'asgi') assert.doesNotMatch(file(gen('fastapi-uv').files, 'Dockerfile'), /^\s*PORT=/m);
  });

  it('uv: dependencies from only pyproject.toml and uv.lock with a cache mount, then the project non-editable', () => {
    const df = file(gen('fastapi-uv').files, 'Dockerfile');
    assert.match(
      df,
      /--mount=type=cache,target=\/root\/.cache\/uv \\\n\s+--mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n\s+--mount=type=bind,source=uv.lock,target=uv.lock \\\n\s+uv sync --locked --no-dev --no-install-project --compile-bytecode/,
    );
    assert.match(df, /uv pip install --python \/app\/.venv\/bin\/python --prefix \/install --no-deps \/src/);
    assert.match(
      df,
      /COPY --from=deps \/app\/.venv \/app\/.venv\n.*\nCOPY --from=build \/app-meta\/ \/app\/.venv\/\n.*\nCOPY --from=build \/app-code\/ \/app\/.venv\/\n/,
    );
    assert.match(df, /HEALTHCHECK .*urllib.request.urlopen\('http:\/\/127.0.0.1:8000\/health'/s);
    assert.match(df, /^FROM deps AS dev$/m);
  });

  it('workspace: syncs one member and installs it with the library it needs', () => {
    const df = file(gen('uv-workspace').files, 'Dockerfile');
    assert.match(df, /uv sync --locked --no-dev --no-install-workspace --package acme-api/);
    assert.match(df, /--prefix \/install --no-deps \/src\/packages\/common \/src\/services\/api/);
    assert.match(df, /source=services\/worker\/pyproject.toml/);
  });

  it('setuptools_scm: the version through a build arg; .git only for the file finder', () => {
    const { files } = gen('scm-version');
    const df = file(files, 'Dockerfile');
    assert.match(df, /^ARG APP_VERSION=/m);
    assert.match(df, /SETUPTOOLS_SCM_PRETEND_VERSION="\$\{APP_VERSION\}" uv pip install/);
    assert.match(file(files, '.dockerignore'), /^\*$/m);
    // setuptools_scm also chooses the wheel's files from git: .git is in the context for that.
    assert.match(file(files, '.dockerignore'), /^!\.git$/m);
    assert.match(file(files, '.github/workflows/image.yml'), /APP_VERSION=\$\{\{ steps.version.outputs.version \}\}/);
  });

  it('pip-tools: a venv without pip, --require-hashes from the bind-mounted requirements', () => {
    const { files } = gen('flask-piptools');
    const df = file(files, 'Dockerfile');
    assert.match(df, /python -m venv --without-pip \/app\/.venv/);
    assert.match(
      df,
      /pip --python \/app\/.venv\/bin\/python install --disable-pip-version-check --require-hashes -r \/tmp\/req\/requirements.txt/,
    );
    // A flat layout gets a deny list, with tests and .git out.
    const di = file(files, '.dockerignore');
    assert.doesNotMatch(di, /^\*$/m);
    assert.match(di, /^\.git$/m);
    assert.match(di, /^\*\*\/tests\/$/m);
  });

  it('--split-base: the app Dockerfile starts FROM the fingerprinted base; the fingerprint follows the lock', () => {
    const { p, files } = gen('fastapi-uv', true);
    const base = file(files, 'Dockerfile.base');
    const fp = fingerprintDir(p.dir, p.python.version, p.depFiles, base);
    assert.match(file(files, 'Dockerfile'), new RegExp(`^ARG BASE_IMAGE=shop-api-base:${fp}$`, 'm'));
    assert.notEqual(fingerprint('3.11', base, ['a']), fingerprint('3.11', base, ['b']));
    assert.notEqual(fingerprint('3.11', base, ['a']), fingerprint('3.12', base, ['a']));
    assert.match(file(files, '.github/workflows/image.yml'), /npx --yes layerwise@[\d.]+ ship --repo "\$IMAGE"/);
    assert.doesNotMatch(base, /app-code|COPY \. /);
  });

  it('is deterministic: generating twice gives the same files', () => {
    assert.deepEqual(gen('django-poetry', true).files, gen('django-poetry', true).files);
  });

  it('scm-mailer (setuptools_scm file finder): .git in the context, seen only by the package build, copied by no stage', () => {
    for (const split of [false, true]) {
      const { p, files } = gen('scm-mailer', split);
      assert.equal(p.vcsFileFinder, 'setuptools_scm');
      const ignore = file(files, '.dockerignore');
      assert.match(ignore, /^!\.git$/m);
      const df = file(files, 'Dockerfile');
      assert.match(df, /apt-get install -y --no-install-recommends git/);
      assert.match(
        df,
        /--mount=type=bind,target=\/src,rw \\\n\s+GIT_CONFIG_COUNT=1 .*SETUPTOOLS_SCM_PRETEND_VERSION="\$\{APP_VERSION\}"/,
      );
      // No COPY of the whole context anywhere: it would put .git into a layer.
      for (const ins of parseDockerfile(df, 'Dockerfile').instructions)
        if (ins.keyword === 'COPY' && !ins.flags.some((f) => f.name === 'from'))
          assert.ok(!ins.args.slice(0, -1).some((a) => a === '.' || a === './'), `${ins.text}`);
    }
    // A project without setuptools_scm keeps .git out and copies the context as before.
    const { p, files } = gen('fastapi-uv');
    assert.equal(p.vcsFileFinder, undefined);
    assert.doesNotMatch(file(files, '.dockerignore'), /^!\.git$/m);
    assert.match(file(files, 'Dockerfile'), /^COPY \. \/src$/m);
  });
});
