// Edge cases of layerwise's own rules (LW*4xx): the documented examples are tested by
// rule-examples.test.ts; these pin down lines, messages, fixes and tricky correct input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintText } from '../../../src/lint.js';
import type { ExampleContext, Finding } from '../../../src/rules/types.js';

function lint(text: string, id: string, example: ExampleContext = { dockerignore: '.git\n' }): Finding[] {
  const res = lintText(text, 'Dockerfile', { example, enableAll: true });
  assert.deepEqual(res.failures, []);
  return res.findings.filter((f) => f.rule === id);
}

function applyFix(text: string, f: Finding): string {
  assert.ok(f.fix, `expected a fix on ${f.message}`);
  let out = text;
  for (const e of [...f.fix.edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

const UV = 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n';

describe('LW4401 uv-sync-unlocked', () => {
  it('reports the uv sync line inside a multi-line RUN', () => {
    const hits = lint(`${UV}COPY . .\nRUN set -eux; \\\n    uv sync --no-dev\n`, 'LW4401');
    assert.equal(hits.length, 1);
    assert.equal(hits[0].line, 6);
    assert.match(hits[0].message, /--locked/);
  });
  it('accepts --frozen, UV_LOCKED in ENV, a command prefix and an ARG default', () => {
    assert.deepEqual(lint(`${UV}RUN uv sync --frozen\n`, 'LW4401'), []);
    assert.deepEqual(lint(`${UV}ENV UV_LOCKED=1\nRUN uv sync\n`, 'LW4401'), []);
    assert.deepEqual(lint(`${UV}RUN UV_FROZEN=true uv sync\n`, 'LW4401'), []);
    assert.deepEqual(lint(`${UV}ARG UV_FROZEN=1\nRUN uv sync\n`, 'LW4401'), []);
  });
  it('does not confuse uv pip sync with uv sync', () => {
    assert.deepEqual(lint(`${UV}RUN uv pip sync requirements.txt\n`, 'LW4401'), []);
  });
});

describe('LW4402 uv-pip-install-pyproject', () => {
  it('reports -r pyproject.toml and uv pip sync pyproject.toml', () => {
    assert.equal(lint(`${UV}RUN uv pip install --system -r pyproject.toml\n`, 'LW4402').length, 1);
    assert.equal(lint(`${UV}RUN uv pip sync --system pyproject.toml\n`, 'LW4402').length, 1);
  });
  it('accepts requirements files and plain pip', () => {
    assert.deepEqual(lint(`${UV}RUN uv pip install --system -r requirements.txt\n`, 'LW4402'), []);
    assert.deepEqual(lint(`${UV}RUN pip install -r requirements.txt\n`, 'LW4402'), []);
  });
});

describe('LW1401 pip-unquoted-specifier', () => {
  it('finds > and < specifiers, with the quoting fix', () => {
    const text =
      'FROM python:3.12-slim\nRUN pip install flask>=2.0 "gunicorn<23" numpy<2 \\\n    && echo done > /tmp/log\n';
    const hits = lint(text, 'LW1401');
    assert.deepEqual(
      hits.map((h) => [h.line, h.column]),
      [
        [2, 17],
        [2, 42],
      ],
    );
    assert.match(hits[0].message, /file named "=2.0"/);
    assert.match(hits[1].message, /"numpy<2"/);
    const fixed = applyFix(applyFix(text, hits[1]), hits[0]);
    assert.match(fixed, /pip install "flask>=2.0" "gunicorn<23" "numpy<2"/);
    assert.deepEqual(lint(fixed, 'LW1401'), []);
  });
  it('ignores real redirections and other programs', () => {
    assert.deepEqual(lint('FROM python:3.12-slim\nRUN pip install flask > /dev/null 2>&1\n', 'LW1401'), []);
    assert.deepEqual(lint('FROM python:3.12-slim\nRUN echo a>=1\n', 'LW1401'), []);
    assert.deepEqual(lint('FROM python:3.12-slim\nRUN ["pip", "install", "flask>=2"]\n', 'LW1401'), []);
  });
  it('knows arguments after a redirect are still arguments', () => {
    const res = lintText('FROM python:3.12-slim\nRUN pip install a>=1 b c\n', 'Dockerfile', {
      example: {},
      enableAll: true,
    });
    const cmd = res.file.instructions[1].shell?.commands[0];
    assert.deepEqual(
      cmd?.args.map((a) => a.value),
      ['install', 'a', 'b', 'c'],
    );
  });
});

describe('LW2403 pip-no-cache-with-cache-mount', () => {
  it('removes --no-cache-dir when a pip cache mount is there', () => {
    const text =
      'FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache \\\n    pip install --no-cache-dir -r requirements.txt\n';
    const hits = lint(text, 'LW2403');
    assert.equal(hits.length, 1);
    assert.equal(hits[0].line, 3);
    const fixed = applyFix(text, hits[0]);
    assert.match(fixed, /pip install -r requirements\.txt/);
    assert.deepEqual(lint(fixed, 'LW2403'), []);
  });
  it('reports PIP_NO_CACHE_DIR=0 too (pip treats any value as off) without a fix', () => {
    const hits = lint(
      'FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=0\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n',
      'LW2403',
    );
    assert.equal(hits.length, 1);
    assert.equal(hits[0].fix, undefined);
    assert.match(hits[0].message, /even 0/);
  });
  it('follows PIP_CACHE_DIR and ignores mounts that are not the pip cache', () => {
    assert.deepEqual(
      lint(
        'FROM python:3.12-slim\nRUN --mount=type=cache,target=/var/cache/apt pip install --no-cache-dir flask\n',
        'LW2403',
      ),
      [],
    );
    assert.equal(
      lint(
        'FROM python:3.12-slim\nENV PIP_CACHE_DIR=/cache/pip\nRUN --mount=type=cache,target=/cache pip install --no-cache-dir flask\n',
        'LW2403',
      ).length,
      1,
    );
  });
  it('covers uv --no-cache with a uv cache mount', () => {
    assert.equal(
      lint(`${UV}RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-cache\n`, 'LW2403')
        .length,
      1,
    );
  });
});

describe('LW2408 uv-cache-mount-without-copy-link-mode', () => {
  it('adds --link-mode=copy and the fix is idempotent', () => {
    const text = `${UV}RUN --mount=type=cache,target=/root/.cache/uv uv pip install --system -r requirements.txt\n`;
    const hits = lint(text, 'LW2408');
    assert.equal(hits.length, 1);
    const fixed = applyFix(text, hits[0]);
    assert.match(fixed, /uv pip install --link-mode=copy --system/);
    assert.deepEqual(lint(fixed, 'LW2408'), []);
  });
  it('accepts UV_LINK_MODE=copy from ENV, ARG or the command, and no cache mount', () => {
    assert.deepEqual(
      lint(
        `${UV}ARG UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`,
        'LW2408',
      ),
      [],
    );
    assert.deepEqual(
      lint(
        `${UV}RUN --mount=type=cache,target=/root/.cache/uv UV_LINK_MODE=copy uv sync --locked\n`,
        'LW2408',
      ),
      [],
    );
    assert.deepEqual(lint(`${UV}RUN uv sync --locked\n`, 'LW2408'), []);
  });
  it('follows UV_CACHE_DIR', () => {
    assert.equal(
      lint(
        `${UV}ENV UV_CACHE_DIR=/uvcache\nRUN --mount=type=cache,target=/uvcache uv sync --locked\n`,
        'LW2408',
      ).length,
      1,
    );
    assert.deepEqual(
      lint(
        `${UV}ENV UV_CACHE_DIR=/uvcache\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`,
        'LW2408',
      ),
      [],
    );
  });
});

describe('LW3401 dev-deps-in-final-image', () => {
  it('reports requirements-dev files and poetry without --only main', () => {
    assert.equal(
      lint('FROM python:3.12-slim\nRUN pip install -r requirements.txt -r requirements-dev.txt\n', 'LW3401')
        .length,
      1,
    );
    assert.equal(lint('FROM python:3.12-slim\nRUN pip install -e ".[dev]"\n', 'LW3401').length, 1);
    const p = lint('FROM python:3.12-slim\nRUN poetry install --no-root\n', 'LW3401');
    assert.equal(p.length, 1);
    assert.match(p[0].message, /--only main/);
    assert.equal(lint('FROM python:3.12-slim\nRUN pipenv install --dev --system\n', 'LW3401').length, 1);
    assert.equal(lint('FROM python:3.12-slim\nRUN pdm install\n', 'LW3401').length, 1);
  });
  it('accepts the production forms', () => {
    for (const run of [
      'poetry install --only main --no-root',
      'poetry install --without dev,test',
      'pdm install --prod',
      'uv sync --locked --only-group prod',
      'pipenv install --deploy --system',
    ]) {
      assert.deepEqual(lint(`${UV}RUN ${run}\n`, 'LW3401'), [], run);
    }
    assert.deepEqual(lint(`${UV}ENV UV_NO_DEV=1\nRUN uv sync --locked\n`, 'LW3401'), []);
  });
  it('ignores test stages the final image does not use, but not builders it copies from', () => {
    const text =
      'FROM python:3.12-slim AS test\nRUN pip install -r requirements-test.txt\n\n' +
      'FROM python:3.12-slim AS build\nRUN python -m venv /venv && /venv/bin/pip install -r requirements.txt -r requirements-dev.txt\n\n' +
      'FROM python:3.12-slim\nCOPY --from=build /venv /venv\n';
    const hits = lint(text, 'LW3401');
    assert.deepEqual(
      hits.map((h) => h.line),
      [5],
    );
    assert.match(hits[0].message, /stage 'build'/);
  });
});

describe('LW2402 project-installed-with-deps', () => {
  it('reports uv sync after COPY . . without a deps-only step, naming the copy', () => {
    const hits = lint(`${UV}COPY . .\nRUN uv sync --locked --no-dev\n`, 'LW2402');
    assert.equal(hits.length, 1);
    assert.match(hits[0].message, /line 4 \(COPY \. \.\)/);
    assert.match(hits[0].message, /--no-install-project/);
  });
  it('accepts the two-step pattern for uv, poetry and pdm', () => {
    assert.deepEqual(
      lint(
        `${UV}COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-install-project\nCOPY . .\nRUN uv sync --locked\n`,
        'LW2402',
      ),
      [],
    );
    assert.deepEqual(
      lint(
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --only main --no-root\nCOPY . .\nRUN poetry install --only main\n',
        'LW2402',
      ),
      [],
    );
    assert.deepEqual(
      lint('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pdm install --prod --no-self\n', 'LW2402'),
      [],
    );
  });
  it('reports poetry install and pip install . with their own advice', () => {
    const p = lint(
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN poetry install --only main\n',
      'LW2402',
    );
    assert.match(p[0].message, /poetry install --no-root/);
    const pip = lint(
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n',
      'LW2402',
    );
    assert.match(pip[0].message, /--no-deps/);
    assert.deepEqual(
      lint(
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN pip install --no-deps .\n',
        'LW2402',
      ),
      [],
    );
    assert.deepEqual(
      lint(
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN pip install .\n',
        'LW2402',
      ),
      [],
    );
  });
});

describe('LW2401 final-stage-copies-deps-with-code', () => {
  it('finds a venv made with python -m venv plus source under the copied tree', () => {
    const text =
      'FROM python:3.12 AS builder\nWORKDIR /app\nRUN python -m venv venv\nCOPY requirements.txt .\nRUN venv/bin/pip install -r requirements.txt\nCOPY . .\n\n' +
      'FROM python:3.12-slim\nCOPY --from=builder /app /srv\n';
    const hits = lint(text, 'LW2401');
    assert.equal(hits.length, 1);
    assert.equal(hits[0].line, 9);
    assert.match(hits[0].message, /\/app\/venv \(line 3\)/);
    assert.match(hits[0].message, /COPY --from=builder \/app\/venv \/srv\/venv/);
  });
  it('follows UV_PROJECT_ENVIRONMENT, pip --target and poetry in-project venvs', () => {
    const outside = `${UV.replace('FROM python:3.12-slim', 'FROM python:3.12-slim AS b')}ENV UV_PROJECT_ENVIRONMENT=/venv\nCOPY . .\nRUN uv sync --locked\nFROM python:3.12-slim\nCOPY --from=b /app /app\n`;
    assert.deepEqual(lint(outside, 'LW2401'), []);
    const target =
      'FROM python:3.12 AS b\nWORKDIR /app\nCOPY . .\nRUN pip install --target /app/deps -r requirements.txt\nFROM python:3.12-slim\nCOPY --from=b /app /app\n';
    assert.equal(lint(target, 'LW2401').length, 1);
    const poetry =
      'FROM python:3.12 AS b\nENV POETRY_VIRTUALENVS_IN_PROJECT=true\nWORKDIR /app\nCOPY . .\nRUN poetry install --only main\nFROM python:3.12-slim\nCOPY --from=b /app /app\n';
    assert.equal(lint(poetry, 'LW2401').length, 1);
    assert.deepEqual(lint(poetry.replace('ENV POETRY_VIRTUALENVS_IN_PROJECT=true\n', ''), 'LW2401'), []);
  });
  it('accepts copying the venv alone, and builders without source', () => {
    const text = `${UV.replace('FROM python:3.12-slim', 'FROM python:3.12-slim AS b')}COPY pyproject.toml uv.lock ./\nRUN uv sync --locked\nFROM python:3.12-slim\nCOPY --from=b /app /app\n`;
    assert.deepEqual(lint(text, 'LW2401'), []);
  });
});
