// bench's run logic with the engine, the edits and the copies replaced by recording fakes: the
// scenario order, subject and against interleaved (flipped every other repetition), cache keys
// (cold's fresh one carried on, a priming build without cold), deploy measured against the image
// built before the median run, medians, and that images, copies and rebuilt bases are cleaned up
// (also when a build fails).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BenchImage } from '../../../src/bench/plan.js';
import { type ChangeOpts, indexUrlOf, type RunDeps, runPlan } from '../../../src/bench/run.js';
import type { ScenarioName } from '../../../src/bench/types.js';
import type { BuildOutcome, BuildRequest } from '../../../src/engine/build.js';
import { UserError } from '../../../src/errors.js';

const image = (variant: BenchImage['variant']): BenchImage => ({
  image: 'Dockerfile',
  variant,
  context: `/src/${variant}`,
  dockerfile: `/src/${variant}/Dockerfile`,
  buildArgs: { UV_INDEX_URL: 'http://127.0.0.1:3141/simple/' },
  project: null,
});

interface Log {
  builds: (BuildRequest & { variant: string })[];
  applied: { name: ScenarioName; variant: string; rep: number; opts: ChangeOpts }[];
  deploys: [string, string][];
  removed: string[];
  disposed: string[];
  cleaned: number;
}

/** Fakes: build i takes `times[i]` seconds (default 1), its step is cached when the key was seen before. */
function fakes(times: number[] = [], fail?: number): { deps: RunDeps; log: Log } {
  const log: Log = { builds: [], applied: [], deploys: [], removed: [], disposed: [], cleaned: 0 };
  const keys = new Set<string>();
  const deps: RunDeps = {
    copy: (img) => ({
      context: `/tmp/copy-${img.variant}`,
      dockerfile: `/tmp/copy-${img.variant}/Dockerfile`,
      dispose: () => log.disposed.push(img.variant),
    }),
    async apply(name, copy, img, opts, rep) {
      log.applied.push({ name, variant: img.variant, rep, opts });
      const req: Partial<BuildRequest> = { context: copy.context, isolateCacheMounts: true };
      if (name === 'cold') req.cacheKey = `${opts.runKey}-cold${rep}`;
      return {
        change: `${name} #${rep}`,
        request: req,
        ...(name === 'base-change' ? { cleanup: async () => void log.cleaned++ } : {}),
      };
    },
    async build(req): Promise<BuildOutcome> {
      const n = log.builds.length;
      const variant = req.context.endsWith('against') ? 'against' : 'subject';
      log.builds.push({ ...req, variant });
      if (n === fail) throw new UserError('build failed');
      const cached = keys.has(`${req.cacheKey}`);
      keys.add(`${req.cacheKey}`);
      return {
        imageId: `sha256:${String(n).padStart(64, '0')}`,
        seconds: times[n] ?? 1,
        steps: [
          { id: '#1', name: '[internal] load build context', cached: false, seconds: 0, internal: true },
          { id: '#2', name: '[1/2] FROM python', cached: false, seconds: 0, internal: false },
          { id: '#3', name: '[2/2] RUN install', cached, seconds: cached ? 0 : (times[n] ?? 1), internal: false },
        ],
        client: 'buildkit',
        builder: 'default',
        logTail: [],
      };
    },
    facts: { size: async () => 1000 },
    async deploy(before, after) {
      log.deploys.push([before, after]);
      return { against: before, classic: 10, containerd: 5, gzip: { classic: 4, containerd: 2 }, newLayers: 1 };
    },
    async remove(refs) {
      log.removed.push(...refs);
    },
  };
  return { deps, log };
}

