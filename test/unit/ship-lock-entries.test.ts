import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromRequirements, lockEntries } from '../../src/ship/lock-entries.js';
import { UserError } from '../../src/errors.js';
import { FIXTURES, fixtureCopy, scratchDir } from './ship-fixture.js';
import { join } from 'node:path';

const names = (entries: string[]) => entries.map((e) => e.split('==')[0]);
const entryOf = (entries: string[], name: string) => entries.find((e) => e.startsWith(`${name}==`));

/** uv.lock with its [[package]] blocks in reverse order. */
function reversePackages(text: string): string {
  const [head, ...blocks] = text.split('\n[[package]]\n');
  return [head, ...blocks.map((b) => b.replace(/\n*$/, '\n')).reverse()].join('\n[[package]]\n');
}

describe('lockEntries: uv.lock', () => {
  it('walks from the project: runtime packages pinned with source and hash, the project itself and dev groups left out', () => {
    const lock = lockEntries(join(FIXTURES, 'fastapi-uv'), ['pyproject.toml', 'uv.lock'])!;
    assert.equal(lock.file, 'uv.lock');
    assert.deepEqual(lock.entries, [...lock.entries].sort());
    assert.match(
      entryOf(lock.entries, 'fastapi')!,
      /^fastapi==0\.142\.2 http:\/\/127\.0\.0\.1:3141\/simple sha256:[0-9a-f]{64}$/,
    );
    assert.ok(entryOf(lock.entries, 'uvicorn'));
    assert.equal(entryOf(lock.entries, 'shop-api'), undefined, 'the project is not a locked package of the base');
    assert.equal(entryOf(lock.entries, 'pytest'), undefined, 'dev group');
    const dev = lockEntries(join(FIXTURES, 'fastapi-uv'), ['uv.lock'], { withDev: true })!;
    assert.ok(entryOf(dev.entries, 'pytest'));
    assert.ok(dev.entries.length > lock.entries.length);
  });

  it('order, upload times, sizes and the revision do not change the entries; a version or hash does', () => {
    const s = fixtureCopy('fastapi-uv', false);
    try {
      const before = lockEntries(s.dir, ['uv.lock'])!.entries;
      s.write('uv.lock', reversePackages(s.read('uv.lock')));
      s.edit(
        'uv.lock',
        /hash = "(sha256:[0-9a-f]+)" \}/g,
        'hash = "$1", size = 12345, upload-time = "2025-01-02T03:04:05Z" }',
      );
      s.edit('uv.lock', 'revision = 5', 'revision = 7');
      assert.match(s.read('uv.lock'), /^\[\[package\]\]\nname = "uvicorn"/m);
      assert.deepEqual(lockEntries(s.dir, ['uv.lock'])!.entries, before);
      s.edit('uv.lock', 'name = "starlette"\nversion = "1.7.0"', 'name = "starlette"\nversion = "1.7.1"');
      const bumped = lockEntries(s.dir, ['uv.lock'])!.entries;
      assert.notDeepEqual(bumped, before);
      assert.match(entryOf(bumped, 'starlette')!, /^starlette==1\.7\.1 /);
    } finally {
      s.done();
    }
  });

  it('a workspace: only what the installed member needs (`--package`), every member when none is named', () => {
    const s = fixtureCopy('uv-workspace', false);
    try {
      // A package only the worker member needs.
      s.edit(
        'uv.lock',
        '    { name = "acme-common" },\n    { name = "click" },',
        '    { name = "acme-common" },\n    { name = "click" },\n    { name = "rq" },',
      );
      s.write(
        'uv.lock',
        `${s.read('uv.lock')}\n[[package]]\nname = "rq"\nversion = "2.0.0"\nsource = { registry = "http://127.0.0.1:3141/simple/" }\n`,
      );
      const api = lockEntries(s.dir, ['uv.lock'], { packages: ['acme-api'] })!.entries;
      assert.ok(entryOf(api, 'fastapi') && entryOf(api, 'pydantic'), 'its own and its member dependency acme-common`s');
      assert.equal(entryOf(api, 'rq'), undefined, 'rq is the worker`s');
      assert.ok(!names(api).some((n) => n.startsWith('acme-')), 'members are not locked packages');
      const all = lockEntries(s.dir, ['uv.lock'])!.entries;
      assert.equal(entryOf(all, 'rq'), 'rq==2.0.0 http://127.0.0.1:3141/simple -', 'a virtual root: every member');
    } finally {
      s.done();
    }
  });

  it('follows extras (psycopg[binary] -> psycopg-binary)', () => {
    const entries = lockEntries(join(FIXTURES, 'monorepo-uv'), ['uv.lock'], { packages: ['backend'] })!.entries;
    assert.ok(entryOf(entries, 'psycopg'));
    assert.ok(entryOf(entries, 'psycopg-binary'), entries.join('\n'));
    assert.equal(entryOf(entries, 'ruff'), undefined, 'dev group of backend');
  });
});

