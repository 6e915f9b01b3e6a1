import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  installedPackages,
  installedServer,
  missingServerOf,
  serverCommand,
  serverOfExecutable,
} from '../../../src/project/servers.js';

function withFiles(files: Record<string, string>, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lw-servers-'));
  try {
    for (const [rel, text] of Object.entries(files)) writeFileSync(join(dir, rel), text);
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('installed servers', () => {
  it('fastapi[standard] brings uvicorn and fastapi-cli, with the line that says so', () => {
    withFiles(
      {
        'pyproject.toml':
          '[project]\nname = "api"\ndependencies = [\n  "fastapi[standard]>=0.115",\n  "psycopg[binary]",\n]\n[dependency-groups]\ndev = ["hypercorn[trio]"]\n',
      },
      (dir) => {
        const i = installedPackages(dir, ['pyproject.toml'], ['fastapi', 'psycopg']);
        assert.equal(i.get('uvicorn')?.evidence, 'pyproject.toml:4');
        assert.equal(i.get('uvicorn')?.via, 'fastapi[standard]');
        assert.ok(i.has('fastapi-cli'));
        assert.equal(i.get('fastapi')?.evidence, 'pyproject.toml:4');
        assert.equal(installedServer(i, 'asgi')?.server, 'uvicorn');
        assert.equal(installedServer(i, 'wsgi'), undefined, 'a dev group does not install into the image');
      },
    );
  });

  it('Poetry table extras; a requirements pin gives its line', () => {
    withFiles(
      {
        'pyproject.toml':
          '[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = { version = "^0.115", extras = ["standard"] }\n',
      },
      (dir) => {
        const i = installedPackages(dir, ['pyproject.toml'], ['fastapi']);
        assert.equal(i.get('uvicorn')?.evidence, 'pyproject.toml:3');
      },
    );
    withFiles(
      {
        'requirements.txt':
          '# pinned\ndjango==5.2.19 \\\n    --hash=sha256:00\npyuwsgi==2.0.30.post1 \\\n    --hash=sha256:11\n',
      },
      (dir) => {
        const i = installedPackages(dir, ['requirements.txt'], ['django', 'pyuwsgi']);
        assert.equal(i.get('pyuwsgi')?.evidence, 'requirements.txt:4');
        const s = installedServer(i, 'wsgi');
        assert.equal(s?.server, 'uwsgi', 'pyuwsgi installs the uwsgi command');
        assert.equal(missingServerOf(['uwsgi', '--ini', 'uwsgi.ini'], i), undefined);
        assert.equal(missingServerOf(['gunicorn', 'app:app'], i), 'gunicorn');
        assert.equal(missingServerOf(['python', 'manage.py'], i), undefined, 'not a server');
      },
    );
  });

  it('lock lines name the package; gunicorn preferred over uwsgi and waitress', () => {
    withFiles(
      { 'uv.lock': 'version = 1\n\n[[package]]\nname = "waitress"\n\n[[package]]\nname = "gunicorn"\n' },
      (dir) => {
        const i = installedPackages(dir, ['uv.lock'], ['waitress', 'gunicorn']);
        assert.equal(i.get('gunicorn')?.evidence, 'uv.lock:7');
        assert.equal(installedServer(i, 'wsgi')?.server, 'gunicorn');
      },
    );
  });

  it('commands per server; executables map back to servers', () => {
    assert.deepEqual(serverCommand('uwsgi', 'wsgi', 'config.wsgi:application', 8000), [
      'uwsgi',
      '--http-socket',
      ':8000',
      '--module',
      'config.wsgi:application',
      '--master',
      '--need-app',
      '--die-on-term',
    ]);
    assert.deepEqual(serverCommand('waitress', 'wsgi', 'app:app', 8080), ['waitress-serve', '--port=8080', 'app:app']);
    assert.deepEqual(serverCommand('granian', 'asgi', 'a:b', 80), [
      'granian',
      '--interface',
      'asgi',
      '--host',
      '0.0.0.0',
      '--port',
      '80',
      'a:b',
    ]);
    assert.equal(serverOfExecutable('/app/.venv/bin/waitress-serve'), 'waitress');
    assert.equal(serverOfExecutable('python'), undefined);
  });
});

describe('installed servers: the extra is the evidence over the lock line', () => {
  it('uv.lock lists uvicorn; pyproject says fastapi[standard] brings it', () => {
    withFiles(
      {
        'uv.lock': 'version = 1\n\n[[package]]\nname = "uvicorn"\n',
        'pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi[standard]"]\n',
      },
      (dir) => {
        const i = installedPackages(dir, ['uv.lock', 'pyproject.toml'], ['fastapi', 'uvicorn']);
        assert.equal(i.get('uvicorn')?.evidence, 'pyproject.toml:3');
        assert.equal(i.get('uvicorn')?.via, 'fastapi[standard]');
      },
    );
  });
});
