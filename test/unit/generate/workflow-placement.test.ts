// The workflow for a build context below the repository top: it names that context and its
// Dockerfile(s), runs its shell steps there, runs only on changes under it, and names the image
// after the project. A workspace's .dockerignore keeps out what is not a member (a frontend).
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { loadShell } from '../../../src/dockerfile/shell-load.js';
import { generateFiles, renderDockerignore, renderWorkflow } from '../../../src/generate/index.js';
import { detectProject } from '../../../src/project/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'projects');

interface Step {
  uses?: string;
  id?: string;
  run?: string;
  'working-directory'?: string;
  with?: Record<string, string>;
}
interface Wf {
  on: { push: { paths?: string[] }; pull_request: { paths?: string[] } | null };
  env: { IMAGE: string };
  jobs: { image: { steps: Step[] } };
}

describe('workflow for a context below the repository top', () => {
  it('--split-base and a dynamic version: every build and shell step in the subdirectory', () => {
    const p = detectProject(join(fixtures, 'scm-version'));
    const wf = parseYaml(renderWorkflow(p, { splitBase: true, contextDir: 'services/scm' })) as Wf;
    assert.deepEqual(wf.on.push.paths, ['services/scm/**', '.github/workflows/**']);
    assert.deepEqual(wf.on.pull_request?.paths, ['services/scm/**', '.github/workflows/**']);
    assert.match(wf.env.IMAGE, /\$\{\{ github\.repository \}\}\/[a-z0-9._-]+$/);
    const steps = wf.jobs.image.steps;
    assert.equal(steps.find((s) => s.id === 'version')?.['working-directory'], 'services/scm');
    // `layerwise ship` on the subdirectory does the base and the app; no hand-written build steps.
    assert.deepEqual(
      steps.filter((s) => s.uses?.startsWith('docker/build-push-action')),
      [],
    );
    const runs = steps.map((s) => s.run ?? '').filter((r) => / ship /.test(r));
    assert.equal(runs.length, 2);
    assert.match(
      runs[0],
      /ship services\/scm --fingerprint --build-arg "APP_VERSION=\$\{\{ steps\.version\.outputs\.version \}\}"$/,
    );
    assert.match(runs[1], /ship services\/scm --repo "\$IMAGE" --build-arg "APP_VERSION=/);
  });

  it('at the top: as before (context ., no paths filter)', () => {
    const p = detectProject(join(fixtures, 'fastapi-uv'));
    const wf = parseYaml(renderWorkflow(p, { splitBase: false })) as Wf;
    assert.equal(wf.on.push.paths, undefined);
    assert.equal(wf.on.pull_request, null);
    const build = wf.jobs.image.steps.find((s) => s.uses?.startsWith('docker/build-push-action'));
    assert.equal(build?.with?.context, '.');
    assert.equal(build?.with?.file, undefined);
  });

  it('generateFiles: the workflow is a repository-level file named for the project', async () => {
    await loadShell();
    const p = detectProject(join(fixtures, 'fastapi-uv'));
    const wf = generateFiles(p, { repoContextDir: 'api' }).find((f) => f.path.startsWith('.github/'));
    assert.equal(wf?.path, '.github/workflows/image-shop-api.yml');
    assert.equal(wf?.repoLevel, true);
    const top = generateFiles(p).find((f) => f.path.startsWith('.github/'));
    assert.equal(top?.path, '.github/workflows/image.yml');
    assert.ok(!top?.repoLevel);
  });
});

describe('.dockerignore of a workspace with a frontend beside it', () => {
  it('denies by default and allows only the manifests, the lock and the members', () => {
    const p = detectProject(join(fixtures, 'monorepo-uv', 'backend'));
    const di = renderDockerignore(p);
    assert.match(di, /^\*$/m);
    for (const allowed of ['!pyproject.toml', '!uv.lock', '!backend/', '!libs/'])
      assert.ok(di.includes(`\n${allowed}\n`));
    assert.doesNotMatch(di, /frontend/);
    assert.match(di, /^\*\*\/tests\/$/m);
  });
});
