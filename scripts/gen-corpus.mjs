#!/usr/bin/env node
// Generates test/corpus/: several hundred varied, realistic Dockerfiles composed from fragments
// written for this project (nothing copied from elsewhere). Seeded, so the output is stable;
// the output is committed, and regenerating with the same seed reproduces it byte for byte.
//
//   node scripts/gen-corpus.mjs [--seed N] [--out DIR]
//
// Good and bad practice are both represented on purpose: the corpus feeds the fuzz test
// (mutations start from these files) and `npm run bench:lint`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const SEED = Number(opt('--seed', '20240917'));
const OUT = opt('--out', new URL('../test/corpus/', import.meta.url).pathname);

// ---------------------------------------------------------------------------------------------
// Seeded randomness

function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(SEED);
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const chance = (p) => rnd() < p;
const some = (xs, lo, hi) => {
  const copy = [...xs];
  const n = Math.min(copy.length, int(lo, hi));
  const out = [];
  for (let i = 0; i < n; i++) out.push(copy.splice(Math.floor(rnd() * copy.length), 1)[0]);
  return out;
};
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
const digest = () => `sha256:${hex(64)}`;
const ver = (maj, minLo, minHi, patchHi = 12) => `${maj}.${int(minLo, minHi)}.${int(0, patchHi)}`;

// ---------------------------------------------------------------------------------------------
// Shared fragments

const INTERNAL = [
  'registry.example.com',
  'harbor.internal.example.net',
  'cr.corp.example',
  'mirror.example.org:5000',
];
const DL = [
  'https://downloads.example.com',
  'https://artifacts.internal.example.net/files',
  'https://files.example.org/pub',
];
const PY_VERSIONS = ['3.9', '3.10', '3.11', '3.12', '3.13'];
const APP_NAMES = [
  'billing',
  'orders',
  'inventory',
  'auth',
  'reports',
  'notifier',
  'gateway',
  'ledger',
  'search',
  'ingest',
];
const PORTS = [8000, 8080, 5000, 3000, 9000, 8501, 80, 443, 8443, 50051];

function comment() {
  return pick([
    '# Build stage',
    '# Runtime image',
    '# Install system dependencies',
    '# Dependencies first so the layer is cached when only the code changes',
    '# TODO: pin the base image by digest',
    '# Keep this in sync with .python-version',
    '# hadolint ignore=DL3008',
    '# layerwise ignore=LW3001',
    '# Non-root user for runtime',
    '# Copy the application last',
    '# NOTE: the CI passes BUILD_DATE and VCS_REF',
    '#',
    '# ---------------------------------------------------------------------------',
  ]);
}

function header(extra = {}) {
  const out = [];
  if (chance(extra.syntax ?? 0.45))
    out.push(
      `# syntax=${pick(['docker/dockerfile:1', 'docker/dockerfile:1.7', 'docker/dockerfile:1.4', 'docker/dockerfile:1-labs', 'docker/dockerfile:1.7-labs'])}`,
    );
  if (chance(extra.check ?? 0.12))
    out.push(
      `# check=${pick(['skip=JSONArgsRecommended', 'skip=StageNameCasing,FromAsCasing', 'error=true', 'skip=all', 'skip=SecretsUsedInArgOrEnv;error=true'])}`,
    );
  if (chance(0.3))
    out.push(`# ${pick(['Container image for', 'Dockerfile for', 'Builds'])} the ${pick(APP_NAMES)} service`);
  return out;
}

function labels() {
  const kv = some(
    [
      `org.opencontainers.image.source="https://git.example.com/team/${pick(APP_NAMES)}"`,
      'org.opencontainers.image.vendor="Example Corp"',
      `org.opencontainers.image.version="${ver(1, 0, 9)}"`,
      'maintainer="platform-team@example.com"',
      'org.opencontainers.image.licenses="MIT"',
      'org.opencontainers.image.created=$BUILD_DATE',
      'com.example.team=payments',
    ],
    1,
    4,
  );
  if (kv.length > 1 && chance(0.6)) return `LABEL ${kv.join(' \\\n      ')}`;
  return kv.map((k) => `LABEL ${k}`).join('\n');
}

function aptInstall(
  pkgs,
  style = pick(['good', 'good', 'good', 'split', 'norec', 'nolists', 'setx', 'cache']),
) {
  const list = pkgs.join(' ');
  const wrapped = pkgs.length > 3 ? `\\\n        ${pkgs.join(' \\\n        ')}` : list;
  switch (style) {
    case 'split':
      return `RUN apt-get update\nRUN apt-get install -y ${list}`;
    case 'norec':
      return `RUN apt-get update && apt-get install -y ${wrapped} \\\n    && rm -rf /var/lib/apt/lists/*`;
    case 'nolists':
      return `RUN apt-get update && apt-get install -y --no-install-recommends ${wrapped}`;
    case 'setx':
      return `RUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y --no-install-recommends ${wrapped}; \\\n    rm -rf /var/lib/apt/lists/*`;
    case 'cache':
      return `RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n    --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n    rm -f /etc/apt/apt.conf.d/docker-clean \\\n    && apt-get update \\\n    && apt-get install -y --no-install-recommends ${wrapped}`;
    default:
      return `RUN apt-get update \\\n    && apt-get install -y --no-install-recommends ${wrapped} \\\n    && rm -rf /var/lib/apt/lists/*`;
  }
}

function apkAdd(pkgs, style = pick(['good', 'good', 'update', 'virtual', 'cache'])) {
  const list = pkgs.join(' ');
  switch (style) {
    case 'update':
      return `RUN apk update && apk add ${list}`;
    case 'virtual':
      return `RUN apk add --no-cache --virtual .build-deps ${list} \\\n    && make -C /src install \\\n    && apk del .build-deps`;
    case 'cache':
      return `RUN --mount=type=cache,target=/var/cache/apk \\\n    apk add ${list}`;
    default:
      return `RUN apk add --no-cache ${list}`;
  }
}

function nonRootUser(distro = 'debian') {
  const name = pick(['app', 'appuser', 'nonroot', 'svc', 'worker']);
  const uid = pick([1000, 1001, 10001, 65532]);
  if (distro === 'alpine')
    return {
      name,
      uid,
      lines: [`RUN addgroup -S ${name} && adduser -S -G ${name} -u ${uid} ${name}`, `USER ${name}`],
    };
  if (distro === 'ubi')
    return { name, uid, lines: [`RUN useradd -u ${uid} -r -g 0 -s /sbin/nologin ${name}`, `USER ${uid}`] };
  const create = pick([
    `RUN groupadd --system --gid ${uid} ${name} \\\n    && useradd --system --uid ${uid} --gid ${name} --no-create-home ${name}`,
    `RUN useradd -m -u ${uid} ${name}`,
    `RUN adduser --disabled-password --gecos "" --uid ${uid} ${name}`,
  ]);
  return { name, uid, lines: [create, `USER ${pick([name, `${uid}`, `${name}:${name}`, `${uid}:${uid}`])}`] };
}

function healthcheck(port) {
  return pick([
    `HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\\n  CMD curl -fsS http://localhost:${port}/healthz || exit 1`,
    `HEALTHCHECK CMD wget -qO- http://127.0.0.1:${port}/health || exit 1`,
    `HEALTHCHECK --interval=1m --timeout=5s CMD ["python", "-c", "import urllib.request,sys; urllib.request.urlopen('http://localhost:${port}/ping'); sys.exit(0)"]`,
    'HEALTHCHECK NONE',
    `HEALTHCHECK --start-period=30s --start-interval=2s CMD ["/app/healthcheck", "--port", "${port}"]`,
  ]);
}

function pyEnv() {
  const kv = some(
    [
      'PYTHONDONTWRITEBYTECODE=1',
      'PYTHONUNBUFFERED=1',
      'PIP_NO_CACHE_DIR=1',
      'PIP_DISABLE_PIP_VERSION_CHECK=1',
      'PYTHONFAULTHANDLER=1',
      'LANG=C.UTF-8',
    ],
    1,
    4,
  );
  if (chance(0.15)) return kv.map((k) => `ENV ${k.replace('=', ' ')}`).join('\n'); // legacy form
  return kv.length > 2 ? `ENV ${kv.join(' \\\n    ')}` : `ENV ${kv.join(' ')}`;
}

function pyBase(
  variant = pick([
    'slim',
    'slim',
    'slim-bookworm',
    'alpine',
    'bookworm',
    'plain',
    'latest',
    'notag',
    'digest',
    'internal',
    'arg',
  ]),
) {
  const v = pick(PY_VERSIONS);
  switch (variant) {
    case 'slim':
      return `python:${v}-slim`;
    case 'slim-bookworm':
      return `python:${v}-slim-bookworm`;
    case 'alpine':
      return `python:${v}-alpine${pick(['', '3.19', '3.20'])}`;
    case 'bookworm':
      return `python:${v}-bookworm`;
    case 'plain':
      return `python:${v}`;
    case 'latest':
      return 'python:latest';
    case 'notag':
      return 'python';
    case 'digest':
      return `python:${v}-slim@${digest()}`;
    case 'internal':
      return `${pick(INTERNAL)}/base/python:${v}-slim`;
    default:
      return '${BASE_IMAGE}';
  }
}

function entry(app, port) {
  return pick([
    `CMD ["gunicorn", "--bind", "0.0.0.0:${port}", "--workers", "${int(2, 8)}", "${app}.wsgi:application"]`,
    `CMD ["uvicorn", "${app}.main:app", "--host", "0.0.0.0", "--port", "${port}"]`,
    `CMD python -m ${app}`,
    `ENTRYPOINT ["python", "-m", "${app}"]\nCMD ["--port", "${port}"]`,
    `CMD ["python", "manage.py", "runserver", "0.0.0.0:${port}"]`,
    `ENTRYPOINT ["/app/docker-entrypoint.sh"]\nCMD ["serve"]`,
    `CMD exec gunicorn ${app}.app:create_app\\(\\) -b :${port}`,
    `CMD ["celery", "-A", "${app}", "worker", "--loglevel=info"]`,
  ]);
}

