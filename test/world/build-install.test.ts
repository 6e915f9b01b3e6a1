// build's fetch and install against the world's wheel index and this host's pip: real wheels
// (flask and uvicorn with console scripts, markupsafe with a C extension and Root-Is-Purelib false)
// are fetched through the hash-checked cache, installed into layer entries, written out as a venv,
// and compared with what `python -m venv` + `pip install --no-deps --no-compile` makes of the same
// files: the same installed files with the same bytes and modes, the same RECORD rows, and
// launchers that behave the same.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fetchWheels } from '../../src/build/fetch.js';
import { projectEntries } from '../../src/build/project-layer.js';
import type { BuildTarget, FetchedWheel, LayerEntry, ResolvedPackage } from '../../src/build/types.js';
import { venvEntries } from '../../src/build/venv.js';
import { installWheel } from '../../src/build/wheel-install.js';
import { detectProject } from '../../src/project/detect.js';
import { writeEntries } from '../unit/build-entries.js';
import { fixturesDir, loadWorld, tempDir } from './world.js';

const world = loadWorld();
const dir = tempDir('lw-build-install-');
after(() => dir.cleanup());

/** The newest wheel of `name` on the world index matching `pattern`, with its sha256 from the link. */
async function locate(name: string, pattern: RegExp): Promise<ResolvedPackage> {
  const page = await (await fetch(`${world.indexUrl.replace(/\/$/, '')}/${name}/`)).text();
  const links = [...page.matchAll(/href="([^"]+)#sha256=([0-9a-f]{64})"/g)]
    .map((m) => ({ url: new URL(m[1], `${world.indexUrl.replace(/\/$/, '')}/${name}/`).toString(), sha256: m[2] }))
    .filter((l) => pattern.test(l.url.split('/').pop()!));
  const pick = links.at(-1);
  assert.ok(pick, `the world index has no ${name} wheel matching ${pattern}`);
  const filename = decodeURIComponent(pick.url.split('/').pop()!);
  return { name, version: filename.split('-')[1], wheel: { filename, url: pick.url, sha256: pick.sha256 } };
}

const python = execFileSync('python3.11', ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'], {
  encoding: 'utf8',
}).trim();
const version = execFileSync(python, ['-c', 'import platform; print(platform.python_version())'], {
  encoding: 'utf8',
}).trim();
const target: BuildTarget = {
  platform: { os: 'linux', architecture: 'amd64' },
  python: { version, minor: '3.11', executable: python },
  libc: { kind: 'glibc', version: '2.36' },
  tags: [],
};

describe('build install against pip', () => {
  let wheels: Map<string, FetchedWheel>;
  const pipVenv = join(dir.path, 'pip-venv');
  const ourVenv = join(dir.path, 'ours', 'venv');
  const site = (v: string) => join(v, 'lib', 'python3.11', 'site-packages');
  const entries: LayerEntry[] = [];

  before(async () => {
    const pkgs = [
      await locate('flask', /^flask-.*-py3-none-any\.whl$/),
      await locate('uvicorn', /^uvicorn-.*-py3-none-any\.whl$/),
      await locate('markupsafe', /^markupsafe-.*-cp311-cp311-.*manylinux.*x86_64.*\.whl$/),
      // What flask and uvicorn import, so their launchers get past their imports.
      ...(await Promise.all(
        ['werkzeug', 'jinja2', 'itsdangerous', 'click', 'blinker', 'h11'].map((n) => locate(n, /-py3-none-any\.whl$/)),
      )),
    ];
    wheels = await fetchWheels(pkgs, { cacheDir: join(dir.path, 'cache') });
    execFileSync(python, ['-m', 'venv', pipVenv]);
    execFileSync(join(pipVenv, 'bin', 'pip'), [
      'install',
      '--quiet',
      '--no-deps',
      '--no-compile',
      '--no-index',
      ...[...wheels.values()].map((w) => {
        // pip wants the wheel's own file name.
        const named = join(dir.path, w.filename);
        execFileSync('cp', [w.path, named]);
        return named;
      }),
    ]);
    entries.push(...venvEntries(ourVenv.slice(1), target));
    for (const [name, w] of wheels)
      entries.push(...installWheel(w, { venv: ourVenv.slice(1), pythonMinor: '3.11', name }));
    writeEntries('/', entries);
  });

  const distInfoOf = (name: string) => {
    const w = wheels.get(name)!;
    const [dist, ver] = w.filename.split('-');
    return `${dist}-${ver}.dist-info`;
  };
  const recordRows = (venv: string, name: string) =>
    readFileSync(join(site(venv), distInfoOf(name), 'RECORD'), 'utf8')
      .split('\r\n')
      .filter(Boolean);
  const pipOnly = /\.dist-info\/(REQUESTED|direct_url\.json|INSTALLER),/;

  for (const name of [
    'flask',
    'uvicorn',
    'markupsafe',
    'werkzeug',
    'jinja2',
    'itsdangerous',
    'click',
    'blinker',
    'h11',
  ])
    it(`${name}: the same files, bytes, modes and RECORD as pip`, () => {
      const pipRows = recordRows(pipVenv, name).filter((r) => !pipOnly.test(r));
      const ourRows = recordRows(ourVenv, name).filter((r) => !/\.dist-info\/INSTALLER,/.test(r));
      const isLauncher = (r: string) => r.startsWith('../../../bin/');
      // Launchers differ in their shebang only (pip writes the interpreter it ran under).
      assert.deepEqual(
        ourRows.filter((r) => !isLauncher(r)),
        pipRows.filter((r) => !isLauncher(r)),
      );
      assert.deepEqual(
        ourRows.filter(isLauncher).map((r) => r.split(',')[0]),
        pipRows.filter(isLauncher).map((r) => r.split(',')[0]),
      );
      assert.ok(pipRows.length > 5);
      for (const row of pipRows) {
        const rel = row.split(',')[0];
        const ours = join(site(ourVenv), rel);
        const theirs = join(site(pipVenv), rel);
        const a = readFileSync(ours);
        const b = readFileSync(theirs);
        if (isLauncher(row)) {
          const body = (x: Buffer) => x.toString('utf8').split('\n').slice(1).join('\n');
          assert.equal(body(a), body(b), rel);
          assert.equal(a.toString('utf8').split('\n')[0], `#!${ourVenv}/bin/python`);
        } else if (!rel.endsWith('/RECORD')) assert.deepEqual(a, b, rel);
        assert.equal(statSync(ours).mode & 0o111 ? 1 : 0, statSync(theirs).mode & 0o111 ? 1 : 0, `exec bit of ${rel}`);
      }
    });

  it('launchers behave as pip’s do, and the C extension imports', () => {
    for (const [cmd, args] of [
      ['flask', ['--help']],
      ['uvicorn', ['--help']],
      ['uvicorn', ['--no-such-flag']],
    ] as const) {
      const run = (venv: string) => spawnSync(join(venv, 'bin', cmd), [...args], { encoding: 'utf8' });
      const ours = run(ourVenv);
      const theirs = run(pipVenv);
      assert.ok(!/Traceback/.test(ours.stderr), ours.stderr);
      assert.equal(ours.status, theirs.status, `${cmd} ${args.join(' ')}: ${ours.stderr}`);
      assert.equal(ours.stdout, theirs.stdout);
      assert.equal(ours.stderr, theirs.stderr);
      assert.ok((ours.stdout + ours.stderr).length > 50);
    }
    const out = execFileSync(
      join(ourVenv, 'bin', 'python'),
      ['-c', 'import sys, markupsafe._speedups as s, flask; print(sys.prefix, s.__file__.endswith(".so"))'],
      { encoding: 'utf8' },
    );
    assert.equal(out, `${ourVenv} True\n`);
  });

  it('a second fetch takes every wheel from the cache', async () => {
    const pkgs = [...wheels.entries()].map(([name, w]) => ({
      name,
      version: '0',
      // An address nothing answers at: a request would fail.
      wheel: { filename: w.filename, url: 'http://127.0.0.1:9/none.whl', sha256: w.sha256 },
    }));
    const again = await fetchWheels(pkgs, { cacheDir: join(dir.path, 'cache'), attempts: 1 });
    assert.deepEqual(
      [...again.values()].map((w) => w.path),
      [...wheels.values()].map((w) => w.path),
    );
  });
});

