import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { loadShell } from '../../src/dockerfile/shell-load.js';
import { readShipLayout } from '../../src/ship/dockerfiles.js';
import { baseInstall } from '../../src/ship/base-install.js';
import { computeFingerprint, FINGERPRINT_VERSION, localInput } from '../../src/ship/fingerprint.js';
import type { Fingerprint, FingerprintInput } from '../../src/ship/types.js';
import { fixtureCopy, type Scratch } from './ship-fixture.js';

await loadShell();

/** Stands for the engine's config digest of each image (the world test reads the real one). */
const digestOf = (ref: string) => `sha256:${createHash('sha256').update(ref).digest('hex')}`;

function fingerprintOf(s: Scratch, opts: { buildArgs?: Record<string, string>; platform?: string } = {}): Fingerprint {
  const { images, ...local } = localInput(readShipLayout(s.dir), { buildArgs: opts.buildArgs });
  const from = Object.fromEntries(images.map((r) => [r, digestOf(r)]));
  return computeFingerprint({ ...local, from, platform: opts.platform ?? 'linux/amd64' });
}

const changedParts = (a: Fingerprint, b: Fingerprint) =>
  a.parts.filter((p, i) => p.sha256 !== b.parts[i].sha256).map((p) => p.name);

/** uv.lock with its [[package]] blocks in reverse order. */
function reversePackages(text: string): string {
  const [head, ...blocks] = text.split('\n[[package]]\n');
  return [head, ...blocks.map((b) => b.replace(/\n*$/, '\n')).reverse()].join('\n[[package]]\n');
}

describe('computeFingerprint', () => {
  const input: FingerprintInput = {
    pythonVersion: '3.11',
    lock: { file: 'uv.lock', entries: ['a==1 http://i sha256:aa', 'b==2 http://i sha256:bb'] },
    instructions: ['FROM python:3.11-slim', 'RUN true'],
    buildArgs: { B: '2', A: '1' },
    from: { 'python:3.11-slim': 'sha256:' + 'c'.repeat(64) },
    platform: 'linux/amd64',
    files: { 'constraints.txt': 'd'.repeat(64) },
  };

  it('documented canonical texts: parts in order, each the sha256 of its text, the total over the parts', () => {
    const fp = computeFingerprint(input);
    const hex = (t: string) => createHash('sha256').update(t).digest('hex');
    assert.deepEqual(
      fp.parts.map((p) => p.name),
      ['python', 'lock', 'dockerfile', 'build-args', 'from', 'files', 'platform'],
    );
    const byName = Object.fromEntries(fp.parts.map((p) => [p.name, p]));
    assert.equal(byName.python.sha256, hex('3.11\n'));
    assert.equal(byName.lock.sha256, hex('uv.lock\na==1 http://i sha256:aa\nb==2 http://i sha256:bb\n'));
    assert.equal(byName['build-args'].sha256, hex('A="1"\nB="2"\n'));
    assert.equal(byName.from.sha256, hex(`python:3.11-slim sha256:${'c'.repeat(64)}\n`));
    assert.equal(byName.files.sha256, hex(`constraints.txt ${'d'.repeat(64)}\n`));
    assert.equal(byName.platform.sha256, hex('linux/amd64\n'));
    assert.equal(
      fp.sha256,
      hex([FINGERPRINT_VERSION, ...fp.parts.map((p) => `${p.name} ${p.sha256}`)].join('\n') + '\n'),
    );
    assert.equal(fp.tag, fp.sha256.slice(0, 24));
    assert.equal(byName.lock.summary, 'uv.lock: 2 packages');
    assert.equal(byName['build-args'].summary, 'A=1 B=2');
  });

  it('key order of the maps does not matter; credentials do not show in summaries', () => {
    const reordered = { ...input, buildArgs: { A: '1', B: '2' } };
    assert.equal(computeFingerprint(reordered).sha256, computeFingerprint(input).sha256);
    const secret = computeFingerprint({
      ...input,
      buildArgs: { PIP_INDEX_URL: 'https://me:s3cret@idx.example/simple' },
    });
    assert.ok(!JSON.stringify(secret.parts).includes('s3cret'));
    assert.notEqual(computeFingerprint({ ...input, lock: null }).sha256, computeFingerprint(input).sha256);
  });
});

