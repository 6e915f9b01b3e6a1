// build's deterministic tar writer: the same entries in any order give the same bytes, parents
// come first (and are added when missing), every mtime is the one asked for, owners are root, long
// names and links survive (pax) and read back the same with layerwise's own reader and GNU tar.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { buildLayer, layerMtime, writeTar } from '../../src/build/tar-write.js';
import type { LayerEntry } from '../../src/build/types.js';
import { type TarHeader, TarParser } from '../../src/image/tar.js';

const longDir = `app/.venv/lib/python3.11/site-packages/${'averyveryverylongpackagename'.repeat(4)}`;
const longer = `${'x'.repeat(120)}/${'y'.repeat(120)}/${'z'.repeat(90)}.py`;

const entries = (): LayerEntry[] => [
  { path: 'app/.venv/bin/python', type: 'symlink', mode: 0o777, linkname: '/usr/local/bin/python3.11' },
  { path: 'app/.venv/pyvenv.cfg', type: 'file', mode: 0o644, data: Buffer.from('home = /usr/local/bin\n') },
  { path: `${longDir}/__init__.py`, type: 'file', mode: 0o644, data: Buffer.from('x = 1\n') },
  { path: `app/${longer}`, type: 'file', mode: 0o755, data: Buffer.alloc(1000, 7) },
  { path: 'app/.venv/lib/python3.11/site-packages/caf\u00e9.py', type: 'file', mode: 0o644, data: Buffer.from('') },
  { path: 'app/.venv/link-long', type: 'symlink', mode: 0o777, linkname: `/${longer}` },
  { path: 'app/.venv/bin', type: 'dir', mode: 0o755 },
];

function read(tar: Buffer): { h: TarHeader; data: Buffer }[] {
  const out: { h: TarHeader; data: Buffer }[] = [];
  let cur: Buffer[] = [];
  const p = new TarParser(
    {
      entry: () => (cur = []),
      data: (c) => cur.push(c),
      entryEnd: (h) => out.push({ h, data: Buffer.concat(cur) }),
    },
    { what: 'test' },
  );
  p.write(tar);
  return out;
}

