// ship plan's pure parts: the deploy script (run with a stand-in docker that records its calls),
// the compose override (read back as YAML), the byte split between base and app, the service
// found in a project, and writeDeployFiles' refusals (never over a changed file, never outside).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { predictPull } from '../../src/image/diff-pull.js';
import { openImage } from '../../src/image/open.js';
import {
  deployService,
  renderComposeOverride,
  renderDeployScript,
  writeDeployFiles,
} from '../../src/ship/deploy-files.js';
import { baseNameParts, splitBytes } from '../../src/ship/plan.js';
import type { DeployPlan } from '../../src/ship/types.js';
import { buildImage, type LayerSpec, writeOciLayout } from './image/builder.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-ship-plan-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const d = join(tmp, `d${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
};

const D = (c: string) => `sha256:${c.repeat(64)}`;
const plan = (withBase: boolean): DeployPlan => ({
  schema: 'layerwise.ship-plan/1',
  app: { ref: `127.0.0.1:5000/team/app@${D('a')}`, digest: D('a') },
  base: withBase ? { ref: `127.0.0.1:5000/team/app-base@${D('b')}`, digest: D('b') } : null,
  against: 'release v1',
  store: 'classic',
  pull: {
    layers: 1,
    bytes: 1234,
    baseBytes: 0,
    appBytes: 1234,
    other: { store: 'containerd', layers: 1, bytes: 1234 },
  },
  files: [],
});

/** Runs a script with a `docker` on PATH that appends its arguments to a log; returns the log lines. */
function runWithFakeDocker(script: string, args: string[]): { code: number; calls: string[]; stderr: string } {
  const d = fresh();
  const bin = join(d, 'bin');
  mkdirSync(bin);
  const log = join(d, 'calls.log');
  writeFileSync(join(bin, 'docker'), `#!/bin/sh\necho "$*" >> ${log}\n`, { mode: 0o755 });
  writeFileSync(join(d, 'deploy.sh'), script, { mode: 0o755 });
  const r = spawnSync('sh', [join(d, 'deploy.sh'), ...args], {
    env: { PATH: `${bin}:/usr/bin:/bin` },
    encoding: 'utf8',
  });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { code: r.status ?? 128, calls, stderr: r.stderr };
}

