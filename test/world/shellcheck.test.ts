// `layerwise lint` with the real ShellCheck binary the world installs (Debian's shellcheck,
// WORLD_SHELLCHECK in .world/env): findings on RUN scripts at their Dockerfile positions, ARGs
// declared, a heredoc, pragmas and config, every output format, the worker path, and the modes.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadWorld, repoRoot, sh, tempDir } from './world.js';

const world = loadWorld();
const SHELLCHECK = world.env.WORLD_SHELLCHECK;
if (!SHELLCHECK) throw new Error('.world/env has no WORLD_SHELLCHECK; run scripts/world/up again');
const MAIN = join(repoRoot, 'dist', 'bundle', 'main.js');

const lint = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  sh(process.execPath, [MAIN, 'lint', ...args], { cwd, env, check: false });

const DOCKERFILE = [
  'FROM debian:12', // 1
  'ARG version=1', // 2
  'RUN echo "$version" \\', // 3: declared by ARG: no SC2154
  '  # a comment inside the continuation', // 4
  '  && echo $undeclared', // 5: SC2086 + SC2154
  '# hadolint ignore=SC2086', // 6
  'RUN echo $version', // 7: SC2086 suppressed
  '# layerwise ignore=SC2154', // 8
  'RUN echo "$other"', // 9: SC2154 suppressed
  'RUN <<EOF', // 10
  'set -e', // 11
  'cp *.txt /tmp/', // 12: SC2035 (ignored by the config)
  'echo $1', // 13: SC2086
  'EOF', // 14
  '',
].join('\n');

type JsonFinding = {
  rule: string;
  line: number;
  column: number;
  endColumn: number;
  severity: string;
  category: string;
};

