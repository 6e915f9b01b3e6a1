// `lint --fix` on files users own, through the built CLI: symlinks are written through (and only
// inside the linted paths), mode, owner and group are kept, read-only files are refused unless
// --force, permission errors are one plain line, nothing is half written, a created
// .dockerignore counts at once, and --dry-run says "would fix".
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BUNDLE_BIN as BIN } from './repo.js';
const isRoot = process.getuid?.() === 0;
/** A user that is not root, for the cases root would sail through (its writes ignore modes). */
const OTHER = 1234;

function lint(args: string[], opts: { cwd?: string; asOther?: boolean } = {}) {
  const r = spawnSync(process.execPath, [BIN, 'lint', ...args], {
    cwd: opts.cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    ...(opts.asOther && isRoot ? { uid: OTHER, gid: OTHER } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineError(r: ReturnType<typeof lint>, mentions: RegExp) {
  assert.equal(r.code, 2, `exit code (stdout: ${r.stdout}, stderr: ${r.stderr})`);
  assert.match(r.stderr, /^layerwise: [^\n]+\n$/, `one line on stderr, got ${JSON.stringify(r.stderr)}`);
  assert.doesNotMatch(r.stderr, /internal error|please report|\bat .*:\d+:\d+/);
  assert.match(r.stderr, mentions);
}

/** Needs one fix (pip --no-cache-dir); COPY of single files, so no .dockerignore is created. */
const FIXABLE = 'FROM python:3.12-slim\nCOPY requirements.txt /app/\nRUN pip install -r /app/requirements.txt\n';
const FIXED = FIXABLE.replace('pip install', 'pip install --no-cache-dir');

let tmp: string;
/** A fresh directory (world-readable, so a non-root user can reach it) with these files. */
function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmp, 'p-'));
  chmodSync(dir, 0o755);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}
/** Files in `dir` other than the ones named: a temporary file left behind shows up here. */
const leftovers = (dir: string, known: string[]) => readdirSync(dir).filter((n) => !known.includes(n));

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'layerwise-fixfiles-'));
  chmodSync(tmp, 0o755);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('lint --fix: symlinks', () => {
  it('writes through a symlink to its target inside the linted directory; the link stays a link', () => {
    const dir = project({ 'docker/app.Dockerfile': FIXABLE, 'requirements.txt': 'x==1\n' });
    symlinkSync('docker/app.Dockerfile', join(dir, 'Dockerfile'));
    const r = lint(['--fix', 'Dockerfile'], { cwd: dir });
    assert.equal(r.stderr, '');
    assert.ok(lstatSync(join(dir, 'Dockerfile')).isSymbolicLink(), 'Dockerfile is still a symlink');
    assert.equal(readlinkSync(join(dir, 'Dockerfile')), 'docker/app.Dockerfile');
    assert.equal(readFileSync(join(dir, 'docker/app.Dockerfile'), 'utf8'), FIXED);
    assert.deepEqual(leftovers(join(dir, 'docker'), ['app.Dockerfile']), []);
  });

  it('refuses, with one line, a link whose target is outside the linted paths, and writes nothing', () => {
    const outside = project({ 'shared.Dockerfile': FIXABLE });
    const dir = project({ 'requirements.txt': 'x==1\n', 'other/Dockerfile': FIXABLE });
    symlinkSync(join(outside, 'shared.Dockerfile'), join(dir, 'Dockerfile'));
    const r = lint(['--fix', '.'], { cwd: dir });
    assertOneLineError(r, /Dockerfile: links to .*shared\.Dockerfile, outside the paths being linted/);
    assert.ok(lstatSync(join(dir, 'Dockerfile')).isSymbolicLink());
    assert.equal(readFileSync(join(outside, 'shared.Dockerfile'), 'utf8'), FIXABLE);
    // The other file was fixable too, but a refusal means nothing is written.
    assert.equal(readFileSync(join(dir, 'other/Dockerfile'), 'utf8'), FIXABLE);
  });
});

describe('lint --fix: mode, owner and group', () => {
  it('keeps mode 640', () => {
    const dir = project({ Dockerfile: FIXABLE, 'requirements.txt': 'x==1\n' });
    chmodSync(join(dir, 'Dockerfile'), 0o640);
    const r = lint(['--fix', 'Dockerfile'], { cwd: dir });
    assert.equal(r.stderr, '');
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), FIXED);
    assert.equal((statSync(join(dir, 'Dockerfile')).mode & 0o7777).toString(8), '640');
  });

  it('keeps owner and group (as root, of a file owned by another user)', { skip: !isRoot && 'needs root' }, () => {
    const dir = project({ Dockerfile: FIXABLE, 'requirements.txt': 'x==1\n' });
    chownSync(join(dir, 'Dockerfile'), OTHER, OTHER);
    chmodSync(join(dir, 'Dockerfile'), 0o604);
    const r = lint(['--fix', 'Dockerfile'], { cwd: dir });
    assert.equal(r.stderr, '');
    const st = statSync(join(dir, 'Dockerfile'));
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), FIXED);
    assert.deepEqual([st.uid, st.gid, (st.mode & 0o7777).toString(8)], [OTHER, OTHER, '604']);
  });
});

