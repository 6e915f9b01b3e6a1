// init validates the lock files it builds from with the manager's own format rules: a lock it
// cannot parse stops it (exit 2) with one line naming the file and the place, and nothing is written.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runInit } from '../../../src/cli/init.js';
import { UserError } from '../../../src/errors.js';
import { lockProblem } from '../../../src/project/lock-validate.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'projects');
const quiet = { out: () => {}, err: () => {} };

function copy(name: string): { dir: string; done: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'lw-lock-'));
  const dir = join(root, name);
  cpSync(join(fixtures, name), dir, { recursive: true });
  return { dir, done: () => rmSync(root, { recursive: true, force: true }) };
}

/** init on a fixture whose lock file was replaced: the UserError's message, and what got written. */
async function initWith(name: string, file: string, text: string): Promise<{ message: string; wrote: boolean }> {
  const c = copy(name);
  try {
    writeFileSync(join(c.dir, file), text);
    let message = '';
    await assert.rejects(runInit(c.dir, {}, quiet), (e: Error) => {
      assert.ok(e instanceof UserError, `a UserError (exit 2), got ${e.stack}`);
      message = e.message;
      return true;
    });
    assert.doesNotMatch(message, /\n/, 'one line');
    return { message, wrote: existsSync(join(c.dir, 'Dockerfile')) };
  } finally {
    c.done();
  }
}

describe('lock files are checked with the manager format rules', () => {
  it('every fixture lock passes', () => {
    for (const [name, file] of [
      ['fastapi-uv', 'uv.lock'],
      ['scm-version', 'uv.lock'],
      ['uv-workspace', 'uv.lock'],
      ['data-app', 'uv.lock'],
      ['scm-mailer', 'uv.lock'],
      ['django-poetry', 'poetry.lock'],
      ['pdm-starlette', 'pdm.lock'],
      ['flask-piptools', 'requirements.txt'],
    ])
      assert.equal(lockProblem(file, readFileSync(join(fixtures, name, file), 'utf8')), undefined, `${name}/${file}`);
  });

  it('a garbage uv.lock: exit 2 with the TOML error location, nothing written', async () => {
    const r = await initWith('fastapi-uv', 'uv.lock', 'version = 1\nrevision = 3\n[[package]\nname = "x"\n');
    assert.match(r.message, /uv\.lock:3:\d+: not valid TOML \(.+\); fix it or regenerate it with `uv lock`$/);
    assert.equal(r.wrote, false);
    const bin = await initWith('fastapi-uv', 'uv.lock', '\u0000\u0001garbage that is not a lock at all\n');
    assert.match(bin.message, /uv\.lock:1:\d+: not valid TOML/);
  });

  it('valid TOML that uv would refuse: no lock version, a package without source or version', async () => {
    assert.match(
      (await initWith('fastapi-uv', 'uv.lock', 'title = "hi"\n')).message,
      /uv\.lock:1:1: not a valid uv lock file: no integer `version`/,
    );
    const noSource =
      'version = 1\nrequires-python = "==3.11.*"\n\n[[package]]\nname = "a"\nversion = "1"\nsource = { registry = "x" }\n\n[[package]]\nname = "b"\nversion = "2"\n';
    assert.match(
      (await initWith('fastapi-uv', 'uv.lock', noSource)).message,
      /uv\.lock:9:1: .*package b has no source table/,
    );
    const noVersion =
      'version = 1\n[[package]]\nname = "click"\nsource = { registry = "http://127.0.0.1:3141/simple/" }\n';
    assert.match(lockProblem('uv.lock', noVersion)?.message ?? '', /package click has no version/);
    // A source tree with a dynamic version has none in uv.lock (the scm-version fixture).
    assert.equal(
      lockProblem('uv.lock', 'version = 1\n[[package]]\nname = "g"\nsource = { editable = "." }\n'),
      undefined,
    );
  });

  it('poetry.lock and pdm.lock: TOML errors and missing metadata', async () => {
    assert.match(
      (await initWith('django-poetry', 'poetry.lock', '[[package]]\nname = "django"\nversion = 5\n')).message,
      /poetry\.lock:1:1: not a valid Poetry lock file: no \[metadata\] table; fix it or regenerate it with `poetry lock`/,
    );
    const lock = readFileSync(join(fixtures, 'django-poetry', 'poetry.lock'), 'utf8');
    assert.match(
      (await initWith('django-poetry', 'poetry.lock', lock.replace('version = "3.12.1"', 'version = 3.12.1'))).message,
      /poetry\.lock:5:\d+: not valid TOML/,
    );
    assert.match(
      (await initWith('pdm-starlette', 'pdm.lock', '[metadata]\ngroups = ["default"]\n')).message,
      /pdm\.lock:1:1: not a valid PDM lock file: no `lock_version`/,
    );
  });

  it('Pipfile.lock: JSON errors with line and column, and the pipenv structure', () => {
    const p = lockProblem('Pipfile.lock', '{\n  "_meta": {},\n  "default": {,}\n}\n');
    assert.equal(p?.line, 3);
    assert.ok(p && p.column > 1);
    assert.match(p?.message ?? '', /not valid JSON/);
    assert.match(lockProblem('Pipfile.lock', '{"default": {}}')?.message ?? '', /no `_meta` object/);
    assert.match(
      lockProblem('Pipfile.lock', '{"_meta": {}, "default": {"flask": {"version": "3.1"}}}')?.message ?? '',
      /default\.flask: version "3\.1" is not a pin/,
    );
  });

  it('requirements files: a merge conflict or a stray word is refused with its line; options and hashes pass', async () => {
    const good = readFileSync(join(fixtures, 'flask-piptools', 'requirements.txt'), 'utf8');
    const conflicted = good.replace('click==8.5.1 \\', '<<<<<<< HEAD\nclick==8.5.1 \\');
    const line = conflicted.split('\n').findIndex((l) => l.startsWith('<<<<<<<')) + 1;
    const r = await initWith('flask-piptools', 'requirements.txt', conflicted);
    assert.match(
      r.message,
      new RegExp(
        `requirements\\.txt:${line}:1: not a requirement, URL, path or pip option: "<<<<<<< HEAD"; fix it or regenerate it with \`pip-compile\``,
      ),
    );
    assert.equal(r.wrote, false);
    assert.match(
      lockProblem('requirements.txt', 'flask==3.1 --hash=sha256:zz\n')?.message ?? '',
      /bad option --hash=sha256:zz/,
    );
    assert.match(lockProblem('requirements.txt', '--frobnicate\n')?.message ?? '', /unknown pip option --frobnicate/);
    assert.equal(
      lockProblem(
        'requirements.txt',
        '-i http://127.0.0.1:3141/simple/\n--extra-index-url https://${TOKEN}@pkgs.example.invalid/simple/\n-r base.txt\nrequests[socks] >=2.31, <3 ; python_version >= "3.8"  # why\nfoo @ https://example.invalid/foo-1.0-py3-none-any.whl\n./local-pkg\n-e .\npsycopg2==2.9.9 \\\n    --hash=sha256:ab12\n',
      ),
      undefined,
    );
  });
});
