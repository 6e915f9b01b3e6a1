import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

describe('Dockerfile model', () => {
  it('resolves global ARGs in FROM and stage ARG/ENV in later instructions', () => {
    const f = parseDockerfile(`ARG PY=3.11
ARG REG
FROM \${REG:-docker.io}/python:\${PY}-slim AS base
ARG PY
ENV APP_HOME=/srv/app PATH="/srv/venv/bin:$PATH"
WORKDIR $APP_HOME
RUN echo $PY
`);
    assert.equal(f.stages[0].base.resolved, 'docker.io/python:3.11-slim');
    assert.equal(f.stages[0].base.tag, '3.11-slim');
    assert.equal(f.stages[0].base.registry, 'docker.io');
    const workdir = f.instructions.find((i) => i.keyword === 'WORKDIR')!;
    assert.deepEqual(workdir.resolvedArgs, ['/srv/app']);
    assert.equal(f.globalArgs.length, 2);
  });

  it('build args given by the user override defaults', () => {
    const f = parseDockerfile('ARG TAG=3.11\nFROM python:${TAG}\n', 'Dockerfile', { buildArgs: { TAG: '3.12' } });
    assert.equal(f.stages[0].base.resolved, 'python:3.12');
  });

  it('builds the stage graph from FROM, COPY --from and RUN --mount=from', () => {
    const f = parseDockerfile(`FROM python:3.12 AS deps
FROM python:3.12 AS assets
FROM deps AS build
COPY --from=assets /a /a
FROM python:3.12-slim AS final
RUN --mount=from=build,source=/w,target=/w cp -r /w /x
`);
    assert.deepEqual(
      f.stages.map((s) => s.dependsOn),
      [[], [], [0, 1], [2]],
    );
    assert.deepEqual(
      f.stages.map((s) => s.reachable),
      [true, true, true, true],
    );
  });

  it('marks stages the final stage does not need as unreachable', () => {
    const f = parseDockerfile('FROM alpine AS unused\nRUN true\nFROM alpine\nRUN true\n');
    assert.equal(f.stages[0].reachable, false);
    assert.equal(f.stages[1].reachable, true);
  });

  it('parses mounts, JSON form, heredocs and the escape directive', () => {
    const f = parseDockerfile(`# escape=\`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN --mount=type=cache,target=/root/.cache/pip,sharing=locked pip install x
CMD ["python", "app.py"]
`);
    assert.equal(f.escapeChar, '`');
    const run = f.instructions[1];
    assert.equal(run.mounts[0].type, 'cache');
    assert.equal(run.mounts[0].target, '/root/.cache/pip');
    assert.equal(run.mounts[0].sharing, 'locked');
    assert.deepEqual(f.instructions[2].jsonArgs, ['python', 'app.py']);

    const h = parseDockerfile('FROM alpine\nRUN <<EOT\nset -e\napk add curl\nEOT\n');
    const cmds = h.instructions[1].shell!.commands;
    assert.deepEqual(
      cmds.map((c) => [c.program, c.line]),
      [
        ['set', 3],
        ['apk', 4],
      ],
    );
  });

  it('flags invalid JSON for exec form', () => {
    const f = parseDockerfile("FROM alpine\nCMD ['python', 'app.py']\n");
    assert.equal(f.instructions[1].jsonForm, false);
    assert.equal(f.instructions[1].invalidJson, true);
  });

  it('keeps shell command lines across continuations and comment lines', () => {
    const f = parseDockerfile(
      'FROM debian\nRUN apt-get update \\\n    # why\n    && apt-get install -y \\\n       curl\n',
    );
    const cmds = f.instructions[1].shell!.commands;
    assert.deepEqual(
      cmds.map((c) => [c.program, c.line, c.connector]),
      [
        ['apt-get', 2, ''],
        ['apt-get', 4, '&&'],
      ],
    );
    assert.deepEqual(
      cmds[1].args.map((a) => a.value),
      ['install', '-y', 'curl'],
    );
  });

  it('sees an unquoted version specifier as a redirection', () => {
    const f = parseDockerfile('FROM python\nRUN pip install "a>=1" b>=2\n');
    const pip = f.instructions[1].shell!.commands[0];
    assert.deepEqual(
      pip.args.map((a) => a.value),
      ['install', 'a>=1', 'b'],
    );
    assert.equal(pip.redirects[0].target, '=2');
  });

  it('never throws on garbage', () => {
    for (const t of [
      '',
      '\n\n',
      'FROM',
      'RUN',
      'FROM a AS',
      '\\\n\\',
      'COPY --from= a',
      'ONBUILD',
      'ARG =',
      'ENV',
      '# escape=x\nFROM a',
    ]) {
      parseDockerfile(t);
    }
  });
});