function pyDeps() {
  return some(
    [
      'flask',
      'django',
      'fastapi',
      'uvicorn[standard]',
      'gunicorn',
      'requests',
      'sqlalchemy',
      'psycopg[binary]',
      'pydantic',
      'celery',
      'redis',
      'boto3',
      'numpy',
      'pandas',
    ],
    1,
    5,
  );
}

function pinOrNot(p) {
  if (chance(0.4)) return p;
  const op = pick(['==', '>=', '~=', '<']);
  const spec = `${p}${op}${int(1, 5)}.${int(0, 20)}`;
  // Unquoted `>=`/`<` redirects in the shell; that is one of the things the linter reports.
  return chance(0.6) && op !== '==' ? `"${spec}"` : spec;
}

function sysDeps(final) {
  const build = [
    'build-essential',
    'gcc',
    'libpq-dev',
    'libffi-dev',
    'git',
    'pkg-config',
    'libssl-dev',
    'python3-dev',
  ];
  const run = [
    'libpq5',
    'curl',
    'ca-certificates',
    'tini',
    'libjpeg62-turbo',
    'libxml2',
    'locales',
    'netcat-openbsd',
  ];
  return final ? some(run, 1, 3).concat(chance(0.25) ? some(build, 1, 2) : []) : some(build, 2, 5);
}

function appCopy() {
  return pick([
    'COPY . .',
    'COPY . /app',
    'COPY src/ ./src/',
    'COPY --chown=app:app . .',
    'COPY --link src ./src',
    'COPY app/ /app/app/',
    'ADD . /app',
    'COPY ["src", "/app/src"]',
  ]);
}

function finalUser() {
  return chance(0.7)
    ? nonRootUser(pick(['debian', 'debian', 'alpine']))
    : { lines: chance(0.3) ? ['USER root'] : [] };
}

// ---------------------------------------------------------------------------------------------
// Python, every packaging style

function pythonPip() {
  const out = header();
  const app = pick(APP_NAMES);
  const port = pick(PORTS);
  const base = pyBase();
  if (base === '${BASE_IMAGE}') out.push(`ARG BASE_IMAGE=python:${pick(PY_VERSIONS)}-slim`);
  const multi = chance(0.4);
  const reqDev = chance(0.2);
  const mode = pick(['good', 'good', 'cachemount', 'venv', 'badorder', 'nocachedir', 'inline', 'pythonm']);
  if (multi) {
    out.push(`FROM ${base} AS ${pick(['builder', 'build', 'wheels', 'Builder'])}`);
    if (chance(0.7)) out.push(aptInstall(sysDeps(false)));
    out.push('WORKDIR /build', 'COPY requirements.txt .');
    out.push(
      pick([
        'RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt',
        'RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip wheel --wheel-dir /wheels -r requirements.txt',
        'RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt',
      ]),
    );
    out.push('', comment(), `FROM ${base.replace('-bookworm', '-slim-bookworm')}`);
    out.push(pyEnv(), 'WORKDIR /app');
    out.push(
      pick([
        'COPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/* && rm -rf /wheels',
        'RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \\\n    pip install --no-cache-dir --no-index --find-links=/wheels /wheels/*',
        'COPY --from=builder /opt/venv /opt/venv\nENV PATH="/opt/venv/bin:$PATH"',
        'COPY --from=0 /wheels /wheels\nRUN pip install /wheels/*',
      ]),
    );
    out.push(appCopy());
  } else {
    out.push(`FROM ${base}`);
    if (chance(0.3)) out.push(labels());
    out.push(pyEnv());
    if (chance(0.6))
      out.push(
        base.includes('alpine')
          ? apkAdd(some(['gcc', 'musl-dev', 'libffi-dev', 'postgresql-dev', 'curl'], 1, 4))
          : aptInstall(sysDeps(true)),
      );
    out.push(
      pick(['WORKDIR /app', 'WORKDIR /usr/src/app', 'WORKDIR app', 'RUN mkdir -p /app\nWORKDIR /app']),
    );
    switch (mode) {
      case 'badorder':
        out.push(appCopy(), 'RUN pip install -r requirements.txt');
        break;
      case 'cachemount':
        out.push(
          'COPY requirements.txt .',
          `RUN --mount=type=cache,target=/root/.cache/pip${chance(0.5) ? ',sharing=locked' : ''} \\\n    pip install -r requirements.txt`,
          appCopy(),
        );
        break;
      case 'nocachedir':
        out.push(
          'COPY requirements.txt .',
          'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt',
          appCopy(),
        );
        break;
      case 'venv':
        out.push(
          'RUN python -m venv /opt/venv',
          'ENV PATH="/opt/venv/bin:$PATH" VIRTUAL_ENV=/opt/venv',
          'COPY requirements.txt .',
          'RUN pip install --no-cache-dir --upgrade pip setuptools wheel \\\n    && pip install --no-cache-dir -r requirements.txt',
          appCopy(),
        );
        break;
      case 'inline':
        out.push(`RUN pip install ${pyDeps().map(pinOrNot).join(' ')}`, appCopy());
        break;
      case 'pythonm':
        out.push(
          'COPY requirements.txt ./',
          `RUN python${pick(['', '3'])} -m pip install --no-cache-dir -r requirements.txt`,
          appCopy(),
        );
        break;
      default:
        out.push(
          'COPY requirements.txt .',
          `RUN ${pick(['pip', 'pip3'])} install --no-cache-dir -r requirements.txt`,
          appCopy(),
        );
    }
    if (reqDev)
      out.push('COPY requirements-dev.txt .', 'RUN pip install --no-cache-dir -r requirements-dev.txt');
  }
  if (chance(0.3)) out.push(`RUN python -m compileall -q ${pick(['/app', '.'])}`);
  const u = finalUser();
  out.push(...u.lines);
  out.push(`EXPOSE ${port}`);
  if (chance(0.35)) out.push(healthcheck(port));
  out.push(entry(app, port));
  return out.join('\n');
}

function pythonPipTools() {
  const out = header();
  const app = pick(APP_NAMES);
  const port = pick(PORTS);
  const py = pick(PY_VERSIONS);
  const lock = pick(['requirements.lock', 'requirements.txt', 'requirements/prod.txt', 'constraints.txt']);
  if (chance(0.5)) {
    out.push(`FROM python:${py}-slim AS compile`);
    out.push(`RUN pip install --no-cache-dir pip-tools==${ver(7, 0, 4)}`);
    out.push('WORKDIR /src', 'COPY requirements.in .');
    out.push(`RUN pip-compile --generate-hashes --output-file ${lock.split('/').pop()} requirements.in`);
    out.push('', `FROM python:${py}-slim`);
    out.push('WORKDIR /app');
    out.push(`COPY --from=compile /src/${lock.split('/').pop()} ./`);
    out.push(`RUN pip install --no-cache-dir --require-hashes --no-deps -r ${lock.split('/').pop()}`);
  } else {
    out.push(`FROM python:${py}-slim${pick(['', '-bookworm'])}`);
    out.push(pyEnv(), 'WORKDIR /app');
    out.push(`COPY ${lock} ${lock.includes('/') ? './requirements/' : './'}`);
    out.push(
      pick([
        `RUN pip install --no-cache-dir --require-hashes -r ${lock}`,
        `RUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install --require-hashes --only-binary=:all: -r ${lock}`,
        `RUN pip install --no-cache-dir pip-tools && pip-sync ${lock}`,
        `RUN pip install --no-cache-dir -c constraints.txt -r ${lock}`,
        `RUN pip install -r ${lock} --index-url https://packages.example.com/simple --trusted-host packages.example.com`,
      ]),
    );
  }
  if (chance(0.3)) out.push('RUN pip check');
  out.push(appCopy());
  out.push(...finalUser().lines);
  out.push(entry(app, port));
  return out.join('\n');
}

function uvInstallLine() {
  return pick([
    'COPY --from=uv /uv /uvx /bin/',
    `RUN pip install --no-cache-dir uv==0.${int(4, 6)}.${int(0, 20)}`,
    `COPY --from=${pick(INTERNAL)}/tools/uv:0.${int(4, 6)}.${int(0, 20)} /uv /usr/local/bin/uv`,
    `RUN curl -LsSf ${pick(DL)}/uv/install.sh | sh`,
    `ADD ${pick(DL)}/uv/0.${int(4, 6)}.${int(0, 9)}/install.sh /uv-installer.sh\nRUN sh /uv-installer.sh && rm /uv-installer.sh`,
  ]);
}