describe('lockEntries: groups and extras the install asks for', () => {
  it('uv: --only-group installs that group alone, --group adds one, --extra follows the project`s extra', () => {
    const s = fixtureCopy('fastapi-uv', false);
    try {
      s.edit(
        'uv.lock',
        '[package.dev-dependencies]\ndev = [\n    { name = "pytest" },\n]',
        '[package.optional-dependencies]\ncli = [\n    { name = "rich" },\n]\n\n[package.dev-dependencies]\ndev = [\n    { name = "pytest" },\n]\nlint = [\n    { name = "ruff" },\n]',
      );
      s.write(
        'uv.lock',
        `${s.read('uv.lock')}\n[[package]]\nname = "rich"\nversion = "14.0.0"\nsource = { registry = "http://127.0.0.1:3141/simple/" }\n\n[[package]]\nname = "ruff"\nversion = "0.9.0"\nsource = { registry = "http://127.0.0.1:3141/simple/" }\n`,
      );
      const plain = lockEntries(s.dir, ['uv.lock'])!.entries;
      assert.ok(!names(plain).includes('rich') && !names(plain).includes('ruff') && !names(plain).includes('pytest'));
      const only = lockEntries(s.dir, ['uv.lock'], { onlyGroups: ['lint'] })!.entries;
      assert.deepEqual(names(only), ['ruff']);
      const lint = lockEntries(s.dir, ['uv.lock'], { withGroups: ['lint'] })!.entries;
      assert.deepEqual(
        names(lint).filter((n) => !names(plain).includes(n)),
        ['ruff'],
      );
      const dev = names(lockEntries(s.dir, ['uv.lock'], { withDev: true, withoutGroups: ['lint'] })!.entries);
      assert.ok(dev.includes('pytest') && !dev.includes('ruff'));
      const withCli = lockEntries(s.dir, ['uv.lock'], { extras: ['cli'] })!.entries;
      assert.deepEqual(
        names(withCli).filter((n) => !names(plain).includes(n)),
        ['rich'],
      );
      assert.deepEqual(lockEntries(s.dir, ['uv.lock'], { extras: ['*'] })!.entries, withCli);
    } finally {
      s.done();
    }
  });

  it('poetry: --only, --with and --without pick groups', () => {
    const dir = join(FIXTURES, 'django-poetry');
    assert.deepEqual(names(lockEntries(dir, ['poetry.lock'], { onlyGroups: ['dev'] })!.entries), [
      'colorama',
      'iniconfig',
      'packaging',
      'pluggy',
      'pygments',
      'pytest',
    ]);
    const main = names(lockEntries(dir, ['poetry.lock'])!.entries);
    assert.deepEqual(
      names(lockEntries(dir, ['poetry.lock'], { withDev: true, withoutGroups: ['dev'] })!.entries),
      main,
    );
    assert.ok(names(lockEntries(dir, ['poetry.lock'], { withGroups: ['dev'] })!.entries).includes('colorama'));
  });
});

describe('lockEntries: poetry.lock, pdm.lock', () => {
  it('poetry: the main group unless dev is installed', () => {
    const main = lockEntries(join(FIXTURES, 'django-poetry'), ['pyproject.toml', 'poetry.lock'])!;
    assert.equal(main.file, 'poetry.lock');
    assert.match(entryOf(main.entries, 'django')!, /^django==5\.2\.17 http:\/\/127\.0\.0\.1:3141\/simple sha256:/);
    assert.equal(entryOf(main.entries, 'colorama'), undefined);
    assert.ok(
      entryOf(lockEntries(join(FIXTURES, 'django-poetry'), ['poetry.lock'], { withDev: true })!.entries, 'colorama'),
    );
  });

  it('pdm: the default group unless dev is installed', () => {
    const prod = lockEntries(join(FIXTURES, 'pdm-starlette'), ['pyproject.toml', 'pdm.lock'])!;
    assert.ok(entryOf(prod.entries, 'starlette'));
    assert.equal(entryOf(prod.entries, 'colorama'), undefined);
    assert.ok(
      entryOf(lockEntries(join(FIXTURES, 'pdm-starlette'), ['pdm.lock'], { withDev: true })!.entries, 'colorama'),
    );
  });
});

