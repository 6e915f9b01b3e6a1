/**
 * Hand-made bench history for the renderer tests: six runs of a uv FastAPI project, each with all
 * five scenarios for the project's Dockerfile and for init's (--against init), figures shaped
 * like the ones bench measures on the test world (cold ~40 s, warm under a second, a code change
 * pulling a few kB with init's layout and the whole venv with the naive one). The fourth run is
 * from another machine; the last run carries a verdict, stage sizes and a hostile change text.
 * Figures are plausible, not measured: these tests check how results are shown.
 */
import {
  SCENARIOS,
  type BenchResult,
  type BenchStep,
  type ScenarioName,
  type ScenarioResult,
} from '../../../src/bench/types.js';

export const HOSTILE = '<img src=x onerror=alert(1)>"\'&';
export const IMAGE = 'Dockerfile';

/** Deterministic noise in [-1, 1): runs differ as real runs do, the same on every test run. */
function noise(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

const STEPS: Record<'subject' | 'against', string[]> = {
  subject: [
    '[1/5] FROM docker.io/library/python:3.11-slim',
    '[2/5] WORKDIR /app',
    '[3/5] COPY . .',
    '[4/5] RUN pip install --index-url http://127.0.0.1:3141/simple/ -r requirements.txt',
    '[5/5] RUN python -m compileall -q src',
  ],
  against: [
    '[deps 1/4] FROM ghcr.io/astral-sh/uv:0.13.9',
    '[deps 2/4] COPY pyproject.toml uv.lock ./',
    '[deps 3/4] RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project',
    '[deps 4/4] COPY src ./src',
    '[stage-1 1/2] FROM docker.io/library/python:3.11-slim',
    '[stage-1 2/2] COPY --from=deps /app /app',
  ],
};

/** Which steps run (index >= first) in each scenario, per layout. */
const FIRST_RUN: Record<'subject' | 'against', Record<ScenarioName, number>> = {
  subject: { cold: 0, warm: 99, 'code-change': 2, 'dependency-change': 2, 'base-change': 0 },
  against: { cold: 0, warm: 99, 'code-change': 3, 'dependency-change': 1, 'base-change': 4 },
};

/** Base seconds per scenario and layout; deploy gzip bytes (null for cold, the first). */
const BASE: Record<'subject' | 'against', Record<ScenarioName, { s: number; deploy: number | null }>> = {
  subject: {
    cold: { s: 41, deploy: null },
    warm: { s: 0.8, deploy: 0 },
    'code-change': { s: 37, deploy: 48_200_000 },
    'dependency-change': { s: 39, deploy: 49_100_000 },
    'base-change': { s: 42, deploy: 79_500_000 },
  },
  against: {
    cold: { s: 23, deploy: null },
    warm: { s: 0.7, deploy: 0 },
    'code-change': { s: 1.6, deploy: 6_180 },
    'dependency-change': { s: 9.5, deploy: 31_400_000 },
    'base-change': { s: 3.1, deploy: 30_200_000 },
  },
};

function steps(variant: 'subject' | 'against', name: ScenarioName, total: number): BenchStep[] {
  const names = STEPS[variant];
  const first = FIRST_RUN[variant][name];
  const ran = names.filter((_, i) => i >= first).length || 1;
  return names.map((n, i) => ({ name: n, cached: i < first, seconds: i < first ? 0 : round((total * 0.9) / ran, 2) }));
}

function scenario(run: number, variant: 'subject' | 'against', name: ScenarioName, slow: number): ScenarioResult {
  const base = BASE[variant][name];
  const runs_s = [0, 1, 2].map((k) => round(base.s * slow * (1 + 0.06 * noise(run * 31 + k * 7 + name.length))));
  const sorted = [...runs_s].sort((a, b) => a - b);
  const st = steps(variant, name, sorted[1]);
  const imageBytes = variant === 'subject' ? 212_000_000 + run * 1_000 : 148_000_000 + run * 900;
  const deploy =
    base.deploy === null
      ? null
      : {
          against: `sha256:${String(run).repeat(64).slice(0, 64)}`,
          classic: Math.round(base.deploy * 3.1),
          containerd: Math.round(base.deploy * 2.9),
          gzip: { classic: Math.round(base.deploy * 1.05), containerd: base.deploy ? base.deploy + run * 100 : 0 },
          newLayers: base.deploy ? 2 : 0,
        };
  return {
    name,
    image: IMAGE,
    variant,
    change:
      name === 'code-change'
        ? 'appended a line to src/app/main.py'
        : name === 'dependency-change'
          ? 'uv add idna'
          : name,
    runs: 3,
    time: { median_s: sorted[1], min_s: sorted[0], max_s: sorted[2], runs_s },
    steps: st,
    contextBytes: 18_400 + run,
    imageBytes,
    cacheHitRate: st.length ? round(st.filter((s) => s.cached).length / st.length, 4) : null,
    deploy,
    imageId: `sha256:${(run.toString(16) + name.length.toString(16)).repeat(32).slice(0, 64)}`,
  };
}

/** One run; `slow` scales every time (a regression). */
export function benchRun(run: number, opts: { slow?: number; cpus?: number } = {}): BenchResult {
  const scenarios = SCENARIOS.flatMap((name) =>
    (['subject', 'against'] as const).map((v) => scenario(run, v, name, opts.slow ?? 1)),
  );
  const median = (n: ScenarioName, v: string) => scenarios.find((s) => s.name === n && s.variant === v)!;
  return {
    schema: 'layerwise-bench/1',
    startedAt: new Date(Date.UTC(2026, 10, 20 + run, 9, 30)).toISOString(),
    tool: { name: 'layerwise', version: '0.1.0' },
    project: 'test/fixtures/projects/fastapi-uv',
    options: {
      scenarios: [...SCENARIOS],
      repeat: 3,
      buildArgs: { INDEX_URL: 'http://127.0.0.1:3141/simple/' },
      against: 'init',
    },
    environment: {
      commit: `${(run + 10).toString(16)}f3a9c${run}`.padEnd(40, '0'),
      dirty: run === 2,
      engine: { version: '20.10.24+dfsg1', host: 'unix:///var/run/docker.sock', storage: 'classic' },
      builder: { client: 'buildkit', name: 'default', version: null },
      machine: { os: 'linux', arch: 'x64', cpus: opts.cpus ?? 2, memoryBytes: 8_321_499_136, node: 'v20.19.2' },
    },
    scenarios,
    ratios: SCENARIOS.map((name) => {
      const s = median(name, 'subject');
      const a = median(name, 'against');
      return {
        scenario: name,
        image: IMAGE,
        time: round(a.time.median_s / s.time.median_s, 4),
        deploy:
          s.deploy && a.deploy && s.deploy.gzip.containerd
            ? round(a.deploy.gzip.containerd / s.deploy.gzip.containerd, 6)
            : null,
      };
    }),
  };
}

/** Six runs, oldest first; run 3 on a 4-CPU machine, run 5 (the last) 30% slower with a failed check. */
export function benchHistory(): BenchResult[] {
  const runs = [0, 1, 2, 3, 4].map((i) => benchRun(i, { cpus: i === 3 ? 4 : 2 }));
  const last = benchRun(5, { slow: 1.3 });
  const warm = last.scenarios.find((s) => s.name === 'code-change' && s.variant === 'subject')!;
  warm.change = HOSTILE;
  warm.stages = [
    { name: 'deps', bytes: 140_000_000 },
    { name: HOSTILE, bytes: 212_005_000 },
  ];
  last.verdict = {
    baseline: { ref: 'HEAD~1', startedAt: runs[4].startedAt, commit: runs[4].environment.commit },
    checks: [
      { rule: 'warm.time>+20%', ok: false, reason: 'warm time is +30% over the baseline (limit +20%)' },
      { rule: 'code-change.deploy>1MB', ok: false, reason: 'code-change deploy 62.7 MB is over 1 MB' },
    ],
    ok: false,
  };
  return [...runs, last];
}
