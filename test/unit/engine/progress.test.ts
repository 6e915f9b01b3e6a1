// BuildKit progress parsers on outputs recorded from the engine of the test world (docker 20.10,
// DOCKER_BUILDKIT=1 docker build --progress=plain: a cold build, the same build again, a build
// after one COPY'd file changed, a failing RUN) and on rawjson lines as buildx writes them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isolateDockerfile } from '../../../src/engine/build.js';
import { parseProgress, PlainProgressParser, RawJsonProgressParser } from '../../../src/engine/progress.js';
import { findRoot } from '../repo.js';

const dir = join(findRoot(), 'test', 'fixtures', 'progress');
const recorded = (name: string): string => readFileSync(join(dir, name), 'utf8');
const own = (text: string) => parseProgress('plain', text).filter((s) => !s.internal);

describe('plain progress (recorded from docker 20.10 BuildKit)', () => {
  it('cold build: every Dockerfile step, in order of first report, with durations', () => {
    const steps = own(recorded('plain-cold.txt'));
    assert.deepEqual(
      steps.map((s) => [s.name, s.cached, s.seconds]),
      [
        ['[base 1/2] FROM docker.io/library/debian:bookworm-slim', true, 0],
        ['[base 2/2] RUN echo one > /one', false, 0.2],
        ['[stage-1 1/3] COPY hello.txt /hello.txt', false, 0],
        ['[stage-1 2/3] RUN sleep 1 && echo built-$(cat /hello.txt)', false, 1.3],
        ['[stage-1 3/3] RUN echo done', false, 0.4],
      ],
    );
    const all = parseProgress('plain', recorded('plain-cold.txt'));
    assert.ok(all.some((s) => s.internal && s.name === '[internal] load build context'));
    assert.ok(all.some((s) => s.internal && s.name === 'exporting to image'));
  });

  it('warm build: the instructions are all cached', () => {
    const steps = own(recorded('plain-warm.txt')).filter((s) => !s.name.includes(' FROM '));
    assert.equal(steps.length, 4);
    for (const s of steps) assert.deepEqual([s.cached, s.seconds], [true, 0], s.name);
  });

  it('after a COPY source changed: the step above it cached, the COPY and below re-run', () => {
    const by = new Map(own(recorded('plain-code-change.txt')).map((s) => [s.name.replace(/^\[[^\]]*\] /, ''), s]));
    assert.equal(by.get('RUN echo one > /one')?.cached, true);
    assert.equal(by.get('COPY hello.txt /hello.txt')?.cached, false);
    assert.equal(by.get('RUN sleep 1 && echo built-$(cat /hello.txt)')?.seconds, 1.2);
    assert.equal(by.get('RUN echo done')?.cached, false);
  });

  it('failed build: the failing step carries BuildKit error, the log keeps its output', () => {
    const p = new PlainProgressParser();
    for (const l of recorded('plain-failed.txt').split('\n')) p.push(l);
    const failed = p.steps().filter((s) => s.error);
    assert.equal(failed.length, 1);
    assert.equal(failed[0].name, '[2/2] RUN echo about to fail && exit 3');
    assert.match(failed[0].error!, /exit code: 3/);
    assert.equal(failed[0].seconds, null);
    assert.ok(p.logLines().some((l) => l.includes('about to fail')));
  });

  it('a step reported again (interleaved output) keeps its first name', () => {
    const steps = parseProgress('plain', '#4 [2/3] RUN a\n#5 [3/3] RUN b\n#4 [2/3] RUN a\n#4 DONE 2.5s\n#5 CACHED\n');
    assert.deepEqual(
      steps.map((s) => [s.id, s.name, s.cached, s.seconds]),
      [
        ['#4', '[2/3] RUN a', false, 2.5],
        ['#5', '[3/3] RUN b', true, 0],
      ],
    );
  });
});

