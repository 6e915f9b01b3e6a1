// The engine-free parts of `audit --build`: the context copy (after .dockerignore), the one-line
// change, the choice of the code file, and measured layers tied to the estimate's rows.
import assert from 'node:assert/strict';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseDockerignore } from '../../../src/dockerfile/dockerignore.js';
import {
  changeOneLine,
  copyContext,
  fileFromChange,
  ignoreFileFor,
  pickCodeFile,
} from '../../../src/audit/prove-context.js';
import { instructionKey, measuredLayerCosts } from '../../../src/audit/prove-layers.js';
import type { MeasuredLayer } from '../../../src/audit/prove-measure.js';
import type { LayerCost } from '../../../src/audit/types.js';
import { UserError } from '../../../src/errors.js';
import { findRoot } from '../repo.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-prove-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const fixtures = join(findRoot(), 'test', 'fixtures', 'projects');

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmp, 'ctx-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function listAll(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    if (statSync(join(dir, r), { throwIfNoEntry: false })?.isDirectory()) out.push(...listAll(dir, r));
    else out.push(r);
  }
  return out.sort();
}

describe('copyContext', () => {
  it('copies what the build would see: .dockerignore with Docker semantics, exceptions, links', () => {
    const src = tree({
      '.dockerignore': '.git\n**/__pycache__\ntests\n*.md\n!README.md\nbuild/\n!build/keep.txt\n',
      '.git/HEAD': 'ref',
      'README.md': 'kept by the exception',
      'NOTES.md': 'ignored',
      'app/main.py': 'print(1)\n',
      'app/__pycache__/main.cpython-311.pyc': 'x',
      'app/tests/test_x.py': 'a nested tests dir is not the root one',
      'tests/test_main.py': 'ignored',
      'build/out.bin': 'ignored',
      'build/keep.txt': 're-included',
    });
    symlinkSync('app/main.py', join(src, 'link.py'));
    const dest = join(tmp, 'copy-1');
    const n = copyContext(src, dest, parseDockerignore(readFileSync(join(src, '.dockerignore'), 'utf8')));
    assert.deepEqual(listAll(dest), [
      '.dockerignore',
      'README.md',
      'app/main.py',
      'app/tests/test_x.py',
      'build/keep.txt',
      'link.py',
    ]);
    assert.equal(n, 6);
    assert.equal(
      readFileSync(join(dest, 'link.py'), 'utf8'),
      'print(1)\n',
      'the link is kept and resolves in the copy',
    );
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile, as BuildKit does', () => {
    const src = tree({ '.dockerignore': 'a\n', 'api.Dockerfile': 'FROM x\n', 'api.Dockerfile.dockerignore': 'b\n' });
    assert.equal(ignoreFileFor(join(src, 'api.Dockerfile'), src), join(src, 'api.Dockerfile.dockerignore'));
    assert.equal(ignoreFileFor(join(src, 'Dockerfile'), src), join(src, '.dockerignore'));
    assert.equal(ignoreFileFor(join(src, 'Dockerfile'), tree({ 'x.py': '' })), undefined);
  });
});

describe('changeOneLine', () => {
  it('appends one comment line: size, content and mtime change', () => {
    const dir = tree({ 'app/main.py': 'print(1)' });
    const p = join(dir, 'app/main.py');
    const before = statSync(p);
    changeOneLine(dir, 'app/main.py');
    const text = readFileSync(p, 'utf8');
    assert.equal(text, 'print(1)\n# one-line change made by layerwise audit --build\n');
    const st = statSync(p);
    assert.ok(st.size > before.size);
    assert.ok(st.mtimeMs > before.mtimeMs);
  });

  it('a bare line for files that take no # comment', () => {
    const dir = tree({ 'data.json': '{}\n' });
    changeOneLine(dir, 'data.json');
    assert.equal(readFileSync(join(dir, 'data.json'), 'utf8'), '{}\n\n');
  });
});

