// Edge cases of layerwise's own rules (LW*4xx): the documented examples are tested by
// rule-examples.test.ts; these pin down lines, messages, fixes and tricky correct input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintText } from '../../../src/lint.js';
import type { ExampleContext, Finding } from '../../../src/rules/types.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

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
      lint(`${UV}RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-cache\n`, 'LW2403').length,
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
      lint(`${UV}ARG UV_LINK_MODE=copy\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`, 'LW2408'),
      [],
    );
    assert.deepEqual(
      lint(`${UV}RUN --mount=type=cache,target=/root/.cache/uv UV_LINK_MODE=copy uv sync --locked\n`, 'LW2408'),
      [],
    );
    assert.deepEqual(lint(`${UV}RUN uv sync --locked\n`, 'LW2408'), []);
  });
  it('follows UV_CACHE_DIR', () => {
    assert.equal(
      lint(`${UV}ENV UV_CACHE_DIR=/uvcache\nRUN --mount=type=cache,target=/uvcache uv sync --locked\n`, 'LW2408')
        .length,
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
      lint('FROM python:3.12-slim\nRUN pip install -r requirements.txt -r requirements-dev.txt\n', 'LW3401').length,
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
    assert.match(hits[0].message, /line 4: COPY \. \./);
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
    const p = lint('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN poetry install --only main\n', 'LW2402');
    assert.match(p[0].message, /poetry install --no-root/);
    const pip = lint('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n', 'LW2402');
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

describe('LW2404 cache-mount-wrong-user', () => {
  const base = 'FROM python:3.12-slim\nRUN useradd --create-home --uid 1001 app\n';
  it('reports a root cache mount used by another user, with the right target and uid', () => {
    const hits = lint(
      `${base}USER app\nRUN --mount=type=cache,target=/root/.cache/pip pip install --user flask\n`,
      'LW2404',
    );
    assert.equal(hits.length, 1);
    assert.equal(hits[0].line, 4);
    assert.match(hits[0].message, /target=\/home\/app\/\.cache\/pip,uid=1001,gid=1001/);
  });
  it('reports a mount in the right home that the user cannot write', () => {
    const hits = lint(
      `${base}USER app\nRUN --mount=type=cache,target=/home/app/.cache/pip pip install --user flask\n`,
      'LW2404',
    );
    assert.match(hits[0].message, /owned by root.*uid=1001/);
  });
  it('accepts root with /root/.cache, the user with uid=, a cache dir moved by ENV, and numeric users with unknown homes', () => {
    assert.deepEqual(lint(`${base}RUN --mount=type=cache,target=/root/.cache/pip pip install flask\n`, 'LW2404'), []);
    assert.deepEqual(
      lint(
        `${base}USER app\nRUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001,gid=1001 pip install --user flask\n`,
        'LW2404',
      ),
      [],
    );
    assert.deepEqual(
      lint(
        `${base}USER app\nENV PIP_CACHE_DIR=/cache/pip\nRUN --mount=type=cache,target=/cache/pip,uid=1001 pip install --user flask\n`,
        'LW2404',
      ),
      [],
    );
    assert.deepEqual(
      lint(
        'FROM python:3.12-slim\nUSER 10001\nRUN --mount=type=cache,target=/home/x/.cache/pip,uid=10001 pip install flask\n',
        'LW2404',
      ),
      [],
    );
  });
  it('finds a numeric USER through useradd -u', () => {
    const hits = lint(`${base}USER 1001\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked\n`, 'LW2404');
    assert.match(hits[0].message, /\/home\/app\/\.cache\/uv/);
  });
});

describe('LW2405 dockerignore-missing', () => {
  it('offers to create a .dockerignore and is quiet when one exists or there is no context', () => {
    const hits = lint('FROM python:3.12-slim\nCOPY . /app\n', 'LW2405', { files: ['app.py'] });
    assert.equal(hits.length, 1);
    const created = hits[0].fix?.createFiles?.[0];
    assert.equal(created?.path, '.dockerignore');
    assert.match(created?.content ?? '', /^\.git$/m);
    assert.match(created?.content ?? '', /^\*\*\/__pycache__$/m);
    assert.doesNotMatch(created?.content ?? '', /^tests$/m);
    assert.deepEqual(
      lint('FROM python:3.12-slim\nCOPY . /app\n', 'LW2405', { dockerignore: '', files: ['app.py'] }),
      [],
    );
    const stdin = lintText('FROM python:3.12-slim\nCOPY . /app\n', 'Dockerfile', {
      contextDir: 'none',
      enableAll: true,
    });
    assert.deepEqual(
      stdin.findings.filter((f) => f.rule === 'LW2405'),
      [],
    );
  });
  it('needs the whole context: copying named files is fine', () => {
    assert.deepEqual(
      lint('FROM python:3.12-slim\nCOPY app.py requirements.txt /app/\n', 'LW2405', { files: ['app.py'] }),
      [],
    );
  });
});

describe('LW2406 dockerignore-incomplete', () => {
  it('explains that a plain __pycache__ line only matches the top level', () => {
    const hits = lint('FROM python:3.12-slim\nCOPY . .\n', 'LW2406', {
      dockerignore: '.git\n.venv\n__pycache__\n',
      files: ['pkg/mod.py', 'pkg/__pycache__/mod.cpython-312.pyc'],
    });
    assert.equal(hits.length, 1);
    assert.match(hits[0].message, /`\*\*\/__pycache__`/);
    assert.match(hits[0].message, /top-level/);
    assert.doesNotMatch(hits[0].message, /\.git|\.venv/);
  });
  it('mentions tests and node_modules only when they exist', () => {
    const ctx = { dockerignore: '.git\n.venv\n**/__pycache__\n', files: ['pkg/mod.py'] };
    assert.deepEqual(lint('FROM python:3.12-slim\nCOPY . .\n', 'LW2406', ctx), []);
    const hits = lint('FROM python:3.12-slim\nCOPY . .\n', 'LW2406', {
      ...ctx,
      files: ['pkg/mod.py', 'test/test_mod.py', 'node_modules/x/index.js'],
    });
    assert.match(hits[0].message, /node_modules.*tests/);
  });
});

describe('LW2407 apt-update-separate-layer', () => {
  it('merges a lone update RUN into the install', () => {
    const text = 'FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl\n';
    const hits = lint(text, 'LW2407');
    assert.equal(hits.length, 1);
    assert.equal(hits[0].line, 3);
    const fixed = applyFix(text, hits[0]);
    assert.equal(
      fixed,
      'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n',
    );
    assert.deepEqual(lint(fixed, 'LW2407'), []);
  });
  it('keeps the update RUN when more installs follow, and reports each', () => {
    const text =
      'FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y a\nRUN set -e; \\\n    apt-get install -y b\n';
    const hits = lint(text, 'LW2407');
    assert.deepEqual(
      hits.map((h) => h.line),
      [3, 5],
    );
    assert.equal(hits[0].fix?.edits.length, 1);
  });
  it('accepts update and install together, and stages without an earlier update', () => {
    assert.deepEqual(
      lint(
        'FROM debian\nRUN apt-get update && apt-get install -y a\nRUN apt-get update && apt-get install -y b\n',
        'LW2407',
      ),
      [],
    );
    assert.deepEqual(
      lint('FROM debian AS a\nRUN apt-get update\nFROM debian\nRUN apt-get install -y b\n', 'LW2407'),
      [],
    );
  });
});

describe('LW3402 git-dir-for-version', () => {
  it('reports COPY .git and COPY . . with .git when git describes the version', () => {
    assert.equal(lint('FROM python:3.12-slim\nCOPY .git /src/.git\n', 'LW3402').length, 1);
    const ctx = { files: ['.git/HEAD', 'src/a.py'] };
    const hits = lint(
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN git describe --tags > VERSION\n',
      'LW3402',
      ctx,
    );
    assert.equal(hits.length, 1);
    assert.match(hits[0].message, /SETUPTOOLS_SCM_PRETEND_VERSION_FOR_/);
    assert.deepEqual(lint('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install .\n', 'LW3402', ctx), []);
    assert.deepEqual(
      lint('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN git describe --tags > VERSION\n', 'LW3402', {
        dockerignore: '.git\n',
        files: ['src/a.py'],
      }),
      [],
    );
  });
});

describe('LW3403 build-tools-in-final-stage', () => {
  it('lists the tools left behind and skips those removed in the same RUN', () => {
    const hits = lint(
      'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc libpq-dev curl \\\n && pip install psycopg2 && apt-get purge -y gcc\n',
      'LW3403',
    );
    assert.equal(hits.length, 1);
    assert.match(hits[0].message, /^libpq-dev stays/);
    assert.deepEqual(
      lint(
        'FROM python:3.12-alpine\nRUN apk add --no-cache --virtual .build gcc musl-dev && pip install x && apk del .build\n',
        'LW3403',
      ),
      [],
    );
  });
  it('ignores builder stages and runtime libraries', () => {
    assert.deepEqual(
      lint(
        'FROM python:3.12 AS b\nRUN apt-get install -y build-essential\nFROM python:3.12-slim\nRUN apt-get install -y libpq5 curl\n',
        'LW3403',
      ),
      [],
    );
  });
});

describe('LW3404 caches-left-in-layer', () => {
  it('reports uv, poetry, conda and npm caches in the final image', () => {
    const text = `${UV}RUN uv pip install --system flask\nRUN poetry install --only main\nRUN conda install -y numpy\nRUN npm ci\n`;
    assert.deepEqual(
      lint(text, 'LW3404').map((h) => h.line),
      [4, 5, 6, 7],
    );
  });
  it('accepts cache mounts, --no-cache, UV_NO_CACHE, cleaning and builder stages', () => {
    for (const run of [
      'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
      'RUN uv sync --locked --no-cache',
      'ENV UV_NO_CACHE=1\nRUN uv sync --locked',
      'RUN uv sync --locked && uv cache clean',
      'RUN poetry install --only main && rm -rf ~/.cache/pypoetry',
      'ENV POETRY_CACHE_DIR=/tmp/pc\nRUN poetry install --only main && rm -rf $POETRY_CACHE_DIR',
      'RUN conda install -y numpy && conda clean -afy',
      'RUN npm ci && npm cache clean --force',
    ]) {
      assert.deepEqual(lint(`${UV}${run}\n`, 'LW3404'), [], run);
    }
    assert.deepEqual(
      lint(
        `${UV.replace('slim', 'slim AS b')}RUN uv sync --locked\nFROM python:3.12-slim\nCOPY --from=b /app/.venv /app/.venv\n`,
        'LW3404',
      ),
      [],
    );
  });
});

describe('LW5401 remote-add-unpinned', () => {
  it('reports ADD without --checksum and unpinned installers piped into a shell', () => {
    const text =
      'FROM python:3.12-slim\nADD https://example.com/a-1.0.tgz /tmp/\nRUN set -eux; \\\n    curl -sSL https://install.python-poetry.org | python3 -\nRUN sh -c "$(wget -qO- https://example.com/install.sh)"\n';
    const hits = lint(text, 'LW5401');
    assert.deepEqual(
      hits.map((h) => h.line),
      [2, 4, 5],
    );
    assert.match(hits[1].message, /pin the installer version/);
  });
  it('accepts checksums, pinned versions and verified downloads', () => {
    for (const run of [
      'ADD --checksum=sha256:0000000000000000000000000000000000000000000000000000000000000000 https://example.com/a.tgz /tmp/',
      'RUN curl -sSL https://install.python-poetry.org | POETRY_VERSION=1.8.3 python3 -',
      'RUN curl -LsSf https://astral.sh/uv/0.5.4/install.sh | sh',
      'RUN curl -fsSLo i.sh https://example.com/install.sh && echo "abc  i.sh" | sha256sum -c - && sh i.sh',
      'RUN curl -fsSL https://example.com/data.json -o /data.json',
    ]) {
      assert.deepEqual(lint(`FROM python:3.12-slim\n${run}\n`, 'LW5401'), [], run);
    }
  });
  it('points uv installs to the pinned image', () => {
    assert.match(
      lint('FROM python:3.12-slim\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh\n', 'LW5401')[0].message,
      /COPY --from=ghcr\.io\/astral-sh\/uv:<version>/,
    );
  });
});

describe('LW5402 secret-file-copied', () => {
  it('reports explicit copies of secret files', () => {
    assert.equal(lint('FROM python:3.12-slim\nCOPY .env /app/.env\n', 'LW5402').length, 1);
    assert.equal(lint('FROM python:3.12-slim\nCOPY id_rsa /root/.ssh/id_rsa\n', 'LW5402').length, 1);
    assert.equal(lint('FROM python:3.12-slim\nCOPY .npmrc .pypirc /root/\n', 'LW5402').length, 1);
  });
  it('accepts examples, public keys and secrets only in builder stages', () => {
    assert.deepEqual(lint('FROM python:3.12-slim\nCOPY .env.example /app/.env\nCOPY key.pub /k.pub\n', 'LW5402'), []);
    assert.deepEqual(
      lint(
        'FROM node:20 AS b\nCOPY .npmrc .\nRUN npm ci\nFROM node:20-slim\nCOPY --from=b /node_modules /node_modules\n',
        'LW5402',
      ),
      [],
    );
  });
  it('finds secrets in the context of a directory copy', () => {
    const hits = lint('FROM python:3.12-slim\nCOPY config/ /app/config/\n', 'LW5402', {
      dockerignore: '.git\n',
      files: ['config/settings.toml', 'config/prod.pem'],
    });
    assert.match(hits[0].message, /config\/prod\.pem/);
  });
});

describe('LW4403 base-image-own-latest and LW4404 base-image-not-digest-pinned', () => {
  it('reports own bases by mutable tag once, not also as undigested', () => {
    const text = 'FROM registry.example.com:5000/shop/app-base\nFROM myorg/py-base:latest\nFROM python:3.12-slim\n';
    assert.deepEqual(
      lint(text, 'LW4403').map((h) => h.line),
      [1, 2],
    );
    assert.deepEqual(
      lint(text, 'LW4404').map((h) => h.line),
      [3],
    );
  });
  it('accepts fingerprint tags, digests, stage references and scratch', () => {
    const text =
      'FROM myorg/py-base:3f9a1c0e5b7d AS deps\nFROM deps\nFROM scratch\nFROM python:3.12-slim@sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8\n';
    assert.deepEqual(lint(text, 'LW4403'), []);
    assert.deepEqual(
      lint(text, 'LW4404').map((h) => h.line),
      [1],
    );
  });
  it('is off by default', () => {
    const res = lintText('FROM python:3.12-slim\n', 'Dockerfile', { example: {} });
    assert.deepEqual(
      res.findings.filter((f) => f.rule === 'LW4404'),
      [],
    );
  });
});

describe('simulator: manifest globs are not application source', () => {
  it('does not blame COPY pyproject.toml poetry.lock* for code changes', () => {
    const text =
      'FROM python:3.12-slim AS builder\nENV POETRY_VIRTUALENVS_IN_PROJECT=1\nWORKDIR /app\nCOPY pyproject.toml poetry.lock* ./\n' +
      'RUN poetry install --only main --no-root\nCOPY src/ ./src/\nFROM python:3.12-slim\nCOPY --from=builder /app /app\n';
    assert.deepEqual(lint(text, 'LW2402'), []);
    const hits = lint(text, 'LW2401');
    assert.equal(hits.length, 1);
    assert.match(hits[0].message, /copied to \/app\/src \(line 6\)/);
  });
});
