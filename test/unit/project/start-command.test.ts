import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../../src/errors.js';
import { detectProject } from '../../../src/project/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'projects');

function withProject(files: Record<string, string>, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lw-startcmd-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const FLASK =
  'from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.get("/healthz")\ndef healthz():\n    return {"ok": True}\n';

describe('start command and health route on the django-uwsgi fixture', () => {
  const p = detectProject(join(fixtures, 'django-uwsgi'));

  it('uWSGI as uwsgi.ini says, installed by pyuwsgi from requirements.txt', () => {
    assert.equal(p.manager, 'pip-tools');
    assert.deepEqual(p.app.command, ['uwsgi', '--ini', 'uwsgi.ini']);
    assert.equal(p.app.kind, 'django');
    assert.equal(p.app.port, 8000);
    assert.equal(p.app.server, 'uwsgi');
    assert.equal(p.app.missingServer, undefined);
    assert.deepEqual(p.app.env, { DJANGO_SETTINGS_MODULE: 'config.settings' });
  });

  it('the health route through ROOT_URLCONF and include("core.urls") under ops/, not the /ping/ constant', () => {
    assert.equal(p.app.healthPath, '/ops/healthz/');
    assert.equal(p.app.healthEvidence, 'core/urls.py:8');
  });

  it('detections with file:line evidence', () => {
    const d = Object.fromEntries(p.detections.map((x) => [x.topic, x]));
    assert.deepEqual(
      {
        value: d['start command'].value,
        evidence: d['start command'].evidence,
        confidence: d['start command'].confidence,
      },
      { value: 'uwsgi --ini uwsgi.ini', evidence: 'uwsgi.ini:1', confidence: 'high' },
    );
    assert.equal(d.server.value, 'uwsgi');
    assert.match(d.server.evidence, /^requirements\.txt:\d+: pyuwsgi$/);
    assert.equal(d['health route'].value, '/ops/healthz/');
    assert.equal(d['health route'].evidence, 'core/urls.py:8');
  });
});

describe('no server added silently', () => {
  it('a Flask app with no server: missingServer says what to do; --server gunicorn adds it with a note', () => {
    withProject({ 'requirements.txt': 'flask==3.1.0\n', 'app.py': FLASK }, (dir) => {
      const p = detectProject(dir);
      assert.match(p.app.missingServer ?? '', /no dependency installs one .*--server gunicorn/);
      const s = detectProject(dir, { server: 'gunicorn' });
      assert.equal(s.app.missingServer, undefined);
      assert.equal(s.app.installServer, 'gunicorn');
      assert.deepEqual(s.app.command, ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app']);
      assert.ok(s.notes.some((n) => /the image adds gunicorn/.test(n)));
      assert.equal(s.app.healthPath, '/healthz');
      assert.equal(s.app.healthEvidence, 'app.py:6');
    });
  });

  it('a Procfile naming a server that is not installed is an error to fix, unless --server names it', () => {
    withProject(
      { 'requirements.txt': 'flask==3.1.0\nwaitress==3.0.2\n', 'app.py': FLASK, Procfile: 'web: gunicorn app:app\n' },
      (dir) => {
        assert.match(
          detectProject(dir).app.missingServer ?? '',
          /^Procfile:1 starts gunicorn, which no dependency installs/,
        );
        const s = detectProject(dir, { server: 'gunicorn' });
        assert.deepEqual(s.app.command, ['gunicorn', 'app:app'], 'the Procfile command, as it is');
        assert.equal(s.app.installServer, 'gunicorn');
        const w = detectProject(dir, { server: 'waitress' });
        assert.deepEqual(
          w.app.command,
          ['waitress-serve', '--port=8000', 'app:app'],
          'another server: the app from the code',
        );
        assert.equal(w.app.installServer, undefined, 'waitress is installed');
      },
    );
  });

  it('--server that cannot serve the app, or is unknown, is an input error', () => {
    withProject({ 'requirements.txt': 'flask==3.1.0\n', 'app.py': FLASK }, (dir) => {
      assert.throws(() => detectProject(dir, { server: 'uvicorn' }), UserError);
      assert.throws(() => detectProject(dir, { server: 'nginx' }), UserError);
    });
  });

  it('FastAPI: fastapi[standard] brings uvicorn (no lock); fastapi-cli alone runs `fastapi run`', () => {
    const api =
      'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/health")\ndef health():\n    return {}\n';
    withProject(
      { 'pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi[standard]"]\n', 'main.py': api },
      (dir) => {
        const p = detectProject(dir);
        assert.deepEqual(p.app.command, ['uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '8000']);
        assert.equal(p.app.serverEvidence, 'pyproject.toml:3 (fastapi[standard])');
      },
    );
    withProject(
      { 'pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi", "fastapi-cli"]\n', 'main.py': api },
      (dir) => {
        const p = detectProject(dir);
        assert.deepEqual(p.app.command, ['fastapi', 'run', 'main.py', '--app', 'app', '--port', '8000']);
        assert.equal(p.app.missingServer, undefined);
      },
    );
  });

  it('an installed server from the lock, with its line; gunicorn.conf.py keeps its bind', () => {
    const p = detectProject(join(fixtures, 'flask-piptools'));
    assert.deepEqual(p.app.command, ['gunicorn', 'app:app']);
    assert.match(p.app.serverEvidence ?? '', /^requirements\.txt:\d+$/);
  });
});

describe('no health route: none, with one line why', () => {
  it('a Django URLconf without one: no healthPath, a note', () => {
    withProject(
      {
        'requirements.txt': 'django==5.2\ngunicorn==23.0.0\n',
        'manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
        'site/__init__.py': '',
        'site/settings.py': 'ROOT_URLCONF = "site.urls"\n',
        'site/urls.py': 'urlpatterns = [path("", home)]\nPING = "ping/"\n',
        'site/wsgi.py': 'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      },
      (dir) => {
        const p = detectProject(dir);
        assert.equal(p.app.healthPath, undefined);
        assert.match(p.app.healthNote ?? '', /no health route in the URLconf/);
        assert.ok(p.notes.some((n) => /no HEALTHCHECK/.test(n)));
        assert.equal(p.detections.find((d) => d.topic === 'health route')?.value, 'none');
      },
    );
  });

  it('uWSGI on its own protocol: no HTTP HEALTHCHECK, and why', () => {
    withProject(
      {
        'requirements.txt': 'flask==3.1.0\npyuwsgi==2.0.30\n',
        'app.py': FLASK,
        'uwsgi.ini': '[uwsgi]\nmodule = app:app\nsocket = :3031\n',
      },
      (dir) => {
        const p = detectProject(dir);
        assert.deepEqual(p.app.command, ['uwsgi', '--ini', 'uwsgi.ini']);
        assert.equal(p.app.port, 3031);
        assert.equal(p.app.healthPath, undefined);
        assert.match(p.app.healthNote ?? '', /does not speak HTTP/);
      },
    );
  });
});
