// ShellCheck on RUN: the scripts given to it and its json1 comments mapped back to the Dockerfile.
// The comments below were recorded from `shellcheck --format=json1` (ShellCheck 0.9.0) run on
// exactly the job texts these tests build; the world test runs the real binary.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadShell } from '../../../src/dockerfile/shell-load.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { categoryOf, shellcheckFilter, toFindings, type ShellcheckComment } from '../../../src/shellcheck/map.js';
import { dialectOf, HEADER_LINES, shellJobs } from '../../../src/shellcheck/scripts.js';

await loadShell();

const jobsOf = (text: string) => shellJobs(parseDockerfile(text, 'Dockerfile'));
/** The script part of a job's text, without the header. */
const body = (text: string) => text.split('\n').slice(HEADER_LINES).join('\n');
const header = (text: string) => text.split('\n').slice(0, HEADER_LINES);

const DOCKERFILE = [
  'FROM debian:12',
  'ARG version=1',
  'RUN --mount=type=cache,target=/var/cache/apt apt-get install -y \\',
  '      curl=$version \\',
  '  # a comment',
  '\t&& echo $missing',
  'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
  'RUN <<EOF',
  'set -e',
  'echo $1 $version',
  'EOF',
  '',
].join('\n');

const c = (
  file: string,
  line: number,
  column: number,
  endColumn: number,
  level: string,
  code: number,
  message: string,
) => ({ file, line, endLine: line, column, endColumn, level, code, message }) satisfies ShellcheckComment;
const QUOTE = 'Double quote to prevent globbing and word splitting.';
/** Recorded: `shellcheck --format=json1 0.sh 1.sh` on the two jobs of DOCKERFILE. */
const RECORDED: ShellcheckComment[][] = [
  [
    c('0.sh', 4, 12, 20, 'info', 2086, QUOTE),
    c('0.sh', 6, 10, 18, 'warning', 2154, 'missing is referenced but not assigned.'),
    c('0.sh', 6, 10, 18, 'info', 2086, QUOTE),
  ],
  [c('1.sh', 4, 6, 8, 'info', 2086, QUOTE), c('1.sh', 4, 9, 17, 'info', 2086, QUOTE)],
];