function pythonUv() {
  const out = header({ syntax: 0.7 });
  const app = pick(APP_NAMES);
  const port = pick(PORTS);
  const py = pick(PY_VERSIONS);
  const inst = uvInstallLine();
  if (inst.startsWith('COPY --from=uv '))
    out.push(`FROM ${pick(INTERNAL)}/tools/uv:0.${int(4, 6)}.${int(0, 20)} AS uv`);
  const lockFlag = pick(['--locked', '--locked', '--frozen', '']);
  const devFlag = pick(['--no-dev', '--no-dev', '', '--only-group=prod']);
  const cacheTarget = pick(['/root/.cache/uv', '/root/.cache/uv', '/home/app/.cache/uv', '/tmp/uv-cache']);
  const linkMode = chance(0.6);
  const multi = chance(0.6);
  out.push(
    `FROM python:${py}-slim${pick(['', '-bookworm'])}${multi ? ` AS ${pick(['builder', 'build', 'deps'])}` : ''}`,
  );
  out.push(inst);
  const env = [];
  if (linkMode) env.push('UV_LINK_MODE=copy');
  if (chance(0.6)) env.push('UV_COMPILE_BYTECODE=1');
  if (chance(0.4)) env.push('UV_PYTHON_DOWNLOADS=0');
  if (chance(0.3)) env.push('UV_PROJECT_ENVIRONMENT=/opt/venv');
  if (env.length) out.push(`ENV ${env.join(' \\\n    ')}`);
  out.push('WORKDIR /app');
  const style = pick(['bind', 'bind', 'copy', 'badorder', 'pip-r-pyproject', 'pip-system', 'single']);
  switch (style) {
    case 'bind':
      out.push(
        `RUN --mount=type=cache,target=${cacheTarget} \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \\\n    uv sync ${lockFlag} --no-install-project ${devFlag}`
          .replace(/ +\n/g, '\n')
          .replace(/ {2,}/g, ' '),
      );
      out.push('COPY . /app');
      out.push(
        `RUN --mount=type=cache,target=${cacheTarget} \\\n    uv sync ${lockFlag} ${devFlag}`.replace(
          / +$/gm,
          '',
        ),
      );
      break;
    case 'copy':
      out.push('COPY pyproject.toml uv.lock ./');
      out.push(`RUN uv sync ${lockFlag} --no-install-project ${devFlag} --no-cache`.replace(/ {2,}/g, ' '));
      out.push(appCopy());
      out.push(`RUN uv sync ${lockFlag} ${devFlag}`.replace(/ +$/g, '').replace(/ {2,}/g, ' '));
      break;
    case 'badorder':
      out.push('COPY . .', `RUN uv sync${chance(0.5) ? ` ${lockFlag}` : ''}`.trimEnd());
      break;
    case 'pip-r-pyproject':
      out.push('COPY pyproject.toml .', 'RUN uv pip install --system -r pyproject.toml', appCopy());
      break;
    case 'pip-system':
      out.push(
        'COPY requirements.txt .',
        `RUN --mount=type=cache,target=${cacheTarget} \\\n    uv pip install --system ${chance(0.5) ? '--no-cache ' : ''}-r requirements.txt`,
        appCopy(),
      );
      break;
    default:
      out.push(
        'RUN uv venv /opt/venv',
        'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"',
        'COPY requirements.txt .',
      );
      out.push('RUN uv pip install -r requirements.txt', appCopy());
  }
  if (multi) {
    out.push('', comment(), `FROM python:${py}-slim${pick(['', '-bookworm'])}`);
    if (chance(0.5)) out.push(aptInstall(sysDeps(true)));
    const u = nonRootUser();
    out.push(u.lines[0]);
    if (chance(0.5)) {
      out.push('COPY --from=builder --chown=app:app /app /app');
    } else {
      out.push(
        `COPY --from=builder ${chance(0.5) ? '--chown=app:app ' : ''}/app/.venv /app/.venv`,
        `COPY --chown=app:app ${pick(['src', '.'])} /app/${pick(['src', ''])}`,
      );
    }
    out.push('ENV PATH="/app/.venv/bin:$PATH"', u.lines[1]);
  } else {
    out.push('ENV PATH="/app/.venv/bin:$PATH"');
    out.push(...finalUser().lines);
  }
  out.push('WORKDIR /app');
  if (chance(0.3)) out.push(`EXPOSE ${port}`);
  out.push(entry(app, port));
  return out.join('\n');
}

function pythonPoetry() {
  const out = header();
  const app = pick(APP_NAMES);
  const port = pick(PORTS);
  const py = pick(PY_VERSIONS);
  const pv = `1.${int(5, 8)}.${int(0, 5)}`;
  const install = pick([
    `RUN pip install --no-cache-dir "poetry==${pv}"`,
    'RUN pip install poetry',
    `RUN curl -sSL ${pick(DL)}/install-poetry.py | python3 -`,
    `RUN pipx install poetry==${pv}`,
  ]);
  const only = pick(['--only main', '--without dev', '--no-dev', '', '--only=main --sync']);
  const multi = chance(0.5);
  out.push(`FROM python:${py}-slim AS ${multi ? pick(['builder', 'poetry', 'build']) : 'base'}`);
  out.push(
    `ENV POETRY_VERSION=${pv} \\\n    POETRY_NO_INTERACTION=1 \\\n    POETRY_VIRTUALENVS_${chance(0.5) ? 'IN_PROJECT=1' : 'CREATE=false'} \\\n    POETRY_CACHE_DIR=/tmp/poetry_cache`,
  );
  out.push(install);
  out.push('WORKDIR /app');
  const style = pick(['good', 'good', 'badorder', 'export', 'cache', 'noroot-missing']);
  switch (style) {
    case 'badorder':
      out.push('COPY . .', `RUN poetry install ${only}`.trimEnd());
      break;
    case 'export':
      out.push('COPY pyproject.toml poetry.lock ./');
      out.push('RUN poetry export -f requirements.txt --output requirements.txt --without-hashes');
      out.push('RUN pip install --no-cache-dir -r requirements.txt', appCopy());
      break;
    case 'cache':
      out.push('COPY pyproject.toml poetry.lock ./');
      out.push(
        `RUN --mount=type=cache,target=/tmp/poetry_cache poetry install ${only} --no-root`.replace(
          / {2,}/g,
          ' ',
        ),
      );
      out.push('COPY README.md ./', `COPY ${app} ./${app}`, `RUN poetry install ${only}`.trimEnd());
      break;
    case 'noroot-missing':
      out.push('COPY pyproject.toml poetry.lock* ./', `RUN poetry install ${only}`.trimEnd(), appCopy());
      break;
    default:
      out.push('COPY pyproject.toml poetry.lock ./');
      out.push(
        `RUN poetry config virtualenvs.create false \\\n    && poetry install --no-interaction --no-ansi --no-root ${only} \\\n    && rm -rf $POETRY_CACHE_DIR`.replace(
          / +\\/g,
          ' \\',
        ),
      );
      out.push(appCopy());
  }
  if (multi) {
    out.push('', `FROM python:${py}-slim AS runtime`);
    out.push('ENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"');
    out.push(
      pick([
        'COPY --from=builder ${VIRTUAL_ENV} ${VIRTUAL_ENV}',
        'COPY --from=builder /app /app',
        'COPY --from=builder /app/.venv /app/.venv\nCOPY . /app',
      ]),
    );
  }
  out.push(...finalUser().lines);
  if (chance(0.5)) out.push(`EXPOSE ${port}`);
  out.push(entry(app, port));
  return out.join('\n');
}

function pythonPdm() {
  const out = header();
  const app = pick(APP_NAMES);
  const port = pick(PORTS);
  const py = pick(PY_VERSIONS);
  out.push(`ARG PYTHON_BASE=${py}-slim`);
  out.push('FROM python:$PYTHON_BASE AS builder');
  out.push(
    pick([
      'RUN pip install -U pdm',
      `RUN pip install --no-cache-dir pdm==2.${int(10, 20)}.${int(0, 4)}`,
      'RUN python -m pip install pdm',
    ]),
  );
  out.push('ENV PDM_CHECK_UPDATE=false');
  out.push('COPY pyproject.toml pdm.lock README.md /project/');
  if (chance(0.4)) out.push('COPY src/ /project/src');
  out.push('WORKDIR /project');
  out.push(
    pick([
      'RUN pdm install --check --prod --no-editable',
      'RUN --mount=type=cache,target=/root/.cache/pdm pdm sync --prod --no-editable',
      'RUN pdm install --frozen-lockfile --prod',
      'RUN pdm install',
      'RUN pdm export --prod -o requirements.txt && pip install -r requirements.txt',
    ]),
  );
  out.push('', 'FROM python:$PYTHON_BASE');
  out.push('COPY --from=builder /project/.venv/ /project/.venv');
  out.push('ENV PATH="/project/.venv/bin:$PATH"');
  out.push('COPY src /project/src');
  out.push('WORKDIR /project');
  out.push(...finalUser().lines);
  out.push(entry(app, port));
  return out.join('\n');
}

function pythonPipenv() {
  const out = header();
  const app = pick(APP_NAMES);
  const port = pick(PORTS);
  const py = pick(PY_VERSIONS);
  out.push(`FROM python:${py}${pick(['-slim', '', '-alpine'])}`);
  out.push(pyEnv());
  out.push(
    pick([
      'RUN pip install pipenv',
      `RUN pip install --no-cache-dir pipenv==2024.${int(0, 4)}.${int(0, 3)}`,
      'RUN python -m pip install --upgrade pip pipenv',
    ]),
  );
  out.push('WORKDIR /app');
  const style = pick(['system', 'venv', 'sync', 'badorder', 'dev']);
  switch (style) {
    case 'system':
      out.push(
        'COPY Pipfile Pipfile.lock ./',
        'RUN pipenv install --deploy --system --ignore-pipfile',
        appCopy(),
      );
      break;
    case 'venv':
      out.push(
        'ENV PIPENV_VENV_IN_PROJECT=1',
        'COPY Pipfile Pipfile.lock ./',
        'RUN --mount=type=cache,target=/root/.cache/pipenv pipenv install --deploy',
        appCopy(),
      );
      out.push('ENV PATH="/app/.venv/bin:$PATH"');
      break;
    case 'sync':
      out.push('COPY Pipfile.lock .', 'RUN pipenv sync --system', appCopy());
      break;
    case 'dev':
      out.push('COPY Pipfile* ./', 'RUN pipenv install --dev --system', appCopy());
      break;
    default:
      out.push('COPY . .', 'RUN pipenv install');
  }
  out.push(...finalUser().lines);
  out.push(pick([`CMD ["pipenv", "run", "python", "-m", "${app}"]`, entry(app, port)]));
  return out.join('\n');
}

