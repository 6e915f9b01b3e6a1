import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../../src/errors.js';
import { detectProject, splitCommand } from '../../../src/project/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'projects');
const fx = (name: string, opts = {}) => detectProject(join(fixtures, name), opts);

function scratch(files: Record<string, string>): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lw-project-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('project model on the fixtures', () => {
  it('fastapi-uv: uv, uv.lock, src layout, FastAPI under uvicorn, /health', () => {
    const p = fx('fastapi-uv');
    assert.equal(p.manager, 'uv');
    assert.equal(p.lockFile, 'uv.lock');
    assert.deepEqual(p.depFiles, ['pyproject.toml', 'uv.lock']);
    assert.deepEqual(p.python, { version: '3.11', source: '.python-version' });
    assert.equal(p.isPackage, true);
    assert.equal(p.buildBackend, 'hatchling.build');
    assert.deepEqual(p.packageDirs, ['src/shop_api']);
    assert.deepEqual(p.app.command, ['uvicorn', 'shop_api.main:app', '--host', '0.0.0.0', '--port', '8000']);
    assert.equal(p.app.healthPath, '/health');
    assert.deepEqual(p.buildFiles, ['README.md']);
    assert.deepEqual(p.testDirs, ['tests']);
    assert.deepEqual(p.devGroups, ['dev']);
  });

  it('django-poetry: poetry version from the lock header, package-mode false, gunicorn on the WSGI module', () => {
    const p = fx('django-poetry');
    assert.equal(p.manager, 'poetry');
    assert.equal(p.managerVersion, '2.5.1');
    assert.equal(p.isPackage, false);
    assert.equal(p.app.kind, 'django');
    assert.deepEqual(p.app.command, ['gunicorn', '--bind', '0.0.0.0:8000', 'mysite.wsgi:application']);
    assert.deepEqual(p.app.env, { DJANGO_SETTINGS_MODULE: 'mysite.settings' });
    assert.equal(p.app.healthPath, '/health/');
    assert.deepEqual(p.packageDirs, ['health', 'mysite']);
  });

  it('flask-piptools: pip-tools output with hashes, Python from the pip-compile header, gunicorn.conf.py', () => {
    const p = fx('flask-piptools');
    assert.equal(p.manager, 'pip-tools');
    assert.equal(p.hashes, true);
    assert.deepEqual(p.depFiles, ['requirements.txt']);
    assert.deepEqual(p.python, { version: '3.11', source: 'the pip-compile header' });
    assert.deepEqual(p.app.command, ['gunicorn', 'app:app']);
    assert.equal(p.layout, 'flat');
  });

  it('pdm-starlette: pdm, distribution false, Starlette under uvicorn', () => {
    const p = fx('pdm-starlette');
    assert.equal(p.manager, 'pdm');
    assert.equal(p.isPackage, false);
    assert.equal(p.app.framework, 'starlette');
    assert.equal(p.app.command[1], 'status_board.app:app');
  });

  it('scm-version: setuptools_scm dynamic version, console script', () => {
    const p = fx('scm-version');
    assert.deepEqual(p.dynamicVersion, { tool: 'setuptools_scm', env: 'SETUPTOOLS_SCM_PRETEND_VERSION' });
    assert.equal(p.app.kind, 'cli');
    assert.deepEqual(p.app.command, ['greeter']);
  });

  it('uv-workspace: members, the api service selected with the library it needs', () => {
    const p = fx('uv-workspace');
    assert.equal(p.layout, 'workspace');
    assert.deepEqual(
      p.workspace?.members.map((m) => m.name),
      ['acme-common', 'acme-api', 'acme-worker'],
    );
    assert.equal(p.workspace?.selected?.name, 'acme-api');
    assert.deepEqual(
      p.workspace?.install.map((m) => m.dir),
      ['packages/common', 'services/api'],
    );
    assert.ok(p.depFiles.includes('services/worker/pyproject.toml'));
    assert.deepEqual(p.app.command.slice(0, 2), ['uvicorn', 'acme_api:app']);
    const w = fx('uv-workspace', { package: 'acme-worker' });
    assert.deepEqual(w.app.command, ['acme-worker']);
    assert.throws(() => fx('uv-workspace', { package: 'nope' }), UserError);
  });

  it('data-app: heavy dependencies, console script, no system packages needed (wheels)', () => {
    const p = fx('data-app');
    assert.ok(p.dependencies.includes('pyarrow'));
    assert.deepEqual(p.app.command, ['data-app']);
    assert.deepEqual(p.systemPackages, { build: [], run: [], because: [], bundled: [] });
  });

  it('flags override detection', () => {
    const p = fx('fastapi-uv', { python: '3.12', port: 9000, cmd: 'shop-api --verbose "a b"' });
    assert.deepEqual(p.python, { version: '3.12', source: '--python' });
    assert.deepEqual(p.app.command, ['shop-api', '--verbose', 'a b']);
    assert.equal(p.app.port, 9000);
    assert.equal(fx('flask-piptools', { manager: 'pip' }).manager, 'pip');
  });
});