describe('shellJobs: the RUN scripts ShellCheck reads', () => {
  it('keeps each script on its file lines and columns, continuation and comment lines included', () => {
    const [run] = jobsOf(DOCKERFILE);
    assert.equal(run.line, 3);
    assert.equal(run.endLine, 6);
    const lines = body(run.text).split('\n');
    assert.equal(lines.length, 4);
    // The flags become blanks, so `apt-get` stays at its column.
    assert.equal(lines[0].indexOf('apt-get'), DOCKERFILE.split('\n')[2].indexOf('apt-get'));
    assert.equal(lines[1], '      curl=$version \\');
    // A Dockerfile comment inside a continuation is not shell: it becomes a bare continuation.
    assert.match(lines[2], /^\s*\\$/);
    assert.equal(lines[3], '\t&& echo $missing');
  });

  it('declares the stage ARG and ENV names and Docker proxy variables, in the dialect of SHELL', () => {
    const [run, heredoc] = jobsOf(DOCKERFILE);
    assert.equal(header(run.text)[0], '# shellcheck shell=sh');
    assert.match(header(run.text)[1], /^export .*\bHTTP_PROXY\b.*\bno_proxy\b.* version$/);
    assert.equal(heredoc.shell, 'bash');
    assert.equal(header(heredoc.text)[0], '# shellcheck shell=bash');
    assert.equal(heredoc.line, 9);
    assert.equal(body(heredoc.text), 'set -e\necho $1 $version');
  });

  it('starts each stage afresh, but a stage FROM an earlier one inherits its SHELL and ENV names', () => {
    const jobs = jobsOf(
      [
        'ARG flavour=global',
        'FROM debian:12 AS base',
        'SHELL ["/bin/bash", "-c"]',
        'ENV app_home=/app',
        'ARG base_only',
        'RUN echo "$app_home"',
        'FROM debian:12',
        'RUN echo "$app_home"',
        'FROM base',
        'ARG flavour',
        'RUN echo "$app_home $flavour"',
      ].join('\n'),
    );
    const has = (j: (typeof jobs)[number], name: string) => new RegExp(`\\b${name}\\b`).test(header(j.text)[1]);
    assert.deepEqual(
      jobs.map((j) => [j.shell, has(j, 'app_home'), has(j, 'flavour'), has(j, 'base_only')]),
      [
        ['bash', true, false, true],
        ['sh', false, false, false],
        ['bash', true, true, false],
      ],
    );
  });

  it('skips shells ShellCheck cannot read and heredocs for other interpreters; follows a shell shebang', () => {
    const jobs = jobsOf(
      [
        'FROM debian:12',
        'RUN ["echo", "exec form"]',
        'RUN <<EOF',
        '#!/usr/bin/env python3',
        'print("hi")',
        'EOF',
        'RUN <<EOF',
        '#!/bin/bash',
        'echo "$BASH_VERSION"',
        'EOF',
        'SHELL ["pwsh", "-Command"]',
        'RUN Write-Host $env:PATH',
      ].join('\n'),
    );
    assert.deepEqual(
      jobs.map((j) => [j.line, j.shell]),
      [[8, 'bash']],
    );
  });

  it("follows hadolint's `# hadolint shell=` pragma until the next SHELL or FROM", () => {
    const jobs = jobsOf(
      [
        'FROM debian:12',
        '# hadolint shell=bash',
        'RUN echo ${x[@]}',
        'RUN echo two',
        'SHELL ["/bin/sh", "-c"]',
        'RUN echo three',
        '# hadolint shell=powershell',
        'RUN Write-Host hi',
        'FROM debian:12',
        'RUN echo five',
      ].join('\n'),
    );
    assert.deepEqual(
      jobs.map((j) => [j.line, j.shell]),
      [
        [3, 'bash'],
        [4, 'bash'],
        [6, 'sh'],
        [10, 'sh'],
      ],
    );
  });

  it('declares a secret mounted as an environment variable, and checks ONBUILD RUN', () => {
    const jobs = jobsOf(
      [
        'FROM debian:12',
        'RUN --mount=type=secret,id=tok,env=api_token curl -H "$api_token" x',
        'ONBUILD RUN echo $1',
      ].join('\n'),
    );
    assert.equal(jobs.length, 2);
    assert.match(header(jobs[0].text)[1], /\bapi_token$/);
    assert.doesNotMatch(header(jobs[1].text)[1], /\bapi_token\b/);
    assert.equal(jobs[1].line, 3);
  });

  it('collects the pragmas that suppress findings on each RUN', () => {
    const jobs = jobsOf(
      [
        '# hadolint global ignore=SC2035',
        'FROM debian:12',
        '# hadolint ignore=SC2086',
        'RUN echo $1',
        '# layerwise ignore=SC2154,DL3008',
        'RUN echo $x',
        'RUN echo $2',
      ].join('\n'),
    );
    assert.deepEqual(
      jobs.map((j) => [...j.suppressed].sort()),
      [['sc2035', 'sc2086'], ['dl3008', 'sc2035', 'sc2154'], ['sc2035']],
    );
  });

  it('honours disable-ignore-pragma as the lint rules do: inline pragmas suppress no SC finding', () => {
    const text = ['FROM debian:12', '# hadolint ignore=SC2086', 'RUN echo $1'].join('\n');
    const [on] = shellJobs(parseDockerfile(text, 'Dockerfile'));
    const [off] = shellJobs(parseDockerfile(text, 'Dockerfile'), { disableIgnorePragma: true });
    assert.deepEqual(on.suppressed, ['sc2086']);
    assert.deepEqual(off.suppressed, []);
  });

  it('drops the CR of CRLF line ends (SC1017 otherwise) without moving any column', () => {
    const [job] = jobsOf('FROM debian:12\r\nRUN echo a \\\r\n  && echo $1\r\n');
    assert.doesNotMatch(job.text, /\r/);
    assert.equal(body(job.text).split('\n')[1], '  && echo $1');
  });

  it('maps shell programs to dialects', () => {
    assert.deepEqual(
      [
        '/bin/sh',
        'bash',
        '/usr/bin/env bash',
        '/bin/dash',
        'mksh',
        'ash',
        'pwsh',
        'cmd',
        '/usr/bin/env -S python3',
      ].map(dialectOf),
      ['sh', 'bash', 'bash', 'dash', 'ksh', 'dash', undefined, undefined, undefined],
    );
  });
});

