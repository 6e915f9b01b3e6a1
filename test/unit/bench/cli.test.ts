// `layerwise bench` before any build: every bad option is one line on stderr and exit 2, with
// nothing built or written (no engine is needed to say so); and the --against ratios.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ScenarioResult } from '../../../src/bench/types.js';
import { METRICS } from '../../../src/bench/fail-on.js';
import { ratios } from '../../../src/cli/bench.js';
import { BUNDLE_BIN, findRoot } from '../repo.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-bench-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const project = join(tmp, 'shop');
cpSync(join(findRoot(), 'test/fixtures/projects/fastapi-uv'), project, { recursive: true });
writeFileSync(join(project, 'Dockerfile'), 'FROM python:3.11-slim\nCOPY . /app\n');

function bench(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BUNDLE_BIN, 'bench', ...args], {
    encoding: 'utf8',
    // No engine: anything that reached one would fail differently.
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock', GITHUB_STEP_SUMMARY: '', ...env },
  });
}

describe('bench: bad input is one line and exit 2, before building', () => {
  const cases: [string[], RegExp][] = [
    [[join(tmp, 'nope')], /nope: no such directory/],
    [[project, '--scenarios', 'warm,hot'], /--scenarios hot: no such scenario \(scenarios: cold, warm/],
    [[project, '--repeat', '2.5'], /--repeat 2\.5: expected a whole number/],
    [[project, '--fail-on', 'warm.time>+20%'], /--fail-on warm\.time>\+20%: compares with a baseline/],
    [[project, '--fail-on', 'dependency-change.time>3s'], /the run does not build dependency-change/],
    [[project, '--baseline', join(tmp, 'missing.json')], /--baseline .*missing\.json: no such file/],
    [[project, '--summary'], /--summary: \$GITHUB_STEP_SUMMARY is not set; give a file/],
    [[project, '--against', 'other.Dockerfile'], /--against other\.Dockerfile: no such Dockerfile/],
    [[project, '--service', 'api'], /--service api: no such service \(images: Dockerfile\)/],
    [[project, '--builder', 'x', '--buildkit', 'tcp://k:1234'], /--buildkit and --builder/],
  ];
  for (const [args, message] of cases)
    it(args.slice(1).join(' ') || args[0], () => {
      const r = bench([...args, '--no-history']);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    });

  it('an existing --output file is refused before building, without --force', () => {
    const out = join(tmp, 'report.txt');
    writeFileSync(out, 'mine');
    const r = bench([project, '-o', out]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--output .*report\.txt: exists; use --force/);
    assert.ok(!existsSync(join(project, '.layerwise')), 'no history written');
  });

  it('no engine: one line naming it', () => {
    const r = bench([project, '--no-history']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^layerwise: Docker engine not reachable[^\n]*\n$/);
  });
});

describe('--against ratios', () => {
  const s = (name: ScenarioResult['name'], variant: ScenarioResult['variant'], t: number, gz: number | null) =>
    ({
      name,
      image: 'Dockerfile',
      variant,
      time: { median_s: t },
      deploy: gz === null ? null : { gzip: { containerd: gz } },
    }) as unknown as ScenarioResult;

  it("against's median time and containerd gzip bytes over the subject's; null without a figure or over 0", () => {
    assert.deepEqual(
      ratios([
        s('cold', 'subject', 10, null),
        s('cold', 'against', 5, null),
        s('code-change', 'subject', 4, 1000),
        s('code-change', 'against', 1, 10),
        s('dependency-change', 'subject', 3, 8_850_000),
        s('dependency-change', 'against', 1, 751),
        s('warm', 'subject', 1, 0),
        s('warm', 'against', 1, 0),
      ]),
      [
        { scenario: 'cold', image: 'Dockerfile', time: 0.5, deploy: null },
        { scenario: 'code-change', image: 'Dockerfile', time: 0.25, deploy: 0.01 },
        { scenario: 'dependency-change', image: 'Dockerfile', time: 0.3333, deploy: 0.00008486 },
        { scenario: 'warm', image: 'Dockerfile', time: 1, deploy: null },
      ],
    );
  });
});

describe('bench --help', () => {
  it('lists every --fail-on metric, what +N% means, the exit status and where --history is resolved', () => {
    const r = bench(['--help']);
    assert.equal(r.status, 0);
    const help = r.stdout.replace(/\s+/g, ' ');
    for (const m of METRICS) assert.ok(help.includes(` ${m}`), `--help names the metric ${m}`);
    assert.match(help, /the change from the --baseline run's figure/);
    assert.match(help, /reported as not checked/);
    assert.match(help, /relative to the current directory/);
    assert.match(help, /Exit status: 0 ok, 1 a --fail-on threshold failed, 2 bad input or a failed build/);
  });
});
