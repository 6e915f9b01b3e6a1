// base-change without an engine: which FROM is the base (the target stage, through the stages it
// is built FROM), how the FROM lines are rewritten, and the rebuild driven through a stand-in
// docker CLI (a shell script that records the Dockerfile it was given and answers with an ID).
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyChange } from '../../../src/bench/changes.js';
import { baseOf, baseTag, rewriteFrom } from '../../../src/bench/base-change.js';
import { copyForBench, type BenchImageSource } from '../../../src/bench/workspace.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-bench-base-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
before(() => loadShell());

const MULTI = [
  'ARG PY=3.11',
  'FROM python:${PY}-slim AS deps',
  'RUN pip install x',
  'FROM deps AS build',
  'RUN make',
  'FROM --platform=linux/amd64 python:${PY}-slim AS runtime',
  'COPY --from=build /a /a',
  'FROM debian:bookworm-slim AS other',
  '',
].join('\n');

describe('baseOf and rewriteFrom', () => {
  it('follows the target stage to the FROM that names an image', () => {
    const f = parseDockerfile(MULTI, 'Dockerfile');
    assert.equal(baseOf(f).image, 'debian:bookworm-slim');
    assert.equal(baseOf(f, 'runtime').image, 'python:3.11-slim');
    const b = baseOf(f, 'BUILD');
    assert.equal(b.image, 'python:3.11-slim');
    assert.equal(b.from.args[2], 'deps');
    assert.throws(() => baseOf(f, 'nope'), /--target nope: no stage/);
    const g = parseDockerfile(MULTI, 'Dockerfile', { buildArgs: { PY: '3.12' } });
    assert.equal(baseOf(g, 'runtime').image, 'python:3.12-slim');
  });

  it('refuses scratch and an unresolved build arg', () => {
    assert.throws(() => baseOf(parseDockerfile('FROM scratch\nCOPY a /\n', 'D')), /FROM scratch/);
    assert.throws(() => baseOf(parseDockerfile('ARG IMG\nFROM ${IMG}\n', 'D')), /--build-arg/);
  });

  it('rewrites a FROM keeping its flags and stage name', () => {
    const f = parseDockerfile(MULTI, 'Dockerfile');
    const runtime = f.stages[2].from;
    const out = rewriteFrom(MULTI, runtime, 'new:1');
    assert.match(out, /\nFROM --platform=linux\/amd64 new:1 AS runtime\nCOPY --from=build/);
    assert.equal(out.replace('--platform=linux/amd64 new:1', '--platform=linux/amd64 python:${PY}-slim'), MULTI);
  });

  it('makes tags docker accepts', () => {
    assert.equal(baseTag('run 1/x', 'abc', 2), 'layerwise-bench-base:run-1-x-abc-2');
    assert.equal(baseTag('.k', 'c', 1), 'layerwise-bench-base:k-c-1');
    assert.ok(baseTag('x'.repeat(300), 'c', 1).split(':')[1].length <= 128);
  });
});

describe('applyChange base-change', () => {
  it('builds the rebuilt base from the original each repetition and points every FROM of it there', async () => {
    const ctx = mkdtempSync(join(tmp, 'ctx-'));
    writeFileSync(join(ctx, 'Dockerfile'), MULTI);
    const log = join(tmp, 'docker.log');
    const docker = join(tmp, 'docker');
    writeFileSync(
      docker,
      `#!/bin/sh
echo "$*" >> ${log}
[ "$1" = buildx ] && exit 1
if [ "$1" = build ]; then
  while [ $# -gt 0 ]; do
    case "$1" in
      -f) cat "$2" >> ${log}; shift ;;
      --iidfile) printf 'sha256:%064d' 7 > "$2"; shift ;;
    esac
    shift
  done
fi
exit 0
`,
    );
    chmodSync(docker, 0o755);
    const img: BenchImageSource = {
      context: ctx,
      dockerfile: join(ctx, 'Dockerfile'),
      buildArgs: {},
      project: null,
      target: 'runtime',
    };
    const copy = copyForBench(img);
    try {
      const a = await applyChange('base-change', copy, img, { runKey: 'rk', docker }, 1);
      assert.match(
        a.change,
        /^rebuilt the base image python:3\.11-slim with one new layer \(layerwise-bench-base:rk-[0-9a-f]{6}-1\), for 2 stages$/,
      );
      const df = readFileSync(copy.dockerfile, 'utf8');
      assert.match(df, /^FROM layerwise-bench-base:rk-[0-9a-f]{6}-1 AS deps$/m);
      assert.match(df, /^FROM --platform=linux\/amd64 layerwise-bench-base:rk-[0-9a-f]{6}-1 AS runtime$/m);
      assert.match(df, /^FROM debian:bookworm-slim AS other$/m);
      const b = await applyChange('base-change', copy, img, { runKey: 'rk', docker }, 2);
      assert.match(b.change, /\(layerwise-bench-base:rk-[0-9a-f]{6}-2\)/);
      assert.match(readFileSync(copy.dockerfile, 'utf8'), /^FROM layerwise-bench-base:rk-[0-9a-f]{6}-2 AS deps$/m);
      const text = readFileSync(log, 'utf8');
      // Both rebuilds start from the original base, each with a layer of its own.
      assert.equal(
        text.match(/^FROM python:3\.11-slim\nCOPY layerwise-bench-base \/etc\/layerwise-bench-base$/gm)?.length,
        2,
      );
      assert.match(text, /-t layerwise-bench-base:rk-[0-9a-f]{6}-1/);
      assert.match(text, /-t layerwise-bench-base:rk-[0-9a-f]{6}-2/);
      // Another image of the same run (--against) rebuilds under a tag of its own.
      const copy2 = copyForBench(img);
      try {
        const c = await applyChange('base-change', copy2, img, { runKey: 'rk', docker }, 1);
        assert.notEqual(/\((\S+)\)/.exec(c.change)![1], /\((\S+)\)/.exec(a.change)![1]);
      } finally {
        copy2.dispose();
      }
      await b.cleanup!();
      assert.match(readFileSync(log, 'utf8'), /^image rm -f layerwise-bench-base:rk-[0-9a-f]{6}-2$/m);
      assert.equal(readFileSync(join(ctx, 'Dockerfile'), 'utf8'), MULTI, "the user's Dockerfile is untouched");
    } finally {
      copy.dispose();
    }
  });
});
