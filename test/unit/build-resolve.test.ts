import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readRequirements } from '../../src/build/lock-files.js';
import { evalMarker, targetEnv } from '../../src/build/markers.js';
import { requireWheels, resolvePackages } from '../../src/build/resolve.js';
import { compatibleTags } from '../../src/build/tags.js';
import type { BuildTarget } from '../../src/build/types.js';
import { UserError } from '../../src/errors.js';
import { detectProject } from '../../src/project/index.js';
import { findRoot } from './repo.js';

const fixtures = join(findRoot(), 'test', 'fixtures', 'projects');

function target(arch: 'amd64' | 'arm64', python = '3.11.2', glibc = '2.36'): BuildTarget {
  const t: Omit<BuildTarget, 'tags'> = {
    platform: { os: 'linux', architecture: arch },
    python: { version: python, minor: python.split('.').slice(0, 2).join('.'), executable: '/usr/bin/python3.11' },
    libc: { kind: 'glibc', version: glibc },
  };
  return { ...t, tags: compatibleTags(t) };
}

/** sha256 of each file URL, read from the lock text itself (uv.lock `{ url = ..., hash = ... }`). */
function lockHashes(lock: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of lock.matchAll(/url = "([^"]+)", hash = "sha256:([0-9a-f]{64})"/g)) out.set(m[1], m[2]);
  return out;
}

const tmp: string[] = [];
const servers: Server[] = [];
after(() => {
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
  for (const s of servers) s.close();
});

test('fastapi-uv uv.lock: production packages only, each wheel with the URL and hash the lock pins', async () => {
  const project = detectProject(join(fixtures, 'fastapi-uv'));
  const pkgs = await resolvePackages(project, target('amd64'));
  const names = pkgs.map((p) => p.name);
  for (const n of ['fastapi', 'uvicorn', 'starlette', 'pydantic', 'pydantic-core', 'anyio', 'click', 'h11'])
    assert.ok(names.includes(n), `${n} is installed`);
  for (const n of ['pytest', 'pluggy', 'iniconfig', 'pygments', 'colorama', 'shop-api'])
    assert.ok(!names.includes(n), `${n} is not (dev group, win32 marker or the project itself)`);
  const hashes = lockHashes(readFileSync(join(fixtures, 'fastapi-uv', 'uv.lock'), 'utf8'));
  for (const p of pkgs) {
    assert.ok(p.wheel, `${p.name} has a wheel`);
    assert.equal(hashes.get(p.wheel.url!), p.wheel.sha256, `${p.name}: hash from the lock`);
    assert.ok(p.wheel.filename.startsWith(p.name.replace(/-/g, '_')), p.wheel.filename);
  }
  assert.deepEqual(names, [...names].sort(), 'sorted by name');
  const core = pkgs.find((p) => p.name === 'pydantic-core')!;
  assert.match(core.wheel!.filename, /cp311-cp311-manylinux.*x86_64\.whl$/);
});

test('monorepo-uv: the member install follows the extras dependencies request (fastapi[standard], psycopg[binary])', async () => {
  const project = detectProject(join(fixtures, 'monorepo-uv'));
  const names = (await resolvePackages(project, target('amd64'))).map((p) => p.name);
  assert.ok(
    names.includes('psycopg-binary'),
    'psycopg[binary] brings psycopg-binary (marker implementation_name holds)',
  );
  assert.ok(names.includes('uvloop'), 'uvicorn[standard] brings uvloop (marker: not win32, not PyPy)');
  assert.ok(!names.includes('backend') && !names.includes('shop-common'), 'members are the project layer');
  assert.ok(!names.includes('colorama') && !names.includes('tzdata'), 'win32-only dependencies left out');
});

test('data-app on arm64: numpy, pandas, pyarrow have only x86_64 wheels: requireWheels names each', async () => {
  const project = detectProject(join(fixtures, 'data-app'));
  const amd = await resolvePackages(project, target('amd64'));
  const numpy = amd.find((p) => p.name === 'numpy')!;
  assert.equal(numpy.wheel?.filename, 'numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl');
  requireWheels(amd, target('amd64'));
  const arm = await resolvePackages(project, target('arm64'));
  const missing = arm.filter((p) => !p.wheel).map((p) => p.name);
  assert.deepEqual(missing, ['numpy', 'pandas', 'pyarrow']);
  assert.ok(arm.filter((p) => p.wheel).every((p) => p.wheel!.filename.endsWith('-none-any.whl')));
  assert.throws(
    () => requireWheels(arm, target('arm64')),
    (e: Error) =>
      e instanceof UserError &&
      !e.message.includes('\n') &&
      /numpy 2\.4\.6: no wheel for cp311 manylinux_2_36 aarch64; the lock has: manylinux_2_27_x86_64, manylinux_2_28_x86_64/.test(
        e.message,
      ) &&
      /pandas 3\.0\.6/.test(e.message) &&
      /pyarrow 25\.0\.1/.test(e.message),
  );
  // The lock is for ==3.11.*: a 3.12 base is refused in one line.
  await assert.rejects(
    resolvePackages(project, target('amd64', '3.12.7')),
    (e: Error) =>
      e instanceof UserError && /^uv\.lock is for Python ==3\.11\.\* but the base image has 3\.12\.7/.test(e.message),
  );
  // Old glibc: numpy's manylinux_2_27 wheel cannot run on glibc 2.17.
  const old = await resolvePackages(project, target('amd64', '3.11.2', '2.17'));
  assert.equal(old.find((p) => p.name === 'numpy')!.wheel, null);
});

