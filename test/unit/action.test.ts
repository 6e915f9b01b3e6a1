// The GitHub Action (action.yml): its steps run as GitHub's runner runs a composite action's
// steps: each `run:` with `bash --noprofile --norc -eo pipefail`, `${{ inputs.x }}` and
// `${{ steps.id.outputs.y }}` replaced, GITHUB_OUTPUT and GITHUB_PATH files read between steps.
// The install step gets the locally packed tarball instead of the registry's package.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { writeDiffPair } from './image/html-fixture.js';
import { childEnv, packProject, root } from './install.js';
import { CLEAN_DOCKERFILE } from './repo.js';

interface Step {
  name: string;
  id?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  if?: string;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Action;

interface ActionRun {
  /** The step that failed (its name), or undefined when every step succeeded. */
  failed?: string;
  code: number;
  log: string;
  outputs: Record<string, string>;
}

/** Reads a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIM` blocks. */
function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      const k = lines[i].indexOf('=');
      out[lines[i].slice(0, k)] = lines[i].slice(k + 1);
    }
  }
  return out;
}

/** Runs the action's steps in `workspace` with the given inputs (others take their defaults). */
function runAction(workspace: string, given: Record<string, string>, tmp: string): ActionRun {
  for (const name of Object.keys(given)) assert.ok(name in action.inputs, `no input ${name}`);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? spec.default ?? '';
  const stepOutputs: Record<string, Record<string, string>> = {};
  const expr = (text: string) =>
    text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, e: string) => {
      let m = /^inputs\.([\w-]+)$/.exec(e);
      if (m) return inputs[m[1]] ?? '';
      m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
      if (m) return stepOutputs[m[1]]?.[m[2]] ?? '';
      throw new Error(`action.yml: expression this test cannot evaluate: ${e}`);
    });
  const runnerTemp = mkdtempSync(join(tmp, 'runner-temp-'));
  const pathFile = join(runnerTemp, 'github_path');
  writeFileSync(pathFile, '');
  let log = '';
  for (const [i, step] of action.runs.steps.entries()) {
    assert.equal(step.uses, undefined, `${step.name}: a uses: step cannot run here`);
    assert.equal(step.if, undefined, `${step.name}: conditions belong in the script`);
    assert.equal(step.shell, 'bash', step.name);
    const outputFile = join(runnerTemp, `output-${i}`);
    writeFileSync(outputFile, '');
    const script = join(runnerTemp, `step-${i}.sh`);
    writeFileSync(script, expr(step.run ?? ''));
    const added = readFileSync(pathFile, 'utf8').split('\n').filter(Boolean).reverse();
    const env = childEnv({
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expr(String(v))])),
      RUNNER_TEMP: runnerTemp,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_PATH: pathFile,
      GITHUB_ACTIONS: 'true',
      // The npm cache holds the package's dependencies; CI can reach the registry anyway.
      npm_config_prefer_offline: 'true',
      LAYERWISE_CACHE_DIR: join(tmp, 'layer-cache'),
    });
    env.PATH = [...added, env.PATH].join(delimiter);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: workspace,
      env,
      encoding: 'utf8',
      timeout: 300_000,
    });
    log += `## ${step.name}\n${r.stdout}${r.stderr}`;
    if (step.id) stepOutputs[step.id] = readOutputs(outputFile);
    if (r.status !== 0) {
      return { failed: step.name, code: r.status ?? -1, log, outputs: {} };
    }
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, o]) => [k, expr(o.value)]));
  return { code: 0, log, outputs };
}

const BAD = 'FROM ubuntu\nRUN apt-get install -y curl\n';
const GOOD = CLEAN_DOCKERFILE;

function workspace(tmp: string, name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, '.git'), { recursive: true }); // where the config search stops
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), content);
  }
  return dir;
}

interface Sarif {
  version: string;
  runs: { tool: { driver: { name: string } }; results: { ruleId: string; locations: unknown[] }[] }[];
}

