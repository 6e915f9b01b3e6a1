// `audit --fail-on`: the expressions it takes, the one-line errors for those it does not, and
// which images fail, pass or cannot be checked (an unknown figure fails nothing).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFailOn, checkLines, parseFailOn } from '../../../src/audit/fail-on.js';
import { UserError } from '../../../src/errors.js';
import { sampleResult } from './sample.js';

describe('parseFailOn', () => {
  it('reads scenarios, stores, counts, operators and units', () => {
    const conds = parseFailOn([
      'code-change>1MB, dependency-change.classic>=100MiB',
      'base-change.containerd<2kB',
      'build-arg:PYTHON_VERSION<=512',
      'code-change.steps>1,code-change.layers>0',
    ]);
    assert.deepEqual(
      conds.map((c) => [c.scenario, c.measure, c.op, c.limit]),
      [
        ['code-change', 'bytes', '>', 1_000_000],
        ['dependency-change', 'classic', '>=', 100 * 1024 ** 2],
        ['base-change', 'containerd', '<', 2_000],
        ['build-arg:PYTHON_VERSION', 'bytes', '<=', 512],
        ['code-change', 'steps', '>', 1],
        ['code-change', 'layers', '>', 0],
      ],
    );
    assert.equal(conds[0].expr, 'code-change>1MB');
  });

  for (const [expr, says] of [
    ['code-change', /expected SCENARIO/],
    ['wasted>1MB', /expected SCENARIO/],
    ['code-change.overlay>1MB', /unknown measure \.overlay/],
    ['code-change>1 parsec', /is not a size/],
    ['code-change>lots', /is not a size/],
    ['code-change.steps>1.5', /not a whole number of steps/],
    ['build-arg:>1MB', /expected SCENARIO/],
  ] as const) {
    it(`rejects ${expr} with a UserError`, () => {
      assert.throws(
        () => parseFailOn([expr]),
        (e: unknown) => e instanceof UserError && says.test(e.message) && !e.message.includes('\n'),
      );
    });
  }
});

describe('checkFailOn', () => {
  it('checks each image that has the scenario; unknown figures are not failed', () => {
    const r = sampleResult();
    const checks = checkFailOn(parseFailOn(['code-change>1MB', 'dependency-change.classic>1MB']), r);
    assert.deepEqual(
      checks.map((c) => [c.condition, c.image, c.value, c.basis, c.failed]),
      [
        ['code-change>1MB', 'Dockerfile', 287_400_000, 'estimated', true],
        ['code-change>1MB', 'worker', 2_480, 'measured', false],
        ['dependency-change.classic>1MB', 'Dockerfile', 287_400_000, 'estimated', true],
        ['dependency-change.classic>1MB', 'worker', null, 'estimated', false],
      ],
    );
    assert.deepEqual(checkLines(checks, r), [
      '--fail-on code-change>1MB: Dockerfile: 287.4 MB (estimated)',
      '--fail-on dependency-change.classic>1MB: Dockerfile: 287.4 MB (estimated)',
      '--fail-on dependency-change.classic>1MB: worker: not checked, the figure is unknown (unknown: uv.lock records no size for numpy 2.1.0 (sdist only))',
    ]);
  });

  it('bytes without a store is the larger store, unknown when either is', () => {
    const r = sampleResult();
    const [worker] = checkFailOn(parseFailOn(['dependency-change>1kB']), r).filter((c) => c.image === 'worker');
    assert.equal(worker.value, null);
    assert.equal(checkFailOn(parseFailOn(['dependency-change.containerd>1kB']), r)[1].failed, true);
  });

  it('counts steps and layers, with every operator', () => {
    const r = sampleResult();
    const value = (e: string) => checkFailOn(parseFailOn([e]), r).map((c) => c.failed);
    assert.deepEqual(value('code-change.steps>1'), [true, false]);
    assert.deepEqual(value('code-change.steps>=1'), [true, true]);
    assert.deepEqual(value('code-change.layers<4'), [false, true]);
    assert.deepEqual(value('code-change.layers<=4'), [true, true]);
  });

  it('a build arg no image passes is an error naming those they pass', () => {
    assert.throws(
      () => checkFailOn(parseFailOn(['build-arg:PYTHON>1MB']), sampleResult()),
      (e: unknown) =>
        e instanceof UserError && /passes the build arg PYTHON \(they pass PYTHON_VERSION\)/.test(e.message),
    );
    const ok = checkFailOn(parseFailOn(['build-arg:PYTHON_VERSION>10MB']), sampleResult());
    assert.deepEqual(
      ok.map((c) => [c.image, c.failed]),
      [['worker', true]],
    );
  });
});
