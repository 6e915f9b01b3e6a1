import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextFromPatterns } from '../../../src/dockerfile/context-impl.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { simulate } from '../../../src/dockerfile/simulate.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

const files = [
  'pyproject.toml',
  'uv.lock',
  'src/app/__init__.py',
  'src/app/main.py',
  'tests/test_main.py',
  'README.md',
];
const ctx = (ignore?: string) => contextFromPatterns(ignore, files);
const lines = (sim: ReturnType<typeof simulate>) => sim.invalidated.map((i) => i.instruction.span.start.line);

const NAIVE = `FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install .
CMD ["python", "-m", "app"]
`;

const GOOD = `FROM python:3.12-slim AS build
WORKDIR /app
RUN --mount=type=bind,source=uv.lock,target=uv.lock \\
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\
    uv sync --locked --no-install-project --no-dev
COPY src ./src
RUN uv sync --locked --no-dev

FROM python:3.12-slim
COPY --from=build /app/.venv /app/.venv
COPY --from=build /app/src /app/src
CMD ["python", "-m", "app"]
`;

describe('change simulator', () => {
  it('a code change re-runs the install after COPY . .', () => {
    const sim = simulate(parseDockerfile(NAIVE), ctx(), { kind: 'app-source' });
    // CMD is metadata, but it sits in the cache chain too.
    assert.deepEqual(lines(sim), [3, 4, 5]);
    assert.equal(sim.invalidated[1].cause.span.start.line, 3);
    assert.deepEqual(
      sim.finalLayers.map((l) => [l.instruction.span.start.line, l.changed]),
      [
        [3, true],
        [4, true],
      ],
    );
  });

  it('a code change leaves the dependency layer of a good build cached', () => {
    const sim = simulate(parseDockerfile(GOOD), ctx(), { kind: 'app-source' });
    assert.deepEqual(lines(sim), [6, 7, 10, 11, 12]);
    assert.ok(!sim.isInvalidated(parseDockerfile(GOOD).instructions[2]));
    const changed = sim.finalLayers.filter((l) => l.changed).map((l) => l.instruction.span.start.line);
    // Stage-level precision: the venv copy re-runs because the build stage changed
    // (uv sync re-installs the project into it).
    assert.deepEqual(changed, [10, 11]);
    assert.equal(
      sim.invalidated.find((i) => i.instruction.span.start.line === 3),
      undefined,
    );
  });

  it('a lock change re-runs the dependency install through its bind mount', () => {
    const sim = simulate(parseDockerfile(GOOD), ctx(), { kind: 'deps' });
    assert.equal(lines(sim)[0], 3);
    assert.match(sim.invalidated[0].reason, /bind mount of (uv\.lock|pyproject\.toml)/);
  });

  it('a change to an ignored file invalidates nothing', () => {
    const sim = simulate(parseDockerfile(NAIVE), ctx('tests\n'), { kind: 'paths', paths: ['tests/test_main.py'] });
    assert.deepEqual(lines(sim), []);
    const sim2 = simulate(parseDockerfile(NAIVE), ctx(), { kind: 'paths', paths: ['tests/test_main.py'] });
    assert.deepEqual(lines(sim2), [3, 4, 5]);
  });

  it('build args invalidate RUNs after their declaration only', () => {
    const df = parseDockerfile(`FROM python:3.12-slim
RUN echo before
ARG VERSION=1
COPY a.txt /a.txt
RUN echo after
ENV V=$VERSION
`);
    const sim = simulate(df, contextFromPatterns(undefined, ['a.txt']), { kind: 'build-arg', name: 'VERSION' });
    assert.deepEqual(lines(sim), [5, 6]);
  });

  it('a base image change re-runs every stage built on it and stages copying from them', () => {
    const df = parseDockerfile(`FROM golang:1.22 AS tools
RUN go install example.com/x@v1
FROM python:3.12-slim
COPY --from=tools /go/bin/x /usr/local/bin/x
RUN echo done
`);
    const sim = simulate(df, ctx(), { kind: 'base-image', image: 'golang' });
    assert.deepEqual(lines(sim), [1, 2, 4, 5]);
  });

  it('without a file list, judges COPY sources by shape', () => {
    const df = parseDockerfile(`FROM python:3.12-slim
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY app/ ./app/
`);
    const sim = simulate(df, contextFromPatterns(undefined, []), { kind: 'app-source' });
    assert.deepEqual(lines(sim), [4]);
    const deps = simulate(df, contextFromPatterns(undefined, []), { kind: 'deps' });
    assert.deepEqual(lines(deps), [2, 3, 4]);
  });
});
