// `bench --fail-on`: every rule form (absolute sizes, times, rates, counts; +N% and +VALUE against
// the baseline; scenario, `*` and bare metrics), the one-line errors for bad rules, and what each
// check says when it passes, fails or cannot be checked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  benchVerdict,
  checkThresholds,
  failureLines,
  needsBaseline,
  parseFailOn,
  uncheckedLines,
  validateThresholds,
  type Threshold,
} from '../../../src/bench/fail-on.js';
import { UserError } from '../../../src/errors.js';
import { sampleResult, scaled, scenario } from './sample.js';

const brief = (t: Threshold) => [t.scenario, t.metric, t.op, t.kind, t.limit];

describe('parseFailOn', () => {
  it('reads sizes in decimal and binary units, a bare number as bytes', () => {
    const t = parseFailOn([
      'code-change.deploy>1MB',
      'warm.image>=2GB,cold.context<512KiB',
      'cold.context<64KB',
      'dependency-change.deploy.containerd>1.5MiB',
      'code-change.deploy.classic>100',
      'base-change.deploy.gzip>10kB',
      'cold.image<=3 GiB',
      'warm.deploy>0B',
    ]);
    assert.deepEqual(t.map(brief), [
      ['code-change', 'deploy', '>', 'absolute', 1_000_000],
      ['warm', 'image', '>=', 'absolute', 2_000_000_000],
      ['cold', 'context', '<', 'absolute', 512 * 1024],
      ['cold', 'context', '<', 'absolute', 64_000],
      ['dependency-change', 'deploy.containerd', '>', 'absolute', Math.round(1.5 * 1024 ** 2)],
      ['code-change', 'deploy.classic', '>', 'absolute', 100],
      ['base-change', 'deploy.gzip', '>', 'absolute', 10_000],
      ['cold', 'image', '<=', 'absolute', 3 * 1024 ** 3],
      ['warm', 'deploy', '>', 'absolute', 0],
    ]);
    assert.equal(t[1].rule, 'warm.image>=2GB');
    assert.equal(t[2].rule, 'cold.context<512KiB');
  });

  it('reads times in s, m, min, ms and h, a bare number as seconds; * and a bare metric mean every scenario', () => {
    assert.deepEqual(
      parseFailOn(['*.time>30s', 'time>2m', 'cold.time>1.5min', 'warm.time>500ms', 'cold.time<1h', 'warm.time>4']).map(
        brief,
      ),
      [
        ['*', 'time', '>', 'absolute', 30],
        ['*', 'time', '>', 'absolute', 120],
        ['cold', 'time', '>', 'absolute', 90],
        ['warm', 'time', '>', 'absolute', 0.5],
        ['cold', 'time', '<', 'absolute', 3600],
        ['warm', 'time', '>', 'absolute', 4],
      ],
    );
  });

  it('reads rates as percentages or fractions, counts as whole numbers', () => {
    assert.deepEqual(
      parseFailOn(['cache-hit<90%', 'warm.cache-hit<0.95', 'code-change.steps>2', 'code-change.layers>1']).map(brief),
      [
        ['*', 'cache-hit', '<', 'absolute', 0.9],
        ['warm', 'cache-hit', '<', 'absolute', 0.95],
        ['code-change', 'steps', '>', 'absolute', 2],
        ['code-change', 'layers', '>', 'absolute', 1],
      ],
    );
  });

  it('reads signed values as changes against the baseline: +N% relative, +VALUE in the unit, points for rates', () => {
    const t = parseFailOn([
      'warm.time>+20%',
      'cold.time>+5s',
      'code-change.deploy>+1MB',
      'image>+5%',
      'warm.time<-50%',
      'cache-hit<-10%',
      'code-change.steps>+1',
    ]);
    assert.deepEqual(t.map(brief), [
      ['warm', 'time', '>', 'percent', 0.2],
      ['cold', 'time', '>', 'delta', 5],
      ['code-change', 'deploy', '>', 'delta', 1_000_000],
      ['*', 'image', '>', 'percent', 0.05],
      ['warm', 'time', '<', 'percent', -0.5],
      ['*', 'cache-hit', '<', 'delta', -0.1],
      ['code-change', 'steps', '>', 'delta', 1],
    ]);
    assert.deepEqual(
      needsBaseline(t).map((x) => x.rule),
      t.map((x) => x.rule),
    );
    assert.deepEqual(needsBaseline(parseFailOn(['warm.time>30s'])), []);
  });

  it('skips empty parts and spaces around the operator', () => {
    assert.deepEqual(parseFailOn([' warm.time > +20% ,, ', '']).map(brief), [['warm', 'time', '>', 'percent', 0.2]]);
    assert.equal(parseFailOn(['warm.time > +20%'])[0].rule, 'warm.time > +20%');
  });

  for (const [rule, says] of [
    ['warm.time', /expected \[SCENARIO\.\]METRIC>VALUE/],
    ['warm.time=30s', /expected/],
    ['hot.time>30s', /unknown scenario hot/],
    ['warm.speed>3', /unknown metric speed/],
    ['deploy.overlay>1MB', /unknown metric deploy\.overlay/],
    ['warm.time>fast', /is not a time/],
    ['warm.time>30 parsecs', /is not a time/],
    ['code-change.deploy>1 parsec', /is not a size/],
    ['code-change.deploy>+lots', /is not a size/],
    ['cache-hit<120%', /is not a rate/],
    ['cache-hit<2', /is not a rate/],
    ['cache-hit<high', /is not a rate/],
    ['code-change.steps>1.5', /not a whole number of steps run/],
    ['warm.time>+%', /not a percentage/],
  ] as const) {
    it(`rejects ${rule} with a one-line UserError naming the rule`, () => {
      assert.throws(
        () => parseFailOn([rule]),
        (e: unknown) =>
          e instanceof UserError &&
          says.test(e.message) &&
          e.message.startsWith(`--fail-on ${JSON.stringify(rule)}`) &&
          !e.message.includes('\n'),
      );
    });
  }
});