describe('lockEntries: requirements, Pipfile.lock, pylock.toml', () => {
  it('pip-tools output, with hashes: comments and layout do not count, the index does', () => {
    const s = fixtureCopy('flask-piptools', false);
    try {
      const before = lockEntries(s.dir, ['requirements.txt'])!;
      assert.equal(before.file, 'requirements.txt');
      assert.match(
        entryOf(before.entries, 'flask')!,
        /^flask==3\.1\.3 http:\/\/127\.0\.0\.1:3141\/simple sha256:[0-9a-f]{64}$/,
      );
      s.edit('requirements.txt', /# via .*\n/g, '');
      s.edit('requirements.txt', 'blinker==1.9.0 \\\n    --hash', 'blinker==1.9.0 --hash');
      assert.deepEqual(lockEntries(s.dir, ['requirements.txt'])!.entries, before.entries);
      s.edit(
        'requirements.txt',
        '--index-url http://127.0.0.1:3141/simple/',
        '--index-url http://mirror.invalid/simple/',
      );
      assert.notDeepEqual(lockEntries(s.dir, ['requirements.txt'])!.entries, before.entries);
    } finally {
      s.done();
    }
  });

  it('pins without hashes are a lock; an unpinned requirement is not', () => {
    assert.deepEqual(fromRequirements('Flask==3.1.3 ; python_version >= "3.9"\nclick===8.1\n'), [
      'flask==3.1.3 - -',
      'click==8.1 - -',
    ]);
    assert.equal(fromRequirements('flask>=3\n'), null);
    const s = scratchDir({ 'requirements.txt': 'flask>=3\n' });
    try {
      assert.equal(lockEntries(s.dir, ['requirements.txt']), null);
    } finally {
      s.done();
    }
  });

  it('Pipfile.lock: default, and develop only with dev', () => {
    const s = scratchDir({
      'Pipfile.lock': JSON.stringify({
        _meta: { hash: { sha256: 'x' } },
        default: { Flask: { version: '==3.1.3', hashes: ['sha256:bb', 'sha256:aa'], index: 'pypi' } },
        develop: { pytest: { version: '==9.0.0', hashes: ['sha256:cc'] } },
      }),
    });
    try {
      assert.deepEqual(lockEntries(s.dir, ['Pipfile', 'Pipfile.lock'])!.entries, [
        'flask==3.1.3 pypi sha256:aa,sha256:bb',
      ]);
      assert.equal(lockEntries(s.dir, ['Pipfile.lock'], { withDev: true })!.entries.length, 2);
    } finally {
      s.done();
    }
  });

  it('pylock.toml: every package, upload times and sizes ignored', () => {
    const pylock = (time: string) =>
      `lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "Jinja2"\nversion = "3.1.6"\nindex = "http://127.0.0.1:3141/simple/"\n` +
      `wheels = [{ name = "jinja2-3.1.6-py3-none-any.whl", upload-time = ${time}, size = 9, hashes = { sha256 = "ab" } }]\n`;
    const s = scratchDir({ 'pylock.toml': pylock('2025-01-01T00:00:00Z') });
    try {
      const a = lockEntries(s.dir, ['pylock.toml'])!;
      assert.deepEqual(a.entries, ['jinja2==3.1.6 http://127.0.0.1:3141/simple sha256:ab']);
      s.write('pylock.toml', pylock('2026-06-06T00:00:00Z'));
      assert.deepEqual(lockEntries(s.dir, ['pylock.toml'])!.entries, a.entries);
    } finally {
      s.done();
    }
  });

  it('no lock among the files: null; a broken lock: one-line UserError', () => {
    assert.equal(lockEntries(join(FIXTURES, 'fastapi-uv'), ['pyproject.toml']), null);
    const s = scratchDir({ 'uv.lock': 'version = 1\n[[package]\n' });
    try {
      assert.throws(
        () => lockEntries(s.dir, ['uv.lock']),
        (e) => e instanceof UserError && !e.message.includes('\n'),
      );
    } finally {
      s.done();
    }
  });
});
