import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runInit } from '../../../src/cli/init.js';
import { UserError } from '../../../src/errors.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'projects');

function copy(name: string): { dir: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'lw-init-'));
  const dir = join(root, name);
  cpSync(join(fixtures, name), dir, { recursive: true });
  return { dir, done: () => rmSync(root, { recursive: true, force: true }) };
}

function io() {
  const o = { out: '', err: '' };
  return { o, io: { out: (s: string) => void (o.out += s), err: (s: string) => void (o.err += s) } };
}

describe('layerwise init', () => {
  it('writes the files, says the self-check passed, and a second run changes nothing', async () => {
    const c = copy('fastapi-uv');
    try {
      const a = io();
      assert.equal(await runInit(c.dir, {}, a.io), 0);
      for (const f of ['Dockerfile', '.dockerignore', 'compose.yaml', '.github/workflows/image.yml'])
        assert.ok(existsSync(join(c.dir, f)), f);
      assert.match(
        a.o.err,
        /^self-check: lint clean \(no warnings\); a code change re-builds only the last 2 of the 4 layers/m,
      );
      const before = readFileSync(join(c.dir, 'Dockerfile'), 'utf8');
      const b = io();
      assert.equal(await runInit(c.dir, {}, b.io), 0);
      assert.match(b.o.err, /unchanged Dockerfile/);
      assert.equal(readFileSync(join(c.dir, 'Dockerfile'), 'utf8'), before);
    } finally {
      c.done();
    }
  });

  it('never overwrites a file that differs without --force: shows a unified diff', async () => {
    const c = copy('flask-piptools');
    try {
      writeFileSync(join(c.dir, 'Dockerfile'), 'FROM python:3.11-slim\n');
      const a = io();
      assert.equal(await runInit(c.dir, {}, a.io), 1);
      assert.equal(readFileSync(join(c.dir, 'Dockerfile'), 'utf8'), 'FROM python:3.11-slim\n');
      assert.match(a.o.out, /^--- a\/Dockerfile$/m);
      assert.match(a.o.out, /^-FROM python:3.11-slim$/m);
      assert.match(a.o.err, /kept; --force overwrites/);
      assert.equal(await runInit(c.dir, { force: true }, io().io), 0);
      assert.notEqual(readFileSync(join(c.dir, 'Dockerfile'), 'utf8'), 'FROM python:3.11-slim\n');
    } finally {
      c.done();
    }
  });

  it('--dry-run prints and writes nothing; --split-base adds Dockerfile.base', async () => {
    const c = copy('django-poetry');
    try {
      const a = io();
      assert.equal(await runInit(c.dir, { dryRun: true, splitBase: true }, a.io), 0);
      assert.match(a.o.out, /==> .*Dockerfile.base <==/);
      assert.match(a.o.out, /ARG BASE_IMAGE=mysite-base:[0-9a-f]{16}/);
      assert.ok(!existsSync(join(c.dir, 'Dockerfile')));
    } finally {
      c.done();
    }
  });

  it('refuses to write through a link that leads outside the target directory', async () => {
    const c = copy('data-app');
    const outside = mkdtempSync(join(tmpdir(), 'lw-outside-'));
    try {
      symlinkSync(outside, join(c.dir, '.github'));
      await assert.rejects(runInit(c.dir, {}, io().io), UserError);
      assert.ok(!existsSync(join(outside, 'workflows')));
    } finally {
      c.done();
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('input errors are UserErrors', async () => {
    await assert.rejects(runInit('/nonexistent-layerwise', {}, io().io), UserError);
    const c = copy('data-app');
    try {
      await assert.rejects(runInit(c.dir, { port: '99999' }, io().io), UserError);
      await assert.rejects(runInit(c.dir, { manager: 'conda' }, io().io), UserError);
      mkdirSync(join(c.dir, 'x'));
    } finally {
      c.done();
    }
  });
});

describe('init keeps a Dockerfile of your own: the other files fit it', () => {
  const own = [
    'FROM python:3.11-slim AS builder',
    'WORKDIR /app',
    'COPY requirements.txt .',
    'RUN pip install --no-cache-dir -r requirements.txt',
    'FROM builder AS final',
    'COPY . .',
    'CMD ["gunicorn", "app:app"]',
    '',
  ].join('\n');

  it('no compose target the kept file lacks, no sync into a layout it does not have; the self-check is of that file', async () => {
    const c = copy('flask-piptools');
    try {
      writeFileSync(join(c.dir, 'Dockerfile'), own);
      const a = io();
      assert.equal(await runInit(c.dir, {}, a.io), 1);
      assert.equal(readFileSync(join(c.dir, 'Dockerfile'), 'utf8'), own, 'kept');
      const compose = readFileSync(join(c.dir, 'compose.yaml'), 'utf8');
      assert.doesNotMatch(compose, /target:/, 'neither a build target nor a sync target');
      assert.doesNotMatch(compose, /action: sync/);
      assert.match(compose, /action: rebuild\n\s+path: \.\/app\.py/);
      // The user's own Dockerfile had no .dockerignore: init's deny-by-default one is not slipped under it.
      assert.ok(!existsSync(join(c.dir, '.dockerignore')), 'no .dockerignore under a Dockerfile init did not write');
      assert.match(a.o.err, /^note: \.dockerignore not written: Dockerfile is your own \(kept\)/m);
      // The line speaks of the files on disk: the kept Dockerfile without a .dockerignore.
      const line = a.o.err.split('\n').find((l) => l.startsWith('self-check')) ?? '';
      assert.equal(line, 'self-check of the files on disk (Dockerfile is your own, kept) failed: 1 problem');
      assert.match(a.o.err, /^ {2}Dockerfile:6 LW2405 no \.dockerignore/m);
      // With the user's own .dockerignore, it stays as it is and the check is clean.
      writeFileSync(join(c.dir, '.dockerignore'), '.git\n.venv\n');
      const k = io();
      assert.equal(await runInit(c.dir, {}, k.io), 1);
      assert.equal(readFileSync(join(c.dir, '.dockerignore'), 'utf8'), '.git\n.venv\n');
      assert.equal(
        k.o.err.split('\n').find((l) => l.startsWith('self-check')),
        'self-check of the files on disk (Dockerfile, .dockerignore are your own, kept): lint clean (no warnings); a code change re-builds only the last 1 of the 3 layers the Dockerfile adds',
      );
      rmSync(join(c.dir, '.dockerignore'));
      // A kept file with problems: they are its own, at its lines.
      writeFileSync(
        join(c.dir, 'Dockerfile'),
        'FROM python:3.11-slim\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n',
      );
      const b = io();
      assert.equal(await runInit(c.dir, {}, b.io), 1);
      assert.match(
        b.o.err,
        /^self-check of the files on disk \(Dockerfile is your own, kept\) failed: \d+ problems?$/m,
      );
      assert.match(b.o.err, /^ {2}Dockerfile:[1-3] /m);
      assert.doesNotMatch(b.o.err, /lint clean/);
    } finally {
      c.done();
    }
  });

  it('a context the files on disk would break (a COPY source their .dockerignore leaves out): nothing written', async () => {
    const c = copy('flask-piptools');
    try {
      writeFileSync(join(c.dir, 'Dockerfile'), own.replace('COPY . .', 'COPY app.py /app/app.py'));
      writeFileSync(join(c.dir, '.dockerignore'), 'app.py\n');
      const a = io();
      assert.equal(await runInit(c.dir, {}, a.io), 1);
      assert.match(a.o.err, /^ {2}Dockerfile:\d+ LW1309 /m);
      assert.match(a.o.err, /^nothing written: the build context/m);
      assert.ok(!existsSync(join(c.dir, 'compose.yaml')), 'no file written');
      assert.ok(!existsSync(join(c.dir, '.github')), 'no workflow written');
    } finally {
      c.done();
    }
  });

  it('a kept Dockerfile with a dev stage keeps that target; --force writes init own files again', async () => {
    const c = copy('fastapi-uv');
    try {
      writeFileSync(join(c.dir, 'Dockerfile'), 'FROM python:3.11-slim AS dev\nCOPY . /srv\nCMD ["python"]\n');
      assert.equal(await runInit(c.dir, {}, io().io), 1);
      const compose = readFileSync(join(c.dir, 'compose.yaml'), 'utf8');
      assert.match(compose, /target: dev/);
      assert.doesNotMatch(compose, /target: \/app/, 'no sync to /app: the kept file puts the code in /srv');
      assert.equal(await runInit(c.dir, { force: true }, io().io), 0);
      assert.match(
        readFileSync(join(c.dir, 'compose.yaml'), 'utf8'),
        /action: sync\n\s+path: \.\/src\n\s+target: \/app\/src/,
      );
    } finally {
      c.done();
    }
  });

  it('--split-base beside a kept Dockerfile that does not read BASE_IMAGE: no Dockerfile.base, no base in CI', async () => {
    const c = copy('fastapi-uv');
    try {
      writeFileSync(join(c.dir, 'Dockerfile'), own);
      const a = io();
      assert.equal(await runInit(c.dir, { splitBase: true }, a.io), 1);
      assert.equal(existsSync(join(c.dir, 'Dockerfile.base')), false);
      assert.doesNotMatch(
        readFileSync(join(c.dir, '.github/workflows/image.yml'), 'utf8'),
        /Dockerfile\.base|BASE_IMAGE/,
      );
      assert.doesNotMatch(readFileSync(join(c.dir, 'compose.yaml'), 'utf8'), /Dockerfile\.base|target:/);
    } finally {
      c.done();
    }
  });

  it('--dry-run shows the same files a real run would write beside a kept Dockerfile', async () => {
    const c = copy('flask-piptools');
    try {
      writeFileSync(join(c.dir, 'Dockerfile'), own);
      const a = io();
      await runInit(c.dir, { dryRun: true }, a.io);
      const compose = /==> [^\n]*compose\.yaml <==\n([\s\S]*?)\n==> /.exec(a.o.out)?.[1] ?? '';
      assert.match(compose, /services:/);
      assert.doesNotMatch(compose, /target:/);
      assert.match(a.o.err, /^self-check of the files on disk \(Dockerfile is your own, kept\)/m);
    } finally {
      c.done();
    }
  });

  it('a kept .dockerignore that leaves .git out of a setuptools_scm project: the self-check says the image would lack files', async () => {
    const c = copy('scm-mailer');
    try {
      writeFileSync(join(c.dir, '.dockerignore'), '.git\n.venv\n');
      const a = io();
      assert.equal(await runInit(c.dir, {}, a.io), 1);
      assert.match(
        a.o.err,
        /^self-check of the files on disk \(\.dockerignore is your own, kept\) failed: 1 problem$/m,
      );
      assert.match(a.o.err, /^ {2}\.dockerignore: leaves \.git out, so setuptools_scm's file finder sees no git/m);
      assert.equal(await runInit(c.dir, { force: true }, io().io), 0, 'init own .dockerignore keeps .git in');
    } finally {
      c.done();
    }
  });
});