describe('validateThresholds', () => {
  it('rejects a rule on a scenario the run does not build, before the run', () => {
    const t = parseFailOn(['code-change.deploy>1MB', '*.time>1m', 'cache-hit<90%']);
    assert.doesNotThrow(() => validateThresholds(t, ['cold', 'warm', 'code-change']));
    assert.throws(
      () => validateThresholds(t, ['warm']),
      (e: unknown) => e instanceof UserError && /does not build code-change \(--scenarios warm\)/.test(e.message),
    );
  });

  it('rejects deploy and layers rules on cold, which has no image before it', () => {
    const all = ['cold', 'warm'] as const;
    for (const rule of ['cold.deploy>1MB', 'cold.layers>2', 'cold.deploy.gzip>1MB'])
      assert.throws(
        () => validateThresholds(parseFailOn([rule]), all),
        (e: unknown) =>
          e instanceof UserError && /cold has no deploy figure/.test(e.message) && !e.message.includes('\n'),
      );
    assert.doesNotThrow(() => validateThresholds(parseFailOn(['cold.time>1m', 'deploy>1MB']), all));
  });
});

const check = (rules: string[], r = sampleResult(), baseline?: ReturnType<typeof sampleResult>) =>
  checkThresholds(parseFailOn(rules), r, baseline);

