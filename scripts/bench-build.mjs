#!/usr/bin/env node
// npm run bench:build: `layerwise build` on the heavy data-app fixture (pandas, pyarrow, numpy),
// measured next to a Docker build of the Dockerfile `layerwise init` writes for the same project,
// in the same run, on the same machine and base image:
//   - warm rebuild: a one-line code change, built against the previous image (goal: under 2 s);
//   - cold assembly: every layer built anew (--no-previous) from a warm wheel cache, next to the
//     time `gzip -6` alone needs for the same uncompressed bytes (goal: within 1.5x);
//   - docker build of init's Dockerfile: cold (--no-cache) and after the same code change.
// Medians of BENCH_REPEAT runs (default 3; the Docker cold build runs once). Needs the test world
// (scripts/world/up): its engine, registry and wheel index.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { worldEnv } from './world-env.mjs';
import { gunzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist/bundle/main.js');
const env = worldEnv(root, 'bench:build');
const REPEAT = Number(process.env.BENCH_REPEAT ?? '3');
const FIXTURE = process.argv[2] ?? 'data-app';
const DOCKER = env.WORLD_DOCKER;
const REG = env.WORLD_REGISTRY;
const INDEX = env.WORLD_INDEX_URL;
const run = `lw-bench-build-${Date.now().toString(36)}`;
const BASE = `${REG}/${run}/python:3.11-slim`;
const work = mkdtempSync(join(tmpdir(), 'lw-bench-build-'));
const cache = join(work, 'cache');
const PATH = `${dirname(DOCKER)}:${process.env.PATH}`;

function sh(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    ...opts,
    env: { ...process.env, PATH, LAYERWISE_CACHE_DIR: cache, ...opts.env },
  });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    console.error(`bench:build: ${cmd} ${args.join(' ')} exited ${r.status}\n${(r.stderr ?? '').slice(-2000)}`);
    process.exit(2);
  }
  return { ...r, seconds };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const git = (dir, ...a) => sh('git', ['-C', dir, '-c', 'user.name=b', '-c', 'user.email=b@e.invalid', ...a]);
const layerwise = (...a) => sh(process.execPath, [CLI, ...a]);

function project(name) {
  const dir = join(work, name);
  cpSync(join(root, 'test/fixtures/projects', FIXTURE), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}
const codeFile = (dir) => {
  const pkg = readdirSync(join(dir, 'src'))[0];
  return join(
    dir,
    'src',
    pkg,
    readdirSync(join(dir, 'src', pkg)).find((f) => f.endsWith('.py')),
  );
};
function change(dir, i) {
  appendFileSync(codeFile(dir), `\n# bench change ${i} ${Date.now()}\n`);
  git(dir, 'commit', '-q', '-am', `change ${i}`);
}

try {
  // The base as teams have it: in a registry, gzip layers.
  sh(env.WORLD_SKOPEO, [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    `docker-daemon:${env.WORLD_PYTHON_IMAGE}`,
    `docker://${BASE}`,
  ]);
  const dir = project('lw');
  const repo = `${REG}/${run}/app`;
  const base = ['--base', `docker://${BASE}`];

  // Warm the wheel cache, and the first image to build against.
  const first = layerwise('build', dir, ...base, '--tag', `${repo}:0`, '-f', 'json');
  const layers = JSON.parse(first.stdout).layers.length;

  // Warm rebuilds: one-line code changes, each against the image before it.
  const warm = [];
  for (let i = 1; i <= REPEAT; i++) {
    change(dir, i);
    warm.push(layerwise('build', dir, ...base, '--tag', `${repo}:${i}`, '--previous', `${repo}:${i - 1}`).seconds);
  }

  // Cold assembly: every layer anew from the warm wheel cache; then gzip -6 over the same tars.
  const cold = [];
  let oci = '';
  for (let i = 0; i < REPEAT; i++) {
    oci = join(work, `oci-${i}`);
    cold.push(layerwise('build', dir, ...base, '--no-previous', '--output', `oci:${oci}:x`).seconds);
  }
  const index = JSON.parse(readFileSync(join(oci, 'index.json'), 'utf8'));
  const blob = (d) => readFileSync(join(oci, 'blobs', 'sha256', d.slice(7)));
  const manifest = JSON.parse(blob(index.manifests[0].digest));
  const own = manifest.layers.filter((l) => l.annotations?.['dev.layerwise.build.kind']);
  const tarFile = join(work, 'layers.tar');
  writeFileSync(tarFile, '');
  let tarBytes = 0;
  for (const l of own) {
    const tar = gunzipSync(blob(l.digest));
    tarBytes += tar.length;
    appendFileSync(tarFile, tar);
  }
  const gz = [];
  for (let i = 0; i < REPEAT; i++) gz.push(sh('sh', ['-c', 'gzip -6 -c "$0" > /dev/null', tarFile]).seconds);

  // Docker: init's Dockerfile for the same project, cold once, then after the same kind of change.
  const ddir = project('docker');
  layerwise('init', ddir);
  const dargs = (tag) => [
    'build',
    '-q',
    '--network',
    'host',
    '-t',
    tag,
    '--build-arg',
    `PIP_INDEX_URL=${INDEX}`,
    '--build-arg',
    `UV_INDEX_URL=${INDEX}`,
    '--build-arg',
    `INDEX_URL=${INDEX}`,
    '--build-arg',
    `BENCH_RUN=${run}`,
    ddir,
  ];
  const dockerEnv = { env: { DOCKER_BUILDKIT: '1' } };
  // A build arg of this run's own in every stage: no cache of an earlier run answers the cold build.
  const df = join(ddir, 'Dockerfile');
  writeFileSync(df, readFileSync(df, 'utf8').replace(/^(FROM .*)$/gm, '$1\nARG BENCH_RUN'));
  const tag = `layerwise-bench/${run}:docker`;
  const dockerCold = sh(DOCKER, [...dargs(tag), '--no-cache'], dockerEnv).seconds;
  const dockerWarm = [];
  for (let i = 1; i <= REPEAT; i++) {
    change(ddir, i);
    dockerWarm.push(sh(DOCKER, dargs(tag), dockerEnv).seconds);
  }
  sh(DOCKER, ['image', 'rm', '-f', tag]);

  const f = (s) => `${s.toFixed(2)} s`;
  const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
  console.log(`bench:build on ${FIXTURE} (${layers} layers above the base; medians of ${REPEAT})`);
  console.log(`  layerwise build, one-line code change, warm:   ${f(median(warm))}  (goal: under 2 s)`);
  console.log(`  docker build of init's Dockerfile, same change: ${f(median(dockerWarm))}`);
  console.log(
    `  layerwise build, cold from a warm wheel cache: ${f(median(cold))}; gzip -6 of the same ${mb(tarBytes)}: ${f(median(gz))}; ratio ${(median(cold) / median(gz)).toFixed(2)} (goal: at most 1.5)`,
  );
  console.log(`  docker build of init's Dockerfile, cold:       ${f(dockerCold)} (one run, --no-cache)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