describe('the GitHub Action (action.yml) run step by step', { timeout: 900_000 }, () => {
  let tmp = '';
  let tarball = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'layerwise-action-'));
    tarball = packProject(tmp).tarball;
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('is a composite action whose inputs all reach a step', () => {
    assert.equal(action.runs.using, 'composite');
    const text = JSON.stringify(action.runs.steps);
    for (const name of Object.keys(action.inputs)) assert.ok(text.includes(`inputs.${name} }}`), name);
  });

  it('lints to a SARIF file with the findings, then fails the job', () => {
    const ws = workspace(tmp, 'lint-only', { Dockerfile: BAD, 'svc/api.Dockerfile': BAD });
    const r = runAction(ws, { package: tarball, dockerfiles: 'Dockerfile svc', 'sarif-file': 'out.sarif' }, tmp);
    assert.equal(r.failed, 'Result', r.log);
    assert.match(r.log, /layerwise: no image given, inspect and diff skipped/);
    assert.match(r.log, /layerwise: lint found problems/);
    const sarif = JSON.parse(readFileSync(join(ws, 'out.sarif'), 'utf8')) as Sarif;
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].tool.driver.name, 'layerwise');
    const ids = sarif.runs[0].results.map((x) => x.ruleId);
    assert.equal(ids.filter((id) => id === 'LW4101').length, 2, ids.join(' ')); // both files
    assert.ok(sarif.runs[0].results.every((x) => x.locations.length > 0));
  });

  it('passes on a clean Dockerfile and images that meet the conditions', () => {
    const ws = workspace(tmp, 'clean', {
      Dockerfile: GOOD,
      '.dockerignore': '.git\n',
      'requirements.txt': 'x==1\n',
      'app/__main__.py': 'print(1)\n',
    });
    const images = writeDiffPair(join(tmp, 'images-pass'));
    const r = runAction(
      ws,
      {
        package: tarball,
        image: images.new,
        'old-image': images.old,
        'fail-on': 'secrets>0\nsize>1GB',
        'diff-fail-on': 'download>100MB',
      },
      tmp,
    );
    assert.equal(r.failed, undefined, r.log);
    assert.deepEqual(r.outputs, { 'sarif-file': 'layerwise.sarif', 'lint-exit-code': '0', 'image-exit-code': '0' });
    const sarif = JSON.parse(readFileSync(join(ws, 'layerwise.sarif'), 'utf8')) as Sarif;
    assert.deepEqual(sarif.runs[0].results, []);
    // inspect's and diff's reports, with each condition checked
    for (const c of [/^ok +secrets>0 +\(secrets = 0\)$/m, /^ok +size>1GB /m, /^ok +download>100MB /m])
      assert.match(r.log, c);
    assert.match(r.log, /a host holding OLD pulls /);
  });

  it("fails the job when diff's --fail-on condition is not met", () => {
    const ws = workspace(tmp, 'diff-fails', { Dockerfile: GOOD, '.dockerignore': '.git\n' });
    const images = writeDiffPair(join(tmp, 'images-fail'));
    const r = runAction(
      ws,
      {
        package: tarball,
        'failure-threshold': 'none',
        image: images.new,
        'old-image': images.old,
        'diff-fail-on': 'download>1KB',
      },
      tmp,
    );
    assert.equal(r.failed, 'Result', r.log);
    assert.match(r.log, /layerwise: the image fails a --fail-on condition/);
    assert.match(r.log, /download>1KB +\(download = /);
    assert.doesNotMatch(r.log, /^ok +download>1KB/m);
    assert.doesNotMatch(r.log, /lint found problems/);
  });

  it('stops at the image step, exit 2, on a condition layerwise does not know', () => {
    const ws = workspace(tmp, 'bad-condition', { Dockerfile: GOOD });
    const images = writeDiffPair(join(tmp, 'images-bad'));
    const r = runAction(
      ws,
      { package: tarball, 'failure-threshold': 'none', image: images.new, 'fail-on': 'bogus>1' },
      tmp,
    );
    assert.equal(r.failed, 'Inspect and diff the image', r.log);
    assert.equal(r.code, 2);
    assert.match(r.log, /^layerwise: .*bogus/m);
  });
});
