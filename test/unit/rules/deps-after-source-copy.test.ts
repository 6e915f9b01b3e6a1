import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintText } from '../../../src/lint.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

const hits = (text: string) =>
  lintText(text, 'Dockerfile', {
    example: { dockerignore: '.git\n', files: ['pyproject.toml', 'uv.lock', 'src/app/main.py'] },
  })
    .findings.filter((f) => f.rule === 'LW2001')
    .map((f) => f.line);

describe('LW2001 deps-after-source-copy', () => {
  it('reports the install after COPY . . and names the COPY', () => {
    const r = lintText('FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n', 'Dockerfile', {
      example: {},
    });
    const f = r.findings.find((x) => x.rule === 'LW2001');
    assert.equal(f?.line, 3);
    assert.match(f!.message, /line 2 `COPY \. \.`/);
  });
  it('does not report the project-only install (--no-deps) after the source', () => {
    assert.deepEqual(
      hits(
        'FROM python:3.12\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN pip install --no-deps .\n',
      ),
      [],
    );
  });
  it('does not report the second step of the two-step uv pattern', () => {
    const text = `FROM python:3.12
WORKDIR /app
RUN --mount=type=bind,source=uv.lock,target=uv.lock --mount=type=bind,source=pyproject.toml,target=pyproject.toml uv sync --locked --no-install-project
COPY . .
RUN uv sync --locked
`;
    assert.deepEqual(hits(text), []);
  });
  it('reports an install whose bind mount is the whole context', () => {
    assert.deepEqual(hits('FROM python:3.12\nRUN --mount=type=bind,target=/src pip install /src\n'), [2]);
  });
});
