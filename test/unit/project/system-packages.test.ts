import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devExtrasOf, devRequirementFiles, lockHasWheel } from '../../../src/project/dependencies.js';
import { systemPackagesFor } from '../../../src/project/system-packages.js';
import { detectProject } from '../../../src/project/index.js';

const none = () => undefined;

describe('system packages', () => {
  it('psycopg[binary] (psycopg-binary in the lock) bundles libpq: none, and says why', () => {
    assert.deepEqual(systemPackagesFor(['psycopg', 'psycopg-binary'], none), {
      build: [],
      run: [],
      because: [],
      bundled: ['psycopg: psycopg-binary bundles libpq5'],
    });
  });

  it('psycopg alone loads the system libpq', () => {
    assert.deepEqual(systemPackagesFor(['psycopg'], none).run, ['libpq5']);
  });

  it('psycopg[c] compiles against libpq', () => {
    const sp = systemPackagesFor(['psycopg', 'psycopg-c'], none);
    assert.ok(sp.build.includes('libpq-dev'));
    assert.deepEqual(sp.run, ['libpq5']);
  });

  it('a Linux wheel in the lock bundles the C libraries (mysqlclient, lxml); without one they are built', () => {
    const wheel = (n: string) => (n === 'mysqlclient' || n === 'lxml' ? true : undefined);
    const sp = systemPackagesFor(['mysqlclient', 'lxml'], wheel);
    assert.deepEqual([sp.build, sp.run, sp.because], [[], [], []]);
    assert.equal(sp.bundled?.length, 2);
    const src = systemPackagesFor(['mysqlclient'], () => undefined);
    assert.ok(src.build.includes('default-libmysqlclient-dev'));
    assert.deepEqual(src.run, ['libmariadb3']);
    const noWheel = systemPackagesFor(['lxml'], () => false);
    assert.deepEqual(noWheel.run, ['libxml2', 'libxslt1.1']);
  });

  it('a library linked at run time whatever the wheel (weasyprint) still needs its packages', () => {
    assert.ok(systemPackagesFor(['weasyprint'], () => true).run.includes('libpango-1.0-0'));
  });
});

describe('lock wheels and dev dependencies', () => {
  const lock = (files: string[]) =>
    `version = 1\n\n[[package]]\nname = "mysqlclient"\nversion = "2.2.4"\nsdist = { url = "x/mysqlclient-2.2.4.tar.gz" }\nwheels = [\n${files.map((f) => `  { url = "x/${f}" },`).join('\n')}\n]\n`;

  it('only a Linux or pure wheel counts as a wheel for the image', () => {
    assert.equal(lockHasWheel('uv', lock(['mysqlclient-2.2.4-cp311-cp311-win_amd64.whl']), 'mysqlclient'), false);
    assert.equal(
      lockHasWheel(
        'uv',
        lock(['mysqlclient-2.2.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl']),
        'mysqlclient',
      ),
      true,
    );
    assert.equal(lockHasWheel('uv', lock(['mysqlclient-2.2.4-py3-none-any.whl']), 'mysqlclient'), true);
    assert.equal(lockHasWheel('uv', lock([]), 'mysqlclient'), false);
    assert.equal(lockHasWheel('uv', lock([]), 'other'), undefined);
    assert.equal(lockHasWheel('pip-tools', 'mysqlclient==2.2.4', 'mysqlclient'), undefined);
  });

  it('dev-like extras of [project.optional-dependencies]', () => {
    assert.deepEqual(
      devExtrasOf({ project: { 'optional-dependencies': { postgres: ['psycopg'], test: ['pytest'], dev: ['ruff'] } } }),
      ['dev', 'test'],
    );
    assert.deepEqual(devExtrasOf(undefined), []);
  });

  it('dev requirements files, at the top and in requirements/, never the main one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-devreq-'));
    try {
      for (const f of [
        'requirements.txt',
        'requirements-dev.txt',
        'requirements-dev.in',
        'dev-requirements.txt',
        'requirements-prod.txt',
      ])
        writeFileSync(join(dir, f), '');
      mkdirSync(join(dir, 'requirements'));
      for (const f of ['base.txt', 'test.txt', 'lint.txt']) writeFileSync(join(dir, 'requirements', f), '');
      assert.deepEqual(devRequirementFiles(dir, 'requirements.txt'), [
        'dev-requirements.txt',
        'requirements-dev.txt',
        'requirements/lint.txt',
        'requirements/test.txt',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a lock, psycopg[binary] in the manifest bundles libpq and psycopg[c] needs it', () => {
    const detect = (deps: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'lw-sys-extras-'));
      try {
        writeFileSync(join(dir, 'requirements.txt'), `flask\n${deps}\n`);
        writeFileSync(join(dir, 'app.py'), 'from flask import Flask\napp = Flask(__name__)\n');
        return detectProject(dir).systemPackages;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const binary = detect('psycopg[binary]>=3.1');
    assert.deepEqual(binary.run, []);
    assert.deepEqual(binary.bundled, ['psycopg: psycopg-binary bundles libpq5']);
    const c = detect('psycopg[c]>=3.1');
    assert.ok(c.build.includes('libpq-dev'), c.build.join(' '));
    assert.deepEqual(c.run, ['libpq5']);
    assert.deepEqual(detect('psycopg>=3.1').run, ['libpq5'], 'no extra: the system libpq');
  });
});