describe('writeTar', () => {
  it('gives the same bytes for the same entries in any order', () => {
    const a = writeTar(entries(), { mtime: 1700000000 });
    const shuffled = entries().reverse();
    [shuffled[0], shuffled[3]] = [shuffled[3], shuffled[0]];
    const b = writeTar(shuffled, { mtime: 1700000000 });
    assert.ok(a.equals(b));
    assert.equal(a.length % 512, 0);
    // Another mtime, other bytes; another mode, other bytes.
    assert.ok(!a.equals(writeTar(entries(), { mtime: 1 })));
    const m = entries();
    m[1].mode = 0o600;
    assert.ok(!a.equals(writeTar(m, { mtime: 1700000000 })));
  });

  it('lists parents first (adding the missing ones), fixes mtimes and owners', () => {
    const got = read(writeTar(entries(), { mtime: 1234567 }));
    const paths = got.map((e) => e.h.path);
    for (const [i, p] of paths.entries()) {
      const parent = p.split('/').slice(0, -1).join('/');
      if (parent) assert.ok(paths.indexOf(parent) >= 0 && paths.indexOf(parent) < i, `${parent} before ${p}`);
    }
    assert.deepEqual(paths.slice(0, 3), ['app', 'app/.venv', 'app/.venv/bin']);
    assert.equal(new Set(paths).size, paths.length);
    for (const e of got) {
      assert.equal(e.h.mtime, 1234567, e.h.path);
      assert.equal(e.h.uid, 0);
      assert.equal(e.h.gid, 0);
      assert.equal(e.h.uname, '');
      assert.equal(e.h.gname, '');
    }
    const by = new Map(got.map((e) => [e.h.path, e]));
    assert.equal(by.get('app')!.h.type, 'dir');
    assert.equal(by.get('app')!.h.mode, 0o755);
    assert.equal(by.get(`app/${longer}`)!.h.mode, 0o755);
    assert.ok(by.get(`app/${longer}`)!.data.equals(Buffer.alloc(1000, 7)));
    assert.equal(by.get(`${longDir}/__init__.py`)!.data.toString(), 'x = 1\n');
    assert.equal(by.get('app/.venv/link-long')!.h.linkname, `/${longer}`);
    assert.equal(by.get('app/.venv/bin/python')!.h.linkname, '/usr/local/bin/python3.11');
    assert.ok(by.has('app/.venv/lib/python3.11/site-packages/caf\u00e9.py'));
    // Default mtime is 0.
    assert.ok(read(writeTar(entries())).every((e) => e.h.mtime === 0));
  });

  it('reads back with GNU tar: names, modes, owners and dates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'build-tar-'));
    try {
      const file = join(dir, 'l.tar');
      writeFileSync(file, writeTar(entries(), { mtime: 86400 }));
      const out = execFileSync('tar', ['--numeric-owner', '--utc', '-tvf', file], { encoding: 'utf8' });
      const lines = out.trim().split('\n');
      assert.equal(lines.length, read(writeTar(entries())).length);
      for (const l of lines) assert.match(l, /^[-dl]\S+ 0\/0 +\d+ 1970-01-02 00:00 /);
      assert.ok(lines.some((l) => l.startsWith('-rwxr-xr-x') && l.includes(longer)));
      assert.ok(lines.some((l) => l.startsWith('lrwxrwxrwx') && l.includes(`link-long -> /${longer}`)));
      assert.ok(lines.some((l) => l.startsWith('drwxr-xr-x') && l.endsWith(' app/')));
      // Extracts without complaint, contents intact.
      execFileSync('tar', ['-xf', file, '-C', dir]);
      const sum = execFileSync('sha256sum', [join(dir, 'app', longer)], { encoding: 'utf8' }).split(' ')[0];
      assert.equal(sum, createHash('sha256').update(Buffer.alloc(1000, 7)).digest('hex'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses conflicting duplicates and paths that climb', () => {
    assert.throws(() =>
      writeTar([
        { path: 'a', type: 'file', mode: 0o644, data: Buffer.from('1') },
        { path: 'a', type: 'file', mode: 0o644, data: Buffer.from('2') },
      ]),
    );
    assert.throws(() => writeTar([{ path: 'a/../../etc/passwd', type: 'file', mode: 0o644 }]));
    assert.throws(() =>
      writeTar([
        { path: 'a', type: 'file', mode: 0o644 },
        { path: 'a/b', type: 'file', mode: 0o644 },
      ]),
    );
    // Identical duplicates merge.
    const one = { path: 'a', type: 'dir' as const, mode: 0o755 };
    assert.ok(writeTar([one, { ...one }]).equals(writeTar([one])));
  });
});

describe('buildLayer', () => {
  it('gives the blob and its digests, the same each time', async () => {
    const content = { kind: 'package' as const, packages: [{ name: 'x', version: '1', wheelSha256: 'ab' }] };
    const a = await buildLayer(content, entries(), { mtime: 5 });
    const b = await buildLayer(content, entries().reverse(), { mtime: 5 });
    assert.ok(a.blob.equals(b.blob));
    const tar = gunzipSync(a.blob);
    assert.equal(a.layer.diffId, `sha256:${createHash('sha256').update(tar).digest('hex')}`);
    assert.equal(a.layer.digest, `sha256:${createHash('sha256').update(a.blob).digest('hex')}`);
    assert.equal(a.layer.size, a.blob.length);
    assert.equal(a.layer.tarSize, tar.length);
    assert.equal(a.layer.reused, false);
    assert.deepEqual(a.layer.packages, content.packages);
    assert.equal(a.blob[9], 255, 'gzip OS byte is "unknown"');
  });
});

describe('layerMtime', () => {
  it('takes SOURCE_DATE_EPOCH, else 0, and refuses nonsense', () => {
    assert.equal(layerMtime({}), 0);
    assert.equal(layerMtime({ SOURCE_DATE_EPOCH: '1700000000' }), 1700000000);
    assert.throws(() => layerMtime({ SOURCE_DATE_EPOCH: 'yesterday' }), /SOURCE_DATE_EPOCH=yesterday/);
    assert.throws(() => layerMtime({ SOURCE_DATE_EPOCH: '-5' }));
  });
});