describe('rawjson progress (buildx SolveStatus lines)', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const lines = [
    JSON.stringify({ vertexes: [{ digest: 'sha256:a', name: '[internal] load build definition from Dockerfile' }] }),
    JSON.stringify({
      vertexes: [
        {
          digest: 'sha256:a',
          name: '[internal] load build definition from Dockerfile',
          started: '2025-01-01T00:00:00Z',
          completed: '2025-01-01T00:00:00.05Z',
        },
        {
          digest: 'sha256:b',
          name: '[1/3] FROM docker.io/library/python:3.11-slim',
          cached: true,
          started: '2025-01-01T00:00:01Z',
          completed: '2025-01-01T00:00:01Z',
        },
        { digest: 'sha256:c', name: '[2/3] RUN pip install -r requirements.txt', started: '2025-01-01T00:00:01Z' },
      ],
    }),
    JSON.stringify({ logs: [{ vertex: 'sha256:c', stream: 1, data: b64('Collecting flask\nInstalled\n') }] }),
    JSON.stringify({
      vertexes: [
        {
          digest: 'sha256:c',
          name: '[2/3] RUN pip install -r requirements.txt',
          started: '2025-01-01T00:00:01Z',
          completed: '2025-01-01T00:00:13.25Z',
        },
      ],
    }),
    JSON.stringify({ vertexes: [{ digest: 'sha256:d', name: '[3/3] COPY . .', cached: true }] }),
    'WARNING: buildx: a message that is not JSON',
    '',
  ];

  it('merges the reports of each vertex: cached flags, durations from started/completed', () => {
    const steps = parseProgress('rawjson', lines.join('\n'));
    assert.deepEqual(
      steps.map((s) => [s.name, s.cached, s.seconds, s.internal]),
      [
        ['[internal] load build definition from Dockerfile', false, 0.05, true],
        ['[1/3] FROM docker.io/library/python:3.11-slim', true, 0, false],
        ['[2/3] RUN pip install -r requirements.txt', false, 12.25, false],
        ['[3/3] COPY . .', true, 0, false],
      ],
    );
  });

  it('decodes the logs and keeps the errors and other lines for the error report', () => {
    const p = new RawJsonProgressParser();
    for (const l of lines) p.push(l);
    p.push(
      JSON.stringify({
        vertexes: [
          {
            digest: 'sha256:e',
            name: '[4/4] RUN false',
            error: 'process "/bin/sh -c false" did not complete successfully: exit code: 1',
          },
        ],
      }),
    );
    const log = p.logLines();
    assert.ok(log.includes('[2/3] RUN pip install -r requirements.txt: Collecting flask'));
    assert.ok(log.includes('WARNING: buildx: a message that is not JSON'));
    assert.match(log.at(-1)!, /^ERROR: process .* exit code: 1$/);
    const failed = p.steps().find((s) => s.error);
    assert.equal(failed?.name, '[4/4] RUN false');
    assert.equal(failed?.seconds, null);
  });
});

describe('isolateDockerfile (per-build cache keys)', () => {
  it('declares the key in every stage and keys cache mounts when asked', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'FROM python:3.11-slim AS deps',
      'RUN --mount=type=cache,target=/root/.cache/uv uv sync',
      'from deps',
      'RUN --mount=type=cache,id=pip,target=/root/.cache/pip pip install x',
      '',
    ].join('\n');
    assert.equal(
      isolateDockerfile(text, 'k1', false),
      [
        '# syntax=docker/dockerfile:1',
        'FROM python:3.11-slim AS deps',
        'ARG LAYERWISE_CACHE_KEY',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync',
        'from deps',
        'ARG LAYERWISE_CACHE_KEY',
        'RUN --mount=type=cache,id=pip,target=/root/.cache/pip pip install x',
        '',
      ].join('\n'),
    );
    const mounts = isolateDockerfile(text, 'k1', true);
    assert.match(mounts, /--mount=type=cache,target=\/root\/\.cache\/uv,id=\/root\/\.cache\/uv-k1 uv sync/);
    assert.match(mounts, /--mount=type=cache,target=\/root\/\.cache\/pip,id=pip-k1 pip install/);
  });

  it('puts the ARG after a FROM continued onto the next lines, never mid-instruction', () => {
    const text = [
      'FROM python:3.11-slim \\',
      '  AS base',
      'FROM base \\',
      '# a comment',
      '',
      '  AS app',
      'RUN true',
      '',
    ].join('\n');
    assert.equal(
      isolateDockerfile(text, 'k', false),
      [
        'FROM python:3.11-slim \\',
        '  AS base',
        'ARG LAYERWISE_CACHE_KEY',
        'FROM base \\',
        '# a comment',
        '',
        '  AS app',
        'ARG LAYERWISE_CACHE_KEY',
        'RUN true',
        '',
      ].join('\n'),
    );
    // A backtick escape (Windows Dockerfiles) continues the same way; a backslash then does not.
    assert.equal(
      isolateDockerfile('# escape=`\nFROM b `\r\n  AS c\r\nRUN x\r\n', 'k', false),
      '# escape=`\nFROM b `\r\n  AS c\r\nARG LAYERWISE_CACHE_KEY\nRUN x\r\n',
    );
  });
});
