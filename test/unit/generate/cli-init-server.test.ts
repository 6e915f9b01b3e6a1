import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runInit } from '../../../src/cli/init.js';
import { devCommand } from '../../../src/generate/dockerfile-dev.js';
import { detectProject } from '../../../src/project/index.js';
import { UserError } from '../../../src/errors.js';

const quiet = { out: () => {}, err: () => {} };

function flaskProject(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lw-init-server-'));
  writeFileSync(join(dir, 'requirements.txt'), 'flask==3.1.0\n');
  writeFileSync(join(dir, 'app.py'), 'from flask import Flask\n\napp = Flask(__name__)\n');
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('init and the server', () => {
  it('no server installed: a one-line input error, nothing written', async () => {
    const c = flaskProject();
    try {
      await assert.rejects(runInit(c.dir, {}, quiet), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /needs a WSGI server .*--server gunicorn/);
        assert.doesNotMatch(e.message, /\n/);
        return true;
      });
      assert.equal(existsSync(join(c.dir, 'Dockerfile')), false);
      await assert.rejects(runInit(c.dir, { server: 'tomcat' }, quiet), /--server tomcat: expected one of/);
    } finally {
      c.done();
    }
  });

  it('--server gunicorn: the deps stage installs it, CMD runs it, the summary says it was added', async () => {
    const c = flaskProject();
    try {
      const err: string[] = [];
      assert.equal(await runInit(c.dir, { server: 'gunicorn' }, { out: () => {}, err: (s) => void err.push(s) }), 0);
      const df = readFileSync(join(c.dir, 'Dockerfile'), 'utf8');
      assert.match(df, /pip --python \/app\/\.venv\/bin\/python install --disable-pip-version-check gunicorn/);
      assert.match(df, /^CMD \["gunicorn", "--bind", "0\.0\.0\.0:8000", "app:app"\]$/m);
      assert.match(df, /^# no health route among the flask routes: no HEALTHCHECK/m);
      assert.match(err.join(''), /server\s+gunicorn \(added: gunicorn\)\s+\(--server; high/);
    } finally {
      c.done();
    }
  });
});

describe('the dev target reloads with the server the project uses', () => {
  it('uWSGI from uwsgi.ini: --py-autoreload', () => {
    const fixtures = join(
      dirname(fileURLToPath(import.meta.url)),
      '..',
      '..',
      '..',
      '..',
      'test',
      'fixtures',
      'projects',
    );
    const p = detectProject(join(fixtures, 'django-uwsgi'));
    assert.deepEqual(devCommand(p), ['uwsgi', '--ini', 'uwsgi.ini', '--py-autoreload', '1']);
    const f = detectProject(join(fixtures, 'flask-piptools'));
    assert.deepEqual(devCommand(f), ['gunicorn', 'app:app', '--reload']);
  });
});