/** A simple index on localhost serving `files` (name -> [filename, sha256]) as PEP 691 JSON or PEP 503 HTML. */
async function index(files: Map<string, [string, string][]>, json: Set<string>): Promise<string> {
  const server = createServer((req, res) => {
    const name = /^\/simple\/([^/]+)\/$/.exec(req.url ?? '')?.[1];
    const list = name ? files.get(name) : undefined;
    if (!list) return void res.writeHead(404).end();
    if (json.has(name!) && /vnd\.pypi\.simple\.v1\+json/.test(req.headers.accept ?? '')) {
      res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
      res.end(
        JSON.stringify({
          files: list.map(([f, h]) => ({ filename: f, url: `../../files/${f}`, hashes: { sha256: h } })),
        }),
      );
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(list.map(([f, h]) => `<a href="/files/${f}#sha256=${h}">${f}</a><br/>`).join('\n'));
    }
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/simple/`;
}

test('pdm-starlette pdm.lock: default group only; URLs found on the index by hash (JSON and HTML pages)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b1-pdm-'));
  tmp.push(dir);
  cpSync(join(fixtures, 'pdm-starlette'), dir, { recursive: true });
  const lock = readFileSync(join(dir, 'pdm.lock'), 'utf8');
  const files = new Map<string, [string, string][]>();
  for (const m of lock.matchAll(/name = "([^"]+)"[\s\S]*?files = \[([\s\S]*?)\]/g))
    files.set(
      m[1],
      [...m[2].matchAll(/file = "([^"]+)", hash = "sha256:([0-9a-f]{64})"/g)].map((f) => [f[1], f[2]]),
    );
  // A decoy with another hash: the lock's hash, not the name, decides.
  files.get('starlette')!.unshift(['starlette-1.7.0-py3-none-any.whl', 'f'.repeat(64)]);
  const url = await index(files, new Set(['anyio', 'starlette', 'uvicorn']));
  // The source names its URL through an environment variable, as pdm allows.
  process.env.B1_TEST_INDEX = url;
  const py = readFileSync(join(dir, 'pyproject.toml'), 'utf8').replace(/url = "[^"]+"/, 'url = "${B1_TEST_INDEX}"');
  writeFileSync(join(dir, 'pyproject.toml'), py);
  const pkgs = await resolvePackages(detectProject(dir), target('amd64'));
  assert.deepEqual(
    pkgs.map((p) => p.name),
    ['anyio', 'click', 'h11', 'idna', 'starlette', 'typing-extensions', 'uvicorn'],
  );
  for (const p of pkgs) {
    const [file, sha] = files.get(p.name)!.find(([, h]) => h === p.wheel!.sha256)!;
    assert.equal(p.wheel!.url, `${url.replace('/simple/', '/files/')}${file}`);
    assert.equal(sha, p.wheel!.sha256);
  }
});

test('a lock without hashes is refused in one line; requirements markers and hashes are read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b1-req-'));
  tmp.push(dir);
  writeFileSync(join(dir, 'requirements.txt'), 'flask==3.1.3\nblinker==1.9.0\n');
  writeFileSync(join(dir, 'app.py'), 'import flask\n');
  const project = detectProject(dir);
  await assert.rejects(
    resolvePackages(project, target('amd64')),
    (e: Error) =>
      e instanceof UserError &&
      /no hash for flask 3\.1\.3, blinker 1\.9\.0/.test(e.message) &&
      !e.message.includes('\n'),
  );
  const env = targetEnv(target('arm64'));
  const r = readRequirements(
    [
      '--index-url http://127.0.0.1:9/simple/',
      `a==1.0 ; platform_machine == "aarch64" \\\n    --hash=sha256:${'a'.repeat(64)} \\\n    --hash=sha256:${'b'.repeat(64)}`,
      `b==2.0 ; python_version < "3.11" --hash=sha256:${'c'.repeat(64)}`,
      `c[x]==3.0 --hash=sha256:${'d'.repeat(64)}`,
    ].join('\n'),
    env,
  );
  assert.equal(r.index, 'http://127.0.0.1:9/simple/');
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.files.length]),
    [
      ['a', '1.0', 2],
      ['c', '3.0', 1],
    ],
  );
});

test('markers are evaluated for the target, not this host', () => {
  const arm = targetEnv(target('arm64', '3.11.9'));
  const yes = [
    "platform_machine == 'aarch64'",
    "sys_platform == 'linux' and python_version >= '3.10'",
    'python_full_version >= "3.11.4" and python_version < "3.12"',
    "implementation_name != 'pypy' and (sys_platform == 'darwin' or platform_system == 'Linux')",
    "python_version == '3.11.*'",
    "python_version ~= '3.8'",
    "'linux' in sys_platform",
  ];
  const no = [
    "platform_machine == 'x86_64'",
    "sys_platform == 'win32' or sys_platform == 'emscripten'",
    'python_full_version < "3.11.4"',
    "extra == 'dev'",
    "platform_python_implementation == 'PyPy'",
    "python_version not in '3.10, 3.11'",
  ];
  for (const m of yes) assert.equal(evalMarker(m, arm), true, m);
  for (const m of no) assert.equal(evalMarker(m, arm), false, m);
  assert.equal(evalMarker("extra == 'Fast_API'", targetEnv(target('amd64'), ['fast-api'])), true);
  assert.throws(() => evalMarker('python_version >', arm), UserError);
});

test('uv-workspace: the selected member and the members it uses are the project layer; their dependencies are packages', async () => {
  const project = detectProject(join(fixtures, 'uv-workspace'));
  const names = (await resolvePackages(project, target('amd64'))).map((p) => p.name);
  for (const n of ['fastapi', 'uvicorn', 'pydantic']) assert.ok(names.includes(n), n);
  for (const n of ['acme-api', 'acme-common', 'acme-worker', 'acme-platform']) assert.ok(!names.includes(n), n);
});

test('pylock.toml: markers with the default groups, wheels chosen by tag, hashes from the hashes table', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'b1-pylock-'));
  tmp.push(dir);
  const h = (c: string) => c.repeat(64);
  writeFileSync(
    join(dir, 'pyproject.toml'),
    '[project]\nname = "svc"\nversion = "1.0"\ndependencies = ["orjson"]\n[dependency-groups]\ndev = ["pytest"]\n',
  );
  writeFileSync(
    join(dir, 'pylock.toml'),
    [
      'lock-version = "1.0"',
      'created-by = "hand"',
      'default-groups = ["default"]',
      '[[packages]]',
      'name = "orjson"',
      'version = "3.10.0"',
      'wheels = [',
      `  { name = "orjson-3.10.0-cp311-cp311-manylinux_2_17_aarch64.whl", url = "https://files.example/o-arm.whl", hashes = { sha256 = "${h('1')}" } },`,
      `  { name = "orjson-3.10.0-cp311-cp311-manylinux_2_17_x86_64.whl", url = "https://files.example/o-x86.whl", size = 140000, hashes = { sha256 = "${h('2')}" } },`,
      ']',
      `sdist = { name = "orjson-3.10.0.tar.gz", url = "https://files.example/o.tar.gz", hashes = { sha256 = "${h('3')}" } }`,
      '[[packages]]',
      'name = "pytest"',
      'version = "8.0.0"',
      `marker = "'dev' in dependency_groups"`,
      `wheels = [{ name = "pytest-8.0.0-py3-none-any.whl", url = "https://files.example/p.whl", hashes = { sha256 = "${h('4')}" } }]`,
      '[[packages]]',
      'name = "pywin32"',
      'version = "306"',
      `marker = "sys_platform == 'win32'"`,
      `wheels = [{ name = "pywin32-306-cp311-cp311-win_amd64.whl", url = "https://files.example/w.whl", hashes = { sha256 = "${h('5')}" } }]`,
      '',
    ].join('\n'),
  );
  const project = { ...detectProject(dir), lockFile: 'pylock.toml' };
  const pkgs = await resolvePackages(project, target('amd64'));
  assert.deepEqual(
    pkgs.map((p) => p.name),
    ['orjson'],
  );
  assert.deepEqual(pkgs[0].wheel, {
    filename: 'orjson-3.10.0-cp311-cp311-manylinux_2_17_x86_64.whl',
    url: 'https://files.example/o-x86.whl',
    sha256: h('2'),
    size: 140000,
  });
  assert.equal(pkgs[0].sdist?.sha256, h('3'));
  const arm = await resolvePackages(project, target('arm64'));
  assert.equal(arm[0].wheel?.sha256, h('1'));
});

test('an index URL with user:password@ is asked with a Basic header; HTML links resolve against the page', async () => {
  const { indexFiles } = await import('../../src/build/simple-index.js');
  let auth = '';
  const server = createServer((req, res) => {
    auth = req.headers.authorization ?? '';
    if (auth !== `Basic ${Buffer.from('me:s3cret').toString('base64')}`) return void res.writeHead(401).end();
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      `<a href="../../f/tiny_pkg-1.0-py3-none-any.whl#sha256=${'e'.repeat(64)}" data-requires-python="&gt;=3.8">tiny_pkg-1.0-py3-none-any.whl</a>`,
    );
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const files = await indexFiles(`http://me:s3cret@127.0.0.1:${port}/simple`, 'Tiny.Pkg');
  assert.deepEqual(files, [
    {
      filename: 'tiny_pkg-1.0-py3-none-any.whl',
      url: `http://me:s3cret@127.0.0.1:${port}/f/tiny_pkg-1.0-py3-none-any.whl`,
      sha256: 'e'.repeat(64),
    },
  ]);
});