// The project's own layer against the wheel its build backend makes: pip builds the fixture's wheel
// (hatchling from the world index), installWheel installs it, and projectEntries must put the same
// code files and launchers in the same places without running any backend.
describe('project layer against the backend’s wheel', () => {
  // The pip of the venv the suite above made (suites run in order).
  const pip = join(dir.path, 'pip-venv', 'bin', 'pip');
  const cases: { fixture: string; member?: string; dists: string[] }[] = [
    { fixture: 'fastapi-uv', dists: ['.'] },
    { fixture: 'data-app', dists: ['.'] },
    { fixture: 'uv-workspace', member: 'acme-api', dists: ['packages/common', 'services/api'] },
  ];
  for (const c of cases)
    it(`${c.fixture}: the same code files and launchers as installing its wheel`, () => {
      const src = join(fixturesDir, c.fixture);
      const out = join(dir.path, `wheels-${c.fixture}`);
      const venv = 'app/.venv';
      const fromWheels: LayerEntry[] = [];
      for (const d of c.dists) {
        const copy = join(dir.path, `src-${c.fixture}-${d.replace(/\W/g, '_')}`);
        execFileSync('cp', ['-r', join(src, d), copy]);
        execFileSync(pip, ['wheel', '--quiet', '--no-deps', '--index-url', world.indexUrl, '--wheel-dir', out, copy]);
      }
      for (const f of readdirSync(out).filter((n) => n.endsWith('.whl'))) {
        const path = join(out, f);
        const w = { filename: f, url: `file://${path}`, path, sha256: '', size: statSync(path).size };
        fromWheels.push(...installWheel(w, { venv, pythonMinor: '3.11', name: f.split('-')[0] }));
      }
      const project = detectProject(src, c.member ? { package: c.member } : {});
      const ours = projectEntries(project, { venv, pythonMinor: '3.11', appDir: 'app' });
      const code = (es: LayerEntry[]) =>
        new Map(es.filter((e) => e.type === 'file' && !e.path.includes('.dist-info/')).map((e) => [e.path, e.data]));
      const a = code(ours);
      const b = code(fromWheels);
      assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
      assert.ok(a.size >= 2);
      for (const [p, data] of b) assert.deepEqual(a.get(p), data, p);
      const distInfos = (es: LayerEntry[]) =>
        [...new Set(es.map((e) => /[^/]+\.dist-info(?=\/)/.exec(e.path)?.[0]).filter(Boolean))].sort();
      assert.deepEqual(distInfos(ours), distInfos(fromWheels));
    });
});