describe('checkThresholds, absolute', () => {
  it('fails a deploy over the limit and passes one under it, naming the figures', () => {
    const [over, under] = check(['dependency-change.deploy>1MB', 'code-change.deploy>1MB']);
    assert.equal(over.ok, false);
    assert.equal(over.rule, 'dependency-change.deploy>1MB');
    // The larger of the two stores: classic 45 MB, containerd 44 MB.
    assert.equal(over.reason, 'dependency-change deploy 45.0 MB is over 1.00 MB');
    assert.equal(under.ok, true);
    assert.equal(under.reason, 'code-change deploy 2.48 kB is not over 1.00 MB');
  });

  it('reads each store and gzip on its own', () => {
    const [classic, containerd, gzip] = check([
      'dependency-change.deploy.classic>44.5MB',
      'dependency-change.deploy.containerd>44.5MB',
      'dependency-change.deploy.gzip>15MB',
    ]);
    assert.deepEqual([classic.ok, containerd.ok, gzip.ok], [false, true, true]);
    assert.match(gzip.reason, /deploy \(gzip\) 15.0 MB is not over 15.0 MB/);
    assert.equal(check(['dependency-change.deploy.gzip>=15MB'])[0].ok, false);
  });

  it('checks time, image, context, steps and layers', () => {
    const res = check([
      'cold.time>20s',
      'warm.time>20s',
      'warm.image>100MB',
      'cold.context>=12345',
      'code-change.steps>1',
      'code-change.steps>2',
      'dependency-change.layers>1',
    ]);
    assert.deepEqual(
      res.map((k) => k.ok),
      [false, true, false, false, false, true, false],
    );
    assert.equal(res[0].reason, 'cold time 28.2 s is over 20 s');
    assert.equal(res[4].reason, 'code-change steps run 2 is over 1');
  });

  it('checks * and bare metrics on every scenario, cache hits on every one but cold, deploy from the second on', () => {
    const time = check(['*.time>20s']);
    assert.deepEqual(
      time.map((k) => [k.ok, k.reason.split(' ')[0]]),
      [
        [false, 'cold'],
        [true, 'warm'],
        [true, 'code-change'],
        [false, 'dependency-change'],
      ],
    );
    const hits = check(['cache-hit<90%']);
    assert.deepEqual(
      hits.map((k) => [k.ok, k.reason]),
      [
        [true, 'warm cache hits 100% is not under 90%'],
        [false, 'code-change cache hits 50% is under 90%'],
        [false, 'dependency-change cache hits 25% is under 90%'],
      ],
    );
    assert.equal(check(['deploy>1MB']).length, 3);
    // Without cold, a priming build gives the first scenario a deploy: it is checked.
    const primed = sampleResult();
    primed.scenarios = primed.scenarios.filter((x) => x.name !== 'cold');
    assert.deepEqual(
      check(['deploy>1MB'], primed).map((k) => k.reason.split(' ')[0]),
      ['warm', 'code-change', 'dependency-change'],
    );
    // A first scenario with no deploy is skipped, not reported unknown.
    primed.scenarios[0].deploy = null;
    assert.equal(check(['deploy>1MB'], primed).length, 2);
    // Named explicitly, cold is checked like any scenario.
    assert.equal(check(['cold.cache-hit<90%'])[0].ok, false);
  });

  it('says when a figure is unknown or the scenario was not run, and fails nothing for it', () => {
    const [ctx, deploy, missing] = check(['dependency-change.context>1MB', 'cold.deploy>1MB', 'base-change.time>1s']);
    assert.deepEqual([ctx.ok, ctx.unchecked], [true, true]);
    assert.equal(ctx.reason, 'not checked: dependency-change context is unknown in this run');
    assert.equal(deploy.reason, 'not checked: cold deploy is unknown in this run');
    assert.deepEqual([missing.ok, missing.unchecked], [true, true]);
    assert.match(
      missing.reason,
      /^not checked: this run did not build base-change \(scenarios run: cold, warm, code-change, dependency-change\)$/,
    );
    const only = sampleResult();
    only.scenarios = only.scenarios.slice(0, 1);
    only.options.scenarios = ['cold'];
    assert.match(check(['cache-hit<90%'], only)[0].reason, /not checked: no scenario of this run has cache hits/);
  });

  it("checks the project's images only, each named when there are several", () => {
    const r = sampleResult();
    r.scenarios = [
      ...r.scenarios,
      scenario('warm', {
        variant: 'against',
        cachedSteps: 0,
        time: { median_s: 99, min_s: 99, max_s: 99, runs_s: [99] },
      }),
      scenario('cold', { image: 'worker', slow: 2 }),
      scenario('warm', { image: 'worker', cachedSteps: 5 }),
    ];
    const res = check(['warm.time>10s', 'cold.time>50s'], r);
    assert.deepEqual(
      res.map((k) => [k.ok, k.reason]),
      [
        [true, 'Dockerfile: warm time 1 s is not over 10 s'],
        [true, 'worker: warm time 1 s is not over 10 s'],
        [true, 'Dockerfile: cold time 28.2 s is not over 50 s'],
        [false, 'worker: cold time 55.4 s is over 50 s'],
      ],
    );
  });
});

