import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { gzipFilesEstimate, gzipHeadersEstimate, gzipTreeEstimate } from '../../../src/audit/estimate-files.js';
import { readRun } from '../../../src/audit/install-command.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';
import { parseDockerfile } from '../../../src/dockerfile/parse.js';
import { tempDir } from './helpers.js';

describe('audit: gzip estimate of copied files', () => {
  it('incompressible content keeps its size, plus tar headers; text shrinks; each file costs a header', () => {
    const t = tempDir();
    try {
      mkdirSync(join(t.dir, 'pkg'));
      writeFileSync(join(t.dir, 'blob.bin'), randomBytes(20_000));
      writeFileSync(join(t.dir, 'pkg', 'a.py'), 'print("hello")\n'.repeat(2000));
      const blob = gzipFilesEstimate(t.dir, ['blob.bin']);
      assert.ok(blob.bytes > 20_000 && blob.bytes < 20_000 + 1_000, String(blob.bytes));
      const text = gzipFilesEstimate(t.dir, ['pkg/a.py']);
      assert.equal(text.raw, 30_000);
      assert.ok(text.bytes < 1_000, String(text.bytes));
      for (let i = 0; i < 50; i++) writeFileSync(join(t.dir, 'pkg', `m${i}.py`), `x = ${i}\n`);
      const many = gzipFilesEstimate(
        t.dir,
        Array.from({ length: 50 }, (_, i) => `pkg/m${i}.py`),
        '/app',
      );
      // 50 tiny files: the headers dominate, and they do not vanish under gzip.
      assert.ok(many.bytes > 50 * 10 && many.bytes < 50 * 512, String(many.bytes));
      assert.equal(gzipTreeEstimate(join(t.dir, 'pkg'))?.files, 51);
      assert.ok(gzipHeadersEstimate(['a', 'b']) > 20);
    } finally {
      t.done();
    }
  });
});

describe('audit: what a RUN installs', () => {
  before(loadShell);
  const run = (line: string) => {
    const f = parseDockerfile(`FROM python:3.11-slim\n${line}\n`);
    return readRun(f.stages[0].instructions[1]);
  };

  it('reads pip, uv, poetry and pdm installs and their flags', () => {
    const pip = run('RUN pip install -r requirements.txt');
    assert.equal(pip.kind, 'deps');
    assert.deepEqual(pip.requirements, ['requirements.txt']);
    assert.equal(pip.compiles, true);
    assert.equal(pip.keepsPipCache, true);
    assert.equal(run('RUN pip install --no-cache-dir -r r.txt').keepsPipCache, false);
    assert.equal(run('RUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt').keepsPipCache, false);
    assert.equal(run('RUN pip install --no-deps /src').kind, 'project');
    assert.equal(run('RUN pip install .').installsProject, true);
    assert.deepEqual(run('RUN pip install "uv==0.13.9"').pinned, [{ name: 'uv', version: '0.13.9' }]);
    const uv = run('RUN uv sync --locked --no-dev --no-install-project --compile-bytecode');
    assert.equal(uv.kind, 'deps');
    assert.equal(uv.includeDev, false);
    assert.equal(uv.compiles, true);
    assert.equal(run('RUN uv sync').includeDev, true);
    assert.equal(run('RUN poetry sync --only main --no-root && python -m compileall -q /app/.venv/lib').compiles, true);
    assert.equal(run('RUN poetry install --only main').includeDev, false);
    assert.equal(run('RUN poetry install --only main').keepsWheelCache, true);
    assert.equal(run('RUN --mount=type=cache,target=/root/.cache/pypoetry poetry install').keepsWheelCache, false);
    assert.equal(run('RUN pdm install --prod').includeDev, false);
    assert.equal(run('RUN useradd --create-home app').kind, 'user');
    assert.deepEqual(run('RUN rm -f requirements.txt pyproject.toml').removed, ['requirements.txt', 'pyproject.toml']);
    // `rm` of long names followed by `&&`: read in linear time (a backtracking pattern took minutes here).
    const t0 = performance.now();
    const long = run(`RUN rm -f ${'requirements-with-a-long-name.txt '.repeat(6)}&& mkdir -p /layers/static`);
    assert.deepEqual(long.removed, []);
    assert.ok(performance.now() - t0 < 1000, `readRun took ${performance.now() - t0} ms`);
    assert.equal(run('RUN apt-get update && apt-get install -y gcc').kind, 'apt');
    assert.equal(run('RUN make all').kind, 'other');
  });
});
