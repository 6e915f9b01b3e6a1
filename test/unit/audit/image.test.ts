import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { auditImage } from '../../../src/audit/image.js';
import { UserError } from '../../../src/errors.js';
import { copyFixture, tempDir } from './helpers.js';

const noWheels = { dirs: [], uvCaches: [], indexes: [] };

describe('auditImage', () => {
  const t = tempDir();
  after(t.done);

  it('a Dockerfile in a subfolder built from the repo root: the project is found there and the paths follow', async () => {
    const repo = join(t.dir, 'repo');
    mkdirSync(repo);
    copyFixture('fastapi-uv', repo);
    const backend = join(repo, 'backend');
    // The fixture copied as repo/fastapi-uv; the monorepo calls it backend/.
    renameSync(join(repo, 'fastapi-uv'), backend);
    writeFileSync(join(repo, 'README.md'), '# monorepo\n');
    writeFileSync(
      join(backend, 'Dockerfile'),
      'FROM python:3.11-slim\nWORKDIR /app\nCOPY backend/ .\nRUN uv sync --frozen --no-dev\n',
    );
    const before = readdirSync(repo, { recursive: true }).map(String).sort();
    const img = await auditImage(
      {
        name: 'backend',
        dockerfile: join(backend, 'Dockerfile'),
        context: repo,
        args: {},
        origins: [{ kind: 'compose', file: 'compose.yaml', detail: 'services.api' }],
      },
      repo,
      { wheelSources: noWheels },
    );
    assert.deepEqual(readdirSync(repo, { recursive: true }).map(String).sort(), before, 'nothing written');
    assert.equal(img.dockerfile, 'backend/Dockerfile');
    assert.equal(img.context, '.');
    assert.deepEqual(img.project, { dir: 'backend', manager: 'uv', lockFile: 'uv.lock' });
    assert.equal(img.base, 'python:3.11-slim');
    const code = img.scenarios.find((s) => s.name === 'code-change')!;
    assert.equal(code.change, 'one line of backend/src/shop_api/main.py');
    assert.deepEqual(
      code.rerun.map((r) => r.line),
      [3, 4],
    );
    const dep = img.scenarios.find((s) => s.name === 'dependency-change')!;
    assert.equal(dep.change, 'one package in backend/uv.lock');
    assert.equal(dep.newLayers, 2);
    // The lock records no sizes and no wheel source is given: unknown, never a guess.
    assert.equal(code.bytes.classic, null);
    // init writes into the project's folder: the alternative is built from there.
    const alt = img.alternative!;
    const altCode = alt.scenarios.find((s) => s.name === 'code-change')!;
    assert.equal(altCode.change, 'one line of src/shop_api/main.py');
    assert.equal(altCode.newLayers, 1);
    assert.ok(altCode.bytes.classic! > 100 && altCode.bytes.classic! < 5_000, String(altCode.bytes.classic));
    // Findings: the cache ones, costed per code change, come before the rest.
    const costed = img.findings.filter((f) => f.cost.scenario === 'code-change');
    assert.ok(costed.length > 0);
    assert.equal(img.findings[0].category, 'cache');
    assert.equal(img.findings[0].file, 'backend/Dockerfile');
  });

  it('no Python project: scenarios still run, no alternative, the reason in notes', async () => {
    const dir = join(t.dir, 'static');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.html'), '<h1>hi</h1>\n'.repeat(50));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM nginx:1.27\nARG SITE=x\nCOPY index.html /usr/share/nginx/html/\n');
    const img = await auditImage(
      { name: 'web', dockerfile: join(dir, 'Dockerfile'), context: dir, args: { SITE: 'y' }, origins: [] },
      t.dir,
      { wheelSources: noWheels },
    );
    assert.equal(img.project, null);
    assert.equal(img.alternative, null);
    assert.ok(img.notes.some((n) => /no Python project found/.test(n)));
    const code = img.scenarios.find((s) => s.name === 'code-change')!;
    assert.equal(code.newLayers, 1);
    assert.ok(code.bytes.containerd! > 100 && code.bytes.containerd! < 600, String(code.bytes.containerd));
    assert.deepEqual(
      img.scenarios.map((s) => s.name),
      ['code-change', 'dependency-change', 'base-change', 'build-arg:SITE'],
    );
    assert.equal(img.scenarios[3].newLayers, 0, 'a COPY that does not expand the arg keeps its cache');
  });

  it('a missing Dockerfile is a UserError', async () => {
    await assert.rejects(
      auditImage(
        { name: 'x', dockerfile: join(t.dir, 'nope', 'Dockerfile'), context: t.dir, args: {}, origins: [] },
        t.dir,
      ),
      UserError,
    );
  });
});