describe('checkThresholds, against the baseline', () => {
  const base = sampleResult();

  it('fails a slowdown over +N% and passes one under it', () => {
    const slower = scaled(base, 1.35);
    const [k] = check(['warm.time>+20%'], slower, base);
    assert.equal(k.ok, false);
    assert.equal(k.reason, "warm time 1.4 s is +35% on the baseline's 1 s, over the limit +20%");
    const [fine] = check(['warm.time>+20%'], scaled(base, 1.1), base);
    assert.equal(fine.ok, true);
    assert.equal(fine.reason, "warm time 1.1 s is +10% on the baseline's 1 s, not over the limit +20%");
  });

  it('compares differences in the unit: seconds, bytes, steps, rate points', () => {
    const now = scaled(base, 1.3, 3_000_000);
    now.scenarios[2] = scenario('code-change', { cachedSteps: 1, deploy: base.scenarios[2].deploy });
    const res = checkThresholds(
      parseFailOn([
        'cold.time>+5s',
        'cold.image>+2MB',
        'cold.image>+5MB',
        'code-change.steps>+1',
        'code-change.cache-hit<-10%',
      ]),
      now,
      base,
    );
    assert.deepEqual(
      res.map((k) => k.ok),
      [false, false, true, false, false],
    );
    assert.equal(res[0].reason, "cold time 36.7 s is +8.5 s on the baseline's 28.2 s, over the limit +5 s");
    assert.equal(res[1].reason, "cold image 155.3 MB is +3.00 MB on the baseline's 152.3 MB, over the limit +2.00 MB");
    assert.equal(res[3].reason, "code-change steps run 4 is +2 on the baseline's 2, over the limit +1");
    assert.equal(
      res[4].reason,
      "code-change cache hits 0% is -50 points on the baseline's 50%, under the limit -10 points",
    );
  });

  it('reads a growth from nothing as over any percentage', () => {
    const now = sampleResult();
    now.scenarios[1] = { ...now.scenarios[1], deploy: { ...now.scenarios[1].deploy!, classic: 10, containerd: 10 } };
    const [k] = check(['warm.deploy>+50%'], now, base);
    assert.equal(k.ok, false);
    assert.equal(k.reason, "warm deploy 10 B is up from nothing on the baseline's 0 B, over the limit +50%");
    assert.equal(check(['warm.deploy>+50%'], base, base)[0].ok, true);
  });

  it('says a signed rule needs a baseline when there is none, and what the baseline lacks', () => {
    const [k] = check(['warm.time>+20%']);
    assert.deepEqual([k.ok, k.unchecked], [true, true]);
    assert.equal(
      k.reason,
      'not checked: warm time 1 s; the rule compares with a baseline and none was given (--baseline REF|FILE)',
    );
    const old = sampleResult();
    old.scenarios = old.scenarios.filter((s) => s.name !== 'code-change');
    old.scenarios[0] = { ...old.scenarios[0], contextBytes: null };
    const [a, b] = check(['code-change.time>+20%', 'cold.context>+10%'], base, old);
    assert.equal(a.reason, 'not checked: the baseline (commit 0123456789ab) has no code-change for Dockerfile');
    assert.equal(b.reason, 'not checked: cold context is unknown in the baseline (commit 0123456789ab)');
    assert.ok(a.unchecked && b.unchecked && a.ok && b.ok);
  });
});

describe('benchVerdict', () => {
  it('fails when a check fails, names the baseline, and passes unchecked rules', () => {
    const base = sampleResult();
    const slow = scaled(base, 1.5);
    const v = benchVerdict(parseFailOn(['warm.time>+20%', 'code-change.deploy>1MB']), slow, {
      ref: 'HEAD~1',
      result: base,
    });
    assert.equal(v.ok, false);
    assert.deepEqual(v.baseline, { ref: 'HEAD~1', startedAt: base.startedAt, commit: base.environment.commit });
    assert.deepEqual(
      v.checks.map((k) => k.ok),
      [false, true],
    );
    const none = benchVerdict(parseFailOn(['warm.time>+20%']), slow);
    assert.equal(none.ok, true);
    assert.equal(none.baseline, undefined);
    assert.equal(none.checks[0].unchecked, true);
    assert.deepEqual(failureLines(v), [
      "--fail-on warm.time>+20%: warm time 1.5 s is +50% on the baseline's 1 s, over the limit +20%",
    ]);
    assert.deepEqual(failureLines(none), []);
    assert.deepEqual(uncheckedLines(v), []);
    assert.deepEqual(uncheckedLines(none), [
      '--fail-on warm.time>+20%: not checked: warm time 1.5 s; the rule compares with a baseline and none was given (--baseline REF|FILE)',
    ]);
  });
});