describe('the code file to change', () => {
  it('reads the file out of the scenario phrasing', () => {
    assert.equal(fileFromChange('one line of src/app/main.py'), 'src/app/main.py');
    assert.equal(fileFromChange('one line of `app.py`'), 'app.py');
    assert.equal(fileFromChange('one package in uv.lock'), 'uv.lock');
    assert.equal(fileFromChange('nothing here'), undefined);
  });

  it('takes the named file when the context has it, else the app module of the project', () => {
    const dir = join(tmp, 'fastapi-uv');
    cpSync(join(fixtures, 'fastapi-uv'), dir, { recursive: true });
    assert.equal(pickCodeFile(dir, { named: 'src/shop_api/__init__.py' }), 'src/shop_api/__init__.py');
    // `uvicorn shop_api.main:app`: main.py is where the app starts.
    assert.equal(pickCodeFile(dir, { named: 'src/gone.py' }), 'src/shop_api/main.py');
    assert.equal(pickCodeFile(dir, {}), 'src/shop_api/main.py');
    assert.throws(() => pickCodeFile(dir, { asked: 'nope.py' }), UserError);
    assert.equal(pickCodeFile(dir, { asked: './tests/test_health.py' }), 'tests/test_health.py');
  });

  it('a workspace: the package the server imports, in its member', () => {
    const dir = join(tmp, 'uv-workspace');
    cpSync(join(fixtures, 'uv-workspace'), dir, { recursive: true });
    assert.equal(pickCodeFile(dir, {}), 'services/api/src/acme_api/__init__.py');
  });

  it('flat layouts: the module the server imports', () => {
    const dir = join(tmp, 'flask-piptools');
    cpSync(join(fixtures, 'flask-piptools'), dir, { recursive: true });
    assert.equal(pickCodeFile(dir, {}), 'app.py');
  });

  it('a context with no Python project and nothing named: a UserError saying what to do', () => {
    const dir = tree({ 'index.html': '<p>' });
    assert.throws(() => pickCodeFile(dir, {}), /name one \(--touch FILE\)/);
  });
});

describe('measured layers on the estimate rows', () => {
  const m = (createdBy: string, o: Partial<MeasuredLayer> = {}): MeasuredLayer => ({
    index: 0,
    createdBy,
    tarBytes: 1000,
    gzipBytes: null,
    shared: true,
    newContent: false,
    pulledClassic: false,
    pulledContainerd: false,
    ...o,
  });
  const est = (line: number | null, instruction: string): LayerCost => ({
    line,
    instruction,
    changed: false,
    bytes: null,
    basis: 'estimated',
  });

  it('matches by instruction text from the top when the counts differ; flags and BuildKit marks ignored', () => {
    const measured = [
      m('/bin/sh -c #(nop) ADD file:abc in /'),
      m('RUN /bin/sh -c apt-get update # buildkit'),
      m('WORKDIR /app'),
      m('COPY . . # buildkit', {
        shared: false,
        newContent: true,
        pulledClassic: true,
        pulledContainerd: true,
        gzipBytes: 300,
      }),
      m('RUN |1 PIP_INDEX_URL=http://127.0.0.1:3141/simple/ /bin/sh -c pip install -r requirements.txt # buildkit', {
        shared: false,
        newContent: true,
        pulledClassic: true,
        pulledContainerd: true,
        gzipBytes: 5000,
      }),
    ];
    const rows = measuredLayerCosts(measured, [
      est(null, 'base python:3.11-slim'),
      est(4, 'WORKDIR /app'),
      est(5, 'COPY --chown=app . .'),
      est(7, 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt'),
    ]);
    assert.deepEqual(
      rows.map((r) => [r.line, r.changed, r.bytes]),
      [
        [null, false, 0],
        [null, false, 0],
        [4, false, 0],
        [5, true, 300],
        [7, true, 5000],
      ],
    );
    assert.equal(rows[1].instruction, 'RUN apt-get update');
    assert.match(
      rows[4].basis,
      /^measured: new content, pulled by classic\+containerd; 1000 bytes as exported, 5000 gzip$/,
    );
  });

  it('same count: row by row', () => {
    const rows = measuredLayerCosts([m('x'), m('y')], [est(null, 'base'), est(3, 'COPY app /app')]);
    assert.deepEqual(
      rows.map((r) => [r.line, r.instruction]),
      [
        [null, 'base'],
        [3, 'COPY app /app'],
      ],
    );
  });

  it('instructionKey', () => {
    assert.equal(
      instructionKey('copy --from=deps --chown=1000 /app/.venv /app/.venv # buildkit'),
      'COPY /app/.venv /app/.venv',
    );
    assert.equal(instructionKey('RUN pip install -r requirements.txt…'), 'RUN pip install -r requirements.txt');
  });
});
