// Where init finds the project from where the user stands: a uv workspace member's root and
// lock, and the pdm/poetry layouts it cannot build from the member, said in one line.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../../src/errors.js';
import { detectProject } from '../../../src/project/detect.js';
import { findWorkspaceRoot, outsideDependencyProblem, pathDependencies } from '../../../src/project/workspace-root.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'projects');
const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A temporary tree (with a .git directory at its top, as a checkout has). */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lw-wsroot-'));
  roots.push(root);
  mkdirSync(join(root, '.git'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

describe('findWorkspaceRoot', () => {
  it('finds the uv workspace root, its lock and the members line from a member', () => {
    const r = findWorkspaceRoot(join(fixtures, 'monorepo-uv', 'backend'));
    assert.ok(r);
    assert.equal(r.root, join(fixtures, 'monorepo-uv'));
    assert.equal(r.member, 'backend');
    assert.equal(r.lockFile, 'uv.lock');
    assert.equal(r.evidence, 'pyproject.toml:13');
  });

  it('finds a member under a glob (services/*)', () => {
    const r = findWorkspaceRoot(join(fixtures, 'uv-workspace', 'services', 'api'));
    assert.equal(r?.member, 'services/api');
  });

  it('is undefined at the root itself and for a project with a lock of its own', () => {
    assert.equal(findWorkspaceRoot(join(fixtures, 'monorepo-uv')), undefined);
    assert.equal(findWorkspaceRoot(join(fixtures, 'fastapi-uv')), undefined);
  });

  it('says so when a workspace above does not list the directory', () => {
    const root = tree({
      'pyproject.toml': '[project]\nname = "r"\nversion = "0"\n[tool.uv.workspace]\nmembers = ["libs/*"]\n',
      'tools/x/pyproject.toml': '[project]\nname = "x"\nversion = "0"\n',
    });
    assert.throws(
      () => findWorkspaceRoot(join(root, 'tools', 'x')),
      (e: Error) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /not one of its members: add "tools\/x"/);
        return true;
      },
    );
  });

  it('is undefined in a folder that is not a project (inside a member)', () => {
    assert.equal(findWorkspaceRoot(join(fixtures, 'monorepo-uv', 'backend', 'app')), undefined);
  });

  it('stops at the repository top', () => {
    const root = tree({ 'app/pyproject.toml': '[project]\nname = "a"\nversion = "0"\n' });
    assert.equal(findWorkspaceRoot(join(root, 'app')), undefined);
  });
});

describe('detectProject in a member', () => {
  it('is the workspace with the member selected, built from the root, with its detections', () => {
    const p = detectProject(join(fixtures, 'monorepo-uv', 'backend'));
    assert.equal(p.dir, join(fixtures, 'monorepo-uv'));
    assert.equal(p.ranIn, join(fixtures, 'monorepo-uv', 'backend'));
    assert.equal(p.lockFile, 'uv.lock');
    assert.equal(p.workspace?.selected?.name, 'backend');
    assert.deepEqual(
      p.workspace?.install.map((m) => m.dir),
      ['libs/common', 'backend'],
    );
    const ws = p.detections.find((d) => d.topic === 'workspace');
    assert.equal(ws?.evidence, '../pyproject.toml:13');
    assert.equal(ws?.confidence, 'high');
    assert.match(p.detections.find((d) => d.topic === 'build context')?.value ?? '', /^\.\., the workspace root/);
  });

  it('refuses --package naming another member, in one line', () => {
    assert.throws(() => detectProject(join(fixtures, 'monorepo-uv', 'backend'), { package: 'shop-common' }), UserError);
  });
});

describe('pdm and poetry: dependencies outside the project', () => {
  it('reads poetry path tables and PEP 508 file: URLs', () => {
    assert.deepEqual(
      pathDependencies({
        tool: { poetry: { dependencies: { common: { path: '../libs/common', develop: true }, x: '^1' } } },
        project: { dependencies: ['lib @ file:///${PROJECT_ROOT}/packages/lib', 'fastapi'] },
      }),
      ['../libs/common', 'packages/lib'],
    );
  });

  it('a poetry member that path-depends on ../libs: one line with the file:line', () => {
    const root = tree({
      'libs/common/pyproject.toml': '[tool.poetry]\nname = "common"\n',
      'api/pyproject.toml':
        '[tool.poetry]\nname = "api"\n\n[tool.poetry.dependencies]\npython = "^3.11"\ncommon = { path = "../libs/common", develop = true }\n',
      'api/poetry.lock': '',
    });
    const msg = outsideDependencyProblem(join(root, 'api'));
    assert.match(msg ?? '', /^pyproject\.toml:6: path dependency \.\.\/libs\/common lies outside/);
    assert.throws(() => detectProject(join(root, 'api')), UserError);
  });

  it('a uv project with a path source outside it (not a workspace member): the same line', () => {
    const root = tree({
      'libs/common/pyproject.toml': '[project]\nname = "common"\nversion = "0"\n',
      'api/pyproject.toml':
        '[project]\nname = "api"\nversion = "0"\ndependencies = ["common"]\n\n[tool.uv.sources]\ncommon = { path = "../libs/common" }\n',
      'api/uv.lock': '',
    });
    assert.match(
      outsideDependencyProblem(join(root, 'api')) ?? '',
      /^pyproject\.toml:7: path dependency \.\.\/libs\/common/,
    );
  });

  it('a pdm member locked by the root above it: run init there', () => {
    const root = tree({
      'pyproject.toml':
        '[project]\nname = "mono"\nversion = "0"\ndependencies = ["svc @ file:///${PROJECT_ROOT}/svc"]\n[tool.pdm]\n',
      'pdm.lock': '',
      'svc/pyproject.toml': '[project]\nname = "svc"\nversion = "0"\ndependencies = ["flask"]\n[tool.pdm]\n',
    });
    assert.match(outsideDependencyProblem(join(root, 'svc')) ?? '', /locked by .*pdm\.lock .*run init in/);
  });

  it('nothing for a self-contained project', () => {
    assert.equal(outsideDependencyProblem(join(fixtures, 'pdm-starlette')), undefined);
    assert.equal(outsideDependencyProblem(join(fixtures, 'django-poetry')), undefined);
  });
});
