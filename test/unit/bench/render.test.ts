// bench's text table and GitHub step summary: each scenario's figures in its row, --against's
// table and ratios, the verdict's marks, colour only when asked, and markdown that stays a table
// whatever the names and changes hold.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkThresholds, parseFailOn } from '../../../src/bench/fail-on.js';
import { benchImages, fmtRatio, fmtSeconds, renderBenchText } from '../../../src/bench/render-text.js';
import { renderBenchSummary } from '../../../src/bench/summary.js';
import type { BenchResult } from '../../../src/bench/types.js';
import { sampleResult, scaled, scenario } from './sample.js';

function withVerdict(r: BenchResult, rules: string[], baseline?: BenchResult): BenchResult {
  const checks = checkThresholds(parseFailOn(rules), r, baseline);
  return {
    ...r,
    verdict: {
      baseline: baseline
        ? { ref: 'HEAD~1', startedAt: baseline.startedAt, commit: baseline.environment.commit }
        : undefined,
      checks,
      ok: checks.every((k) => k.ok),
    },
  };
}

function withAgainst(r: BenchResult): BenchResult {
  return {
    ...r,
    options: { ...r.options, against: 'init' },
    scenarios: [
      ...r.scenarios,
      scenario('cold', { variant: 'against', slow: 0.5 }),
      scenario('warm', { variant: 'against', cachedSteps: 5 }),
    ],
    ratios: [
      { scenario: 'cold', image: 'Dockerfile', time: 0.55, deploy: null },
      { scenario: 'warm', image: 'Dockerfile', time: 1, deploy: null },
    ],
  };
}

const row = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`  ${name} `)) ?? '';

describe('fmtSeconds', () => {
  it('shows tenths under two minutes, minutes and seconds above', () => {
    assert.deepEqual([0.04, 1, 41.25, 119.9, 123.4, 3600].map(fmtSeconds), [
      '0.0 s',
      '1.0 s',
      '41.3 s',
      '119.9 s',
      '2m 03s',
      '60m 00s',
    ]);
  });
});

describe('fmtRatio', () => {
  it('keeps two significant digits for small ratios', () => {
    assert.deepEqual([0.55, 1, 2.5, 0.1, 0.0003026, 0, null, Infinity].map(fmtRatio), [
      '0.55×',
      '1.00×',
      '2.50×',
      '0.10×',
      '0.0003×',
      '0.00×',
      '—',
      '—',
    ]);
  });
});

describe('benchImages', () => {
  it("groups scenarios per image, the project's images before --against's, in run order", () => {
    const r = withAgainst(sampleResult());
    r.scenarios.splice(1, 0, scenario('cold', { image: 'worker' }));
    assert.deepEqual(
      benchImages(r).map((g) => [g.image, g.variant, g.scenarios.map((s) => s.name).join(',')]),
      [
        ['Dockerfile', 'subject', 'cold,warm,code-change,dependency-change'],
        ['worker', 'subject', 'cold'],
        ['Dockerfile', 'against', 'cold,warm'],
      ],
    );
  });
});

