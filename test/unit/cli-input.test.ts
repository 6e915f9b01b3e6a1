// Binary, unreadable or missing input through the real CLI: exit code 2 and exactly one line on
// stderr (no stack trace), nothing on stdout.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { BUNDLE_BIN as BIN } from './repo.js';

function lint(args: string[], input?: Buffer) {
  const r = spawnSync(process.execPath, [BIN, 'lint', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertInputError(r: ReturnType<typeof lint>, mentions: RegExp) {
  assert.equal(r.status, 2, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^layerwise: [^\n]+\n$/, `exactly one line on stderr, got ${JSON.stringify(r.stderr)}`);
  assert.doesNotMatch(r.stderr, /\bat .*:\d+:\d+|internal error/);
  assert.match(r.stderr, mentions);
}

/** Deterministic pseudo-random bytes (NULs included). */
function randomBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

describe('CLI: binary, unreadable and missing input exit 2 with one line on stderr', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'layerwise-input-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a file of random bytes', () => {
    const file = join(dir, 'Dockerfile');
    writeFileSync(file, randomBytes(4096, 7));
    assertInputError(lint([file]), /binary|not UTF-8/);
  });

  it('random bytes without NUL (invalid UTF-8)', () => {
    const bytes = Buffer.from(randomBytes(4096, 11).map((b) => b | 0x80));
    const file = join(dir, 'high.Dockerfile');
    writeFileSync(file, bytes);
    assertInputError(lint([file]), /binary|not UTF-8/);
  });

  it('binary data on stdin (-)', () => {
    assertInputError(lint(['-'], randomBytes(2048, 3)), /standard input/);
  });

  it('a directory with no Dockerfiles', () => {
    const empty = join(dir, 'empty');
    mkdirSync(join(empty, 'sub'), { recursive: true });
    writeFileSync(join(empty, 'README.md'), '# nothing here\n');
    assertInputError(lint([empty]), /no Dockerfile found/);
  });

  it('a nonexistent path', () => {
    assertInputError(lint([join(dir, 'does-not-exist', 'Dockerfile')]), /no such file/);
  });

  it('a file too large to be a Dockerfile', () => {
    const file = join(dir, 'huge.Dockerfile');
    writeFileSync(file, `FROM scratch\n${'# padding\n'.repeat(500_000)}`);
    assertInputError(lint([file]), /too large/);
  });

  it(
    'an unreadable file',
    {
      skip: process.getuid?.() === 0 ? 'running as root: permissions do not apply' : false,
    },
    () => {
      const file = join(dir, 'secret.Dockerfile');
      writeFileSync(file, 'FROM scratch\n');
      chmodSync(file, 0o000);
      assertInputError(lint([file]), /cannot read|permission/);
    },
  );

  it('a binary file among good ones still fails the run with one line', () => {
    const good = join(dir, 'good');
    mkdirSync(good, { recursive: true });
    writeFileSync(join(good, 'Dockerfile'), 'FROM scratch\nCOPY app /app\n');
    const bad = join(dir, 'bad.Dockerfile');
    writeFileSync(bad, randomBytes(1024, 5));
    assertInputError(lint([join(good, 'Dockerfile'), bad]), /bad\.Dockerfile/);
  });
});
