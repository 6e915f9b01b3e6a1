#!/usr/bin/env node
// npm run bench:inspect [-- --ref IMAGE] : layerwise inspect throughput and peak RSS next to
// `gzip -dc | sha256sum` over the same gzip layer blobs.
//
// Without --ref it builds a >= 1 GB image in the test world (python:3.11-slim + heavy wheels
// from the world's local index), pushes it to the world's registry (gzip layers) and copies it
// to an OCI layout with skopeo, so both measurements read the same local files.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const envFile = join(root, '.world', 'env');
const env = Object.fromEntries(
  readFileSync(envFile, 'utf8')
    .split('\n')
    .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);
const args = process.argv.slice(2);
const refArg = args.includes('--ref') ? args[args.indexOf('--ref') + 1] : undefined;
const docker = env.WORLD_DOCKER;
const run = (cmd, a, opts = {}) => String(execFileSync(cmd, a, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28, ...opts }) ?? '');
const work = mkdtempSync(join(tmpdir(), 'layerwise-bench-'));
try {
  let image = refArg;
  if (!image) {
    image = 'layerwise-bench/heavy:1';
    const ctx = join(work, 'ctx');
    mkdirSync(ctx);
    writeFileSync(
      join(ctx, 'Dockerfile'),
      `FROM ${env.WORLD_PYTHON_IMAGE}
ARG INDEX_URL
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir --index-url "$INDEX_URL" pyarrow pandas numpy scipy scikit-learn matplotlib pillow sqlalchemy fastapi uvicorn django
`,
    );
    console.error('building the heavy image (cached after the first run)...');
    run(docker, ['build', '-q', '--network', 'host', '--build-arg', `INDEX_URL=${env.WORLD_INDEX_URL}`, '-t', image, ctx], {
      env: { ...process.env, DOCKER_BUILDKIT: '1' },
    });
  }
  const pushed = `${env.WORLD_REGISTRY}/layerwise-bench/image:latest`;
  run(docker, ['tag', image, pushed]);
  run(docker, ['push', '-q', pushed]);
  const layout = join(work, 'layout');
  run(env.WORLD_SKOPEO, ['copy', '--quiet', '--src-tls-verify=false', `docker://${pushed}`, `oci:${layout}:bench`]);
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(join(layout, 'blobs', 'sha256', index.manifests[0].digest.slice(7)), 'utf8'));
  const blobs = manifest.layers.map((l) => join(layout, 'blobs', 'sha256', l.digest.slice(7)));
  const compressed = blobs.reduce((n, b) => n + statSync(b).size, 0);
  // Warm the page cache so both sides read from memory.
  for (const b of blobs) run('cat', [b], { stdio: ['ignore', 'ignore', 'inherit'] });

  let uncompressed = 0;
  for (const b of blobs) uncompressed += Number(run('bash', ['-c', `gzip -dc "${b}" | wc -c`]).trim());
  const t0 = process.hrtime.bigint();
  for (const b of blobs) {
    const out = spawnSync('bash', ['-c', `gzip -dc "${b}" | sha256sum >/dev/null`], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`gzip -dc failed: ${out.stderr}`);
  }
  const tBase = Number(process.hrtime.bigint() - t0) / 1e9;

  const cli = join(root, 'dist', 'src', 'cli', 'main.js');
  const t1 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'inspect', '--no-cache', '--format', 'json', `oci:${layout}:bench`], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const tLw = Number(process.hrtime.bigint() - t1) / 1e9;
  if (r.status !== 0) throw new Error(`layerwise inspect failed: ${r.stderr}`);
  // Again with the per-layer cache: a first run fills it, a second one reads it.
  const cacheEnv = { ...process.env, LAYERWISE_CACHE_DIR: join(work, 'cache') };
  const timed = () => {
    const t = process.hrtime.bigint();
    const c = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'inspect', '--format', 'json', `oci:${layout}:bench`], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      env: cacheEnv,
    });
    if (c.status !== 0) throw new Error(`layerwise inspect (cached) failed: ${c.stderr}`);
    if (c.stdout !== r.stdout) throw new Error('layerwise inspect with the cache differs from without it');
    return { s: Number(process.hrtime.bigint() - t) / 1e9, rssKb: Number(c.stderr.trim().split('\n').pop()) };
  };
  const fill = timed();
  const hit = timed();
  const rssKb = Number(r.stderr.trim().split('\n').pop());
  const j = JSON.parse(r.stdout);
  const mb = (n) => (n / 1e6).toFixed(1);
  const rows = [
    ['image', image],
    ['layers', String(manifest.layers.length)],
    ['compressed', `${mb(compressed)} MB`],
    ['uncompressed', `${mb(uncompressed)} MB (layerwise: ${mb(j.uncompressedSize)} MB)`],
    ['files', String(j.finalFiles)],
    ['gzip -dc | sha256sum', `${tBase.toFixed(2)} s, ${mb(uncompressed / tBase)} MB/s uncompressed`],
    ['layerwise inspect', `${tLw.toFixed(2)} s, ${mb(uncompressed / tLw)} MB/s uncompressed (${((tBase / tLw) * 100).toFixed(0)}% of the pipeline)`],
    ['layerwise peak RSS', `${(rssKb / 1024).toFixed(0)} MB`],
    ['filling the cache', `${fill.s.toFixed(2)} s`],
    ['inspect again, cached', `${hit.s.toFixed(2)} s (${(tLw / hit.s).toFixed(1)}x faster; peak RSS ${(hit.rssKb / 1024).toFixed(0)} MB)`],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(22)} ${v}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
