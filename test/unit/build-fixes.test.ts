// Defects a review found in build's resolution side: dependencies from git, URLs or paths are
// named in one error instead of dropped; a scheme-less --index-url and a missing file:// wheel are
// one-line errors at once; index pages use ~/.netrc; --index-url wins over lock and project; the
// target cache file names its version; locks that do not mark dev packages are read honestly.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { fetchWheels } from '../../src/build/fetch.js';
import {
  readPdmLock,
  readPipfileLock,
  readPoetryLock,
  readPylock,
  readRequirements,
  readUvLock,
} from '../../src/build/lock-files.js';
import { targetEnv } from '../../src/build/markers.js';
import { poetryMainRoots } from '../../src/build/poetry-main.js';
import { configIndex, resolvePackages } from '../../src/build/resolve.js';
import { indexFiles } from '../../src/build/simple-index.js';
import { compatibleTags } from '../../src/build/tags.js';
import { TARGET_CACHE_VERSION, targetCacheFile } from '../../src/build/target.js';
import type { BuildTarget } from '../../src/build/types.js';
import { UserError } from '../../src/errors.js';
import { detectProject } from '../../src/project/index.js';

function target(): BuildTarget {
  const t: Omit<BuildTarget, 'tags'> = {
    platform: { os: 'linux', architecture: 'amd64' },
    python: { version: '3.11.2', minor: '3.11', executable: '/usr/bin/python3.11' },
    libc: { kind: 'glibc', version: '2.36' },
  };
  return { ...t, tags: compatibleTags(t) };
}
const env = targetEnv(target());
const H = (c: string) => c.repeat(64);

const tmp: string[] = [];
const servers: Server[] = [];
after(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
  for (const s of servers) s.close();
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lw-fixes-'));
  tmp.push(d);
  return d;
}

/** Asserts `fn` throws a one-line UserError whose message is exactly `message`. */
function throwsExactly(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof UserError, `a UserError, not ${e.constructor.name}: ${e.message}`);
    assert.equal(e.message, message);
    return true;
  });
}

const HINT =
  'build installs wheels the lock pins by hash; publish them to a package index (or a wheel URL) and lock again';

test('uv.lock: git and out-of-workspace path dependencies are named in one error; project and members are not', () => {
  const lock = `version = 1
requires-python = ">=3.11"
[manifest]
members = ["app", "member-a"]
[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "member-a" }, { name = "ok" }, { name = "from-git" }, { name = "x-lib" }]
[[package]]
name = "member-a"
version = "0.1.0"
source = { editable = "packages/a" }
[[package]]
name = "ok"
version = "1.0"
source = { registry = "https://example.invalid/simple" }
wheels = [{ url = "https://example.invalid/ok-1.0-py3-none-any.whl", hash = "sha256:${H('a')}" }]
[[package]]
name = "from-git"
version = "0.3.0"
source = { git = "https://example.invalid/org/from-git?rev=v0.3#abc" }
[[package]]
name = "x-lib"
version = "2.0"
source = { directory = "../x" }
`;
  throwsExactly(
    () => readUvLock(lock, 'uv.lock', env, ['app']),
    `cannot install from uv.lock: from-git (git), x-lib (path ../x): ${HINT}`,
  );
  const clean = lock.replace(', { name = "from-git" }, { name = "x-lib" }', '');
  assert.deepEqual(
    readUvLock(clean, 'uv.lock', env, ['app']).map((p) => p.name),
    ['ok'],
  );
});

