// layerwise inspect from the real engine streams the export: while it runs, no image-sized file
// appears in its TMPDIR or its cache directory (both private to this test, watched every 20 ms),
// the engine is not asked for a second export, and the analysis equals that of `docker save`'s
// archive read from a file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build, docker, loadWorld, removeImages, repoRoot, tempDir, uniqueTag, writeFiles } from './world.js';

const world = loadWorld();
const CLI = join(repoRoot, 'dist', 'src', 'cli', 'main.js');
const LIMIT = 1 << 20;

/** Files under `dir` larger than `limit` bytes (a file vanishing while we look is skipped). */
function bigFiles(dir: string, limit: number): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let list;
    try {
      list = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of list) {
      const p = join(d, e.name);
      try {
        if (e.isDirectory()) walk(p);
        else if (statSync(p).size > limit) out.push(p);
      } catch {
        /* gone */
      }
    }
  };
  walk(dir);
  return out;
}

function inspect(
  ref: string,
  env: NodeJS.ProcessEnv,
  watch: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; seen: string[] }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, 'inspect', '--format', 'json', ref], {
      env: { ...process.env, DOCKER_HOST: world.dockerHost, ...env },
    });
    const seen = new Set<string>();
    const timer = setInterval(() => {
      for (const d of watch) for (const f of bigFiles(d, LIMIT)) seen.add(f);
    }, 20);
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    p.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, seen: [...seen] });
    });
  });
}

describe('inspect from the engine: the export is streamed, not spooled', () => {
  const ctx = tempDir();
  const tag = uniqueTag('streamed');
  before(async () => {
    writeFiles(ctx.path, {
      Dockerfile: [
        `FROM ${world.debianImage}`,
        'RUN head -c 30000000 /dev/urandom > /big.bin',
        'RUN rm /big.bin && echo done > /done',
        '',
      ].join('\n'),
    });
    await build({ context: ctx.path, tag });
    await docker(['save', '-o', join(ctx.path, 'image.tar'), tag]);
  });
  after(async () => {
    ctx.cleanup();
    await removeImages(tag);
  });

  test('no image-sized file in TMPDIR or the cache while it runs; same analysis as the saved archive', async () => {
    const tmp = join(ctx.path, 'tmp');
    const cache = join(ctx.path, 'cache');
    mkdirSync(tmp);
    mkdirSync(cache);
    const env = { TMPDIR: tmp, XDG_CACHE_HOME: cache, LAYERWISE_CACHE_DIR: join(cache, 'layerwise') };
    const e = await inspect(tag, env, [tmp, cache]);
    assert.equal(e.code, 0, e.stderr);
    assert.deepEqual(e.seen, [], 'image-sized files appeared while inspecting from the engine');
    assert.deepEqual(bigFiles(tmp, 0), []);
    const a = await inspect(`archive:${join(ctx.path, 'image.tar')}`, { LAYERWISE_CACHE: 'off' }, []);
    assert.equal(a.code, 0, a.stderr);
    const { image: ei, ...er } = JSON.parse(e.stdout);
    const { image: ai, ...ar } = JSON.parse(a.stdout);
    assert.equal(ei.configDigest, ai.configDigest);
    assert.equal(ei.source, 'engine');
    assert.deepEqual(er, ar);
    assert.ok(er.wastedBytes >= 30_000_000);
    // Again, the per-layer cache filled by the first run: same analysis.
    const again = await inspect(tag, env, [tmp]);
    assert.equal(again.code, 0, again.stderr);
    const { image: _g, ...gr } = JSON.parse(again.stdout);
    assert.deepEqual(gr, ar);
  });
});
