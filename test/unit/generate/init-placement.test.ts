// Where init's files go: the workflow at the git top level (building the subdirectory), the
// compose file under a name of its own beside a project's compose file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { composePlacement, isInitCompose, OWN_COMPOSE_NAME, repoPlacement } from '../../../src/cli/init-placement.js';
import { runInit } from '../../../src/cli/init.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
const quiet = { out: () => {}, err: () => {} };

function tmp(): string {
  const r = realpathSync(mkdtempSync(join(tmpdir(), 'lw-place-')));
  roots.push(r);
  return r;
}

const APP = {
  'pyproject.toml':
    '[project]\nname = "svc"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["flask", "gunicorn"]\n',
  'app.py': 'from flask import Flask\n\napp = Flask(__name__)\n',
};

function write(dir: string, files: Record<string, string>): void {
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), t);
  }
}

describe('composePlacement', () => {
  it('compose.yaml when the project has none, or only one init wrote', () => {
    const d = tmp();
    assert.deepEqual(composePlacement(d), { path: 'compose.yaml', taken: [] });
    writeFileSync(join(d, 'compose.yaml'), '# Written by `layerwise init`. x\nservices: {}\n');
    assert.equal(composePlacement(d).path, 'compose.yaml');
  });

  for (const name of ['compose.yml', 'compose.yaml', 'docker-compose.yml', 'docker-compose.yaml'])
    it(`another name beside the project's ${name}, with its service names`, () => {
      const d = tmp();
      writeFileSync(join(d, name), 'services:\n  api:\n    image: x\n  db:\n    image: postgres\n');
      assert.deepEqual(composePlacement(d), { path: OWN_COMPOSE_NAME, projectFile: name, taken: ['api', 'db'] });
    });

  it('knows its own headers', () => {
    assert.ok(isInitCompose('# Written by `layerwise init --split-base`. Build'));
    assert.ok(!isInitCompose('services:\n'));
  });
});

describe('repoPlacement', () => {
  it('the git top level above a project in a subdirectory; the project itself without git', () => {
    const top = tmp();
    mkdirSync(join(top, 'services', 'svc'), { recursive: true });
    assert.deepEqual(repoPlacement(join(top, 'services', 'svc')), {
      top: join(top, 'services', 'svc'),
      contextDir: '',
      git: false,
    });
    spawnSync('git', ['init', '-q'], { cwd: top });
    assert.deepEqual(repoPlacement(join(top, 'services', 'svc')), { top, contextDir: 'services/svc', git: true });
    assert.deepEqual(repoPlacement(top), { top, contextDir: '', git: true });
  });
});

describe('init placement, end to end', () => {
  it('a project in a subdirectory of a repository: the workflow at the top, building that directory', async () => {
    const top = tmp();
    spawnSync('git', ['init', '-q'], { cwd: top });
    const svc = join(top, 'services', 'svc');
    write(svc, APP);
    let err = '';
    await runInit(svc, {}, { out: () => {}, err: (s) => (err += s) });
    assert.ok(!existsSync(join(svc, '.github')), 'workflow in the subdirectory, where CI never reads it');
    const text = readFileSync(join(top, '.github/workflows/image-svc.yml'), 'utf8');
    const wf = parseYaml(text) as {
      on: { push: { paths: string[] } };
      jobs: { image: { steps: { uses?: string; with?: Record<string, string> }[] } };
    };
    assert.deepEqual(wf.on.push.paths, ['services/svc/**', '.github/workflows/**']);
    const push = wf.jobs.image.steps.find((s) => s.uses?.startsWith('docker/build-push-action'));
    assert.equal(push?.with?.context, 'services/svc');
    assert.equal(push?.with?.file, 'services/svc/Dockerfile');
    assert.match(err, /^wrote {5}\.\.\/\.\.\/\.github\/workflows\/image-svc\.yml$/m);
    assert.match(err, /workflow\s+\.\.\/\.\.\/\.github\/workflows/);
  });

  it('--out decides where every file goes, the workflow too', async () => {
    const top = tmp();
    spawnSync('git', ['init', '-q'], { cwd: top });
    const svc = join(top, 'services', 'svc');
    write(svc, APP);
    const out = join(top, 'services', 'svc', 'docker');
    await runInit(svc, { out }, quiet);
    assert.ok(existsSync(join(out, '.github/workflows/image.yml')));
    assert.ok(!existsSync(join(top, '.github')));
  });

  it("beside the project's compose.yml: compose.layerwise.yaml, the project's file untouched, no service merged into its own", async () => {
    const d = tmp();
    write(d, { ...APP, 'compose.yml': 'services:\n  svc:\n    image: svc:dev\n' });
    let err = '';
    assert.equal(await runInit(d, {}, { out: () => {}, err: (s) => (err += s) }), 0, err);
    assert.equal(readFileSync(join(d, 'compose.yml'), 'utf8'), 'services:\n  svc:\n    image: svc:dev\n');
    assert.ok(!existsSync(join(d, 'compose.yaml')));
    const ours = readFileSync(join(d, OWN_COMPOSE_NAME), 'utf8');
    assert.deepEqual(Object.keys((parseYaml(ours) as { services: object }).services), ['svc-image']);
    assert.match(ours, /docker compose -f compose\.yml -f compose\.layerwise\.yaml watch svc-image/);
    assert.match(err, /compose\s+compose\.layerwise\.yaml beside the project's own compose\.yml/);
    // Twice: the same.
    assert.equal(await runInit(d, {}, quiet), 0);
    assert.equal(readFileSync(join(d, OWN_COMPOSE_NAME), 'utf8'), ours);
  });
});
