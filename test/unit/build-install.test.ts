// build's install: a wheel made here (every data scheme, scripts, entry points, modes) installed into
// layer entries, checked entry by entry and then run by this host's Python from a venv written out of
// venvEntries; the venv skeleton against what `python -m venv --without-pip` writes here; the
// project's own layer from the fixtures.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { projectEntries } from '../../src/build/project-layer.js';
import type { BuildTarget, FetchedWheel, LayerEntry } from '../../src/build/types.js';
import { venvEntries } from '../../src/build/venv.js';
import { installWheel } from '../../src/build/wheel-install.js';
import { UserError } from '../../src/errors.js';
import { detectProject } from '../../src/project/detect.js';
import { makeZip, writeEntries, type ZipIn } from './build-entries.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-build-install-'));
mkdirSync(join(tmp, 'zip64'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function wheelFile(name: string, members: ZipIn[], zip64 = false): FetchedWheel {
  const path = join(tmp, name);
  const bytes = makeZip(members, zip64);
  writeFileSync(path, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { filename: name, url: `file://${path}`, path, sha256, size: bytes.length };
}

const DI = 'demo_pkg-1.0.dist-info';
const demoMembers: ZipIn[] = [
  { name: 'demo/__init__.py', data: 'VALUE = 41\n' },
  {
    name: 'demo/cli.py',
    data: 'import sys\nclass Obj:\n    @staticmethod\n    def run():\n        print("gui", sys.argv[0].rsplit("/", 1)[-1])\ndef main():\n    print("hello", sys.argv[1:])\n    return 3\n',
  },
  { name: 'demo/tool.sh', data: '#!/bin/sh\necho tool\n', mode: 0o755, stored: true },
  { name: 'demo_pkg-1.0.data/scripts/demo-tool', data: '#!python3 -u\nprint("data script")\n', mode: 0o644 },
  { name: 'demo_pkg-1.0.data/scripts/plain.sh', data: '#!/bin/sh\necho plain\n', mode: 0o755 },
  { name: 'demo_pkg-1.0.data/data/share/demo/x.txt', data: 'data\n' },
  { name: 'demo_pkg-1.0.data/headers/demo.h', data: '#define DEMO 1\n' },
  { name: 'demo_pkg-1.0.data/platlib/demo_ext.py', data: 'EXT = True\n' },
  { name: `${DI}/METADATA`, data: 'Metadata-Version: 2.1\nName: demo-pkg\nVersion: 1.0\n' },
  { name: `${DI}/WHEEL`, data: 'Wheel-Version: 1.0\nRoot-Is-Purelib: false\nTag: py3-none-any\n' },
  {
    name: `${DI}/entry_points.txt`,
    data: '[console_scripts]\ndemo = demo.cli:main\n\n[gui_scripts]\ndemo-gui = demo.cli:Obj.run\n\n[demo.plugins]\nx = y:z\n',
  },
  { name: `${DI}/RECORD`, data: 'stale,,\n' },
];

const venv = 'app/.venv';
const site = `${venv}/lib/python3.11/site-packages`;
const byPath = (entries: LayerEntry[]) => new Map(entries.map((e) => [e.path, e]));

describe('installWheel', () => {
  const wheel = wheelFile('demo_pkg-1.0-py3-none-any.whl', demoMembers);
  const entries = installWheel(wheel, { venv, pythonMinor: '3.11', name: 'demo-pkg' });
  const map = byPath(entries);
  const text = (p: string) => map.get(p)?.data?.toString('utf8');

  it('puts every scheme where pip puts it', () => {
    const files = entries.filter((e) => e.type === 'file').map((e) => e.path);
    assert.deepEqual(files, [
      'app/.venv/bin/demo',
      'app/.venv/bin/demo-gui',
      'app/.venv/bin/demo-tool',
      'app/.venv/bin/plain.sh',
      'app/.venv/include/site/python3.11/demo-pkg/demo.h',
      `${site}/demo/__init__.py`,
      `${site}/demo/cli.py`,
      `${site}/demo/tool.sh`,
      `${site}/demo_ext.py`,
      `${site}/${DI}/INSTALLER`,
      `${site}/${DI}/METADATA`,
      `${site}/${DI}/RECORD`,
      `${site}/${DI}/WHEEL`,
      `${site}/${DI}/entry_points.txt`,
      'app/.venv/share/demo/x.txt',
    ]);
    assert.equal(text(`${site}/${DI}/INSTALLER`), 'layerwise\n');
  });

  it('lists every parent directory, sorted, with modes from the zip', () => {
    const paths = entries.map((e) => e.path);
    assert.deepEqual(paths, [...paths].sort());
    for (const e of entries)
      for (let p = e.path; p.includes('/');) {
        p = p.slice(0, p.lastIndexOf('/'));
        assert.equal(map.get(p)?.type, 'dir', `parent ${p} of ${e.path}`);
      }
    assert.ok(map.has('app') && map.has('app/.venv/lib/python3.11'));
    assert.equal(map.get(`${site}/demo/tool.sh`)?.mode, 0o755);
    assert.equal(map.get(`${site}/demo/cli.py`)?.mode, 0o644);
    assert.equal(map.get('app/.venv/bin/demo-tool')?.mode, 0o755);
    assert.equal(map.get('app/.venv/bin/demo')?.mode, 0o755);
    assert.equal(map.get(`${site}/demo`)?.mode, 0o755);
  });

  it('rewrites a #!python line of a data script and leaves other scripts alone', () => {
    assert.equal(text('app/.venv/bin/demo-tool'), '#!/app/.venv/bin/python\nprint("data script")\n');
    assert.equal(text('app/.venv/bin/plain.sh'), '#!/bin/sh\necho plain\n');
  });

  it('writes a RECORD whose rows hash every installed file, launchers included', () => {
    const rows = text(`${site}/${DI}/RECORD`)!.split('\r\n').filter(Boolean);
    assert.ok(rows.includes(`${DI}/RECORD,,`));
    const listed = new Set<string>();
    for (const row of rows) {
      const [rel, hash, size] = row.split(',');
      listed.add(rel);
      if (rel === `${DI}/RECORD`) continue;
      const abs = join(site, rel).replace(/\\/g, '/');
      const data = map.get(abs)?.data;
      assert.ok(data, `RECORD names ${rel}, which is not installed`);
      assert.equal(hash, 'sha256=' + createHash('sha256').update(data).digest('base64url'));
      assert.equal(Number(size), data.length);
    }
    assert.ok(listed.has('../../../bin/demo') && listed.has('../../../share/demo/x.txt'));
    assert.equal(listed.size, entries.filter((e) => e.type === 'file').length);
    assert.deepEqual(
      rows.map((r) => r.split(',')[0]),
      [...listed].sort(),
    );
  });

  it('reads a zip64 wheel the same', () => {
    const w = wheelFile('zip64/demo_pkg-1.0-py3-none-any.whl', demoMembers, true);
    const again = installWheel(w, { venv, pythonMinor: '3.11', name: 'demo-pkg' });
    assert.deepEqual(again, entries);
  });

  it('refuses entries that leave the venv, naming the wheel and the entry', () => {
    for (const bad of ['../evil.py', '/etc/evil.py', 'demo/../../evil.py']) {
      const w = wheelFile(`bad-${bad.length}.whl`, [...demoMembers, { name: bad, data: 'x' }]);
      assert.throws(
        () => installWheel(w, { venv, pythonMinor: '3.11', name: 'demo-pkg' }),
        (e: unknown) => e instanceof UserError && e.message.includes(w.filename) && e.message.includes(bad),
      );
    }
  });

  it('runs: launchers and data scripts work from a venv written out of the entries', () => {
    const python = hostPython();
    const root = join(tmp, 'root');
    const v = `${root.slice(1)}/venv`;
    const target = hostTarget(python);
    writeEntries('/', [
      ...venvEntries(v, target),
      ...installWheel(wheel, { venv: v, pythonMinor: target.python.minor, name: 'demo-pkg' }),
    ]);
    const run = (cmd: string, args: string[]) => {
      try {
        return { out: execFileSync(`/${v}/bin/${cmd}`, args, { encoding: 'utf8' }), code: 0 };
      } catch (e) {
        const err = e as { stdout: string; status: number };
        return { out: err.stdout, code: err.status };
      }
    };
    assert.deepEqual(run('demo', ['a', 'b']), { out: "hello ['a', 'b']\n", code: 3 });
    assert.deepEqual(run('demo-gui', []), { out: 'gui demo-gui\n', code: 0 });
    assert.deepEqual(run('demo-tool', []), { out: 'data script\n', code: 0 });
    const imported = execFileSync(
      `/${v}/bin/python`,
      ['-c', 'import demo, demo_ext, sys; print(demo.VALUE, demo_ext.EXT, sys.prefix)'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(imported, `41 True /${v}\n`);
  });
});

function hostPython(): string {
  return execFileSync('python3.11', ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'], {
    encoding: 'utf8',
  }).trim();
}

function hostTarget(python: string): BuildTarget {
  const version = execFileSync(python, ['-c', 'import platform; print(platform.python_version())'], {
    encoding: 'utf8',
  }).trim();
  return {
    platform: { os: 'linux', architecture: 'amd64' },
    python: { version, minor: version.split('.').slice(0, 2).join('.'), executable: python },
    libc: { kind: 'glibc', version: '2.36' },
    tags: ['py3-none-any'],
  };
}

describe('venvEntries', () => {
  it('matches what python -m venv --without-pip writes on this host (less the activate scripts)', () => {
    const python = hostPython();
    const target = hostTarget(python);
    const real = join(tmp, 'real-venv');
    execFileSync(python, ['-m', 'venv', '--without-pip', real]);
    const ours = join(tmp, 'ours');
    const v = `${ours.slice(1)}/real-venv`;
    writeEntries(
      '/',
      venvEntries(v, target).filter((e) => e.path.startsWith(v)),
    );
    const listing = (dir: string): string[] => {
      const out: string[] = [];
      const walk = (rel: string) => {
        for (const n of readdirSync(join(dir, rel)).sort()) {
          const r = rel ? `${rel}/${n}` : n;
          const st = statSync(join(dir, r), { throwIfNoEntry: false });
          const lst = readlinkOr(join(dir, r));
          if (/^bin\/(activate|Activate)/.test(r)) continue;
          out.push(lst !== undefined ? `${r} -> ${lst}` : `${r} ${st?.isDirectory() ? 'dir' : 'file'}`);
          if (lst === undefined && st?.isDirectory()) walk(r);
        }
      };
      walk('');
      return out;
    };
    assert.deepEqual(listing(join('/', v)), listing(real));
    const cfg = (p: string) =>
      readFileSync(join(p, 'pyvenv.cfg'), 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('command'));
    assert.deepEqual(cfg(join('/', v)), cfg(real));
  });
});

function readlinkOr(p: string): string | undefined {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
}

describe('projectEntries', () => {
  const fixtures = join(process.cwd(), 'test', 'fixtures', 'projects');
  const opts = { venv, pythonMinor: '3.11', appDir: 'app' };

  it('installs a package into site-packages with its dist-info and launcher', () => {
    const project = detectProject(join(fixtures, 'fastapi-uv'));
    assert.equal(project.isPackage, true);
    const entries = projectEntries(project, opts);
    const map = byPath(entries);
    const files = entries.filter((e) => e.type === 'file').map((e) => e.path);
    const di = `${site}/shop_api-0.3.1.dist-info`;
    assert.deepEqual(files, [
      'app/.venv/bin/shop-api',
      `${di}/INSTALLER`,
      `${di}/METADATA`,
      `${di}/RECORD`,
      `${di}/WHEEL`,
      `${di}/entry_points.txt`,
      `${site}/shop_api/__init__.py`,
      `${site}/shop_api/main.py`,
    ]);
    assert.deepEqual(
      map.get(`${site}/shop_api/main.py`)?.data,
      readFileSync(join(fixtures, 'fastapi-uv/src/shop_api/main.py')),
    );
    const meta = map.get(`${di}/METADATA`)!.data!.toString();
    assert.match(meta, /^Name: shop-api$/m);
    assert.match(meta, /^Version: 0\.3\.1$/m);
    assert.match(meta, /^Requires-Dist: fastapi>=0\.110$/m);
    assert.match(
      map.get('app/.venv/bin/shop-api')!.data!.toString(),
      /from shop_api\.main import run\n[\s\S]*sys\.exit\(run\(\)\)/,
    );
    assert.match(map.get(`${di}/RECORD`)!.data!.toString(), /^\.\.\/\.\.\/\.\.\/bin\/shop-api,sha256=/m);
  });

  it('installs a workspace member and the members it depends on, each with its own dist-info', () => {
    const project = detectProject(join(fixtures, 'uv-workspace'), { package: 'acme-api' });
    const files = projectEntries(project, opts)
      .filter((e) => e.type === 'file')
      .map((e) => e.path);
    assert.deepEqual(
      files.filter((f) => !f.includes('.dist-info/')),
      ['app/.venv/bin/acme-api', `${site}/acme_api/__init__.py`, `${site}/acme_common/__init__.py`],
    );
    assert.ok(files.includes(`${site}/acme_common-0.2.0.dist-info/RECORD`));
    assert.ok(files.includes(`${site}/acme_api-0.5.0.dist-info/entry_points.txt`));
    assert.ok(!files.some((f) => f.includes('worker')));
  });

  it('copies an app that is not a package under the app dir, without __pycache__', () => {
    const dir = join(fixtures, 'flask-procfile');
    const project = detectProject(dir);
    assert.equal(project.isPackage, false);
    const pyc = join(dir, 'catalog', '__pycache__');
    const entries = projectEntries(project, opts);
    const files = entries.filter((e) => e.type === 'file').map((e) => e.path);
    assert.ok(files.includes('app/catalog/views.py'), files.join(' '));
    assert.ok(files.includes('app/wsgi.py'));
    assert.ok(files.every((f) => f.startsWith('app/') && !f.includes('__pycache__') && !f.startsWith('app/.venv')));
    assert.ok(!existsSync(pyc) || !files.some((f) => f.includes('__pycache__')));
  });

  // A copy of an app that is not a package, with the top-level files its start command needs.
  function appCopy(): string {
    const dir = mkdtempSync(join(tmpdir(), 'build-app-'));
    cpSync(join(fixtures, 'flask-procfile'), dir, { recursive: true });
    writeFileSync(join(dir, 'alembic.ini'), '[alembic]\n');
    writeFileSync(join(dir, 'config.yaml'), 'debug: false\n');
    writeFileSync(join(dir, 'settings.json'), '{}\n');
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n');
    writeFileSync(join(dir, '.env'), 'SECRET=1\n');
    writeFileSync(join(dir, 'local.db'), 'db');
    return dir;
  }
  const appFiles = (dir: string) =>
    new Map(
      projectEntries(detectProject(dir), opts)
        .filter((e) => e.type === 'file')
        .map((e) => [e.path, e.mode]),
    );

  it('copies every file of an app the .dockerignore lets through, less the dependency files', () => {
    const dir = appCopy();
    try {
      let files = appFiles(dir);
      for (const f of ['alembic.ini', 'config.yaml', 'settings.json', 'run.sh', 'Procfile', 'wsgi.py'])
        assert.ok(files.has(`app/${f}`), `${f}: ${[...files.keys()].join(' ')}`);
      // init's rules (no .dockerignore here): no secrets, no local database; the manifests and the lock
      // ship in their own layers.
      for (const f of ['.env', 'local.db', 'pyproject.toml', 'uv.lock']) assert.ok(!files.has(`app/${f}`), f);
      // The project's own .dockerignore wins over init's rules.
      writeFileSync(join(dir, '.dockerignore'), 'config.yaml\n');
      files = appFiles(dir);
      assert.ok(!files.has('app/config.yaml') && files.has('app/local.db'));
      assert.ok(files.has('app/alembic.ini') && files.has('app/.env') && !files.has('app/uv.lock'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('in git: only tracked files, modes as git has them; a work tree git cannot read is an error', () => {
    const dir = appCopy();
    const git = (...a: string[]) =>
      execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { stdio: 'pipe' });
    try {
      writeFileSync(join(dir, '.gitignore'), '.env\n*.db\n');
      git('init', '-q');
      git('add', '-A');
      git('commit', '-qm', 'x');
      chmodSync(join(dir, 'run.sh'), 0o755); // the working tree says 755, git says 644
      writeFileSync(join(dir, 'untracked.yaml'), 'x: 1\n');
      const files = appFiles(dir);
      assert.equal(files.get('app/run.sh'), 0o644);
      assert.ok(files.has('app/alembic.ini') && files.has('app/catalog/views.py'));
      assert.ok(!files.has('app/local.db') && !files.has('app/untracked.yaml') && !files.has('app/.env'));
      git('update-index', '--chmod=+x', 'run.sh');
      assert.equal(appFiles(dir).get('app/run.sh'), 0o755);
      // git cannot read the work tree: one UserError naming git's error, never every file.
      const gitDir = join(dir, '.git');
      renameSync(gitDir, `${gitDir}.x`);
      writeFileSync(gitDir, `gitdir: ${join(dir, 'nowhere')}\n`);
      assert.throws(
        () => appFiles(dir),
        (e: unknown) => e instanceof UserError && /git ls-files.*failed \(fatal: not a git repository/.test(e.message),
      );
      const path = process.env.PATH;
      process.env.PATH = join(dir, 'no-bin');
      try {
        assert.throws(
          () => appFiles(dir),
          (e: unknown) => e instanceof UserError && /git is not installed/.test(e.message),
        );
      } finally {
        process.env.PATH = path;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