describe('runPlan', () => {
  it('runs the scenarios in order, interleaving subject and against, flipped every other repetition', async () => {
    const { deps, log } = fakes();
    const out = await runPlan(
      [image('subject'), image('against')],
      { scenarios: ['code-change', 'cold', 'warm'], repeat: 2, runKey: 'k' },
      deps,
    );
    assert.deepEqual(
      log.applied.map((a) => `${a.name}:${a.variant}:${a.rep}`),
      [
        'cold:subject:1',
        'cold:against:1',
        'cold:against:2',
        'cold:subject:2',
        'warm:subject:1',
        'warm:against:1',
        'warm:against:2',
        'warm:subject:2',
        'code-change:subject:1',
        'code-change:against:1',
        'code-change:against:2',
        'code-change:subject:2',
      ],
    );
    assert.deepEqual(
      out.scenarios.map((s) => `${s.name}:${s.variant}:${s.runs}`),
      [
        'cold:subject:2',
        'cold:against:2',
        'warm:subject:2',
        'warm:against:2',
        'code-change:subject:2',
        'code-change:against:2',
      ],
    );
    // Each image has run keys of its own, so against's cold cannot find subject's records.
    assert.deepEqual([...new Set(log.applied.map((a) => a.opts.runKey))], ['k-0', 'k-1']);
    assert.equal(log.applied[0].opts.indexUrl, 'http://127.0.0.1:3141/simple/');
  });

  it("later scenarios build under the last cold key, with cold's isolated cache mounts", async () => {
    const { deps, log } = fakes();
    const out = await runPlan([image('subject')], { scenarios: ['cold', 'warm'], repeat: 2, runKey: 'k' }, deps);
    assert.deepEqual(
      log.builds.map((b) => [b.cacheKey, b.isolateCacheMounts]),
      [
        ['k-0-cold1', true],
        ['k-0-cold2', true],
        ['k-0-cold2', true],
        ['k-0-cold2', true],
      ],
    );
    const warm = out.scenarios.find((s) => s.name === 'warm')!;
    assert.equal(warm.cacheHitRate, 1);
    assert.equal(out.scenarios[0].cacheHitRate, 0);
    assert.equal(out.scenarios[0].deploy, null, 'cold has nothing before it worth pulling from');
  });

  it("without cold one unmeasured build primes the cache with warm's request", async () => {
    const { deps, log } = fakes();
    const out = await runPlan([image('subject')], { scenarios: ['warm'], repeat: 1, runKey: 'k' }, deps);
    assert.equal(log.builds.length, 2);
    assert.match(log.builds[0].tag!, /:prime-/);
    assert.equal(log.builds[0].cacheKey, log.builds[1].cacheKey);
    assert.deepEqual(
      out.scenarios.map((s) => s.name),
      ['warm'],
    );
    assert.equal(out.scenarios[0].cacheHitRate, 1);
    // The host held the primed image.
    assert.deepEqual(log.deploys, [[log.builds[0].tag, log.builds[1].tag]]);
    assert.equal(out.scenarios[0].deploy?.against, `sha256:${'0'.repeat(64)}`);
  });

  it('medians: the time over the runs, deploy of the median run against the image built just before it', async () => {
    // builds: cold #0..#2 (1 s), code-change reps 1..3 take 9, 2, 5 s (#3..#5): the median run is #5.
    const { deps, log } = fakes([1, 1, 1, 9, 2, 5]);
    const out = await runPlan([image('subject')], { scenarios: ['cold', 'code-change'], repeat: 3, runKey: 'k' }, deps);
    const code = out.scenarios[1];
    assert.deepEqual(code.time, { median_s: 5, min_s: 2, max_s: 9, runs_s: [9, 2, 5] });
    assert.equal(code.imageId, `sha256:${'5'.padStart(64, '0')}`);
    assert.equal(code.change, 'code-change #3');
    assert.deepEqual(log.deploys, [[log.builds[4].tag, log.builds[5].tag]]);
    assert.equal(code.deploy?.against, `sha256:${'4'.padStart(64, '0')}`);
    assert.equal(code.imageBytes, 1000);
    assert.deepEqual(
      code.steps.map((s) => s.name),
      ['[1/2] FROM python', '[2/2] RUN install'],
    );
  });

  it('removes its images and copies and runs the cleanups; keeps the images when asked', async () => {
    const { deps, log } = fakes();
    await runPlan([image('subject')], { scenarios: ['warm', 'base-change'], repeat: 1, runKey: 'k' }, deps);
    const tags = log.builds.map((b) => b.tag!);
    for (const t of tags) assert.ok(log.removed.includes(t), t);
    assert.deepEqual(log.disposed, ['subject']);
    assert.equal(log.cleaned, 1);

    const kept = fakes();
    const out = await runPlan(
      [image('subject')],
      { scenarios: ['warm'], repeat: 1, runKey: 'k', keepImages: true },
      kept.deps,
    );
    assert.deepEqual(kept.log.removed, []);
    assert.deepEqual(
      out.kept,
      kept.log.builds.map((b) => b.tag),
    );
  });

  it('a failed build still removes the copies and the images built so far, and throws', async () => {
    const { deps, log } = fakes([], 2);
    await assert.rejects(
      runPlan([image('subject'), image('against')], { scenarios: ['cold', 'warm'], repeat: 1, runKey: 'k' }, deps),
      /build failed/,
    );
    assert.deepEqual(log.disposed.sort(), ['against', 'subject']);
    assert.ok(log.removed.includes(log.builds[0].tag!));
  });

  it('names the index from the build args', () => {
    assert.equal(indexUrlOf({ PIP_INDEX_URL: 'http://a/simple/' }), 'http://a/simple/');
    assert.equal(indexUrlOf({}), undefined);
  });
});