describe('the fingerprint of a real split base (init --split-base on the fixtures)', () => {
  it('fastapi-uv: lock order, upload times, comments, undeclared build args keep it; a version, a RUN, a declared arg, the platform change it', () => {
    const s = fixtureCopy('fastapi-uv');
    try {
      const base = fingerprintOf(s);
      assert.match(base.tag, /^[0-9a-f]{24}$/);
      assert.equal(base.parts.find((p) => p.name === 'lock')!.summary, 'uv.lock: 14 packages');

      s.write('uv.lock', reversePackages(s.read('uv.lock')));
      s.edit(
        'uv.lock',
        /hash = "(sha256:[0-9a-f]+)" \}/g,
        'hash = "$1", size = 4242, upload-time = "2025-03-04T05:06:07Z" }',
      );
      assert.equal(fingerprintOf(s).sha256, base.sha256, 'reordered lock, upload times and sizes');

      s.edit('uv.lock', 'name = "pytest"\nversion = "9.1.1"', 'name = "pytest"\nversion = "9.1.2"');
      assert.equal(fingerprintOf(s).sha256, base.sha256, 'a dev-only bump: the base runs uv sync --no-dev');

      s.edit('Dockerfile.base', /^# .*$/gm, '#');
      s.edit('Dockerfile.base', 'WORKDIR /app\n', 'WORKDIR    /app\n\n');
      assert.equal(fingerprintOf(s).sha256, base.sha256, 'comments and whitespace');

      assert.equal(
        fingerprintOf(s, { buildArgs: { GIT_SHA: 'abc', BASE_IMAGE: 'x' } }).sha256,
        base.sha256,
        'undeclared build args',
      );

      s.edit('pyproject.toml', 'version = "0.3.1"', 'version = "0.3.2"');
      s.edit('src/shop_api/main.py', /$/, '\n# a code change\n');
      assert.equal(fingerprintOf(s).sha256, base.sha256, 'project version and code are the app`s');

      assert.deepEqual(changedParts(base, fingerprintOf(s, { platform: 'linux/arm64' })), ['platform']);
      assert.deepEqual(changedParts(base, fingerprintOf(s, { buildArgs: { UV_VERSION: '0.14.0' } })), ['build-args']);
      assert.deepEqual(changedParts(base, fingerprintOf(s, { buildArgs: { PYTHON_VERSION: '3.12' } })), [
        'build-args',
        'from',
      ]);

      s.edit('Dockerfile.base', 'useradd --no-log-init', 'useradd --no-log-init --shell /bin/sh');
      assert.deepEqual(changedParts(base, fingerprintOf(s)), ['dockerfile'], 'a changed RUN');

      s.edit('uv.lock', 'name = "starlette"\nversion = "1.7.0"', 'name = "starlette"\nversion = "1.7.1"');
      assert.deepEqual(changedParts(base, fingerprintOf(s)), ['lock', 'dockerfile'], 'a runtime version bump');
    } finally {
      s.done();
    }
  });

  it('django-poetry: a dev-group package bump keeps it when the base installs --only main, not when it installs dev', () => {
    const s = fixtureCopy('django-poetry');
    try {
      const base = fingerprintOf(s);
      s.edit('poetry.lock', 'name = "colorama"\nversion = "0.4.6"', 'name = "colorama"\nversion = "0.4.7"');
      assert.equal(fingerprintOf(s).sha256, base.sha256);
      s.edit('Dockerfile.base', 'poetry sync --only main --no-root', 'poetry sync --no-root');
      const withDev = fingerprintOf(s);
      assert.deepEqual(changedParts(base, withDev), ['lock', 'dockerfile']);
      assert.match(withDev.parts[1].summary, /^poetry\.lock: \d+ packages$/);
    } finally {
      s.done();
    }
  });

  it('flask-piptools: requirements.txt is the lock; a file the base copies counts by content, .dockerignore honoured', () => {
    const s = fixtureCopy('flask-piptools');
    try {
      const base = fingerprintOf(s);
      assert.equal(base.parts[1].summary, 'requirements.txt: 8 packages');
      s.edit('requirements.txt', /\s+# via .*$/gm, '');
      assert.equal(fingerprintOf(s).sha256, base.sha256, 'pip-compile annotations');
      s.write('constraints/pins.txt', 'a\n');
      s.write('constraints/notes.md', 'x\n');
      s.write('.dockerignore', `${s.read('.dockerignore')}\nconstraints/*.md\n`);
      s.edit(
        'Dockerfile.base',
        'WORKDIR /app\nRUN python -m venv',
        'WORKDIR /app\nCOPY constraints/ /tmp/constraints/\nRUN python -m venv',
      );
      const copied = fingerprintOf(s);
      assert.equal(copied.parts.find((p) => p.name === 'files')!.summary, '1 file (constraints/pins.txt)');
      s.write('constraints/notes.md', 'changed, but ignored\n');
      assert.equal(fingerprintOf(s).sha256, copied.sha256);
      s.write('constraints/pins.txt', 'b\n');
      assert.deepEqual(changedParts(copied, fingerprintOf(s)), ['files']);
    } finally {
      s.done();
    }
  });

  it('uv-workspace: a bump in a package only another member needs keeps the api base', () => {
    const s = fixtureCopy('uv-workspace');
    try {
      assert.match(s.read('Dockerfile.base'), /--package acme-api/);
      const base = fingerprintOf(s);
      s.edit(
        'uv.lock',
        '    { name = "acme-common" },\n    { name = "click" },',
        '    { name = "acme-common" },\n    { name = "click" },\n    { name = "rq" },',
      );
      s.write(
        'uv.lock',
        `${s.read('uv.lock')}\n[[package]]\nname = "rq"\nversion = "2.0.0"\nsource = { registry = "http://127.0.0.1:3141/simple/" }\n`,
      );
      assert.equal(fingerprintOf(s).sha256, base.sha256);
      s.edit('uv.lock', 'name = "pydantic"\nversion = "', 'name = "pydantic"\nversion = "9');
      assert.deepEqual(
        changedParts(base, fingerprintOf(s)),
        ['lock'],
        'a dependency of acme-common, which acme-api uses',
      );
    } finally {
      s.done();
    }
  });
});

describe('the same project in two checkouts', () => {
  it('every fixture: one fingerprint wherever it is checked out; different projects, different fingerprints', () => {
    const tags = new Map<string, string>();
    for (const name of [
      'fastapi-uv',
      'django-poetry',
      'pdm-starlette',
      'flask-piptools',
      'uv-workspace',
      'monorepo-uv',
    ]) {
      const a = fixtureCopy(name);
      const b = fixtureCopy(name);
      try {
        const fa = fingerprintOf(a);
        assert.notEqual(a.dir, b.dir);
        assert.deepEqual(fingerprintOf(b), fa, name);
        assert.match(
          fa.parts[1].summary,
          /^(uv|poetry|pdm)\.lock: \d+ packages$|^requirements\.txt: \d+ packages$/,
          name,
        );
        tags.set(name, fa.tag);
      } finally {
        a.done();
        b.done();
      }
    }
    assert.equal(new Set(tags.values()).size, tags.size, JSON.stringify([...tags]));
  });
});

describe('baseInstall: what the install command takes from the lock', () => {
  const run = (cmd: string) => baseInstall(['FROM x', `RUN --mount=type=cache,target=/c ${cmd} && echo done`]);
  it('dev groups count unless excluded; members, extras and groups as the flags say', () => {
    assert.deepEqual(run('uv sync --locked --no-dev --package acme-api'), { withDev: false, packages: ['acme-api'] });
    assert.deepEqual(run('uv sync --locked'), { withDev: true });
    assert.deepEqual(run('uv sync --only-group prod'), { withDev: false, onlyGroups: ['prod'] });
    assert.deepEqual(run('uv sync --no-dev --group docs --extra pg --extra=s3'), {
      withDev: false,
      withGroups: ['docs'],
      extras: ['pg', 's3'],
    });
    assert.deepEqual(run('uv sync --no-default-groups --all-extras --all-packages'), {
      withDev: false,
      extras: ['*'],
      allPackages: true,
    });
    assert.deepEqual(run('poetry sync --only main --no-root'), { withDev: false, onlyGroups: ['main'] });
    assert.deepEqual(run('poetry install --without dev,test'), { withDev: true, withoutGroups: ['dev', 'test'] });
    assert.deepEqual(run('poetry install'), { withDev: true });
    assert.deepEqual(run('pdm install --check --prod --frozen-lockfile'), { withDev: false });
    assert.deepEqual(run('pdm install --prod -G worker'), { withDev: false, withGroups: ['worker'] });
    assert.deepEqual(run('pdm sync'), { withDev: true });
    assert.deepEqual(run('pipenv install --deploy'), { withDev: false });
    assert.deepEqual(run('pipenv install --deploy --dev'), { withDev: true });
    assert.deepEqual(run('pip install -r requirements.txt'), { withDev: true }, 'not recognised: counted');
  });
});