describe('world: lint runs ShellCheck on RUN scripts', () => {
  const dir = tempDir('layerwise-shellcheck-');
  after(() => dir.cleanup());
  writeFileSync(join(dir.path, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir.path, 'layerwise.toml'), 'ignore = ["SC2035"]\n');

  test('findings point at the Dockerfile; ARGs are declared; pragmas and config suppress', async () => {
    const r = await lint(['-f', 'json', '--shellcheck=on', `--shellcheck-path=${SHELLCHECK}`, 'Dockerfile'], dir.path);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, '');
    const sc = (JSON.parse(r.stdout).findings as JsonFinding[]).filter((f) => f.rule.startsWith('SC'));
    assert.deepEqual(
      sc.map((f) => `${f.rule}:${f.line}:${f.column}-${f.endColumn}:${f.severity}:${f.category}`),
      ['SC2086:5:11-22:info:style', 'SC2154:5:11-22:warning:correctness', 'SC2086:13:6-8:info:style'],
    );
  });

  test('text, SARIF and GitHub output carry the findings', async () => {
    const text = await lint(['--shellcheck=on', 'Dockerfile'], dir.path, {
      PATH: `${join(SHELLCHECK, '..')}:${process.env.PATH}`,
    });
    assert.match(
      text.stdout,
      /Dockerfile:5:11 {2}warning {2}undeclared is referenced but not assigned\. {2}\[SC2154 shellcheck\]/,
    );
    const sarif = JSON.parse((await lint(['-f', 'sarif', '--shellcheck=on', 'Dockerfile'], dir.path)).stdout);
    const run = sarif.runs[0];
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'SC2154');
    assert.deepEqual(result.locations[0].physicalLocation.region, {
      startLine: 5,
      startColumn: 11,
      endLine: 5,
      endColumn: 22,
    });
    assert.equal(result.level, 'warning');
    assert.equal(run.tool.driver.rules[result.ruleIndex].helpUri, 'https://www.shellcheck.net/wiki/SC2154');
    const gh = (await lint(['-f', 'github', '--shellcheck=on', 'Dockerfile'], dir.path)).stdout;
    assert.match(gh, /^::warning file=Dockerfile,line=5,col=11,endLine=5,endColumn=22,title=SC2154 shellcheck::/m);
  });

  test('modes: off runs nothing; auto without a binary says so once when asked; on without one exits 2', async () => {
    const off = await lint(['-f', 'json', '--shellcheck=off', 'Dockerfile'], dir.path);
    assert.ok(!(JSON.parse(off.stdout).findings as JsonFinding[]).some((f) => f.rule.startsWith('SC')));
    assert.equal(off.stderr, '');
    const empty = join(dir.path, 'empty-bin');
    mkdirSync(empty, { recursive: true });
    // Not on a terminal and not asked for: quiet, as before ShellCheck was supported.
    const quiet = await lint(['-f', 'json', 'Dockerfile'], dir.path, { PATH: empty });
    assert.equal(quiet.stderr, '');
    const auto = await lint(['-f', 'json', '--shellcheck=auto', 'Dockerfile'], dir.path, { PATH: empty });
    assert.equal(auto.stderr.trim().split('\n').length, 1);
    assert.match(
      auto.stderr,
      /^layerwise: info: no shellcheck found, so RUN scripts were not checked; to check them, install .*apt-get install shellcheck.*--shellcheck=off silences this\)\n$/,
    );
    const on = await lint(['--shellcheck=on', 'Dockerfile'], dir.path, { PATH: empty });
    assert.equal(on.code, 2);
    assert.equal(on.stderr.trim().split('\n').length, 1);
    assert.match(on.stderr, /--shellcheck=on: no shellcheck on PATH/);
    const bad = await lint(['--shellcheck-path', join(dir.path, 'nope'), 'Dockerfile'], dir.path);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /shellcheck path .*nope: not an executable file/);
    // A binary that is not ShellCheck: exit 2 with one line, no stack trace.
    const notShellcheck = await lint(['--shellcheck-path', '/bin/false', 'Dockerfile'], dir.path);
    assert.equal(notShellcheck.code, 2);
    assert.equal(notShellcheck.stderr.trim().split('\n').length, 1);
    assert.match(notShellcheck.stderr, /^layerwise: shellcheck \(\/bin\/false\) failed: .*--shellcheck=off/);
  });

  test('the library: shellcheckDockerfile on a parsed Dockerfile, config passed in', async () => {
    const { parseDockerfile, shellcheckDockerfile } = await import('../../src/index.js');
    const file = parseDockerfile(DOCKERFILE, 'Dockerfile');
    const all = await shellcheckDockerfile(file, SHELLCHECK);
    assert.deepEqual(
      all.map((f) => `${f.rule}:${f.line}:${f.column}`),
      ['SC2086:5:11', 'SC2154:5:11', 'SC2035:12:4', 'SC2086:13:6'],
    );
    const some = await shellcheckDockerfile(file, SHELLCHECK, { ignore: ['SC2035'], severity: { SC2154: 'error' } });
    assert.deepEqual(
      some.map((f) => `${f.rule}:${f.severity}`),
      ['SC2086:info', 'SC2154:error', 'SC2086:info'],
    );
  });

  test('many files on worker threads: the same findings as one file at a time', async () => {
    const many = join(dir.path, 'many');
    mkdirSync(many, { recursive: true });
    copyFileSync(join(dir.path, 'layerwise.toml'), join(many, 'layerwise.toml'));
    const N = 120;
    for (let i = 0; i < N; i++)
      writeFileSync(
        join(many, `app${String(i).padStart(3, '0')}.Dockerfile`),
        `FROM debian:12\nARG v${i}\nRUN echo $v${i} \\\n  && echo "$w${i}"\n${i % 2 ? 'SHELL ["/bin/bash", "-c"]\nRUN echo ${arr[@]}\n' : ''}`,
      );
    // The same RUN in two files is checked once, and reported in both.
    for (const d of ['dup-a', 'dup-b']) writeFileSync(join(many, `${d}.Dockerfile`), 'FROM debian:12\nRUN echo $1\n');
    const r = await lint(['-f', 'json', '--shellcheck=on', '--failure-threshold=none', '.'], many, {
      PATH: `${join(SHELLCHECK, '..')}:${process.env.PATH}`,
    });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { files: unknown[]; findings: (JsonFinding & { file: string })[] };
    assert.equal(doc.files.length, N + 2);
    const scOf = (findings: (JsonFinding & { file: string })[], file: string) =>
      findings.filter((f) => f.file === file && f.rule.startsWith('SC')).map((f) => `${f.rule}:${f.line}:${f.column}`);
    for (const d of ['dup-a', 'dup-b']) assert.deepEqual(scOf(doc.findings, `${d}.Dockerfile`), ['SC2086:2:10']);
    for (let i = 0; i < N; i++) {
      const file = `app${String(i).padStart(3, '0')}.Dockerfile`;
      const expected = ['SC2086:3:10', 'SC2154:4:12', ...(i % 2 ? ['SC2068:6:10', 'SC2154:6:10'] : [])];
      assert.deepEqual(scOf(doc.findings, file), expected, file);
    }
    for (const i of [0, 61, 119]) {
      const file = `app${String(i).padStart(3, '0')}.Dockerfile`;
      const one = JSON.parse((await lint(['-f', 'json', '--shellcheck=on', file], many)).stdout);
      assert.deepEqual(scOf(one.findings, file), scOf(doc.findings, file));
    }
  });
});