describe('renderBenchText', () => {
  it("puts each scenario's figures in its row", () => {
    const text = renderBenchText(sampleResult(), { color: false });
    assert.match(row(text, 'cold'), /^ {2}cold +28\.2 s +0\/4 0% +152\.3 MB +12\.3 kB +— +— +—$/);
    assert.match(row(text, 'warm'), /^ {2}warm +1\.0 s +4\/4 100% +152\.3 MB +12\.3 kB +0 B +0 B +0 B$/);
    assert.match(row(text, 'code-change'), /2\/4 50% +152\.3 MB +12\.3 kB +2\.48 kB +2\.48 kB +827 B$/);
    assert.match(row(text, 'dependency-change'), /27\.9 s +1\/4 25% +152\.3 MB +— +45\.0 MB +44\.0 MB +14\.7 MB$/);
    assert.ok(!text.includes('min–max'), 'one run: no spread column');
    assert.match(
      text,
      /\(code-change: appended a line to src\/app\/main\.py · dependency-change: added idna to uv\.lock\)/,
    );
    assert.match(text, /one run each/);
    assert.match(text, /commit 0123456789ab · docker 20\.10\.24 \(classic store\)/);
    assert.ok(text.endsWith('\n'));
    assert.ok(!/\x1b\[/.test(text), 'no colour codes');
  });

  it('lists the longest steps that ran, not the cached ones', () => {
    const text = renderBenchText(sampleResult(), { color: false });
    const steps = text.split('\n').filter((l) => /^ {4}\S/.test(l));
    assert.deepEqual(
      steps.map((l) => l.trim().replace(/\s+/g, ' ')),
      [
        'cold 24.5 s [deps 3/4] RUN uv sync --locked --no-install-project',
        'cold 2.1 s [app 2/2] RUN uv sync --locked',
        'cold 0.3 s [app 1/2] COPY src ./src',
        'code-change 2.1 s [app 2/2] RUN uv sync --locked',
        'code-change 0.3 s [app 1/2] COPY src ./src',
        'dependency-change 24.5 s [deps 3/4] RUN uv sync --locked --no-install-project',
        'dependency-change 2.1 s [app 2/2] RUN uv sync --locked',
        'dependency-change 0.3 s [app 1/2] COPY src ./src',
      ],
    );
  });

  it('shows the spread of repeated runs and stage sizes', () => {
    const r = sampleResult();
    r.options.repeat = 3;
    r.scenarios[0] = {
      ...r.scenarios[0],
      time: { median_s: 28.2, min_s: 27.04, max_s: 31.96, runs_s: [27.04, 28.2, 31.96] },
    };
    r.scenarios[3].stages = [
      { name: 'deps', bytes: 300_000_000 },
      { name: 'app', bytes: 152_300_000 },
    ];
    const text = renderBenchText(r, { color: false });
    assert.match(text, /medians of 3 runs/);
    assert.match(row(text, 'cold'), /28\.2 s +27\.0–32\.0 /);
    assert.match(text, /stages \(dependency-change\): deps 300\.0 MB · app 152\.3 MB/);
  });

  it("shows --against's table under its own title, and the ratios", () => {
    const text = renderBenchText(withAgainst(sampleResult()), { color: false });
    const at = text.indexOf('Dockerfile, --against init');
    assert.ok(at > 0);
    assert.match(text.slice(at), /\n {2}cold +14\.6 s +0\/4 0%/);
    assert.match(text, /--against init \/ this project/);
    assert.match(text, /\n {2}cold +Dockerfile +0\.55× +—\n {2}warm +Dockerfile +1\.00× +—\n/);
  });

  it('marks failed, passed and unchecked rules and names the baseline', () => {
    const base = sampleResult();
    const r = withVerdict(scaled(base, 1.5), ['warm.time>+20%', 'code-change.deploy>1MB', 'base-change.time>1s'], base);
    const text = renderBenchText(r, { color: false });
    assert.match(text, /^baseline: HEAD~1 \(commit 0123456789ab\), run 2026-12-01T02:00:00\.000Z$/m);
    assert.match(
      text,
      /^FAIL {2}warm\.time>\+20% {2}warm time 1\.5 s is \+50% on the baseline's 1 s, over the limit \+20%$/m,
    );
    assert.match(text, /^ok {4}code-change\.deploy>1MB {2}code-change deploy 2\.48 kB is not over 1\.00 MB$/m);
    assert.match(text, /^\?\? {4}base-change\.time>1s {2}not checked: this run did not build base-change/m);
    assert.match(text, /^1 of 3 checks failed$/m);
    const passing = renderBenchText(withVerdict(base, ['warm.time>10s']), { color: false });
    assert.match(passing, /^all 1 checks passed$/m);
    assert.ok(!passing.includes('baseline:'));
  });

  it('colours only when asked', () => {
    const r = withVerdict(sampleResult(), ['cold.time>1s']);
    const plain = renderBenchText(r, { color: false });
    const coloured = renderBenchText(r, { color: true });
    assert.match(coloured, /\x1b\[31mFAIL\x1b\[39m/);
    assert.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ''), plain);
  });
});

describe('renderBenchSummary', () => {
  const tables = (md: string) => md.split('\n').filter((l) => l.startsWith('|'));

  it('heads with the verdict and lists each check', () => {
    const base = sampleResult();
    const md = renderBenchSummary(
      withVerdict(scaled(base, 1.5), ['warm.time>+20%', 'cold.image>1GB', 'base-change.time>1s'], base),
      base,
    );
    assert.match(md, /^## layerwise bench: ❌ 1 of 3 checks failed\n/);
    assert.match(
      md,
      /^- ❌ `warm\.time>\+20%`: warm time 1\.5 s is \+50% on the baseline's 1 s, over the limit \+20%$/m,
    );
    assert.match(md, /^- ✅ `cold\.image>1GB`: cold image 152\.3 MB is not over 1\.00 GB$/m);
    assert.match(md, /^- ⚪ `base-change\.time>1s`: not checked: /m);
    assert.match(md, /against `HEAD~1` \(commit `0123456789ab`, run 2026-12-01T02:00:00\.000Z\)/);
    assert.match(
      renderBenchSummary(withVerdict(base, ['cold.image>1GB'])),
      /^## layerwise bench: ✅ all 1 checks passed\n/,
    );
    assert.match(renderBenchSummary(base), /^## layerwise bench\n/);
  });

  it('tables each scenario with its change against the baseline', () => {
    const base = sampleResult();
    const now = scaled(base, 1.5, 2_000_000);
    now.scenarios[2] = { ...now.scenarios[2], deploy: { ...now.scenarios[2].deploy!, containerd: 1_002_480 } };
    const md = renderBenchSummary(now, base);
    const rows = tables(md);
    assert.equal(
      rows[0],
      '| scenario | time | vs baseline | cache hits | image | deploy (containerd) | vs baseline | deploy (classic) |',
    );
    assert.equal(rows[2], '| cold | 42.3 s | +50% | 0% | 154.3 MB | — |  | — |');
    assert.equal(rows[3], '| warm | 1.5 s | +50% | 100% | 154.3 MB | 0 B | ±0 | 0 B |');
    assert.equal(rows[4], '| code-change | 5.1 s | +50% | 50% | 154.3 MB | 1.00 MB | +1.00 MB | 2.48 kB |');
    const without = tables(renderBenchSummary(base));
    assert.equal(without[0], '| scenario | time | cache hits | image | deploy (containerd) | deploy (classic) |');
    assert.equal(without[2], '| cold | 28.2 s | 0% | 152.3 MB | — | — |');
  });

  it('keeps every table row as wide as its header whatever the names hold', () => {
    const r = withAgainst(sampleResult());
    r.scenarios = r.scenarios.map((s) => ({
      ...s,
      image: s.variant === 'against' ? 'a|b' : s.image,
      change: 'edited x|y\nand <z>',
    }));
    r.ratios = r.ratios!.map((x) => ({ ...x, image: 'a|b' }));
    const md = renderBenchSummary(r, sampleResult());
    const cols = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    let header = 0;
    for (const l of md.split('\n')) {
      if (!l.startsWith('|')) header = 0;
      else if (!header) header = cols(l);
      else assert.equal(cols(l), header, l);
    }
    assert.match(md, /code-change: edited x\\\|y and &lt;z&gt;/);
    assert.match(md, /^### a\\\|b, --against init$/m);
    assert.match(md, /^\| cold \| a\\\|b \| 0\.55× \| — \|$/m);
  });
});
