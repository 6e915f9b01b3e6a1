import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { startEvidenceFor } from '../../../src/project/member-start.js';

function withFiles(files: Record<string, string>, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'lw-member-start-'));
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

describe('start evidence in a workspace member', () => {
  it("the member's own Procfile comes first, named from the root", () => {
    withFiles(
      {
        Procfile: 'web: gunicorn other:app\n',
        'backend/Procfile': 'web: gunicorn app.main:app\n',
      },
      (dir) => {
        const e = startEvidenceFor(dir, undefined, 'backend');
        assert.deepEqual(e?.command, ['gunicorn', 'app.main:app']);
        assert.equal(e?.evidence, 'backend/Procfile:1');
        assert.match(e?.what ?? '', /backend\/Procfile:1/);
      },
    );
  });

  it("a member's uwsgi.ini and gunicorn.conf.py are passed by their path from the root", () => {
    withFiles({ 'api/uwsgi.ini': '[uwsgi]\nhttp = :8000\nmodule = api.wsgi\n' }, (dir) =>
      assert.deepEqual(startEvidenceFor(dir, undefined, 'api')?.command, ['uwsgi', '--ini', 'api/uwsgi.ini']),
    );
    withFiles({ 'api/gunicorn.conf.py': 'wsgi_app = "api.wsgi:app"\n' }, (dir) =>
      assert.deepEqual(startEvidenceFor(dir, undefined, 'api')?.command, ['gunicorn', '-c', 'api/gunicorn.conf.py']),
    );
  });

  it('a root Dockerfile that builds another member says nothing; one that copies this member does', () => {
    const frontend = 'FROM node:20\nCOPY frontend/ /app\nCMD ["npm", "start"]\n';
    withFiles({ Dockerfile: frontend, 'backend/pyproject.toml': '[project]\nname = "b"\n' }, (dir) =>
      assert.equal(startEvidenceFor(dir, undefined, 'backend'), undefined),
    );
    const backend = 'FROM python:3.11-slim\nCOPY --chown=app backend/ /app\nCMD ["uvicorn", "app.main:app"]\n';
    withFiles({ Dockerfile: backend }, (dir) =>
      assert.deepEqual(startEvidenceFor(dir, undefined, 'backend')?.command, ['uvicorn', 'app.main:app']),
    );
  });

  it('root compose: the service whose build context is the member; root Procfile only when it names it', () => {
    withFiles(
      {
        'compose.yml':
          'services:\n  web:\n    build: ./frontend\n    command: npm start\n  api:\n    build:\n      context: ./backend\n    command: gunicorn app.main:app\n',
        Procfile: 'web: npm start\n',
      },
      (dir) => {
        const e = startEvidenceFor(dir, undefined, 'backend');
        assert.deepEqual(e?.command, ['gunicorn', 'app.main:app']);
        assert.equal(e?.evidence, 'compose.yml:8');
      },
    );
    withFiles({ Procfile: 'web: gunicorn --chdir backend app.main:app\n' }, (dir) =>
      assert.equal(startEvidenceFor(dir, undefined, 'backend')?.evidence, 'Procfile:1'),
    );
  });
});