describe('renderDeployScript', () => {
  const files = ['compose.yaml', 'deploy/compose.release.yaml'];
  it('pulls the base, then the app, then starts the service', () => {
    const s = renderDeployScript(plan(true), { composeFiles: files, service: 'web' });
    assert.match(s, /^#!\/bin\/sh\n/);
    assert.match(s, /^set -eu$/m);
    const r = runWithFakeDocker(s, []);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.calls, [
      `pull 127.0.0.1:5000/team/app-base@${D('b')}`,
      `pull 127.0.0.1:5000/team/app@${D('a')}`,
      'compose -f compose.yaml -f deploy/compose.release.yaml up -d web',
    ]);
  });
  it('`pull` only pulls; another argument is refused', () => {
    const s = renderDeployScript(plan(true), { composeFiles: files, service: 'web' });
    const r = runWithFakeDocker(s, ['pull']);
    assert.equal(r.code, 0);
    assert.deepEqual(r.calls, [
      `pull 127.0.0.1:5000/team/app-base@${D('b')}`,
      `pull 127.0.0.1:5000/team/app@${D('a')}`,
    ]);
    const bad = runWithFakeDocker(s, ['up']);
    assert.equal(bad.code, 2);
    assert.deepEqual(bad.calls, []);
    assert.match(bad.stderr, /usage: .* \[pull\]/);
  });
  it('without a base pulls only the app; odd file names stay one word', () => {
    const s = renderDeployScript(plan(false), { composeFiles: ["my compose's.yaml"], service: 'web' });
    assert.doesNotMatch(s, /app-base/);
    const r = runWithFakeDocker(s, []);
    assert.deepEqual(r.calls, [`pull 127.0.0.1:5000/team/app@${D('a')}`, "compose -f my compose's.yaml up -d web"]);
  });
  it('names the compose files relative to its own directory', () => {
    const s = renderDeployScript(plan(false), { composeFiles: ['compose.yaml'], service: 'web' });
    const d = fresh();
    mkdirSync(join(d, 'bin'));
    writeFileSync(join(d, 'bin', 'docker'), `#!/bin/sh\necho "$(pwd) $*" >> ${join(d, 'calls.log')}\n`, {
      mode: 0o755,
    });
    mkdirSync(join(d, 'project'));
    writeFileSync(join(d, 'project', 'deploy.sh'), s);
    const r = spawnSync('sh', ['project/deploy.sh'], { cwd: d, env: { PATH: `${join(d, 'bin')}:/usr/bin:/bin` } });
    assert.equal(r.status, 0);
    const calls = readFileSync(join(d, 'calls.log'), 'utf8').trim().split('\n');
    assert.equal(calls[1], `${join(d, 'project')} compose -f compose.yaml up -d web`);
  });
  it('stops at the first failing command (set -e)', () => {
    const s = renderDeployScript(plan(true), { composeFiles: files, service: 'web' });
    const d = fresh();
    writeFileSync(join(d, 'docker'), '#!/bin/sh\necho "$*" >> calls.log\nexit 1\n', { mode: 0o755 });
    writeFileSync(join(d, 'deploy.sh'), s);
    const r = spawnSync('sh', ['deploy.sh'], { cwd: d, env: { PATH: `${d}:/usr/bin:/bin` }, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.equal(readFileSync(join(d, 'calls.log'), 'utf8').trim().split('\n').length, 1);
  });
});

describe('renderComposeOverride', () => {
  it('pins the service to the digest', () => {
    const y = parseYaml(renderComposeOverride(plan(true), { service: 'web', standalone: false }));
    assert.deepEqual(y, {
      services: { web: { image: `127.0.0.1:5000/team/app@${D('a')}`, pull_policy: 'missing' } },
    });
  });
  it('standalone: a complete service with the exposed ports', () => {
    const text = renderComposeOverride(plan(true), {
      service: 'my app',
      standalone: true,
      ports: ['8000/tcp', '53/udp'],
    });
    const y = parseYaml(text) as { services: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(y.services), ['my app']);
    assert.equal(y.services['my app'].image, `127.0.0.1:5000/team/app@${D('a')}`);
    assert.equal(y.services['my app'].restart, 'unless-stopped');
    assert.deepEqual(y.services['my app'].ports, ['8000:8000', '53:53/udp']);
  });
});

describe('writeDeployFiles', () => {
  it('writes, then leaves the same content alone, and keeps a changed file unless forced', () => {
    const d = fresh();
    const files = { 'deploy.sh': '#!/bin/sh\necho one\n', 'deploy/compose.release.yaml': 'services: {}\n' };
    const a = writeDeployFiles(d, files, {});
    assert.deepEqual(a, { written: ['deploy.sh', 'deploy/compose.release.yaml'], unchanged: [], refused: [] });
    assert.equal(statSync(join(d, 'deploy.sh')).mode & 0o777, 0o755);
    assert.equal(readFileSync(join(d, 'deploy/compose.release.yaml'), 'utf8'), 'services: {}\n');
    const b = writeDeployFiles(d, files, {});
    assert.deepEqual(b.unchanged, ['deploy.sh', 'deploy/compose.release.yaml']);
    writeFileSync(join(d, 'deploy.sh'), '#!/bin/sh\necho mine\n');
    const c = writeDeployFiles(d, files, {});
    assert.deepEqual(c.written, []);
    assert.equal(c.refused.length, 1);
    assert.equal(c.refused[0].path, 'deploy.sh');
    assert.match(c.refused[0].diff, /^-echo mine$/m);
    assert.match(c.refused[0].diff, /^\+echo one$/m);
    assert.equal(readFileSync(join(d, 'deploy.sh'), 'utf8'), '#!/bin/sh\necho mine\n');
    const f = writeDeployFiles(d, files, { force: true });
    assert.deepEqual(f.written, ['deploy.sh']);
    assert.equal(readFileSync(join(d, 'deploy.sh'), 'utf8'), '#!/bin/sh\necho one\n');
    // No temporary files are left behind.
    assert.deepEqual(spawnSync('find', [d, '-name', '*.tmp'], { encoding: 'utf8' }).stdout, '');
  });
  it('refuses paths outside the directory before writing anything', () => {
    const d = fresh();
    const outside = fresh();
    for (const bad of ['../escape.sh', join(outside, 'abs.sh'), 'a/../../escape.sh']) {
      assert.throws(() => writeDeployFiles(d, { 'ok.sh': 'x\n', [bad]: 'x\n' }, { force: true }), /outside/);
    }
    assert.equal(existsSync(join(d, 'ok.sh')), false);
    assert.equal(existsSync(join(d, '..', 'escape.sh')), false);
    symlinkSync(outside, join(d, 'link'));
    assert.throws(() => writeDeployFiles(d, { 'link/deploy.sh': 'x\n' }, { force: true }), /symlink/);
    symlinkSync(join(outside, 'target.yaml'), join(d, 'dangling.yaml'));
    assert.throws(() => writeDeployFiles(d, { 'dangling.yaml': 'x\n' }, { force: true }), /symlink/);
    assert.equal(existsSync(join(outside, 'deploy.sh')), false);
    assert.equal(existsSync(join(outside, 'target.yaml')), false);
  });
  it('a directory where a file should go is an error, not a crash', () => {
    const d = fresh();
    mkdirSync(join(d, 'deploy.sh'));
    assert.throws(() => writeDeployFiles(d, { 'deploy.sh': 'x\n' }, { force: true }), /is not a file/);
  });
  it('a symlink inside the directory is written through', () => {
    const d = fresh();
    mkdirSync(join(d, 'real'));
    symlinkSync(join(d, 'real'), join(d, 'alias'));
    const r = writeDeployFiles(d, { 'alias/deploy.sh': 'x\n' }, {});
    assert.deepEqual(r.written, ['alias/deploy.sh']);
    assert.equal(readFileSync(join(d, 'real', 'deploy.sh'), 'utf8'), 'x\n');
  });
});

describe('deployService', () => {
  it('the service whose build context is the project, with the compose file and its override', () => {
    const d = fresh();
    writeFileSync(
      join(d, 'compose.yaml'),
      'services:\n  db:\n    image: postgres\n  worker:\n    build: ./worker\n  api:\n    build:\n      context: .\n',
    );
    writeFileSync(join(d, 'compose.override.yaml'), 'services:\n  api:\n    ports: ["8000:8000"]\n');
    writeFileSync(join(d, 'docker-compose.yml'), 'services:\n  other:\n    build: .\n');
    assert.deepEqual(deployService(d), { service: 'api', composeFiles: ['compose.yaml', 'compose.override.yaml'] });
  });
  it('of several services building the project, the one publishing ports', () => {
    const d = fresh();
    writeFileSync(
      join(d, 'compose.yaml'),
      'services:\n  worker:\n    build: .\n    command: celery\n  web:\n    build: .\n    ports: ["8000:8000"]\n',
    );
    assert.equal(deployService(d).service, 'web');
  });
  it('build: . as a string, in docker-compose.yml', () => {
    const d = fresh();
    writeFileSync(join(d, 'docker-compose.yml'), 'services:\n  web:\n    build: .\n');
    assert.deepEqual(deployService(d), { service: 'web', composeFiles: ['docker-compose.yml'] });
  });
  it('no service builds the project: the project name', () => {
    const d = fresh();
    writeFileSync(join(d, 'compose.yaml'), 'services:\n  db:\n    image: postgres\n');
    writeFileSync(join(d, 'pyproject.toml'), '[project]\nname = "My_Shop.API"\n');
    assert.deepEqual(deployService(d), { service: 'my_shop.api', composeFiles: ['compose.yaml'] });
    const e = join(fresh(), 'Billing Service');
    mkdirSync(e);
    assert.deepEqual(deployService(e), { service: 'billing-service', composeFiles: [] });
  });
});

describe('base reference and byte split', () => {
  it('baseNameParts drops the registry host and splits the tag', () => {
    assert.deepEqual(baseNameParts('127.0.0.1:5000/team/app-base:0123abcd'), {
      repo: 'team/app-base',
      tag: '0123abcd',
    });
    assert.deepEqual(baseNameParts('registry.example/app-base:t'), { repo: 'app-base', tag: 't' });
    assert.deepEqual(baseNameParts('team/app-base'), { repo: 'team/app-base', tag: undefined });
  });

  it('splits the pulled bytes into the base layers and the app layers', async () => {
    const layer = (name: string, size: number): LayerSpec => ({
      createdBy: `RUN make ${name}`,
      files: [{ path: `opt/${name}.bin`, content: Buffer.alloc(size, name.charCodeAt(0)) }],
    });
    const os = layer('os', 30000);
    const deps1 = layer('deps1', 20000);
    const deps2 = layer('deps2', 25000);
    const open = async (layers: LayerSpec[]) => {
      const dir = join(tmp, `img${n++}`);
      writeOciLayout(dir, buildImage({ layers }));
      return openImage(`oci:${dir}`);
    };
    const oldApp = await open([os, deps1, layer('app-v1', 500)]);
    const base2 = await open([os, deps2]);
    const newApp = await open([os, deps2, layer('app-v2', 700)]);
    const pred = predictPull(oldApp, newApp, undefined);
    const s = splitBytes(pred, 'classic', base2);
    assert.equal(s.baseBytes, newApp.layers[1].size);
    assert.equal(s.appBytes, newApp.layers[2].size);
    assert.equal(s.bytes, s.baseBytes + s.appBytes);
    assert.equal(s.layers, 2);
    const none = splitBytes(pred, 'containerd', null);
    assert.equal(none.baseBytes, 0);
    assert.equal(none.appBytes, none.bytes);
  });
});