test('pylock, pdm, poetry, Pipfile, requirements: each names its git/path/URL dependencies, never the project', () => {
  const pylock = `lock-version = "1.0"
[[packages]]
name = "app"
directory = { path = "." }
[[packages]]
name = "vcs-dep"
vcs = { type = "git", url = "https://example.invalid/v.git", commit-id = "abc" }
[[packages]]
name = "dir-dep"
directory = { path = "../d" }
`;
  throwsExactly(
    () => readPylock(pylock, 'pylock.toml', env, ['app']),
    `cannot install from pylock.toml: vcs-dep (git), dir-dep (path ../d): ${HINT}`,
  );
  const pdm = `[metadata]
groups = ["default"]
[[package]]
name = "g"
version = "1"
git = "https://example.invalid/g.git"
revision = "abc"
groups = ["default"]
[[package]]
name = "p"
version = "1"
path = "../p"
groups = ["default"]
`;
  throwsExactly(
    () => readPdmLock(pdm, 'pdm.lock', env),
    `cannot install from pdm.lock: g (git), p (path ../p): ${HINT}`,
  );
  const poetry = `[[package]]
name = "g"
version = "1"
groups = ["main"]
files = []
[package.source]
type = "git"
url = "https://example.invalid/g.git"
reference = "main"
resolved_reference = "abc"
[[package]]
name = "f"
version = "1"
groups = ["main"]
files = []
[package.source]
type = "file"
url = "vendor/f-1-py3-none-any.whl"
[[package]]
name = "app-lib"
version = "1"
groups = ["main"]
files = []
[package.source]
type = "directory"
url = "libs/app-lib"
[metadata]
lock-version = "2.1"
`;
  throwsExactly(
    () => readPoetryLock(poetry, 'poetry.lock', env),
    `cannot install from poetry.lock: g (git), f (path vendor/f-1-py3-none-any.whl), app-lib (path libs/app-lib): ${HINT}`,
  );
  // The project's own directory is not a dependency.
  throwsExactly(
    () => readPoetryLock(poetry, 'poetry.lock', env, { own: ['app-lib'] }),
    `cannot install from poetry.lock: g (git), f (path vendor/f-1-py3-none-any.whl): ${HINT}`,
  );
  const pipfile = JSON.stringify({
    _meta: {},
    default: {
      app: { editable: true, path: '.' },
      ok: { version: '==1.0', hashes: [`sha256:${H('b')}`] },
      gitdep: { git: 'https://example.invalid/gitdep.git', ref: 'abc' },
      local: { path: '../local' },
    },
  });
  throwsExactly(
    () => readPipfileLock(pipfile, 'Pipfile.lock', env),
    `cannot install from Pipfile.lock: gitdep (git), local (path ../local): ${HINT}`,
  );
  const req = [
    `ok==1.0 --hash=sha256:${H('c')}`,
    'fromgit @ git+https://example.invalid/fromgit.git@v1',
    'tarball @ https://example.invalid/tarball-1.0.tar.gz',
    `pinned @ https://example.invalid/pinned-2.0-py3-none-any.whl --hash=sha256:${H('d')}`,
    '-e .',
    '-e file:.',
  ].join('\n');
  throwsExactly(
    () => readRequirements(req, env, 'requirements.txt'),
    `cannot install from requirements.txt: fromgit (git), tarball (url https://example.invalid/tarball-1.0.tar.gz): ${HINT}`,
  );
  // A wheel URL pinned by hash is installable as it is.
  const ok = readRequirements(
    req
      .split('\n')
      .filter((l) => !/fromgit|tarball/.test(l))
      .join('\n'),
    env,
  );
  assert.deepEqual(
    ok.packages.map((p) => [p.name, p.version, p.files[0].url ?? null, p.files[0].sha256]),
    [
      ['ok', '1.0', null, H('c')],
      ['pinned', '2.0', 'https://example.invalid/pinned-2.0-py3-none-any.whl', H('d')],
    ],
  );
});

/** A project whose requirements.txt names an index that does not answer, and one hashed package. */
function reqProject(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'requirements.txt'),
    `--index-url http://127.0.0.1:9/simple/\ntiny-pkg==1.0 --hash=sha256:${H('e')}\n`,
  );
  writeFileSync(join(dir, 'app.py'), 'import tiny_pkg\n');
  return dir;
}

