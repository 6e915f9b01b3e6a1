import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import {
  fromCompose,
  fromDockerfile,
  fromGunicornConf,
  fromProcfile,
  fromToolTasks,
  fromUwsgiConfig,
  gunicornConfPort,
  devServer,
  portOf,
  projectStart,
  readsPort,
  shellCommand,
} from '../../../src/project/start-evidence.js';

function withFiles(files: Record<string, string>, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lw-start-'));
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

describe('start evidence: the project own Dockerfile', () => {
  it('the CMD of the last stage, exec form, with its line', () => {
    withFiles(
      {
        Dockerfile:
          'FROM python:3.11 AS build\nCMD ["python", "-m", "build"]\n\nFROM python:3.11-slim\n# start\nCMD ["gunicorn", "--bind", "0.0.0.0:9000", \\\n     "app:app"]\n',
      },
      (dir) => {
        const e = fromDockerfile(dir, undefined);
        assert.deepEqual(e?.command, ['gunicorn', '--bind', '0.0.0.0:9000', 'app:app']);
        assert.equal(e?.evidence, 'Dockerfile:6');
        assert.equal(e?.port, 9000);
      },
    );
  });

  it('shell form with $PORT keeps $PORT under sh -c exec; ENTRYPOINT and CMD are joined', () => {
    withFiles({ Dockerfile: 'FROM python:3.11-slim\nCMD gunicorn -b 0.0.0.0:$PORT app:app\n' }, (dir) => {
      const e = fromDockerfile(dir, 8080);
      assert.deepEqual(e?.command, ['sh', '-c', 'exec gunicorn -b 0.0.0.0:$PORT app:app']);
      assert.equal(e?.port, 8080);
    });
    withFiles(
      { Dockerfile: 'FROM python:3.11-slim\nENTRYPOINT ["uvicorn"]\nCMD ["main:app", "--port", "7000"]\n' },
      (dir) => {
        const e = fromDockerfile(dir, undefined);
        assert.deepEqual(e?.command, ['uvicorn', 'main:app', '--port', '7000']);
        assert.equal(e?.evidence, 'Dockerfile:3');
        assert.match(e?.notes[0] ?? '', /ENTRYPOINT and CMD joined/);
      },
    );
  });

  it('a Dockerfile layerwise wrote is not evidence; none without CMD', () => {
    withFiles(
      {
        Dockerfile:
          '# ---- runtime: the final image; no compilers, no package manager, no caches ----\nFROM x\nCMD ["gunicorn"]\n',
      },
      (dir) => assert.equal(fromDockerfile(dir, undefined), undefined),
    );
    withFiles({ Dockerfile: 'FROM python:3.11-slim\nRUN true\n' }, (dir) =>
      assert.equal(fromDockerfile(dir, undefined), undefined),
    );
  });
});

describe('start evidence: Procfile and compose', () => {
  it('Procfile web: line, $PORT kept for the host to set; release: ignored', () => {
    withFiles(
      { Procfile: 'release: python manage.py migrate\nweb: gunicorn config.wsgi --bind 0.0.0.0:$PORT --workers 3\n' },
      (dir) => {
        const e = fromProcfile(dir, 5000);
        assert.deepEqual(e?.command, ['sh', '-c', 'exec gunicorn config.wsgi --bind 0.0.0.0:$PORT --workers 3']);
        assert.equal(e?.evidence, 'Procfile:2');
        assert.equal(e?.port, 5000);
      },
    );
  });

  it('a shell chain keeps a shell; another variable keeps a shell with exec', () => {
    assert.deepEqual(shellCommand('python manage.py migrate && gunicorn app:app'), [
      'sh',
      '-c',
      'python manage.py migrate && gunicorn app:app',
    ]);
    assert.deepEqual(shellCommand('gunicorn app:app --workers $WEB_CONCURRENCY'), [
      'sh',
      '-c',
      'exec gunicorn app:app --workers $WEB_CONCURRENCY',
    ]);
    assert.deepEqual(shellCommand('uvicorn a:b --port ${PORT:-8123}'), [
      'sh',
      '-c',
      'exec uvicorn a:b --port ${PORT:-8123}',
    ]);
    assert.equal(
      portOf(['sh', '-c', 'exec uvicorn a:b --port ${PORT:-8123}']),
      8123,
      'the default, when PORT is not set',
    );
    assert.equal(portOf(['sh', '-c', 'exec uvicorn a:b --port ${PORT:-8123}'], 9000), 9000, 'the port the image sets');
    assert.equal(portOf(['sh', '-c', 'exec gunicorn -b :$PORT a:b']), 8000);
    assert.ok(readsPort(['sh', '-c', 'exec gunicorn -b :$PORT a:b']) && !readsPort(['gunicorn', 'a:b']));
  });

  it('compose: the command of the service built from this directory, string or list, with its line', () => {
    withFiles(
      {
        'compose.yml':
          'services:\n  db:\n    image: postgres:16\n    command: postgres -c fsync=off\n  web:\n    build: .\n    command: ["uwsgi", "--ini", "deploy/uwsgi.ini"]\n',
      },
      (dir) => {
        const e = fromCompose(dir, undefined);
        assert.deepEqual(e?.command, ['uwsgi', '--ini', 'deploy/uwsgi.ini']);
        assert.equal(e?.evidence, 'compose.yml:7');
        assert.match(e?.what ?? '', /service `web`/);
      },
    );
    withFiles(
      {
        'docker-compose.yaml':
          'services:\n  api:\n    build:\n      context: .\n    command: hypercorn app:app --bind 0.0.0.0:8001\n',
      },
      (dir) => {
        const e = fromCompose(dir, undefined);
        assert.deepEqual(e?.command, ['hypercorn', 'app:app', '--bind', '0.0.0.0:8001']);
        assert.equal(e?.port, 8001);
      },
    );
    withFiles(
      {
        'compose.yaml': 'services:\n  api:\n    build: .\n    command: uvicorn app.main:app --host 0.0.0.0 --reload\n',
      },
      (dir) => {
        const skipped: string[] = [];
        assert.equal(fromCompose(dir, undefined, '.', skipped), undefined, 'a reloading server is not evidence');
        assert.match(skipped[0] ?? '', /^compose\.yaml:4: .*--reload.*installed server/);
      },
    );
    withFiles({ 'compose.yaml': 'services:\n  web:\n    build: ./frontend\n    command: npm start\n' }, (dir) =>
      assert.equal(fromCompose(dir, undefined), undefined, 'another directory is another service'),
    );
  });
});

describe('start evidence: process manager config and tasks', () => {
  it('uwsgi.ini: uwsgi --ini, the [uwsgi] line, the HTTP port', () => {
    withFiles(
      { 'uwsgi.ini': '; site\n[uwsgi]\nmodule = config.wsgi:application\nhttp-socket = :8000\nmaster = true\n' },
      (dir) => {
        const e = fromUwsgiConfig(dir);
        assert.deepEqual(e?.command, ['uwsgi', '--ini', 'uwsgi.ini']);
        assert.equal(e?.evidence, 'uwsgi.ini:2');
        assert.equal(e?.port, 8000);
        assert.equal(e?.http, true);
        assert.match(e?.what ?? '', /app config\.wsgi:application, HTTP on :8000/);
      },
    );
  });

  it('an .ini of another name with a [uwsgi] section; uwsgi protocol socket means no HTTP', () => {
    withFiles(
      { 'setup.ini': '[x]\na=1\n', 'app.ini': '[uwsgi]\nsocket = 0.0.0.0:3031\nchdir = /srv/site\n' },
      (dir) => {
        const e = fromUwsgiConfig(dir);
        assert.deepEqual(
          e?.command,
          ['uwsgi', '--ini', 'app.ini', '--chdir', '/app'],
          'the host path is not in the image',
        );
        assert.equal(e?.http, false);
        assert.equal(e?.port, 3031);
        assert.ok(e?.notes.some((n) => /not HTTP/.test(n)));
        assert.ok(e?.notes.some((n) => /^app\.ini:3: chdir = \/srv\/site .*adds --chdir \/app/.test(n)));
      },
    );
  });

  it('uwsgi.yaml', () => {
    withFiles({ 'uwsgi.yaml': 'uwsgi:\n  module: app:app\n  http: ":9090"\n' }, (dir) => {
      const e = fromUwsgiConfig(dir);
      assert.deepEqual(e?.command, ['uwsgi', '--yaml', 'uwsgi.yaml']);
      assert.equal(e?.port, 9090);
    });
  });

  it('gunicorn.conf.py names the app only with wsgi_app; its bind gives the port', () => {
    withFiles(
      { 'gunicorn.conf.py': 'import os\nbind = "0.0.0.0:8500"\nwsgi_app = "site.wsgi:application"\n' },
      (dir) => {
        const e = fromGunicornConf(dir);
        assert.deepEqual(e?.command, ['gunicorn']);
        assert.equal(e?.evidence, 'gunicorn.conf.py:3');
        assert.equal(e?.port, 8500);
      },
    );
    withFiles({ 'gunicorn.conf.py': 'workers = 2\n' }, (dir) => assert.equal(fromGunicornConf(dir), undefined));
    assert.equal(gunicornConfPort(`bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"`), 8000);
  });

  it('[tool.*] start tasks that run a server; development servers and other tasks are not evidence', () => {
    withFiles(
      {
        'pyproject.toml':
          '[project]\nname = "x"\n[tool.pdm.scripts]\nlint = "ruff check ."\ndev = "uvicorn app.main:app --reload"\nstart = "uvicorn app.main:app --port 8100"\n',
      },
      (dir) => {
        const e = fromToolTasks(dir, undefined);
        assert.deepEqual(e?.command, ['uvicorn', 'app.main:app', '--port', '8100']);
        assert.equal(e?.evidence, 'pyproject.toml:6');
        assert.equal(e?.port, 8100);
      },
    );
    withFiles({ 'pyproject.toml': '[tool.pdm.scripts]\nstart = "uvicorn app.main:app --reload"\n' }, (dir) => {
      const skipped: string[] = [];
      assert.equal(fromToolTasks(dir, undefined, skipped), undefined);
      assert.match(skipped[0] ?? '', /^pyproject\.toml:2: /);
    });
    withFiles({ 'pyproject.toml': '[tool.poe.tasks]\nserve = { cmd = "gunicorn app:app" }\n' }, (dir) =>
      assert.deepEqual(fromToolTasks(dir, undefined)?.command, ['gunicorn', 'app:app']),
    );
    withFiles({ 'pyproject.toml': '[tool.taskipy.tasks]\nstart = "python manage.py runserver"\n' }, (dir) =>
      assert.equal(fromToolTasks(dir, undefined), undefined, 'a dev server is not a start command'),
    );
  });

  it('the order: Dockerfile before Procfile before compose before uwsgi.ini', () => {
    withFiles(
      {
        Dockerfile: 'FROM python:3.11-slim\nCMD ["waitress-serve", "app:app"]\n',
        Procfile: 'web: gunicorn app:app\n',
        'uwsgi.ini': '[uwsgi]\nhttp = :8000\n',
      },
      (dir) => {
        assert.equal(projectStart(dir, undefined)?.source, 'Dockerfile');
        rmSync(join(dir, 'Dockerfile'));
        assert.equal(projectStart(dir, undefined)?.source, 'Procfile');
        rmSync(join(dir, 'Procfile'));
        assert.equal(projectStart(dir, undefined)?.source, 'uwsgi');
      },
    );
  });

  it('portOf reads the usual flags', () => {
    assert.equal(portOf(['gunicorn', '-b', '0.0.0.0:8001', 'a:b']), 8001);
    assert.equal(portOf(['uvicorn', 'a:b', '--port=8002']), 8002);
    assert.equal(portOf(['uwsgi', '--http-socket', ':8003']), 8003);
    assert.equal(portOf(['python', 'app.py']), undefined);
  });
});

describe('development commands are not evidence for the image', () => {
  it('runserver, flask run, fastapi dev and --reload are development servers; production servers are not', () => {
    assert.match(devServer(['python', 'manage.py', 'runserver', '0.0.0.0:8000']) ?? '', /Django/);
    assert.match(devServer(['flask', '--app', 'shop', 'run', '--host', '0.0.0.0']) ?? '', /Flask/);
    assert.match(devServer(['python', '-m', 'flask', 'run']) ?? '', /Flask/);
    assert.match(devServer(['fastapi', 'dev', 'app/main.py']) ?? '', /fastapi dev/);
    assert.match(devServer(['uvicorn', 'app.main:app', '--reload']) ?? '', /--reload/);
    assert.equal(devServer(['gunicorn', 'app:app']), undefined);
    assert.equal(devServer(['fastapi', 'run', 'app/main.py']), undefined);
  });

  it('a compose runserver falls through to the next evidence, with a note', () => {
    withFiles(
      {
        'docker-compose.yml': 'services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n',
        'uwsgi.ini': '[uwsgi]\nhttp-socket = :8000\nmodule = site.wsgi\n',
      },
      (dir) => {
        const skipped: string[] = [];
        assert.equal(projectStart(dir, undefined, skipped)?.source, 'uwsgi');
        assert.match(
          skipped.join('\n'),
          /docker-compose\.yml:4: `python manage\.py runserver 0\.0\.0\.0:8000` runs Django/,
        );
      },
    );
  });
});
