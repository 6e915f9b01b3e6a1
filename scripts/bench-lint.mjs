#!/usr/bin/env node
// `npm run bench:lint`: lints the whole corpus (test/corpus) in ONE CLI invocation, several times,
// and prints files/s including start-up, plus CLI start-up time. Figures only, no pass/fail.
//
//   node scripts/bench-lint.mjs [--runs N] [--dir test/corpus]
//
// Wall time is what a user waits; CPU time (user+sys of the CLI process, measured by a tiny
// preload that reports process.cpuUsage() at exit) is printed too, because on a busy machine
// wall time says more about the neighbours than about layerwise.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Number(opt('--runs', process.env.BENCH_RUNS ?? '7'));
const DIR = opt('--dir', 'test/corpus');
const BIN = join(root, 'dist', 'bundle', 'main.js');
if (!existsSync(BIN)) {
  console.error(`bench:lint: ${BIN} is missing; run npm run build first`);
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'layerwise-bench-'));
const cpuFile = join(tmp, 'cpu');
const preload = join(tmp, 'cpu-report.cjs');
writeFileSync(
  preload,
  `process.on('exit', () => { const u = process.cpuUsage(); require('node:fs').writeFileSync(${JSON.stringify(cpuFile)}, String((u.user + u.system) / 1000)); });\n`,
);
writeFileSync(join(tmp, '.dockerignore'), '.git\n');
writeFileSync(
  join(tmp, 'Dockerfile'),
  'FROM python:3.12-slim\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]\n',
);

/** Runs the CLI once; returns wall ms, CPU ms, exit status, stdout. */
function run(cliArgs) {
  rmSync(cpuFile, { force: true });
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', preload, BIN, ...cliArgs], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = existsSync(cpuFile) ? Number(readFileSync(cpuFile, 'utf8')) : Number.NaN;
  return { wall, cpu, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${Math.round(x)} ms`;
const secs = (x) => `${(x / 1000).toFixed(2)} s`;

const warnings = new Set();
function lintRun(cliArgs) {
  const r = run(cliArgs);
  if (r.status !== 0 && r.status !== 1)
    warnings.add(`exit ${r.status}: ${(r.stderr.split('\n').find(Boolean) ?? '').slice(0, 200)}`);
  return r;
}

// Warm the file-system cache once (not counted), and count the files from the JSON output.
const first = lintRun(['lint', DIR, '--format', 'json']);
let files = Number.NaN;
try {
  files = JSON.parse(first.stdout).files.length;
} catch {
  warnings.add('could not read the JSON output to count files');
}

const corpus = Array.from({ length: RUNS }, () => lintRun(['lint', DIR, '--format', 'json']));
const version = Array.from({ length: RUNS }, () => run(['--version']));
const one = Array.from({ length: RUNS }, () =>
  lintRun(['lint', join(tmp, 'Dockerfile'), '--format', 'json']),
);
rmSync(tmp, { recursive: true, force: true });

const wall = median(corpus.map((r) => r.wall));
const cpu = median(corpus.map((r) => r.cpu));
const [l1, l5] = loadavg();
console.log(
  `layerwise bench:lint: ${files} Dockerfiles under ${DIR}, ${RUNS} runs each (node ${process.version}, ${availableParallelism()} CPUs, load average ${l1.toFixed(1)} / ${l5.toFixed(1)})`,
);
console.log('');
console.log(
  `lint the corpus, one invocation   median ${secs(wall)} wall (min ${secs(Math.min(...corpus.map((r) => r.wall)))}, max ${secs(Math.max(...corpus.map((r) => r.wall)))}), ${secs(cpu)} CPU`,
);
console.log(
  `  files/s including start-up      ${Math.round(files / (wall / 1000))} by wall time, ${Math.round(files / (cpu / 1000))} by CPU time`,
);
console.log(
  `start-up: layerwise --version     median ${ms(median(version.map((r) => r.wall)))} wall, ${ms(median(version.map((r) => r.cpu)))} CPU`,
);
console.log(
  `start-up: lint one tiny file      median ${ms(median(one.map((r) => r.wall)))} wall, ${ms(median(one.map((r) => r.cpu)))} CPU`,
);
console.log('');
console.log('goals (issue 2): >= 300 files/s including start-up; start-up < 300 ms');
for (const w of warnings) console.log(`note: the CLI ${w}`);