describe('project model on made-up projects', () => {
  it('system packages for psycopg2 and mysqlclient; private index credentials; runtime.txt', () => {
    const s = scratch({
      'requirements.txt':
        '--extra-index-url https://${TOKEN}@pkgs.example.invalid/simple/\npsycopg2==2.9.9\nmysqlclient==2.2.4\nlxml==5.0.0\n',
      'runtime.txt': 'python-3.10.4\n',
      'main.py': 'print("hi")\n',
    });
    try {
      const p = detectProject(s.dir);
      assert.equal(p.manager, 'pip');
      assert.deepEqual(p.python, { version: '3.10', source: 'runtime.txt' });
      assert.ok(p.systemPackages.build.includes('libpq-dev'));
      assert.ok(p.systemPackages.run.includes('libpq5'));
      assert.ok(p.systemPackages.run.includes('libmariadb3'));
      assert.ok(!p.systemPackages.because.includes('lxml'), 'lxml ships wheels');
      assert.equal(p.privateIndexes.length, 1);
      assert.equal(p.privateIndexes[0].url, 'https://pkgs.example.invalid/simple/');
      assert.deepEqual(p.app.command, ['python', 'main.py']);
    } finally {
      s.done();
    }
  });

  it('pyproject alone, python -m pkg, hatch-vcs', () => {
    const s = scratch({
      'pyproject.toml':
        '[project]\nname = "tool"\ndynamic = ["version"]\nrequires-python = ">=3.12"\ndependencies = ["requests"]\n[build-system]\nrequires = ["hatchling", "hatch-vcs"]\nbuild-backend = "hatchling.build"\n[tool.hatch.version]\nsource = "vcs"\n',
      'tool/__init__.py': '',
      'tool/__main__.py': 'print(1)\n',
    });
    try {
      const p = detectProject(s.dir);
      assert.equal(p.manager, 'pip');
      assert.equal(p.isPackage, true);
      assert.equal(p.dynamicVersion?.tool, 'hatch-vcs');
      assert.deepEqual(p.python, { version: '3.12', source: 'requires-python' });
      assert.deepEqual(p.app.command, ['python', '-m', 'tool']);
    } finally {
      s.done();
    }
  });

  it('Pipfile.lock means pipenv; a directory without a project is an input error', () => {
    const s = scratch({
      Pipfile: '[packages]\nflask = "*"\n',
      'Pipfile.lock':
        '{"_meta": {"hash": {"sha256": "0"}, "pipfile-spec": 6}, "default": {"flask": {"version": "==3.1.3"}}, "develop": {}}',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    });
    try {
      const p = detectProject(s.dir);
      assert.equal(p.manager, 'pipenv');
      assert.deepEqual(p.depFiles, ['Pipfile', 'Pipfile.lock']);
      assert.deepEqual(p.app.command, ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']);
    } finally {
      s.done();
    }
    const empty = scratch({ 'notes.txt': 'x' });
    try {
      assert.throws(() => detectProject(empty.dir), UserError);
    } finally {
      empty.done();
    }
  });

  it('splitCommand follows simple shell quoting', () => {
    assert.deepEqual(splitCommand(`a 'b c' "d \\"e\\"" f\\ g`), ['a', 'b c', 'd "e"', 'f g']);
  });
});