describe('toFindings: recorded json1 comments on the Dockerfile', () => {
  const lines = DOCKERFILE.split('\n');
  const all = () => {
    const jobs = jobsOf(DOCKERFILE);
    return jobs.flatMap((j, i) => toFindings(j, RECORDED[i], 'Dockerfile', lines, shellcheckFilter()));
  };

  it('points at the Dockerfile line and column (across continuations, a tab and a heredoc)', () => {
    const got = all().map((f) => `${f.rule}:${f.line}:${f.column}-${f.endColumn}:${f.severity}:${f.category}`);
    assert.deepEqual(got, [
      'SC2086:4:12-20:info:style',
      'SC2154:6:10-18:warning:correctness',
      'SC2086:6:10-18:info:style',
      'SC2086:10:6-8:info:style',
      'SC2086:10:9-17:info:style',
    ]);
    // The span covers exactly the expansion ShellCheck named.
    const f = all()[0];
    assert.equal(lines[f.line - 1].slice(f.column - 1, f.endColumn - 1), '$version');
    const tab = all()[1];
    assert.equal(lines[tab.line - 1].slice(tab.column - 1, tab.endColumn - 1), '$missing');
    assert.equal(all()[0].name, 'shellcheck');
    assert.equal(all()[0].message, QUOTE);
  });

  it('applies --ignore and ignored lists by SC id or by the name shellcheck, and severity overrides', () => {
    const jobs = jobsOf(DOCKERFILE);
    const run = (ignore: string[], severity = {}) =>
      toFindings(jobs[0], RECORDED[0], 'Dockerfile', lines, shellcheckFilter(ignore, severity)).map(
        (f) => `${f.rule}:${f.severity}`,
      );
    assert.deepEqual(run(['sc2086']), ['SC2154:warning']);
    assert.deepEqual(run(['shellcheck']), []);
    assert.deepEqual(run([], { SC2154: 'error', SC2086: 'off' }), ['SC2154:error']);
    assert.deepEqual(run([], { shellcheck: 'style', SC2154: 'error' }), [
      'SC2086:style',
      'SC2154:error',
      'SC2086:style',
    ]);
  });

  it('honours # hadolint ignore= and # layerwise ignore= before the RUN', () => {
    const text = DOCKERFILE.replace('ARG version=1\n', 'ARG version=1\n# hadolint ignore=SC2086\n').replace(
      'RUN <<EOF',
      '# layerwise ignore=SC2086\nRUN <<EOF',
    );
    const jobs = jobsOf(text);
    const found = jobs.flatMap((j, i) =>
      toFindings(j, RECORDED[i], 'Dockerfile', text.split('\n'), shellcheckFilter()),
    );
    assert.deepEqual(
      found.map((f) => `${f.rule}:${f.line}`),
      ['SC2154:7'],
    );
  });

  it('keeps positions inside the RUN and drops comments on the header', () => {
    const [job] = jobsOf(DOCKERFILE);
    const odd = [c('0.sh', 1, 1, 2, 'error', 1000, 'header'), c('0.sh', 99, 1, 2, 'error', 1089, 'past the end')];
    const found = toFindings(job, odd, 'Dockerfile', lines, shellcheckFilter());
    assert.deepEqual(
      found.map((f) => `${f.rule}:${f.line}`),
      ['SC1089:6'],
    );
  });

  it('maps levels to categories', () => {
    assert.deepEqual(['error', 'warning', 'info', 'style'].map(categoryOf), [
      'correctness',
      'correctness',
      'style',
      'style',
    ]);
  });
});
