import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { estimateDeps } from '../../../src/audit/estimate-deps.js';
import { markerHolds, readLock } from '../../../src/audit/lock-read.js';
import { pickFile, wheelScore } from '../../../src/audit/wheel-pick.js';
import { WheelFinder } from '../../../src/audit/wheel-sources.js';
import { wheelPyBytes } from '../../../src/audit/wheel-zip.js';
import { tempDir, writeZip } from './helpers.js';

const none = () => new WheelFinder({ dirs: [], uvCaches: [], indexes: [] });
const IDX = 'http://127.0.0.1:3141/files';

/** A uv.lock as uv writes it: the project editable, numpy with wheels for several platforms, a win32-only dep, a dev group. */
const UV_LOCK = `version = 1
revision = 3
requires-python = ">=3.11"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "numpy" },
    { name = "colorama", marker = "sys_platform == 'win32'" },
    { name = "tomli", marker = "python_full_version < '3.11'" },
    { name = "pure" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[[package]]
name = "numpy"
version = "2.1.0"
source = { registry = "${IDX}/simple/" }
sdist = { url = "${IDX}/numpy-2.1.0.tar.gz", hash = "sha256:aa", size = 18000000 }
wheels = [
    { url = "${IDX}/numpy-2.1.0-cp311-cp311-macosx_14_0_arm64.whl", hash = "sha256:bb", size = 5100000 },
    { url = "${IDX}/numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:cc", size = 16000000 },
    { url = "${IDX}/numpy-2.1.0-cp311-cp311-manylinux_2_17_aarch64.manylinux2014_aarch64.whl", hash = "sha256:dd", size = 13000000 },
    { url = "${IDX}/numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:ee", size = 16500000 },
    { url = "${IDX}/numpy-2.1.0-cp311-cp311-win_amd64.whl", hash = "sha256:ff", size = 12000000 },
]

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "${IDX}/simple/" }
wheels = [{ url = "${IDX}/colorama-0.4.6-py2.py3-none-any.whl", hash = "sha256:11", size = 25335 }]

[[package]]
name = "tomli"
version = "2.0.1"
source = { registry = "${IDX}/simple/" }
wheels = [{ url = "${IDX}/tomli-2.0.1-py3-none-any.whl", hash = "sha256:22", size = 12757 }]

[[package]]
name = "pure"
version = "1.0"
source = { registry = "${IDX}/simple/" }
sdist = { url = "${IDX}/pure-1.0.tar.gz", hash = "sha256:33", size = 40000 }

[[package]]
name = "pytest"
version = "8.3.2"
source = { registry = "${IDX}/simple/" }
wheels = [{ url = "${IDX}/pytest-8.3.2-py3-none-any.whl", hash = "sha256:44", size = 341802 }]
`;

function withLock(name: string, text: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const t = tempDir();
  writeFileSync(join(t.dir, name), text);
  return fn(t.dir).finally(t.done);
}

describe('audit: wheel choice for linux x86_64', () => {
  it('prefers the CPython-specific manylinux wheel of the project Python, and never macOS, Windows or aarch64', () => {
    const files = readLock('uv.lock', UV_LOCK, '3.11').packages.find((p) => p.name === 'numpy')!.files;
    assert.equal(pickFile(files, '3.11')?.file.size, 16_000_000);
    assert.equal(pickFile(files, '3.12')?.file.size, 16_500_000);
    assert.equal(wheelScore('x-1-cp311-cp311-win_amd64.whl', '3.11'), 0);
    assert.equal(wheelScore('x-1-cp311-cp311-macosx_14_0_arm64.whl', '3.11'), 0);
    assert.ok(
      wheelScore('x-1-cp38-abi3-manylinux_2_17_x86_64.whl', '3.11') > wheelScore('x-1-py3-none-any.whl', '3.11'),
    );
    // Only an sdist: counted by its size, and flagged.
    assert.deepEqual(pickFile([{ name: 'pure-1.0.tar.gz', size: 40000 }], '3.11'), {
      file: { name: 'pure-1.0.tar.gz', size: 40000 },
      sdist: true,
    });
  });

  it('evaluates markers for linux and the project Python', () => {
    assert.equal(markerHolds("sys_platform == 'win32'", '3.11'), false);
    assert.equal(markerHolds("python_full_version < '3.11'", '3.11'), false);
    assert.equal(markerHolds("python_full_version < '3.11'", '3.10'), true);
    assert.equal(markerHolds("sys_platform == 'win32' or platform_machine == 'x86_64'", '3.11'), true);
    assert.equal(markerHolds("(python_version >= '3.12') and sys_platform != 'darwin'", '3.11'), false);
    assert.equal(markerHolds("extra == 'fast'", '3.11'), true);
  });
});