describe('lint --fix: read-only files and permissions', () => {
  it('refuses a read-only file (mode 444) with one line, and --force writes it keeping the mode', () => {
    const dir = project({ Dockerfile: FIXABLE, 'requirements.txt': 'x==1\n' });
    chmodSync(join(dir, 'Dockerfile'), 0o444);
    assertOneLineError(lint(['--fix', 'Dockerfile'], { cwd: dir }), /Dockerfile: read-only .*--force/);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), FIXABLE);
    const forced = lint(['--fix', '--force', 'Dockerfile'], { cwd: dir });
    assert.equal(forced.stderr, '');
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), FIXED);
    assert.equal((statSync(join(dir, 'Dockerfile')).mode & 0o7777).toString(8), '444');
  });

  it('a directory the user cannot write to: one plain line, exit 2, file unchanged', () => {
    const dir = project({ Dockerfile: FIXABLE, 'requirements.txt': 'x==1\n' });
    // Writable file (so it is not refused as read-only) in a directory that is not.
    chmodSync(join(dir, 'Dockerfile'), 0o666);
    chmodSync(dir, 0o555);
    try {
      const r = lint(['--fix', 'Dockerfile'], { cwd: dir, asOther: true });
      assertOneLineError(r, /^layerwise: Dockerfile: cannot write \(permission denied\); nothing was changed\n$/);
      assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), FIXABLE);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it(
    'a file the user may not write (not the owner, mode 644) is refused as read-only',
    {
      skip: !isRoot && 'needs root, to run as a user that does not own the file',
    },
    () => {
      const dir = project({ Dockerfile: FIXABLE, 'requirements.txt': 'x==1\n' });
      chmodSync(dir, 0o777);
      const r = lint(['--fix', 'Dockerfile'], { cwd: dir, asOther: true });
      assertOneLineError(r, /Dockerfile: no write permission; not fixed \(use --force/);
      assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), FIXABLE);
    },
  );

  it('a read-only file system: one plain line, with or without --force', (t) => {
    const dir = project();
    // A small read-only mount needs root (and a kernel that lets this container mount).
    if (!isRoot || spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'none', dir]).status !== 0)
      return t.skip('cannot mount a file system here');
    try {
      writeFileSync(join(dir, 'Dockerfile'), FIXABLE);
      assert.equal(spawnSync('mount', ['-o', 'remount,ro', dir]).status, 0, 'remount read-only');
      for (const extra of [[], ['--force']]) {
        const r = lint(['--fix', ...extra, 'Dockerfile'], { cwd: dir });
        assertOneLineError(r, /^layerwise: Dockerfile: cannot write \(read-only file system\); nothing was changed\n$/);
      }
      assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), FIXABLE);
    } finally {
      spawnSync('umount', [dir]);
    }
  });

  it('no partial writes: a read-only second file leaves the first unfixed too', () => {
    const dir = project({ 'a/Dockerfile': FIXABLE, 'b/Dockerfile': FIXABLE });
    chmodSync(join(dir, 'b/Dockerfile'), 0o444);
    assertOneLineError(lint(['--fix', '.'], { cwd: dir }), /b\/Dockerfile: read-only/);
    assert.equal(readFileSync(join(dir, 'a/Dockerfile'), 'utf8'), FIXABLE);
    assert.deepEqual(leftovers(join(dir, 'a'), ['Dockerfile']), []);
  });

  it('a FIFO is not replaced by a regular file', { skip: process.platform === 'win32' }, () => {
    const dir = project({ 'requirements.txt': 'x==1\n' });
    const fifo = join(dir, 'Dockerfile');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    // The writer ends after one Dockerfile, so the read ends; the fix must then not write.
    const writer = spawn('sh', ['-c', 'printf "%s" "$1" > "$0"', fifo, FIXABLE], { stdio: 'ignore' });
    try {
      assertOneLineError(lint(['--fix', 'Dockerfile'], { cwd: dir }), /Dockerfile: not a regular file; not fixed/);
      assert.ok(lstatSync(fifo).isFIFO(), 'still a FIFO');
      assert.deepEqual(leftovers(dir, ['Dockerfile', 'requirements.txt']), []);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('--force without --fix is a usage error', () => {
    const dir = project({ Dockerfile: FIXED });
    assertOneLineError(lint(['--force', 'Dockerfile'], { cwd: dir }), /--force only makes sense with --fix/);
  });
});

describe('lint --fix: the report shows the fixed state', () => {
  const COPY_ALL =
    'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n';

  it('after creating a .dockerignore, the same run no longer reports it missing', () => {
    const dir = project({ Dockerfile: COPY_ALL, 'requirements.txt': 'x==1\n' });
    const before = lint(['-f', 'json', 'Dockerfile'], { cwd: dir });
    const rules = (out: string) => JSON.parse(out).findings.map((f: { rule: string }) => f.rule);
    assert.ok(rules(before.stdout).includes('LW2405'), before.stdout);
    const r = lint(['--fix', '-f', 'json', 'Dockerfile'], { cwd: dir });
    assert.equal(r.stderr, '');
    assert.ok(existsSync(join(dir, '.dockerignore')));
    assert.ok(!rules(r.stdout).includes('LW2405'), `still reported after the fix: ${r.stdout}`);
  });

  it('--fix --dry-run says "would fix" and writes nothing', () => {
    const dir = project({ Dockerfile: FIXABLE, 'requirements.txt': 'x==1\n' });
    const r = lint(['--fix', '--dry-run', 'Dockerfile'], { cwd: dir });
    assert.match(r.stdout, /^\+RUN pip install --no-cache-dir/m);
    assert.match(r.stdout, /^would fix 1 problem in Dockerfile$/m);
    assert.doesNotMatch(r.stdout, /^fixed /m);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), FIXABLE);
    const real = lint(['--fix', 'Dockerfile'], { cwd: dir });
    assert.match(real.stdout, /^fixed 1 problem in Dockerfile$/m);
  });
});
