// The pre-commit hook (.pre-commit-hooks.yaml) run by pre-commit itself, from PyPI, the way a
// user tries it: `pre-commit try-repo <this repository> layerwise-lint --all-files` in a git
// repository holding Dockerfiles. pre-commit clones this repository at HEAD (plus uncommitted
// changes to tracked files) and installs it with npm as a git dependency, which builds it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { childEnv, root, sh } from './install.js';
import { CLEAN_DOCKERFILE } from './repo.js';

/**
 * A venv with pre-commit from PyPI, kept under the temp directory between runs (made beside and
 * renamed into place, so concurrent runs never use half a venv); returns its python. pre-commit
 * runs as `python -m pre_commit`: the venv's scripts name the interpreter by its path before the
 * rename.
 */
function preCommitPython(): string {
  const venv = join(tmpdir(), 'layerwise-test-pre-commit-venv');
  const python = join(venv, 'bin', 'python');
  const works = () => existsSync(python) && sh(python, ['-m', 'pre_commit', '--version'], { cwd: tmpdir() }).code === 0;
  if (works()) return python;
  const fresh = `${venv}.${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  let r = sh('python3', ['-m', 'venv', fresh], { cwd: tmpdir() });
  assert.equal(r.code, 0, `python3 -m venv failed: ${r.stderr}`);
  r = sh(join(fresh, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', 'pre-commit'], { cwd: tmpdir() });
  assert.equal(r.code, 0, `pip install pre-commit failed: ${r.stderr}`);
  rmSync(venv, { recursive: true, force: true });
  try {
    renameSync(fresh, venv);
  } catch {
    rmSync(fresh, { recursive: true, force: true }); // another run put one there first
  }
  assert.ok(works(), 'pre-commit does not run from its venv');
  return python;
}

function gitRepo(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  for (const args of [
    ['init', '-q'],
    ['add', '-A'],
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'x'],
  ]) {
    const r = sh('git', args, { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
  }
}

const GOOD = CLEAN_DOCKERFILE;
const GOOD_CONTEXT = {
  'good/Dockerfile': GOOD,
  'good/.dockerignore': '.git\n.venv\n__pycache__\n',
  'good/requirements.txt': 'x==1\n',
  'good/app/__main__.py': 'print(1)\n',
};
const BAD = 'FROM ubuntu\nRUN apt-get install -y curl\n';

describe('pre-commit try-repo with the layerwise-lint hook', { timeout: 1_200_000 }, () => {
  let tmp = '';
  let python = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'layerwise-pre-commit-'));
    python = preCommitPython();
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const tryRepo = (dir: string) =>
    sh(python, ['-m', 'pre_commit', 'try-repo', root, 'layerwise-lint', '--all-files'], {
      cwd: dir,
      // Its own store and log, not the user's ~/.cache/pre-commit.
      env: childEnv({ PRE_COMMIT_HOME: join(tmp, 'pre-commit-home'), PRE_COMMIT_COLOR: 'never' }),
    });

  it('fails on bad Dockerfiles with their findings, and checks only Dockerfiles', () => {
    const dir = join(tmp, 'bad');
    gitRepo(dir, {
      ...GOOD_CONTEXT,
      'svc/Dockerfile': BAD,
      'svc/api.Dockerfile': BAD,
      'svc/Containerfile.dev': BAD,
      // Not Dockerfiles: docker's ignore file for one Dockerfile, and a text file.
      'svc/Dockerfile.dockerignore': 'FROM nothing\n',
      'notes.txt': BAD,
    });
    const r = tryRepo(dir);
    const out = r.stdout + r.stderr;
    assert.equal(r.code, 1, out);
    assert.match(out, /layerwise lint\.+Failed/);
    for (const f of ['svc/Dockerfile', 'svc/api.Dockerfile', 'svc/Containerfile.dev'])
      assert.match(out, new RegExp(`${f.replace(/\./g, '\\.')}:1:1 +warning .*\\[LW4101 image-without-tag\\]`), f);
    assert.doesNotMatch(out, /good\/Dockerfile:|Dockerfile\.dockerignore:|notes\.txt:/);
  });

  it('passes on a good Dockerfile', () => {
    const dir = join(tmp, 'good');
    gitRepo(dir, GOOD_CONTEXT);
    const r = tryRepo(dir);
    const out = r.stdout + r.stderr;
    assert.equal(r.code, 0, out);
    assert.match(out, /layerwise lint\.+Passed/);
  });
});