describe('audit: dependency estimate sources', () => {
  it('uv.lock recorded sizes: the linux x86_64 cp311 wheel, no win32 or old-Python deps, no dev group', () =>
    withLock('uv.lock', UV_LOCK, async (dir) => {
      const e = await estimateDeps({ dir, lockFile: 'uv.lock', python: '3.11', includeDev: false }, none());
      assert.equal(e.bytes, 16_000_000 + 40_000);
      assert.equal(e.packages, 2);
      assert.deepEqual(e.sdists, ['pure']);
      assert.match(
        e.basis,
        /uv\.lock: 2 packages, wheel sizes \(2 recorded in the lock\) for linux x86_64 CPython 3\.11/,
      );
      assert.match(e.basis, /pure counted by sdist size/);
      const dev = await estimateDeps({ dir, lockFile: 'uv.lock', python: '3.11', includeDev: true }, none());
      assert.equal(dev.bytes, 16_000_000 + 40_000 + 341_802);
      const py312 = await estimateDeps({ dir, lockFile: 'uv.lock', python: '3.12', includeDev: false }, none());
      assert.equal(py312.bytes, 16_500_000 + 40_000);
    }));

  it('pylock.toml sizes, markers and dependency groups', () =>
    withLock(
      'pylock.toml',
      `lock-version = "1.0"
created-by = "uv"
requires-python = ">=3.11"

[[packages]]
name = "idna"
version = "3.10"
wheels = [{ url = "${IDX}/idna-3.10-py3-none-any.whl", size = 70442, hashes = { sha256 = "aa" } }]

[[packages]]
name = "pywin32"
version = "308"
marker = "sys_platform == 'win32'"
wheels = [{ url = "${IDX}/pywin32-308-cp311-cp311-win_amd64.whl", size = 6600000, hashes = { sha256 = "bb" } }]

[[packages]]
name = "pytest"
version = "8.3.2"
marker = "'dev' in dependency_groups"
wheels = [{ url = "${IDX}/pytest-8.3.2-py3-none-any.whl", size = 341802, hashes = { sha256 = "cc" } }]

[[packages]]
name = "markupsafe"
version = "3.0.2"
sdist = { url = "${IDX}/markupsafe-3.0.2.tar.gz", size = 20333, hashes = { sha256 = "dd" } }
wheels = [
  { url = "${IDX}/MarkupSafe-3.0.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", size = 23000, hashes = { sha256 = "ee" } },
  { url = "${IDX}/MarkupSafe-3.0.2-cp311-cp311-musllinux_1_2_x86_64.whl", size = 22000, hashes = { sha256 = "ff" } },
]
`,
      async (dir) => {
        const e = await estimateDeps({ dir, lockFile: 'pylock.toml', python: '3.11', includeDev: false }, none());
        assert.equal(e.bytes, 70_442 + 23_000);
        assert.match(e.basis, /2 recorded in the lock/);
        const dev = await estimateDeps({ dir, lockFile: 'pylock.toml', python: '3.11', includeDev: true }, none());
        assert.equal(dev.bytes, 70_442 + 23_000 + 341_802);
      },
    ));

  it('a pip cache directory: pinned requirements sized by the wheels found there, .py bytes read from them', async () => {
    const t = tempDir();
    try {
      writeFileSync(
        join(t.dir, 'requirements.txt'),
        '--index-url http://127.0.0.1:3141/simple/\nflask==3.1.3 \\\n    --hash=sha256:aa\n    # via -r requirements.in\nclick==8.5.1\npywin32==308 ; sys_platform == "win32"\n',
      );
      const cache = join(t.dir, 'cache', 'pip', 'wheels');
      const py = 'def f():\n    return 1\n'.repeat(40);
      const flask = writeZip(join(cache, 'a1', 'b2', 'flask-3.1.3-py3-none-any.whl'), [
        { name: 'flask/__init__.py', data: py },
        { name: 'flask-3.1.3.dist-info/METADATA', data: 'Name: flask\n' },
      ]);
      const click = writeZip(join(cache, 'c3', 'click-8.5.1-py3-none-any.whl'), [{ name: 'click/core.py', data: py }]);
      // Another version and another platform in the same cache are not picked.
      writeZip(join(cache, 'c3', 'click-8.4.0-py3-none-any.whl'), [{ name: 'click/x.py', data: py + py }]);
      writeZip(join(cache, 'c3', 'flask-3.1.3-cp311-cp311-win_amd64.whl'), [{ name: 'x.py', data: py + py }]);
      const finder = new WheelFinder({ dirs: [cache], uvCaches: [], indexes: [] });
      const e = await estimateDeps(
        { dir: t.dir, lockFile: 'requirements.txt', python: '3.11', includeDev: true },
        finder,
      );
      assert.equal(e.bytes, flask + click);
      assert.equal(e.pyBytes, 2 * Buffer.byteLength(py));
      assert.equal(wheelPyBytes(join(cache, 'a1', 'b2', 'flask-3.1.3-py3-none-any.whl')), Buffer.byteLength(py));
      assert.match(e.basis, new RegExp(`2 from ${cache.replace(/[/.]/g, '\\$&')}`));
      assert.match(e.pyBasis, /read from the wheels on this machine/);
    } finally {
      t.done();
    }
  });

  it("uv's cache: an unpacked wheel, measured by gzipping its files", async () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, 'requirements.txt'), 'six==1.17.0\n');
      const archive = join(t.dir, 'uv', 'archive-v0', 'Xy12');
      mkdirSync(join(archive, 'six-1.17.0.dist-info'), { recursive: true });
      writeFileSync(join(archive, 'six.py'), 'import sys\n'.repeat(3000));
      writeFileSync(join(archive, 'six-1.17.0.dist-info', 'METADATA'), 'Name: six\n');
      const finder = new WheelFinder({ dirs: [], uvCaches: [join(t.dir, 'uv')], indexes: [] });
      const e = await estimateDeps(
        { dir: t.dir, lockFile: 'requirements.txt', python: '3.11', includeDev: true },
        finder,
      );
      const raw = statSync(join(archive, 'six.py')).size;
      assert.ok(e.bytes !== null && e.bytes > 200 && e.bytes < raw / 10, `gzip of a repetitive file: ${e.bytes}`);
      assert.match(e.basis, /the uv cache/);
    } finally {
      t.done();
    }
  });

  it('unknown: a lock without sizes and nothing on this machine stays null, naming the packages and why', async () => {
    const t = tempDir();
    try {
      writeFileSync(
        join(t.dir, 'poetry.lock'),
        `[[package]]
name = "django"
version = "5.1"
groups = ["main"]
files = [{file = "django-5.1-py3-none-any.whl", hash = "sha256:aa"}]

[[package]]
name = "pytest"
version = "8.3.2"
groups = ["dev"]
files = [{file = "pytest-8.3.2-py3-none-any.whl", hash = "sha256:bb"}]
`,
      );
      const e = await estimateDeps({ dir: t.dir, lockFile: 'poetry.lock', python: '3.11', includeDev: false }, none());
      assert.equal(e.bytes, null);
      assert.deepEqual(e.missing, ['django==5.1']);
      assert.match(e.basis, /^unknown: 1 package of 1 without a size \(django==5\.1\): poetry\.lock records no sizes/);
      const gone = await estimateDeps({ dir: t.dir, lockFile: 'uv.lock', python: '3.11', includeDev: false }, none());
      assert.equal(gone.bytes, null);
      assert.match(gone.basis, /cannot be read/);
    } finally {
      t.done();
    }
  });
});

