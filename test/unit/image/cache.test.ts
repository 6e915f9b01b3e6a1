import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cacheRoot } from '../../../src/image/analyze/cache.js';
import { writeDiffPair, writeInspectImage } from './html-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-cache-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const CLI = join(import.meta.dirname, '../../../src/cli/main.js');

function cli(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function entries(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

describe('per-layer results cached on disk', () => {
  it('where: LAYERWISE_CACHE_DIR, else XDG_CACHE_HOME/layerwise, else ~/.cache/layerwise', () => {
    assert.equal(cacheRoot({ LAYERWISE_CACHE_DIR: '/c' }), '/c');
    assert.equal(cacheRoot({ XDG_CACHE_HOME: '/x' }), '/x/layerwise');
    assert.match(cacheRoot({}), /\.cache\/layerwise$/);
  });

  it('the second inspect reads the cache and says exactly the same; other versions are pruned', () => {
    const cache = join(tmp, 'c1');
    const env = { LAYERWISE_CACHE_DIR: cache };
    const ref = writeInspectImage(join(tmp, 'i1'), 50);
    mkdirSync(join(cache, 'layers', '0123456789abcdef'), { recursive: true });
    writeFileSync(join(cache, 'layers', '0123456789abcdef', 'old'), 'x');
    const a = cli(env, 'inspect', '-f', 'json', ref);
    assert.equal(a.code, 0, a.stderr);
    const layerFiles = entries(join(cache, 'layers')).filter((f) => f.endsWith('.json.gz'));
    assert.equal(layerFiles.length, 5, 'one entry per layer');
    assert.ok(!existsSync(join(cache, 'layers', '0123456789abcdef')), 'results of another version removed');
    const b = cli(env, 'inspect', '-f', 'json', ref);
    assert.equal(b.stdout, a.stdout);
    const h = cli(env, 'inspect', '-f', 'html', ref);
    assert.equal(h.code, 0, h.stderr);
    assert.match(h.stdout, /main\.py/);
  });

  it('--no-cache and LAYERWISE_CACHE=off write nothing', () => {
    const ref = writeInspectImage(join(tmp, 'i2'), 10);
    const c2 = join(tmp, 'c2');
    assert.equal(cli({ LAYERWISE_CACHE_DIR: c2 }, 'inspect', '--no-cache', ref).code, 0);
    assert.equal(cli({ LAYERWISE_CACHE_DIR: c2, LAYERWISE_CACHE: 'off' }, 'inspect', ref).code, 0);
    assert.deepEqual(entries(c2), []);
  });

  it('a local blob changed after it was cached fails as it would without the cache', () => {
    const cache = join(tmp, 'c3');
    const env = { LAYERWISE_CACHE_DIR: cache };
    const dir = join(tmp, 'i3');
    const ref = writeInspectImage(dir, 10);
    assert.equal(cli(env, 'inspect', ref).code, 0);
    assert.equal(cli(env, 'inspect', ref).code, 0);
    // Flip one byte of the largest blob (a layer), keeping its size.
    const blobs = join(dir, 'inspect-image', 'blobs', 'sha256');
    const big = readdirSync(blobs)
      .map((f) => join(blobs, f))
      .sort((x, y) => readFileSync(y).length - readFileSync(x).length)[0];
    const bytes = readFileSync(big);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(big, bytes);
    const r = cli(env, 'inspect', ref);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /digest mismatch/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('diff reads and fills the same cache, with file hashes', () => {
    const cache = join(tmp, 'c4');
    const env = { LAYERWISE_CACHE_DIR: cache };
    const pair = writeDiffPair(join(tmp, 'd4'));
    const a = cli(env, 'diff', '-f', 'json', pair.old, pair.new);
    assert.equal(a.code, 0, a.stderr);
    assert.ok(entries(cache).some((f) => f.endsWith('.json.gz')));
    const b = cli(env, 'diff', '-f', 'json', pair.old, pair.new);
    assert.equal(b.stdout, a.stdout);
    const c = cli({ LAYERWISE_CACHE: 'off' }, 'diff', '-f', 'json', pair.old, pair.new);
    assert.equal(c.stdout, a.stdout);
  });
});
