// bench's figures from one build: context bytes from recorded plain progress and rawjson lines
// (only the build context's vertex counts), BuildKit's human sizes, the cache hit rate without FROM,
// stage names, and the medians --repeat folds runs into.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { median, medianIndex, medianSteps, timeOf } from '../../../src/bench/median.js';
import {
  benchSteps,
  cacheHitRate,
  ContextBytesReader,
  parseHumanBytes,
  stageNames,
  userStepName,
} from '../../../src/bench/measure.js';
import type { BenchRun } from '../../../src/bench/types.js';
import { parseProgress } from '../../../src/engine/progress.js';
import { findRoot } from '../repo.js';

const progress = (name: string) => readFileSync(join(findRoot(), 'test/fixtures/progress', name), 'utf8');

describe('ContextBytesReader', () => {
  it("reads the build context's transfer from plain progress, not .dockerignore's", () => {
    const r = new ContextBytesReader();
    for (const l of progress('plain-cold.txt').split('\n')) r.push(l);
    // #2 (load .dockerignore) says 2B; #5 (load build context) says 39B.
    assert.equal(r.value(), 39);
  });

  it('takes the last figure BuildKit reports, in its decimal units', () => {
    const r = new ContextBytesReader();
    for (const l of [
      '#7 [internal] load build context',
      '#7 transferring context: 1.5MB 0.5s',
      '#7 transferring context: 12.34MB 1.1s done',
    ])
      r.push(l);
    assert.equal(r.value(), 12_340_000);
  });

  it('reads rawjson statuses of the build context vertex', () => {
    const r = new ContextBytesReader();
    r.push(
      JSON.stringify({
        vertexes: [
          { digest: 'sha256:a', name: '[internal] load .dockerignore' },
          { digest: 'sha256:b', name: '[internal] load build context' },
        ],
      }),
    );
    r.push(JSON.stringify({ statuses: [{ id: 'transferring context:', vertex: 'sha256:a', current: 2 }] }));
    r.push(JSON.stringify({ statuses: [{ id: 'transferring context:', vertex: 'sha256:b', current: 4096 }] }));
    r.push('not json: a buildx message');
    assert.equal(r.value(), 4096);
  });

  it('null when the progress never says', () => {
    const r = new ContextBytesReader();
    r.push('#1 [internal] load build definition from Dockerfile');
    assert.equal(r.value(), null);
  });
});

describe('figures of a build', () => {
  it('parses sizes; refuses what is not one', () => {
    assert.equal(parseHumanBytes('39B'), 39);
    assert.equal(parseHumanBytes('1.05kB'), 1050);
    assert.equal(parseHumanBytes('2GB'), 2e9);
    assert.equal(parseHumanBytes('3KiB'), 3072);
    assert.equal(parseHumanBytes('done'), null);
    assert.equal(parseHumanBytes('12 parsecs'), null);
  });

  it('steps leave out internal vertices; the hit rate leaves out FROM', () => {
    const steps = benchSteps({ steps: parseProgress('plain', progress('plain-warm.txt')) });
    assert.ok(steps.length > 0);
    assert.ok(steps.every((s) => !s.name.startsWith('[internal]')));
    const rate = cacheHitRate([
      { name: '[base 1/3] FROM docker.io/library/python:3.11-slim', cached: false, seconds: 0 },
      { name: '[base 2/3] RUN pip install x', cached: true, seconds: 0 },
      { name: '[base 3/3] COPY . .', cached: false, seconds: 0.2 },
    ]);
    assert.equal(rate, 0.5);
    assert.equal(cacheHitRate([]), null);
  });

  it("takes the run's cache key and its ARG out of step names, so runs compare by name", () => {
    const outcome = (key: string) => ({
      steps: [
        ['[internal] load build context', false, true],
        ['[base 1/3] FROM docker.io/library/python:3.11-slim', false, false],
        [`[base 2/3] RUN --mount=type=cache,target=/root/.cache/uv,id=/root/.cache/uv-${key} uv sync`, false, false],
        [`[base 3/3] RUN --mount=type=cache,target=/x,id=pip-${key} pip install x`, true, false],
        ['[app 1/2] FROM base ARG LAYERWISE_CACHE_KEY', false, false],
      ].map(([name, cached, internal], i) => ({
        id: `#${i}`,
        name: name as string,
        cached: cached as boolean,
        seconds: 1,
        internal: internal as boolean,
      })),
    });
    const one = benchSteps(outcome('run1-0-cold1'), 'run1-0-cold1');
    const two = benchSteps(outcome('run1-0-cold2'), 'run1-0-cold2');
    assert.deepEqual(
      one.map((s) => s.name),
      [
        '[base 1/3] FROM docker.io/library/python:3.11-slim',
        '[base 2/3] RUN --mount=type=cache,target=/root/.cache/uv,id=/root/.cache/uv uv sync',
        '[base 3/3] RUN --mount=type=cache,target=/x,id=pip pip install x',
        '[app 1/2] FROM base',
      ],
    );
    assert.deepEqual(
      two.map((s) => s.name),
      one.map((s) => s.name),
    );
    // Without a key, only the ARG goes; a user's own `-word` stays.
    assert.equal(userStepName('[a 2/2] RUN echo x-y'), '[a 2/2] RUN echo x-y');
  });

  it('names the stages of a Dockerfile', () => {
    const text =
      'ARG X\nFROM python:3.11-slim AS deps\nRUN x\nfrom --platform=$BUILDPLATFORM deps as Build\nFROM deps\nFROM scratch AS out\n';
    assert.deepEqual(stageNames(text), ['deps', 'Build', 'out']);
  });
});

describe('medians over --repeat', () => {
  const run = (seconds: number, step: number): BenchRun => ({
    seconds,
    imageId: `sha256:${seconds}`,
    steps: [{ name: '[1/2] RUN a', cached: false, seconds: step }],
    contextBytes: 1,
    imageBytes: 2,
    cacheHitRate: 0,
  });

  it('the middle value; the middle two averaged for an even count', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.equal(median([]), 0);
  });

  it('the median run is the middle one by time (the lower middle for an even count)', () => {
    assert.equal(medianIndex([run(5, 0), run(1, 0), run(3, 0)]), 2);
    assert.equal(medianIndex([run(5, 0), run(1, 0), run(3, 0), run(9, 0)]), 2);
  });

  it("each step's seconds are the median over the runs", () => {
    const runs = [run(5, 4), run(1, 0.5), run(3, 2)];
    assert.deepEqual(medianSteps(runs, medianIndex(runs)), [{ name: '[1/2] RUN a', cached: false, seconds: 2 }]);
    assert.deepEqual(timeOf(runs), { median_s: 3, min_s: 1, max_s: 5, runs_s: [5, 1, 3] });
  });
});