function pythonConda() {
  const out = header();
  const app = pick(APP_NAMES);
  const port = pick(PORTS);
  const kind = pick(['miniconda', 'micromamba', 'mambaforge', 'multistage']);
  if (kind === 'micromamba') {
    out.push(`FROM mambaorg/micromamba:${pick(['1.5.8', '1.5', '2.0.2', 'latest'])}`);
    out.push('COPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml');
    out.push(
      pick([
        'RUN micromamba install -y -n base -f /tmp/env.yaml && \\\n    micromamba clean --all --yes',
        'RUN --mount=type=cache,target=/opt/conda/pkgs,uid=57439 \\\n    micromamba install -y -n base -f /tmp/env.yaml',
        'RUN micromamba install -y -n base -f /tmp/env.yaml',
      ]),
    );
    out.push('ARG MAMBA_DOCKERFILE_ACTIVATE=1');
    out.push('COPY --chown=$MAMBA_USER:$MAMBA_USER . /home/mambauser/app');
    out.push('WORKDIR /home/mambauser/app');
    out.push(entry(app, port));
    return out.join('\n');
  }
  if (kind === 'multistage') {
    out.push(`FROM condaforge/miniforge3:${pick(['24.3.0-0', 'latest'])} AS build`);
    out.push('COPY environment.yml .');
    out.push('RUN conda env create -f environment.yml -p /env && conda clean -afy');
    out.push(
      'RUN conda install -c conda-forge conda-pack && \\\n    conda-pack -p /env -o /tmp/env.tar && \\\n    mkdir /venv && cd /venv && tar xf /tmp/env.tar && \\\n    rm /tmp/env.tar && /venv/bin/conda-unpack',
    );
    out.push('', 'FROM debian:bookworm-slim AS runtime');
    out.push('COPY --from=build /venv /venv');
    out.push('COPY . /app');
    out.push('WORKDIR /app');
    out.push('SHELL ["/bin/bash", "-c"]');
    out.push(`ENTRYPOINT source /venv/bin/activate && python -m ${app}`);
    return out.join('\n');
  }
  out.push(
    `FROM ${kind === 'miniconda' ? `continuumio/miniconda3:${pick(['24.5.0-0', '23.10.0-1', 'latest'])}` : 'condaforge/mambaforge'}`,
  );
  out.push('WORKDIR /app');
  out.push('COPY environment.yml .');
  const tool = kind === 'mambaforge' ? 'mamba' : 'conda';
  out.push(
    pick([
      `RUN ${tool} env create -f environment.yml && ${tool} clean --all --yes`,
      `RUN ${tool} env update -n base -f environment.yml`,
      `RUN ${tool} install -y -c conda-forge numpy=1.26 pandas scikit-learn && ${tool} clean -afy`,
      `RUN ${tool} install numpy pandas`,
    ]),
  );
  if (chance(0.6)) out.push(`SHELL ["conda", "run", "-n", "${app}", "/bin/bash", "-c"]`);
  out.push('COPY . .');
  if (chance(0.3)) out.push('RUN pip install --no-deps -e .');
  out.push(`ENTRYPOINT ["conda", "run", "--no-capture-output", "-n", "${app}", "python", "-m", "${app}"]`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Node

function nodeBase() {
  const v = pick(['18', '20', '22']);
  return pick([
    `node:${v}-alpine`,
    `node:${v}-slim`,
    `node:${v}-bookworm-slim`,
    `node:${v}`,
    'node:lts-alpine',
    'node:latest',
    `node:${v}.${int(0, 18)}.${int(0, 3)}-alpine3.20`,
  ]);
}

function nodeApp(pm) {
  const out = header();
  const port = pick([3000, 8080, 4000, 5173]);
  const base = nodeBase();
  const multi = chance(0.65);
  out.push(`FROM ${base}${multi ? ` AS ${pick(['deps', 'build', 'builder', 'BUILD'])}` : ''}`);
  out.push('WORKDIR /usr/src/app');
  if (pm === 'npm') {
    out.push(pick(['COPY package.json package-lock.json ./', 'COPY package*.json ./', 'COPY . .']));
    out.push(
      pick([
        'RUN npm ci',
        'RUN npm ci --omit=dev',
        'RUN --mount=type=cache,target=/root/.npm npm ci',
        'RUN npm install',
        'RUN npm install --production && npm cache clean --force',
        'RUN npm ci --ignore-scripts --no-audit --no-fund',
      ]),
    );
  } else if (pm === 'yarn') {
    const berry = chance(0.5);
    if (berry) out.push('RUN corepack enable');
    out.push(`COPY package.json yarn.lock ${berry ? '.yarnrc.yml ' : ''}./`);
    if (berry && chance(0.5)) out.push('COPY .yarn ./.yarn');
    out.push(
      berry
        ? pick([
            'RUN yarn install --immutable',
            'RUN --mount=type=cache,target=/root/.yarn/berry/cache yarn install --immutable',
            'RUN yarn workspaces focus --production',
          ])
        : pick([
            'RUN yarn install --frozen-lockfile',
            'RUN yarn install --frozen-lockfile --production && yarn cache clean',
            'RUN yarn',
            'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --frozen-lockfile',
          ]),
    );
  } else {
    out.push(
      pick([
        'RUN corepack enable && corepack prepare pnpm@9.12.0 --activate',
        'RUN npm install -g pnpm@9',
        'RUN npm i -g pnpm',
      ]),
    );
    out.push('COPY pnpm-lock.yaml ./');
    if (chance(0.5))
      out.push('RUN --mount=type=cache,id=pnpm,target=/root/.local/share/pnpm/store pnpm fetch --prod');
    out.push('COPY package.json pnpm-workspace.yaml* ./');
    out.push(
      pick([
        'RUN pnpm install --frozen-lockfile',
        'RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --offline --frozen-lockfile --prod',
        'RUN pnpm install',
        'RUN pnpm install -r --prod --frozen-lockfile',
      ]),
    );
  }
  out.push('COPY . .');
  if (chance(0.7)) out.push(`RUN ${pm === 'npm' ? 'npm run' : pm} build`);
  if (multi) {
    const fin = pick(['node', 'nginx', 'distroless', 'node']);
    out.push('', comment());
    if (fin === 'nginx') {
      out.push(`FROM nginx:${pick(['1.27-alpine', 'alpine', 'stable', '1.25.4'])}`);
      out.push('COPY --from=build /usr/src/app/dist /usr/share/nginx/html');
      if (chance(0.5)) out.push('COPY nginx.conf /etc/nginx/conf.d/default.conf');
      out.push('EXPOSE 80');
      out.push('CMD ["nginx", "-g", "daemon off;"]');
      return out.join('\n');
    }
    if (fin === 'distroless') {
      out.push(
        `FROM ${pick(INTERNAL)}/distroless/nodejs${pick(['20', '22'])}-debian12${pick(['', ':nonroot'])}`,
      );
      out.push('WORKDIR /app');
      out.push('COPY --from=build /usr/src/app /app');
      out.push(`CMD ["dist/server.js"]`);
      return out.join('\n');
    }
    out.push(`FROM ${base}`);
    out.push('ENV NODE_ENV=production');
    out.push('WORKDIR /usr/src/app');
    out.push('COPY --from=build /usr/src/app/node_modules ./node_modules');
    out.push('COPY --from=build /usr/src/app/dist ./dist');
    out.push('COPY package.json ./');
  }
  out.push(pick(['USER node', 'USER node:node', '']));
  out.push(`EXPOSE ${port}`);
  if (chance(0.3)) out.push(healthcheck(port));
  out.push(
    pick([
      'CMD ["node", "dist/index.js"]',
      'CMD npm start',
      `CMD ["${pm}", "start"]`,
      'ENTRYPOINT ["node"]\nCMD ["server.js"]',
      'CMD ["dumb-init", "node", "server.js"]',
    ]),
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Go, Rust, Java, Ruby

function goApp() {
  const out = header();
  const gv = pick(['1.21', '1.22', '1.23']);
  const bin = pick(['server', 'api', 'worker', 'app', 'cli']);
  const numbered = chance(0.3);
  out.push('ARG GO_VERSION=' + gv);
  out.push(
    `FROM ${chance(0.5) ? '--platform=$BUILDPLATFORM ' : ''}golang:\${GO_VERSION}-${pick(['alpine', 'bookworm', 'alpine3.20'])}${numbered ? '' : ` AS ${pick(['build', 'builder', 'Build'])}`}`,
  );
  out.push('ARG TARGETOS TARGETARCH');
  out.push('WORKDIR /src');
  out.push('COPY go.mod go.sum ./');
  out.push(
    pick([
      'RUN go mod download',
      'RUN --mount=type=cache,target=/go/pkg/mod go mod download -x',
      'RUN go mod download && go mod verify',
    ]),
  );
  out.push('COPY . .');
  out.push(
    pick([
      `RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w" -o /out/${bin} ./cmd/${bin}`,
      `RUN --mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build \\\n    CGO_ENABLED=0 go build -o /out/${bin} .`,
      `RUN go build -o /out/${bin} ./...`,
      `RUN go install example.com/tools/migrate@v${ver(4, 0, 17)} && CGO_ENABLED=0 go build -ldflags '-extldflags "-static"' -o /out/${bin} ./cmd/${bin}`,
    ]),
  );
  if (chance(0.4)) out.push('RUN go test ./...');
  out.push('');
  const fin = pick(['scratch', 'distroless', 'alpine', 'debian']);
  const from = numbered ? '0' : out.find((l) => l.startsWith('FROM'))?.split(' AS ')[1];
  if (fin === 'scratch') {
    out.push('FROM scratch');
    out.push(`COPY --from=${from} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`);
    if (chance(0.5)) out.push(`COPY --from=${from} /usr/share/zoneinfo /usr/share/zoneinfo`);
    out.push(`COPY --from=${from} /out/${bin} /${bin}`);
    out.push(pick(['USER 65534:65534', 'USER nobody', '']));
    out.push(`ENTRYPOINT ["/${bin}"]`);
  } else if (fin === 'distroless') {
    out.push(`FROM ${pick(INTERNAL)}/distroless/static-debian12:${pick(['nonroot', 'latest', 'debug'])}`);
    out.push(`COPY --from=${from} /out/${bin} /usr/local/bin/${bin}`);
    out.push('USER nonroot:nonroot');
    out.push(`ENTRYPOINT ["/usr/local/bin/${bin}"]`);
  } else if (fin === 'alpine') {
    out.push(`FROM alpine:${pick(['3.20', '3.19', 'latest', '3'])}`);
    out.push(apkAdd(['ca-certificates', 'tzdata']));
    out.push(`COPY --from=${from} /out/${bin} /usr/local/bin/`);
    out.push(...nonRootUser('alpine').lines);
    out.push(`ENTRYPOINT ["${bin}"]`);
  } else {
    out.push('FROM debian:bookworm-slim');
    out.push(aptInstall(['ca-certificates']));
    out.push(`COPY --from=${from} /out/${bin} /usr/local/bin/${bin}`);
    out.push(`CMD ${bin} --config /etc/${bin}.yaml`);
  }
  return out.join('\n');
}

function rustApp() {
  const out = header();
  const rv = `1.${int(75, 82)}`;
  const bin = pick(['server', 'indexer', 'proxy', 'agent']);
  const style = pick(['chef', 'cache', 'simple', 'musl']);
  if (style === 'chef') {
    out.push(`FROM rust:${rv}-slim AS chef`);
    out.push(`RUN cargo install cargo-chef --locked --version 0.1.${int(60, 68)}`);
    out.push(
      'WORKDIR /app',
      '',
      'FROM chef AS planner',
      'COPY . .',
      'RUN cargo chef prepare --recipe-path recipe.json',
    );
    out.push('', 'FROM chef AS builder', 'COPY --from=planner /app/recipe.json recipe.json');
    out.push(
      'RUN cargo chef cook --release --recipe-path recipe.json',
      'COPY . .',
      `RUN cargo build --release --locked --bin ${bin}`,
    );
  } else if (style === 'cache') {
    out.push(`FROM rust:${rv} AS build`, 'WORKDIR /src', 'COPY . .');
    out.push(
      `RUN --mount=type=cache,target=/usr/local/cargo/registry \\\n    --mount=type=cache,target=/src/target \\\n    cargo build --release && cp target/release/${bin} /usr/local/bin/${bin}`,
    );
  } else if (style === 'musl') {
    out.push(
      `FROM rust:${rv}-alpine AS builder`,
      apkAdd(['musl-dev', 'openssl-dev', 'pkgconfig']),
      'WORKDIR /build',
    );
    out.push(
      'COPY Cargo.toml Cargo.lock ./',
      'RUN mkdir src && echo "fn main() {}" > src/main.rs && cargo build --release && rm -rf src',
    );
    out.push('COPY src ./src', 'RUN touch src/main.rs && cargo build --release');
  } else {
    out.push(
      `FROM rust:${pick([rv, 'latest'])}`,
      'WORKDIR /usr/src/app',
      'COPY . .',
      'RUN cargo install --path .',
    );
    out.push(`CMD ["${bin}"]`);
    return out.join('\n');
  }
  out.push('');
  out.push(
    pick([
      'FROM debian:bookworm-slim AS runtime',
      'FROM gcr-mirror.example.com/distroless/cc-debian12',
      'FROM alpine:3.20',
      'FROM scratch',
    ]),
  );
  const src =
    style === 'chef'
      ? `/app/target/release/${bin}`
      : style === 'musl'
        ? `/build/target/release/${bin}`
        : `/usr/local/bin/${bin}`;
  out.push(
    `COPY --from=${style === 'chef' ? 'builder' : style === 'musl' ? 'builder' : 'build'} ${src} /usr/local/bin/${bin}`,
  );
  out.push(`ENTRYPOINT ["/usr/local/bin/${bin}"]`);
  return out.join('\n');
}

function javaApp() {
  const out = header();
  const jv = pick(['17', '21']);
  const tool = pick(['maven', 'gradle', 'maven']);
  if (tool === 'maven') {
    out.push(`FROM maven:3.9-eclipse-temurin-${jv} AS build`, 'WORKDIR /workspace');
    out.push('COPY pom.xml .');
    out.push(
      pick([
        'RUN mvn -B -q dependency:go-offline',
        'RUN --mount=type=cache,target=/root/.m2 mvn -B dependency:resolve',
        'RUN mvn dependency:go-offline',
      ]),
    );
    out.push('COPY src ./src');
    out.push(
      pick([
        'RUN mvn -B package -DskipTests',
        'RUN --mount=type=cache,target=/root/.m2 mvn -B -e package -DskipTests=true',
        'RUN mvn package',
      ]),
    );
  } else {
    out.push(`FROM gradle:8.${int(5, 10)}-jdk${jv} AS build`, 'WORKDIR /home/gradle/project');
    out.push('COPY --chown=gradle:gradle build.gradle.kts settings.gradle.kts gradle.properties ./');
    out.push('RUN gradle dependencies --no-daemon > /dev/null 2>&1 || true');
    out.push('COPY --chown=gradle:gradle . .');
    out.push(
      pick([
        'RUN gradle bootJar --no-daemon',
        'RUN --mount=type=cache,target=/home/gradle/.gradle/caches gradle build -x test --no-daemon',
        'RUN ./gradlew build',
      ]),
    );
  }
  out.push('');
  if (chance(0.3)) {
    out.push(`FROM eclipse-temurin:${jv}-jdk AS jre`);
    out.push(
      `RUN jlink --add-modules java.base,java.logging,java.sql,java.naming,jdk.unsupported \\\n    --strip-debug --no-man-pages --no-header-files --compress=2 --output /jre`,
    );
    out.push(
      '',
      'FROM debian:bookworm-slim',
      'ENV JAVA_HOME=/opt/jre PATH="/opt/jre/bin:$PATH"',
      'COPY --from=jre /jre /opt/jre',
    );
  } else out.push(`FROM eclipse-temurin:${jv}-jre${pick(['', '-alpine', '-jammy'])}`);
  out.push('WORKDIR /app');
  out.push(
    `COPY --from=build ${tool === 'maven' ? '/workspace/target/*.jar' : '/home/gradle/project/build/libs/*.jar'} app.jar`,
  );
  out.push(pick(['RUN useradd -r -u 1001 spring\nUSER spring', 'USER 1001', '']));
  out.push('EXPOSE 8080');
  if (chance(0.4)) out.push(healthcheck(8080));
  out.push(
    pick([
      'ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]',
      'ENTRYPOINT java -jar /app/app.jar',
      'ENTRYPOINT ["sh", "-c", "java $JAVA_OPTS -jar app.jar"]',
    ]),
  );
  return out.join('\n');
}

function rubyApp() {
  const out = header();
  const rv = `3.${int(1, 3)}`;
  out.push(`ARG RUBY_VERSION=${rv}`);
  out.push(`FROM ruby:$RUBY_VERSION-${pick(['slim', 'alpine', 'bookworm', 'slim-bookworm'])} AS base`);
  out.push('WORKDIR /rails');
  out.push(
    'ENV RAILS_ENV="production" \\\n    BUNDLE_DEPLOYMENT="1" \\\n    BUNDLE_PATH="/usr/local/bundle" \\\n    BUNDLE_WITHOUT="development:test"',
  );
  out.push('', 'FROM base AS build');
  out.push(aptInstall(['build-essential', 'git', 'libpq-dev', 'pkg-config', 'libyaml-dev']));
  out.push('COPY Gemfile Gemfile.lock ./');
  out.push(
    pick([
      'RUN bundle install && \\\n    rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git',
      `RUN gem install bundler -v ${ver(2, 4, 5)} && bundle install --jobs 4 --retry 3`,
      'RUN gem install bundler && bundle install',
      'RUN --mount=type=cache,target=/usr/local/bundle/cache bundle install',
    ]),
  );
  out.push('COPY . .');
  if (chance(0.6)) out.push('RUN SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile');
  out.push('', 'FROM base');
  out.push(aptInstall(['curl', 'libpq5', 'libvips']));
  out.push('COPY --from=build "${BUNDLE_PATH}" "${BUNDLE_PATH}"');
  out.push('COPY --from=build /rails /rails');
  out.push(
    'RUN groupadd --system --gid 1000 rails && \\\n    useradd rails --uid 1000 --gid 1000 --create-home --shell /bin/bash && \\\n    chown -R rails:rails db log storage tmp',
  );
  out.push('USER 1000:1000');
  out.push('ENTRYPOINT ["/rails/bin/docker-entrypoint"]');
  out.push('EXPOSE 3000');
  out.push(
    pick([
      'CMD ["./bin/rails", "server"]',
      'CMD ["./bin/thrust", "./bin/rails", "server"]',
      'CMD bundle exec puma -C config/puma.rb',
    ]),
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Base distributions

function alpineMisc() {
  const out = header();
  out.push(`FROM alpine:${pick(['3.20', '3.19.1', 'latest', 'edge', '3'])}`);
  out.push(
    pick([
      apkAdd(
        some(
          ['bash', 'curl', 'jq', 'git', 'openssh-client', 'tzdata', 'ca-certificates', 'python3', 'py3-pip'],
          2,
          5,
        ),
      ),
      'RUN apk upgrade && apk add curl',
    ]),
  );
  if (chance(0.3))
    out.push('RUN apk add --no-cache python3 py3-pip && pip3 install --break-system-packages awscli');
  if (chance(0.4))
    out.push(
      `RUN wget -O /usr/local/bin/tool ${pick(DL)}/tool/v${ver(1, 0, 9)}/tool-linux-amd64 \\\n    && chmod +x /usr/local/bin/tool`,
    );
  if (chance(0.4)) out.push(`COPY ${pick(['entrypoint.sh', 'scripts/run.sh'])} /usr/local/bin/`);
  out.push(...nonRootUser('alpine').lines);
  out.push(
    pick([
      'ENTRYPOINT ["/usr/local/bin/entrypoint.sh"]',
      'CMD ["sh"]',
      'CMD /bin/sh -c "crond -f"',
      'CMD ["tail", "-f", "/dev/null"]',
    ]),
  );
  return out.join('\n');
}

function debianMisc(distro) {
  const out = header();
  const base =
    distro === 'ubuntu'
      ? pick(['ubuntu:22.04', 'ubuntu:24.04', 'ubuntu:jammy', 'ubuntu', 'ubuntu:latest'])
      : pick(['debian:bookworm-slim', 'debian:12', 'debian:bullseye', 'debian:stable-slim', 'debian']);
  out.push(`FROM ${base}`);
  if (chance(0.5))
    out.push(pick(['ARG DEBIAN_FRONTEND=noninteractive', 'ENV DEBIAN_FRONTEND=noninteractive']));
  if (chance(0.3)) out.push('SHELL ["/bin/bash", "-o", "pipefail", "-c"]');
  const pkgs = some(
    [
      'python3',
      'python3-pip',
      'python3-venv',
      'curl',
      'wget',
      'git',
      'vim',
      'ca-certificates',
      'gnupg',
      'jq',
      'unzip',
      'locales',
      'sudo',
      'openssh-server',
    ],
    2,
    7,
  );
  out.push(
    aptInstall(pkgs, pick(['good', 'split', 'norec', 'nolists', 'setx', 'cache', 'apt', 'upgrade'])).replace(
      /^RUN apt-get/,
      chance(0.15) ? 'RUN apt' : 'RUN apt-get',
    ),
  );
  if (chance(0.3)) out.push('RUN apt-get upgrade -y');
  if (chance(0.4)) out.push(`RUN curl -fsSL ${pick(DL)}/install.sh | bash`);
  if (chance(0.3))
    out.push(`RUN curl -fsSL ${pick(DL)}/gpg.key | gpg --dearmor -o /usr/share/keyrings/example.gpg`);
  if (pkgs.includes('python3-pip'))
    out.push(
      pick([
        'RUN pip3 install --break-system-packages requests',
        'RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install requests',
      ]),
    );
  if (chance(0.4))
    out.push(
      'RUN cd /opt && git clone https://git.example.com/tools/helper.git && cd helper && make install',
    );
  if (chance(0.3))
    out.push('RUN sed -i "s/# en_US.UTF-8/en_US.UTF-8/" /etc/locale.gen && locale-gen\nENV LANG=en_US.UTF-8');
  if (chance(0.4))
    out.push(
      'RUN useradd -ms /bin/bash dev && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers\nUSER dev\nWORKDIR /home/dev',
    );
  out.push(
    pick([
      'CMD ["bash"]',
      'CMD bash',
      'ENTRYPOINT ["/usr/bin/tini", "--"]\nCMD ["/opt/run.sh"]',
      'CMD ["sleep", "infinity"]',
    ]),
  );
  return out.join('\n');
}

function ubiApp() {
  const out = header();
  const mirror = pick(INTERNAL);
  const minimal = chance(0.5);
  out.push(
    `FROM ${mirror}/ubi${pick(['8', '9'])}/${minimal ? 'ubi-minimal' : pick(['ubi', 'python-311', 'python-312'])}:${pick(['latest', '9.4', '8.10', '1-77'])}`,
  );
  if (minimal) {
    out.push(
      pick([
        'RUN microdnf install -y python3.11 python3.11-pip shadow-utils && microdnf clean all',
        'RUN microdnf install python3 && microdnf clean all',
        'RUN microdnf update -y && microdnf install -y tar gzip',
      ]),
    );
  } else {
    out.push(
      pick([
        'RUN dnf install -y gcc python3-devel && dnf clean all',
        'RUN dnf install gcc',
        'RUN yum install -y git && yum clean all',
        'RUN yum -y install python3 && rm -rf /var/cache/yum',
        'RUN dnf -y module enable nodejs:20 && dnf -y install nodejs && dnf clean all',
        'USER 0\nRUN dnf install -y --setopt=tsflags=nodocs libpq && dnf clean all\nUSER 1001',
      ]),
    );
  }
  out.push('WORKDIR /opt/app-root/src');
  out.push('COPY requirements.txt .');
  out.push('RUN pip install --no-cache-dir -r requirements.txt');
  out.push('COPY . .');
  out.push(pick(['USER 1001', 'USER default', '']));
  out.push(entry(pick(APP_NAMES), 8080));
  return out.join('\n');
}

function suseApp() {
  const out = header();
  out.push(`FROM opensuse/leap:${pick(['15.5', '15.6', 'latest'])}`);
  out.push(
    pick([
      'RUN zypper install -y python311 python311-pip && zypper clean -a',
      'RUN zypper install python3',
      'RUN zypper --non-interactive install --no-recommends curl && zypper clean',
      'RUN zypper refresh && zypper update -y',
    ]),
  );
  out.push('COPY . /srv/app', 'WORKDIR /srv/app');
  out.push('CMD ["python3", "app.py"]');
  return out.join('\n');
}

function distrolessPy() {
  const out = header();
  const py = pick(['3.11', '3.12']);
  out.push(`FROM python:${py}-slim AS build`);
  out.push('RUN python -m venv /venv');
  out.push('COPY requirements.txt /requirements.txt');
  out.push('RUN /venv/bin/pip install --disable-pip-version-check --no-cache-dir -r /requirements.txt');
  out.push(
    '',
    `FROM ${pick(INTERNAL)}/distroless/python3-debian12${pick([':nonroot', ':latest', '', `@${digest()}`])}`,
  );
  out.push('COPY --from=build /venv /venv');
  out.push('COPY . /app');
  out.push('WORKDIR /app');
  out.push(
    pick([
      'ENTRYPOINT ["/venv/bin/python3", "main.py"]',
      'ENTRYPOINT /venv/bin/python3 main.py',
      'CMD ["main.py"]',
    ]),
  );
  return out.join('\n');
}

function scratchImage() {
  const out = header();
  const variant = pick(['static', 'busybox', 'rootfs', 'data']);
  if (variant === 'rootfs') {
    out.push('FROM scratch', `ADD rootfs-${pick(['amd64', 'arm64'])}.tar.gz /`, 'CMD ["/bin/sh"]');
    return out.join('\n');
  }
  if (variant === 'data') {
    out.push(
      'FROM scratch',
      'COPY data/ /data/',
      'LABEL org.opencontainers.image.description="model weights only"',
      'VOLUME ["/data"]',
    );
    return out.join('\n');
  }
  out.push(
    `FROM ${variant === 'busybox' ? 'busybox:1.36-musl' : 'alpine:3.20'} AS ${pick(['stage0', 'prep', 'Certs'])}`,
  );
  out.push(
    'RUN mkdir -p /rootfs/tmp /rootfs/etc && echo "nobody:x:65534:65534:nobody:/:/sbin/nologin" > /rootfs/etc/passwd',
  );
  out.push('', 'FROM scratch');
  out.push(`COPY --from=${out.find((l) => l.startsWith('FROM'))?.split(' AS ')[1] ?? '0'} /rootfs /`);
  out.push('COPY bin/app /app');
  out.push('USER 65534');
  out.push(pick(['ENTRYPOINT ["/app"]', 'CMD ["/app", "--listen", ":8080"]']));
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Syntax features: heredocs, directives, Windows, ONBUILD, ARG/ENV substitution, continuations

function heredocs() {
  const out = header({ syntax: 0.9 });
  out.push(`FROM ${pick(['python:3.12-slim', 'debian:bookworm-slim', 'alpine:3.20', 'ubuntu:24.04'])}`);
  const parts = some(
    [
      'RUN <<EOF\nset -e\napt-get update\napt-get install -y --no-install-recommends curl\nrm -rf /var/lib/apt/lists/*\nEOF',
      'RUN <<-EOT\n\techo "tab-stripped"\n\tmkdir -p /app/data\n\tEOT',
      'RUN <<\'EOF\' bash\nset -euo pipefail\nfor f in /etc/*.conf; do\n  echo "$f"\ndone | sort > /tmp/confs\nEOF',
      'RUN python3 <<EOF\nimport json, pathlib\npathlib.Path("/app/config.json").write_text(json.dumps({"debug": False}))\nEOF',
      'COPY <<EOF /etc/app/app.conf\n[server]\nport = 8080\nworkers = 4\nEOF',
      'COPY <<-EOF /usr/local/bin/entrypoint.sh\n\t#!/bin/sh\n\texec "$@"\n\tEOF',
      'COPY --chmod=755 <<EOF /usr/local/bin/healthcheck\n#!/bin/sh\nwget -qO- http://localhost:8080/health\nEOF',
      'RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2\nfirst file\nFILE1\nsecond file\nFILE2',
      'RUN --mount=type=cache,target=/root/.cache/pip <<EOF\npip install --upgrade pip\npip install -r /tmp/requirements.txt\nEOF',
      'RUN <<EOF\n#!/usr/bin/env bash\nset -eux\nuseradd -m app\nchown -R app /app\nEOF',
      'RUN cat <<EOF > /etc/motd\nWelcome to $HOSTNAME\nEOF',
      'RUN <<"END"\necho "$NOT_EXPANDED"\nEND',
      'RUN <<EOF\npip install flask>=2\npip install "requests<3"\nEOF',
      'RUN <<EOF\napk add curl\ncurl -fsSL https://downloads.example.com/x.sh | sh\nEOF',
    ],
    2,
    5,
  );
  out.push('WORKDIR /app');
  out.push(...parts);
  if (chance(0.5)) out.push('COPY . .');
  out.push(
    pick([
      'CMD ["/usr/local/bin/entrypoint.sh"]',
      'CMD ["python3", "-m", "http.server"]',
      'ENTRYPOINT ["sh", "-c"]\nCMD ["cat /etc/app/app.conf"]',
    ]),
  );
  return out.join('\n');
}

function directives() {
  const out = [];
  const ds = some(
    [
      '# syntax=docker/dockerfile:1.7-labs',
      '# check=skip=JSONArgsRecommended,StageNameCasing',
      '# check=error=true',
      '#syntax=docker/dockerfile:1',
      '# Syntax = docker/dockerfile:1.6',
      '# escape=\\',
      '# check = skip=all',
    ],
    1,
    3,
  );
  out.push(...ds);
  if (chance(0.3)) out.push('# syntax=docker/dockerfile:1.5'); // duplicate: second one is a comment
  if (chance(0.3)) out.push('', '# escape=`'); // after a blank line it is just a comment
  out.push(`FROM python:${pick(PY_VERSIONS)}-slim AS ${pick(['Base', 'base', 'BASE'])}`);
  out.push('WORKDIR /app');
  const labs = ds.some((d) => d.includes('labs'));
  out.push(
    labs
      ? pick([
          'COPY --parents ./services/*/pyproject.toml /app/',
          'COPY --exclude=*.md --exclude=tests . /app',
          'COPY --parents --link src/**/__init__.py ./',
        ])
      : pick(['COPY . .', 'COPY --link . .', 'COPY --chmod=0644 config/ /etc/app/']),
  );
  out.push('RUN pip install --no-cache-dir .');
  out.push(pick(['CMD python -m app', 'CMD ["python", "-m", "app"]', 'ENTRYPOINT python -m app']));
  return out.join('\n');
}

function windows() {
  const out = [];
  const escape = chance(0.75);
  if (escape) out.push('# escape=`');
  if (chance(0.2)) out.push(`# ${pick(['Windows build agent image', 'IIS site'])}`);
  const e = escape ? '`' : '\\';
  const base = `${pick(INTERNAL)}/windows/${pick(['servercore:ltsc2022', 'servercore:ltsc2019', 'nanoserver:ltsc2022', 'server:ltsc2022'])}`;
  out.push(`FROM ${base}${chance(0.3) ? ' AS build' : ''}`);
  const ps = chance(0.7);
  if (ps)
    out.push(
      pick([
        `SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]`,
        'SHELL ["pwsh", "-NoLogo", "-NoProfile", "-Command"]',
        'SHELL ["cmd", "/S", "/C"]',
      ]),
    );
  out.push(`ENV PYTHON_VERSION=${ver(3, 10, 12)} ${e}\n    APP_HOME=C:\\app`);
  if (ps) {
    out.push(
      `RUN Invoke-WebRequest -Uri "${pick(DL)}/python-$env:PYTHON_VERSION-amd64.exe" -OutFile python.exe ; ${e}\n    Start-Process python.exe -ArgumentList '/quiet InstallAllUsers=1 PrependPath=1' -Wait ; ${e}\n    Remove-Item python.exe -Force`,
    );
    if (chance(0.5))
      out.push(
        `RUN $url = '${pick(DL)}/git.zip'; ${e}\n    # download and unpack\n    Invoke-WebRequest $url -OutFile git.zip; ${e}\n    Expand-Archive git.zip -DestinationPath C:\\git; ${e}\n    Remove-Item git.zip`,
      );
    if (chance(0.4))
      out.push(
        `RUN [Environment]::SetEnvironmentVariable('PATH', $env:PATH + ';C:\\git\\cmd', [EnvironmentVariableTarget]::Machine)`,
      );
  } else {
    out.push(
      `RUN curl.exe -fSLo python.exe ${pick(DL)}/python.exe && ${e}\n    python.exe /quiet InstallAllUsers=1 && ${e}\n    del python.exe`,
    );
    out.push('RUN setx /M PATH "%PATH%;C:\\Python312;C:\\Python312\\Scripts"');
  }
  out.push(pick(['WORKDIR C:\\app', 'WORKDIR C:/app', 'WORKDIR /app', 'WORKDIR $APP_HOME']));
  out.push(escape ? 'COPY requirements.txt C:\\app\\' : 'COPY requirements.txt C:/app/');
  out.push('RUN pip install --no-cache-dir -r requirements.txt');
  out.push(escape ? 'COPY . C:\\app' : 'COPY . C:/app');
  if (chance(0.3))
    out.push(
      `HEALTHCHECK CMD powershell -command ${e}\n    try { $r = iwr http://localhost:8000/health -UseBasicParsing; if ($r.StatusCode -eq 200) { exit 0 } else { exit 1 } } ${e}\n    catch { exit 1 }`,
    );
  out.push('EXPOSE 8000');
  out.push(pick(['USER ContainerUser', 'USER ContainerAdministrator', '']));
  out.push(
    pick([
      'CMD ["python", "C:\\\\app\\\\main.py"]',
      'CMD python main.py',
      'ENTRYPOINT ["powershell", "-File", "C:\\\\app\\\\start.ps1"]',
    ]),
  );
  return out.join('\n');
}

function onbuild() {
  const out = header();
  out.push(`FROM python:${pick(PY_VERSIONS)}-slim`);
  out.push('WORKDIR /app');
  out.push(
    ...some(
      [
        'ONBUILD COPY requirements.txt /app/',
        'ONBUILD RUN pip install --no-cache-dir -r /app/requirements.txt',
        'ONBUILD COPY . /app',
        'ONBUILD ARG APP_VERSION',
        'ONBUILD ENV APP_VERSION=${APP_VERSION:-dev}',
        'ONBUILD RUN python -m compileall /app',
        'ONBUILD USER 1000',
        'ONBUILD ONBUILD RUN echo nested',
        'onbuild run echo lowercase',
        'ONBUILD FROM alpine',
        'ONBUILD RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
        'ONBUILD HEALTHCHECK CMD curl -f http://localhost/ || exit 1',
      ],
      2,
      6,
    ),
  );
  out.push(pick(['CMD ["python", "app.py"]', 'CMD python app.py']));
  return out.join('\n');
}

function argsEnv() {
  const out = header();
  out.push(
    ...some(
      [
        `ARG PYTHON_VERSION=${pick(PY_VERSIONS)}`,
        'ARG DISTRO=bookworm',
        `ARG REGISTRY=${pick(INTERNAL)}`,
        'ARG BASE_IMAGE',
        'ARG BUILDPLATFORM',
        'ARG VERSION=0.0.0-dev',
      ],
      2,
      5,
    ),
  );
  const from = pick([
    'FROM ${REGISTRY}/python:${PYTHON_VERSION}-slim-${DISTRO} AS base',
    'FROM python:${PYTHON_VERSION:-3.12}-slim AS base',
    'FROM ${BASE_IMAGE:-debian:bookworm-slim} AS base',
    'FROM $REGISTRY/python:$PYTHON_VERSION AS base',
    'FROM --platform=$BUILDPLATFORM python:${PYTHON_VERSION}-${DISTRO} AS base',
    'FROM python:${UNDEFINED_VERSION}-slim AS base',
    'FROM --platform=linux/amd64 python:3.12 AS base',
  ]);
  out.push(from);
  out.push(
    ...some(
      [
        'ARG VERSION',
        'ARG PYTHON_VERSION',
        'ENV APP_HOME=/srv/app APP_VERSION=${VERSION}',
        'ENV PATH="${APP_HOME}/.venv/bin:${PATH}"',
        'ENV PIP_INDEX_URL=${PIP_INDEX_URL:-https://packages.example.com/simple}',
        'ENV FEATURE_FLAGS=${FLAGS:+--with-$FLAGS}',
        'ARG GIT_SHA\nLABEL org.opencontainers.image.revision=$GIT_SHA',
        'ENV LD_LIBRARY_PATH=/opt/lib:$LD_LIBRARY_PATH',
        'ARG TARGETARCH\nRUN echo "building for ${TARGETARCH}"',
        'ENV A=1 B=$A C="${A}-${B}"',
        'ENV QUOTED=\'single $NOT_EXPANDED\' DQ="double ${A}"',
        'ENV ESCAPED=\\$HOME',
        'ARG SECRET_TOKEN\nRUN pip install --index-url https://user:${SECRET_TOKEN}@packages.example.com/simple app',
        'ENV DATABASE_PASSWORD=changeme',
        'ARG AWS_SECRET_ACCESS_KEY',
        'ENV API_KEY=${API_KEY}',
      ],
      3,
      7,
    ),
  );
  out.push('WORKDIR ${APP_HOME:-/app}');
  out.push('COPY . $APP_HOME');
  out.push(
    pick([
      'RUN pip install --no-cache-dir .',
      'RUN pip install --no-cache-dir "app==${VERSION}"',
      'RUN echo $VERSION > /version',
    ]),
  );
  if (chance(0.5))
    out.push('', 'FROM base AS test', 'RUN pip install pytest && pytest -q', '', 'FROM base AS final');
  out.push('CMD ["python", "-m", "app"]');
  return out.join('\n');
}

function continuations() {
  const out = header();
  out.push(`FROM ${pick(['debian:bookworm-slim', 'ubuntu:24.04', 'python:3.12-slim'])}`);
  const n = int(8, 30);
  const pkgs = Array.from(
    { length: n },
    (_, i) =>
      pick(['lib', 'python3-', 'x11-', 'fonts-']) +
      pick(['foo', 'bar', 'baz', 'qux', 'xml', 'yaml', 'jpeg', 'png', 'ssl', 'ffi']) +
      i,
  );
  const lines = [
    'RUN set -eux; \\',
    '    # refresh package lists',
    '    apt-get update; \\',
    '    apt-get install -y --no-install-recommends \\',
  ];
  for (const p of pkgs) {
    if (chance(0.15))
      lines.push(`        # ${pick(['needed by the image renderer', 'runtime only', 'TODO remove'])}`);
    if (chance(0.05)) lines.push(''); // empty continuation line
    lines.push(`        ${p} \\`);
  }
  lines.push(
    '    ; \\',
    '    rm -rf /var/lib/apt/lists/*; \\',
    '    # sanity check',
    '    python3 --version',
  );
  out.push(lines.join('\n'));
  const cmds = Array.from({ length: int(5, 25) }, () =>
    pick([
      'mkdir -p /opt/app',
      'chmod 755 /opt/app',
      'ln -sf /usr/bin/python3 /usr/bin/python',
      'echo ok',
      'true',
      'rm -rf /tmp/*',
      'cd /opt && ls',
      'export X=1',
      'test -d /opt || exit 1',
    ]),
  );
  out.push(
    `RUN ${cmds.join(pick([' \\\n    && ', ' && \\\n    ', ' ; \\\n    ', ' \\\n # comment in the middle\n    && ']))}`,
  );
  if (chance(0.5)) out.push('RUN echo one\nRUN echo two\nRUN echo three');
  if (chance(0.3)) out.push('RUN echo "trailing backslash at end of file" \\');
  else out.push('CMD ["bash"]');
  return out.join('\n');
}

function badPractice() {
  const out = [];
  const items = some(
    [
      'MAINTAINER someone@example.com',
      'FROM ubuntu:latest',
      'from python as Build',
      'RUN sudo apt-get install -y vim',
      'RUN cd /app && make',
      'ADD https://downloads.example.com/tool.tar.gz /tmp/',
      'ADD app.tar.gz /opt/',
      'RUN curl https://downloads.example.com/install.sh | bash',
      'RUN wget https://downloads.example.com/a && curl -O https://downloads.example.com/b',
      'ENV SECRET_KEY=supersecret',
      'ARG GITHUB_TOKEN',
      'COPY .env /app/.env',
      'COPY id_rsa /root/.ssh/id_rsa',
      'COPY .git /app/.git',
      'CMD python app.py\nCMD ["python", "other.py"]',
      'ENTRYPOINT ./start.sh\nENTRYPOINT ["./start.sh"]',
      'EXPOSE 80000',
      'EXPOSE 8080/TCP',
      'EXPOSE ${PORT:-8080}',
      'run echo lowercase',
      'Copy . .',
      'WORKDIR relative/path',
      'USER root',
      'RUN apt-get install python3',
      'RUN apt-get update\nRUN apt-get install -y curl',
      'RUN apt-get dist-upgrade -y',
      'RUN yum install httpd',
      'RUN zypper install nginx',
      'RUN apk add --update bash',
      'RUN pip install flask',
      'RUN pip install flask>=2.0 requests<3',
      'RUN npm install express',
      'RUN gem install rails',
      'RUN go get example.com/tool',
      'RUN ["/bin/bash", "-c", "echo hi"]',
      "CMD ['python', 'app.py']",
      'RUN ln -s /bin/bash /bin/sh',
      'RUN wget -O - https://downloads.example.com/x | tar xz',
      'RUN shutdown -h now',
      'RUN ssh-keyscan example.com >> ~/.ssh/known_hosts',
      'COPY --from=nonexistent /x /x',
      'COPY --from=builder /a /a',
      'HEALTHCHECK CMD true\nHEALTHCHECK CMD false',
      'RUN chmod -R 777 /app',
      'RUN rm -rf / --no-preserve-root || true',
      'ENV PATH $PATH:/opt/bin',
      'ENV PYTHONPATH=$PYTHONPATH:/app',
      'STOPSIGNAL SIGKILL',
      'STOPSIGNAL 9',
      'VOLUME /data /logs',
      'VOLUME ["/data"]',
      'SHELL ["/bin/sh", "-c"]\nRUN cat /etc/os-release | grep ID',
      'RUN echo $((1+2)) > /n',
      'ONBUILD RUN echo built',
      'RUN pip install -r requirements-dev.txt',
      'RUN pip install --upgrade pip',
      'RUN pip install -e .',
      'RUN pip install git+https://git.example.com/lib.git',
      'RUN poetry install',
      'RUN uv sync',
      'RUN uv pip install -r pyproject.toml',
      'ARG PASSWORD=hunter2',
      'LABEL invalid key=value',
      'COPY package.json yarn.lock /app',
      'COPY *.py /app',
      'COPY a b c',
      'RUN --network=none pip install flask',
      'RUN --security=insecure mount -t tmpfs none /mnt',
      'RUN --mount=type=secret,id=netrc,target=/root/.netrc pip install private-pkg',
      'RUN --mount=type=ssh git clone git@git.example.com:team/repo.git',
      'RUN --mount=type=tmpfs,target=/tmp make',
      'RUN --mount=type=cache,target=/root/.cache/pip,uid=1000 pip install -r requirements.txt',
      'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked',
      'RUN mkdir /app; cd /app; git clone https://git.example.com/x.git',
    ],
    6,
    16,
  );
  if (!items.some((x) => /^from /i.test(x)))
    out.push(pick(['FROM python', 'FROM python:3.12-slim AS builder', 'FROM debian']));
  out.push(...items.filter((x) => /^from /i.test(x)));
  out.push(...items.filter((x) => !/^from /i.test(x)));
  if (chance(0.3)) out.push('', 'FROM builder AS second', 'FROM second', 'RUN echo done');
  if (chance(0.3)) out.push('FROM builder AS builder');
  return out.join('\n');
}

function monorepo() {
  const out = header({ syntax: 0.8 });
  const svcs = some(['api', 'worker', 'scheduler', 'web', 'admin'], 2, 4);
  out.push(`FROM python:${pick(PY_VERSIONS)}-slim AS base`);
  out.push('ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1');
  out.push('RUN pip install --no-cache-dir uv');
  out.push('WORKDIR /repo');
  out.push('COPY pyproject.toml uv.lock ./');
  for (const s of svcs) out.push(`COPY services/${s}/pyproject.toml services/${s}/`);
  out.push(
    'RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-install-workspace --all-packages',
  );
  out.push('COPY . .');
  for (const s of svcs) {
    out.push('', `FROM base AS ${s}`);
    out.push(`RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --package ${s} --no-dev`);
    out.push(`CMD ["uv", "run", "--package", "${s}", "python", "-m", "${s}"]`);
  }
  return out.join('\n');
}

function mlImage() {
  const out = header();
  out.push(
    `FROM ${pick(['nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04', 'pytorch/pytorch:2.3.1-cuda12.1-cudnn8-runtime', `${pick(INTERNAL)}/ml/cuda:12.4`])}`,
  );
  out.push('ENV DEBIAN_FRONTEND=noninteractive');
  out.push(aptInstall(['python3', 'python3-pip', 'git', 'ffmpeg', 'libsm6', 'libxext6']));
  out.push('WORKDIR /workspace');
  out.push('COPY requirements.txt .');
  out.push(
    pick([
      'RUN pip3 install --no-cache-dir torch torchvision --index-url https://wheels.example.com/cu121',
      'RUN --mount=type=cache,target=/root/.cache/pip pip3 install -r requirements.txt',
      'RUN pip3 install -r requirements.txt',
    ]),
  );
  out.push(pick(['COPY . .', 'COPY models/ ./models/\nCOPY src/ ./src/']));
  out.push(
    pick([
      'ADD https://models.example.com/weights/v3.bin /workspace/models/',
      `ADD --checksum=sha256:${hex(64)} https://models.example.com/weights/v3.bin /workspace/models/`,
      '',
    ]),
  );
  out.push('CMD ["python3", "-m", "src.serve"]');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Assemble

const KINDS = [
  ['python-pip', 30, pythonPip],
  ['python-piptools', 14, pythonPipTools],
  ['python-uv', 30, pythonUv],
  ['python-poetry', 20, pythonPoetry],
  ['python-pdm', 12, pythonPdm],
  ['python-pipenv', 12, pythonPipenv],
  ['python-conda', 14, pythonConda],
  ['python-distroless', 8, distrolessPy],
  ['python-monorepo', 6, monorepo],
  ['python-ml', 8, mlImage],
  ['node-npm', 14, () => nodeApp('npm')],
  ['node-yarn', 12, () => nodeApp('yarn')],
  ['node-pnpm', 12, () => nodeApp('pnpm')],
  ['go', 16, goApp],
  ['rust', 12, rustApp],
  ['java', 12, javaApp],
  ['ruby', 10, rubyApp],
  ['alpine', 12, alpineMisc],
  ['debian', 12, () => debianMisc('debian')],
  ['ubuntu', 10, () => debianMisc('ubuntu')],
  ['ubi', 10, ubiApp],
  ['suse', 5, suseApp],
  ['scratch', 8, scratchImage],
  ['heredoc', 16, heredocs],
  ['directives', 12, directives],
  ['windows', 16, windows],
  ['onbuild', 10, onbuild],
  ['args', 14, argsEnv],
  ['continuation', 12, continuations],
  ['bad', 24, badPractice],
];

const DOCKERIGNORES = [
  '.git\n.venv\n__pycache__/\n*.pyc\n.env\ntests/\n',
  '# keep the context small\n**/__pycache__\n**/*.py[cod]\n.git\n.mypy_cache\n.pytest_cache\nnode_modules\n!README.md\n',
  '*\n!src/\n!pyproject.toml\n!uv.lock\n!README.md\n',
  'node_modules\nnpm-debug.log\n.git\ndist\n',
  '.git\n', // keeps .venv, tests, ...
  '# nothing ignored on purpose\n',
];

// Small sample project files, so context listing and COPY source checks have something to see.
const CONTEXT_FILES = {
  'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = ["flask"]\n',
  'requirements.txt': 'flask==3.0.3\ngunicorn==22.0.0\n',
  'src/app/__init__.py': '',
  'src/app/main.py': 'print("hello")\n',
  'tests/test_app.py': 'def test_ok():\n    assert True\n',
  '.env': 'SECRET=not-a-real-secret\n',
};

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const write = (rel, text) => {
  const full = join(OUT, rel);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
};

let total = 0;
let ctxDirs = 0;
const seen = new Set();
for (const [kind, count, gen] of KINDS) {
  for (let i = 1; i <= count; i++) {
    let text = gen();
    // Rare re-rolls keep the corpus free of exact duplicates.
    for (let tries = 0; seen.has(text) && tries < 20; tries++) text = gen();
    seen.add(text);
    text = `${text.replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '')}\n`;
    if (chance(0.05)) text = text.replace(/\n/g, '\r\n'); // some files with CRLF line ends
    if (chance(0.03)) text = text.trimEnd(); // no final newline
    const id = String(i).padStart(3, '0');
    const where = rnd();
    if (where < 0.1 && kind !== 'windows') {
      // A project directory with its own .dockerignore and a few files.
      const dir = `projects/${kind}-${id}`;
      write(`${dir}/${pick(['Dockerfile', 'Dockerfile', 'Containerfile', 'Dockerfile.prod'])}`, text);
      write(`${dir}/.dockerignore`, pick(DOCKERIGNORES));
      for (const [p, c] of Object.entries(CONTEXT_FILES)) if (chance(0.7)) write(`${dir}/${p}`, c);
      ctxDirs++;
    } else if (where < 0.14) {
      // BuildKit's per-Dockerfile ignore file beside the Dockerfile.
      write(`${kind}-${id}.Dockerfile`, text);
      write(`${kind}-${id}.Dockerfile.dockerignore`, pick(DOCKERIGNORES));
      ctxDirs++;
    } else write(`${kind}-${id}.Dockerfile`, text);
    total++;
  }
}
write(
  'README.md',
  `# Dockerfile corpus\n\nGenerated by \`node scripts/gen-corpus.mjs --seed ${SEED}\`; do not edit by hand, change the\ngenerator and regenerate. ${total} Dockerfiles written for layerwise from fragments of its own\n(good and bad practice on purpose). Used by test/unit/fuzz.test.ts and \`npm run bench:lint\`.\n`,
);
console.log(`wrote ${total} Dockerfiles (${ctxDirs} with their own ignore file) to ${OUT}`);