describe('audit: Pipfile.lock', () => {
  it('reads the default and develop sections (pipenv), not zero packages', () => {
    const text = JSON.stringify({
      _meta: { hash: { sha256: 'x' } },
      default: {
        flask: { hashes: ['sha256:aa'], version: '==3.1.0' },
        pywin32: { version: '==308', markers: "sys_platform == 'win32'" },
        click: { version: '==8.1.8' },
      },
      develop: { pytest: { version: '==8.3.4' }, click: { version: '==8.1.8' } },
    });
    const lock = readLock('Pipfile.lock', text, '3.11');
    assert.deepEqual(
      lock.packages.map((p) => [p.name, p.version, p.dev]),
      [
        ['flask', '3.1.0', false],
        ['click', '8.1.8', false],
        ['pytest', '8.3.4', true],
      ],
    );
    assert.equal(lock.recordsSizes, false);
  });
});

describe('audit: uv.lock extras', () => {
  it('a dependency asked with an extra brings what the extra lists; without it, not', () => {
    const lock = `version = 1
revision = 3
requires-python = ">=3.11"

[[package]]
name = "api"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "fastapi", extra = ["standard"] }, { name = "psycopg" }]

[[package]]
name = "fastapi"
version = "0.1"
source = { registry = "http://127.0.0.1:3141/simple" }
dependencies = [{ name = "starlette" }]

[package.optional-dependencies]
standard = [{ name = "uvicorn", extra = ["standard"] }]

[[package]]
name = "uvicorn"
version = "1"
source = { registry = "http://127.0.0.1:3141/simple" }

[package.optional-dependencies]
standard = [{ name = "uvloop" }]

[[package]]
name = "uvloop"
version = "1"
source = { registry = "http://127.0.0.1:3141/simple" }

[[package]]
name = "starlette"
version = "1"
source = { registry = "http://127.0.0.1:3141/simple" }

[[package]]
name = "psycopg"
version = "3"
source = { registry = "http://127.0.0.1:3141/simple" }

[package.optional-dependencies]
binary = [{ name = "psycopg-binary" }]

[[package]]
name = "psycopg-binary"
version = "3"
source = { registry = "http://127.0.0.1:3141/simple" }
`;
    const names = readLock('uv.lock', lock, '3.11')
      .packages.filter((p) => !p.dev)
      .map((p) => p.name)
      .sort();
    assert.deepEqual(names, ['fastapi', 'psycopg', 'starlette', 'uvicorn', 'uvloop']);
  });
});
