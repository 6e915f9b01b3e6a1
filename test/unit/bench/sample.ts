// A bench result as a run of the fastapi-uv fixture would give it, figures chosen so that every
// threshold form has something to pass or fail on; `scaled` makes a slower/bigger variant of it.
import type { BenchResult, BenchStep, ScenarioName, ScenarioResult } from '../../../src/bench/types.js';

const STEPS: [string, number][] = [
  ['[internal] load build definition from Dockerfile', 0],
  ['[deps 1/4] FROM docker.io/library/python:3.11-slim', 0.1],
  ['[deps 2/4] COPY uv.lock pyproject.toml ./', 0.2],
  ['[deps 3/4] RUN uv sync --locked --no-install-project', 24.5],
  ['[app 1/2] COPY src ./src', 0.3],
  ['[app 2/2] RUN uv sync --locked', 2.1],
];

/** The Dockerfile steps of a build where the first `cached` steps hit the cache. */
export function steps(cached: number, slow = 1): BenchStep[] {
  return STEPS.slice(1).map(([name, s], i) => ({ name, cached: i < cached, seconds: i < cached ? 0 : s * slow }));
}

export function scenario(
  name: ScenarioName,
  o: Partial<ScenarioResult> & { cachedSteps?: number; slow?: number } = {},
): ScenarioResult {
  const { cachedSteps = 0, slow = 1, ...rest } = o;
  const st = steps(cachedSteps, slow);
  const seconds = 1 + st.reduce((n, x) => n + x.seconds, 0);
  return {
    name,
    image: 'Dockerfile',
    variant: 'subject',
    change: '',
    runs: 1,
    time: { median_s: seconds, min_s: seconds, max_s: seconds, runs_s: [seconds] },
    steps: st,
    contextBytes: 12_345,
    imageBytes: 152_300_000,
    // As measure.ts counts it: FROM steps are resolved on every build, neither hits nor misses.
    cacheHitRate: st.slice(1).filter((x) => x.cached).length / (st.length - 1),
    deploy: null,
    imageId: `sha256:${name
      .replace(/[^a-z]/g, '')
      .padEnd(64, '0')
      .slice(0, 64)}`,
    ...rest,
  };
}

const deploy = (classic: number, containerd: number, newLayers: number) => ({
  against: 'sha256:' + 'a'.repeat(64),
  classic,
  containerd,
  gzip: { classic: Math.round(classic / 3), containerd: Math.round(containerd / 3) },
  newLayers,
});

export function sampleResult(o: Partial<BenchResult> = {}): BenchResult {
  return {
    schema: 'layerwise-bench/1',
    startedAt: '2026-12-01T02:00:00.000Z',
    tool: { name: 'layerwise', version: '0.1.0' },
    project: 'test/fixtures/projects/fastapi-uv',
    options: { scenarios: ['cold', 'warm', 'code-change', 'dependency-change'], repeat: 1, buildArgs: {} },
    environment: {
      commit: '0123456789abcdef0123456789abcdef01234567',
      dirty: false,
      engine: { version: '20.10.24', host: 'unix:///var/run/docker.sock', storage: 'classic' },
      builder: { client: 'buildkit', name: 'default', version: '20.10.24' },
      machine: { os: 'linux 6.1.0', arch: 'x64', cpus: 2, memoryBytes: 8_000_000_000, node: 'v22.0.0' },
    },
    scenarios: [
      scenario('cold', { change: 'a cache key of its own; cache mounts emptied' }),
      scenario('warm', { cachedSteps: 5, deploy: deploy(0, 0, 0), change: 'nothing' }),
      scenario('code-change', {
        cachedSteps: 3,
        deploy: deploy(2_480, 2_480, 1),
        change: 'appended a line to src/app/main.py',
      }),
      scenario('dependency-change', {
        cachedSteps: 2,
        deploy: deploy(45_000_000, 44_000_000, 2),
        contextBytes: null,
        change: 'added idna to uv.lock',
      }),
    ],
    ...o,
  };
}

/** The same run with each scenario's time multiplied and image grown by `bytes`. */
export function scaled(r: BenchResult, slow: number, bytes = 0): BenchResult {
  return {
    ...r,
    scenarios: r.scenarios.map((s) => ({
      ...s,
      time: {
        median_s: s.time.median_s * slow,
        min_s: s.time.min_s * slow,
        max_s: s.time.max_s * slow,
        runs_s: s.time.runs_s.map((x) => x * slow),
      },
      steps: s.steps.map((x) => ({ ...x, seconds: x.seconds * slow })),
      imageBytes: s.imageBytes + bytes,
    })),
  };
}
