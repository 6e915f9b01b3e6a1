// `layerwise audit --build` through the built CLI against the world's engine: the code-change
// figures of the current Dockerfile and of init's become measured (marked in the text, `measured`
// with a proof in the JSON), `build` names the engine, the user's tree is untouched, the images
// are gone afterwards unless --keep-images; a missing engine is a one-line error.
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { auditText } from '../../src/audit/render-text.js';
import type { AuditResult } from '../../src/audit/types.js';
import { docker, fixturesDir, loadWorld, removeImages, repoRoot, sh, tempDir } from './world.js';

const CLI = join(repoRoot, 'dist', 'bundle', 'main.js');

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p] = `${statSync(p).mtimeMs}:${readFileSync(p, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

describe('audit --build', { timeout: 900_000 }, () => {
  const world = loadWorld();
  const tmp = tempDir('layerwise-audit-build-');
  after(() => tmp.cleanup());
  const project = join(tmp.path, 'flask');
  cpSync(join(fixturesDir, 'flask-piptools'), project, { recursive: true });
  // The first Dockerfile many teams write: every code change re-installs the dependencies.
  writeFileSync(
    join(project, 'Dockerfile'),
    'FROM python:3.11-slim\nARG PIP_INDEX_URL\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["gunicorn", "app:app"]\n',
  );
  // The world's docker CLI (with BuildKit) first on PATH, as a user's would be.
  const env = {
    PATH: `${dirname(world.docker)}:${process.env.PATH}`,
    DOCKER_HOST: world.dockerHost,
    DOCKER_BUILDKIT: '1',
    NO_COLOR: '1',
  };
  const args = ['--build', '--network', 'host', '--build-arg', `PIP_INDEX_URL=${world.indexUrl}`];

  it('measures the code change of both layouts, leaves the tree alone and removes its images', async () => {
    const before = snapshot(project);
    const r = await sh(process.execPath, [CLI, 'audit', project, '-f', 'json', '--keep-images', ...args], { env });
    const result = JSON.parse(r.stdout) as AuditResult;
    assert.deepEqual(snapshot(project), before, "the user's tree is untouched");
    assert.match(result.build?.engine ?? '', /docker .* at /);
    const [image] = result.images;
    const code = image.scenarios.find((s) => s.name === 'code-change')!;
    const alt = image.alternative!.scenarios.find((s) => s.name === 'code-change')!;
    for (const s of [code, alt]) {
      assert.equal(s.basis, 'measured');
      assert.ok(Number.isInteger(s.bytes.classic) && Number.isInteger(s.bytes.containerd), JSON.stringify(s.bytes));
      assert.ok(s.proof, 'a proof');
    }
    // COPY . . before the install: the code change re-ships the dependencies, init's only the code.
    assert.ok(code.bytes.classic! > 100 * alt.bytes.classic!, `${code.bytes.classic} vs ${alt.bytes.classic}`);
    assert.equal(image.scenarios.find((s) => s.name === 'dependency-change')?.basis, 'estimated');
    // --keep-images kept them; they are removed here.
    const tags = [code, alt].flatMap((s) => [s.proof!.tags.before, s.proof!.tags.after]);
    for (const t of tags) assert.equal((await docker(['image', 'inspect', t], { check: false })).code, 0, t);
    await removeImages(...tags);
  });

  it('without --keep-images its images are gone; the text marks the measured figures', async () => {
    const r = await sh(process.execPath, [CLI, 'audit', project, '-f', 'json', ...args], { env });
    assert.match(r.stderr, /building Dockerfile current before the change/);
    const result = JSON.parse(r.stdout) as AuditResult;
    const [image] = result.images;
    const proved = [...image.scenarios, ...image.alternative!.scenarios].filter((s) => s.proof);
    assert.equal(proved.length, 2);
    for (const t of proved.flatMap((s) => [s.proof!.tags.before, s.proof!.tags.after]))
      assert.notEqual((await docker(['image', 'inspect', t], { check: false })).code, 0, `${t} was removed`);
    const text = auditText(result);
    assert.match(text, /^ {2}code change +\S+ [kM]?B\* +\S+ [kM]?B\* +\d+ steps? +\S+ k?B\* +\S+ k?B\* +\d+ steps?$/m);
    assert.match(text, /\* measured by building twice and diffing the images/);
  });

  it('no engine: one line, exit 2, nothing on standard output', async () => {
    const r = await sh(process.execPath, [CLI, 'audit', project, '--build'], {
      env: { ...env, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
      check: false,
    });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^layerwise: Docker engine not reachable[^\n]*\n$/);
    assert.equal(r.stdout, '');
  });
});
