// `layerwise audit` through the built CLI in a child process: the bundled example with no engine,
// a compose file of two services with different contexts (two images, each with its own
// scenarios), the JSON shape, --fail-on exit codes, the HTML file, and the hand-overs to init
// (--write-alternative never overwrites without --force) and to lint (--fix, --fix --dry-run).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AuditResult } from '../../../src/audit/types.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const BIN = join(root, 'dist/bundle/main.js');
const tmp = mkdtempSync(join(tmpdir(), 'lw-cli-audit-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// No engine: the audit must not need one.
const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/docker.sock', NO_COLOR: '1', LAYERWISE_CACHE: 'off' };

function run(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [BIN, 'audit', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...NO_ENGINE },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneLineError(r: ReturnType<typeof run>, says: RegExp) {
  assert.equal(r.code, 2, `exit code (stdout: ${r.stdout}, stderr: ${r.stderr})`);
  assert.match(r.stderr, /^layerwise: [^\n]+\n$/);
  assert.match(r.stderr, says);
}

const SCENARIOS = ['code-change', 'dependency-change', 'base-change'];

/** A copy of the bundled example, to write into. */
function example(): string {
  const dir = mkdtempSync(join(tmp, 'example-'));
  cpSync(join(root, 'examples/python-app'), dir, { recursive: true });
  return dir;
}

// Two projects with the Dockerfile many teams write first, built by one compose file from two contexts.
const NAIVE_UV =
  'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install uv && uv sync --locked\nCMD ["uv", "run", "app"]\n';
const NAIVE_PIP =
  'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "app:app"]\n';
const compose = mkdtempSync(join(tmp, 'compose-'));
cpSync(join(root, 'test/fixtures/projects/fastapi-uv'), join(compose, 'api'), { recursive: true });
cpSync(join(root, 'test/fixtures/projects/flask-piptools'), join(compose, 'worker'), { recursive: true });
writeFileSync(join(compose, 'api/Dockerfile'), NAIVE_UV);
writeFileSync(join(compose, 'worker/Dockerfile'), NAIVE_PIP);
writeFileSync(
  join(compose, 'compose.yaml'),
  'services:\n  api:\n    build: ./api\n  worker:\n    build:\n      context: ./worker\n      args:\n        GUNICORN_WORKERS: "4"\n',
);

describe('layerwise audit', () => {
  it('the bundled example, with no engine: the before/after table', () => {
    const r = run(['examples/python-app']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^Dockerfile\n/);
    assert.match(r.stdout, /current Dockerfile +init's Dockerfile/);
    assert.match(r.stdout, /a deploy after +classic +containerd +re-runs +classic +containerd +re-runs/);
    for (const label of ['code change', 'dependency change', 'base change'])
      assert.match(r.stdout, new RegExp(`^  ${label} `, 'm'));
  });

  it('--format json is the AuditResult: images, scenarios, bytes on both stores, the alternative', () => {
    const r = run(['examples/python-app', '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as AuditResult;
    assert.equal(result.version, 1);
    assert.equal(result.root, join(root, 'examples/python-app'));
    assert.equal(result.images.length, 1);
    const [image] = result.images;
    assert.equal(image.dockerfile, 'Dockerfile');
    assert.equal(image.context, '.');
    for (const list of [image.scenarios, image.alternative!.scenarios]) {
      assert.deepEqual(
        list.map((s) => s.name),
        SCENARIOS,
      );
      for (const s of list) {
        assert.equal(s.basis, 'estimated');
        for (const v of [s.bytes.classic, s.bytes.containerd]) assert.ok(v === null || Number.isInteger(v), s.name);
        assert.ok(Array.isArray(s.rerun) && Number.isInteger(s.newLayers));
      }
    }
    assert.ok(image.findings.length > 0);
    assert.equal(result.checks, undefined);
  });

  it('a compose file of two services with different contexts: two images, each with its own scenarios', () => {
    const r = run([compose, '-f', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as AuditResult;
    assert.deepEqual(
      result.images.map((i) => [i.name, i.dockerfile, i.context]),
      [
        ['api', 'api/Dockerfile', 'api'],
        ['worker', 'worker/Dockerfile', 'worker'],
      ],
    );
    const [api, worker] = result.images;
    assert.equal(api.project?.manager, 'uv');
    assert.equal(worker.project?.manager, 'pip-tools');
    assert.deepEqual(worker.args, { GUNICORN_WORKERS: '4' });
    assert.ok(worker.scenarios.some((s) => s.name === 'build-arg:GUNICORN_WORKERS'));
    assert.ok(!api.scenarios.some((s) => s.name.startsWith('build-arg:')));
    assert.match(api.scenarios[0].change, /\.py/);
    assert.deepEqual(api.origins, [
      { kind: 'compose', file: 'compose.yaml', line: api.origins[0].line, detail: 'services.api' },
    ]);

    const text = run([compose, '--image', 'worker']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^worker\n/);
    assert.doesNotMatch(text.stdout, /^api$/m);
  });

  it('--fail-on: exit 1 with the reason, 0 when it holds nowhere, 2 for a bad condition', () => {
    const fails = run(['examples/python-app', '--fail-on', 'code-change.layers>0']);
    assert.equal(fails.code, 1, fails.stderr);
    assert.match(fails.stderr, /^layerwise: --fail-on code-change\.layers>0: Dockerfile: \d+ layers?\n/);
    assert.match(fails.stdout, /^FAIL {2}code-change\.layers>0 {2}Dockerfile/m);
    const json = JSON.parse(
      run(['examples/python-app', '-f', 'json', '--fail-on', 'code-change.steps>999']).stdout,
    ) as AuditResult;
    assert.equal(json.checks?.length, 1);
    assert.equal(json.checks?.[0].failed, false);
    const passes = run(['examples/python-app', '--fail-on', 'code-change.steps>999,code-change.classic>1TB']);
    assert.equal(passes.code, 0, passes.stderr);
    oneLineError(run(['examples/python-app', '--fail-on', 'code-change>lots']), /"lots" is not a size/);
    oneLineError(run(['examples/python-app', '--fail-on', 'speed>1']), /expected SCENARIO/);
    oneLineError(run(['examples/python-app', '--fail-on', 'build-arg:NOPE>1MB']), /passes the build arg NOPE/);
  });

  it('bad input: one line, exit 2, nothing on standard output', () => {
    for (const [args, says] of [
      [['/nonexistent/dir'], /no such directory/],
      [['examples/python-app', '--image', 'nope'], /--image nope: no such image \(images: Dockerfile\)/],
      [['examples/python-app', '--dry-run'], /--dry-run only makes sense with --fix or --write-alternative/],
      [['examples/python-app', '--fix', '-f', 'json'], /with --format json, write the report with --output FILE/],
      [['test/fixtures/projects/fastapi-uv'], /no Dockerfile found.*layerwise init/],
      [['examples/python-app', '--top', 'x'], /--top x/],
      [['examples/python-app', '--builder', 'ci'], /--builder only makes sense with --build/],
      [['examples/python-app', '--keep-images'], /--keep-images only makes sense with --build/],
    ] as const) {
      const r = run([...args]);
      oneLineError(r, says);
      assert.equal(r.stdout, '');
    }
  });

  it('--format html -o FILE: one page; an existing file is kept without --force', () => {
    const out = join(tmp, 'audit.html');
    const r = run(['examples/python-app', '-f', 'html', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /<svg class="chart"/);
    assert.doesNotMatch(html, /<(link|img)\b|src="http/);
    oneLineError(run(['examples/python-app', '-f', 'html', '-o', out]), /exists; use --force/);
    assert.equal(run(['examples/python-app', '-f', 'html', '-o', out, '--force']).code, 0);
  });

  it("--write-alternative hands over to init: the user's Dockerfile is kept with a diff; --force replaces it", () => {
    const dir = example();
    const before = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const dry = run([dir, '--write-alternative', '--dry-run']);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), before);
    assert.ok(!existsSync(join(dir, '.dockerignore')), 'dry run writes nothing');
    assert.match(dry.stdout, /==> .*Dockerfile <==/);

    const kept = run([dir, '--write-alternative']);
    assert.equal(kept.code, 1, kept.stderr);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), before, 'not overwritten without --force');
    assert.match(kept.stdout, /^--- a\/Dockerfile\n\+\+\+ b\/Dockerfile/m);
    assert.match(kept.stderr, /kept; --force overwrites/);
    assert.ok(
      !existsSync(join(dir, 'compose.yaml')) && !existsSync(join(dir, '.github')),
      'only the Dockerfile and .dockerignore',
    );

    const forced = run([dir, '--write-alternative', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    const written = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    assert.notEqual(written, before);
    const alternative = (JSON.parse(run([example(), '-f', 'json']).stdout) as AuditResult).images[0].alternative!;
    assert.equal(
      written,
      alternative.files.find((f) => f.path === alternative.dockerfile)!.text,
      'what the audit showed',
    );
  });

  it("--fix hands over to lint's fixes; --dry-run prints the diff and writes nothing", () => {
    const dir = example();
    const before = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const dry = run([dir, '--fix', '--dry-run']);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), before);
    assert.match(dry.stdout, /^--- a\/.*Dockerfile\n\+\+\+ b\/.*Dockerfile/m);
    assert.match(dry.stderr, /would fix \d+ findings? in Dockerfile/);
    const fixed = run([dir, '--fix']);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stderr, /^fixed \d+ findings? in Dockerfile$/m);
    assert.notEqual(readFileSync(join(dir, 'Dockerfile'), 'utf8'), before);
    assert.ok(existsSync(join(dir, '.dockerignore')), 'the missing .dockerignore is created');
  });
});