async function tinyIndex(check: (auth: string) => boolean = () => true): Promise<string> {
  const server = createServer((req, res) => {
    if (!check(req.headers.authorization ?? '')) return void res.writeHead(401).end();
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<a href="/f/tiny_pkg-1.0-py3-none-any.whl#sha256=${H('e')}">tiny_pkg-1.0-py3-none-any.whl</a>`);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`;
}

test('--index-url without a scheme is a one-line UserError; with one it wins over the lock index', async () => {
  const project = detectProject(reqProject());
  await assert.rejects(
    resolvePackages(project, target(), { indexUrl: 'mirror.example.invalid/simple' }),
    (e: Error) => {
      assert.ok(e instanceof UserError, `${e.constructor.name}: ${e.message}`);
      assert.equal(
        e.message,
        '--index-url: the index URL mirror.example.invalid/simple is not an absolute http(s) URL: give it with its scheme, e.g. https://HOST/simple/',
      );
      return true;
    },
  );
  const url = await tinyIndex();
  const pkgs = await resolvePackages(project, target(), { indexUrl: url });
  assert.equal(pkgs[0].wheel?.url, url.replace('/simple/', '/f/tiny_pkg-1.0-py3-none-any.whl'));
});

test("the project's default index: explicit and supplemental sources are not it", () => {
  const doc = (s: string) => parseToml(s) as Record<string, unknown>;
  const poetry = `[[tool.poetry.source]]
name = "private"
url = "https://private.example.invalid/simple/"
priority = "explicit"
[[tool.poetry.source]]
name = "extra"
url = "https://extra.example.invalid/simple/"
priority = "supplemental"
`;
  assert.equal(configIndex(doc(poetry)), undefined);
  assert.equal(
    configIndex(
      doc(`${poetry}[[tool.poetry.source]]\nname = "mirror"\nurl = "https://mirror.example.invalid/simple/"\n`),
    ),
    'https://mirror.example.invalid/simple/',
  );
  const uv = `[[tool.uv.index]]\nname = "torch"\nurl = "https://torch.example.invalid/"\nexplicit = true\n`;
  assert.equal(configIndex(doc(uv)), undefined);
  const pdm = `[[tool.pdm.source]]\nname = "links"\nurl = "https://links.example.invalid/"\ntype = "find_links"\n[[tool.pdm.source]]\nname = "only-ours"\nurl = "https://ours.example.invalid/simple/"\ninclude_packages = ["ours-*"]\n`;
  assert.equal(configIndex(doc(pdm)), undefined);
});

test('index pages are asked with the ~/.netrc credentials of their host', async () => {
  const dir = tempDir();
  const AUTH = 'Basic ' + Buffer.from('bob:n3trc').toString('base64');
  const url = await tinyIndex((a) => a === AUTH);
  writeFileSync(join(dir, 'netrc'), 'machine 127.0.0.1 login bob password n3trc\n');
  const before = process.env.NETRC;
  process.env.NETRC = join(dir, 'netrc');
  try {
    const files = await indexFiles(url, 'tiny-pkg');
    assert.deepEqual(
      files.map((f) => f.sha256),
      [H('e')],
    );
  } finally {
    if (before === undefined) delete process.env.NETRC;
    else process.env.NETRC = before;
  }
});

test('a missing file:// wheel fails at once, naming the file', async () => {
  const dir = tempDir();
  const missing = join(dir, 'numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.whl');
  const started = Date.now();
  await assert.rejects(
    fetchWheels(
      [
        {
          name: 'numpy',
          version: '2.1.0',
          wheel: { filename: basename(missing), url: `file://${missing}`, sha256: H('f') },
        },
      ],
      { cacheDir: dir },
    ),
    (e: Error) => {
      assert.ok(e instanceof UserError);
      assert.equal(e.message, `numpy 2.1.0: ${missing} does not exist`);
      return true;
    },
  );
  assert.ok(Date.now() - started < 200, 'no retries');
});

test('the target cache file names the cache version', () => {
  const hex = H('a');
  assert.equal(basename(targetCacheFile(`sha256:${hex}`)!), `v${TARGET_CACHE_VERSION}-${hex}.json`);
});

const POETRY_20 = `[[package]]
name = "flask"
version = "3.0.0"
optional = false
files = [{ file = "flask-3.0.0-py3-none-any.whl", hash = "sha256:${H('1')}" }]
[package.dependencies]
click = ">=8.1.3"
colorama = { version = "*", markers = "platform_system == \\"Windows\\"" }
[[package]]
name = "click"
version = "8.1.7"
optional = false
files = [{ file = "click-8.1.7-py3-none-any.whl", hash = "sha256:${H('2')}" }]
[[package]]
name = "colorama"
version = "0.4.6"
optional = false
files = [{ file = "colorama-0.4.6-py3-none-any.whl", hash = "sha256:${H('3')}" }]
[[package]]
name = "uvicorn"
version = "0.30.0"
optional = false
files = [{ file = "uvicorn-0.30.0-py3-none-any.whl", hash = "sha256:${H('4')}" }]
[package.dependencies]
httptools = { version = ">=0.5.0", optional = true }
[package.extras]
standard = ["httptools (>=0.5.0)"]
[[package]]
name = "httptools"
version = "0.6.1"
optional = true
files = [{ file = "httptools-0.6.1-py3-none-any.whl", hash = "sha256:${H('5')}" }]
[[package]]
name = "pytest"
version = "8.0.0"
optional = false
files = [{ file = "pytest-8.0.0-py3-none-any.whl", hash = "sha256:${H('6')}" }]
[package.dependencies]
click = "*"
pluggy = "*"
[[package]]
name = "pluggy"
version = "1.4.0"
optional = false
files = [{ file = "pluggy-1.4.0-py3-none-any.whl", hash = "sha256:${H('7')}" }]
[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "x"
`;

test('poetry.lock 2.0 (no groups): main packages walked from pyproject.toml, dev ones left out; refused without it', () => {
  const pyproject = parseToml(`[tool.poetry.dependencies]
python = "^3.11"
flask = "^3.0"
uvicorn = { version = "^0.30", extras = ["standard"] }
[tool.poetry.group.dev.dependencies]
pytest = "^8"
`) as Record<string, unknown>;
  const pkgs = readPoetryLock(POETRY_20, 'poetry.lock', env, { main: poetryMainRoots(pyproject) });
  assert.deepEqual(pkgs.map((p) => p.name).sort(), ['click', 'flask', 'httptools', 'uvicorn']);
  throwsExactly(
    () => readPoetryLock(POETRY_20, 'poetry.lock', env),
    'poetry.lock (lock-version 2.0) does not say which packages are development-only and pyproject.toml names no main dependencies to tell them by: re-lock with Poetry 2 (poetry lock)',
  );
});

test('pdm.lock without per-package groups: refused when it locks more than the default group', () => {
  const lock = (groups: string) => `[metadata]
groups = [${groups}]
lock_version = "4.3"
[[package]]
name = "anyio"
version = "4.0.0"
files = [{ file = "anyio-4.0.0-py3-none-any.whl", hash = "sha256:${H('1')}" }]
[[package]]
name = "pytest"
version = "8.0.0"
files = [{ file = "pytest-8.0.0-py3-none-any.whl", hash = "sha256:${H('2')}" }]
`;
  throwsExactly(
    () => readPdmLock(lock('"default", "dev"'), 'pdm.lock', env),
    'pdm.lock locks the groups default, dev but does not say which packages are development-only: re-lock with pdm 2.8 or later (pdm lock)',
  );
  assert.deepEqual(
    readPdmLock(lock('"default"'), 'pdm.lock', env).map((p) => p.name),
    ['anyio', 'pytest'],
  );
});
