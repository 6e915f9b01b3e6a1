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
