#!/usr/bin/env node
// npm run bench:init: for each fixture project, the image `layerwise init` writes next to two
// reference layouts, measured by `layerwise bench` itself (same engine, base image and index):
//   - "docker init": the pattern docker init writes for Python (one stage, dependencies from a
//     requirements.txt bind mount with a pip cache mount, then `COPY . .`), written here from its
//     documented template; requirements.txt is the lock's pinned production packages;
//   - "uv example": the layout of uv's multistage example (a builder syncs dependencies, copies
//     the project, syncs it; the final stage copies /app, environment and code, in one COPY),
//     with each fixture's own manager in place of uv where it is not uv.
// Each reference is benched as the project's Dockerfile `--against init` (init's files generated
// in memory by bench), scenarios cold, warm and code-change, interleaved, medians of
// BENCH_REPEAT runs (default 1). Figures: final image size, the three median times, and the gzip
// bytes a host holding the warm image pulls after the code change (bench's deploy bytes,
// containerd store). Needs the test world (scripts/world/up). Usage: bench-init.mjs [FIXTURE...]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { worldEnv } from './world-env.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(root, 'dist/bundle/main.js');
const { detectProject } = await import(join(root, 'dist/src/project/index.js'));

const env = worldEnv(root, 'bench:init');
const INDEX = env.WORLD_INDEX_URL;
const REPEAT = process.env.BENCH_REPEAT ?? '1';
const only = process.argv.slice(2);
const FIXTURES = [
  'fastapi-uv',
  'django-poetry',
  'flask-piptools',
  'pdm-starlette',
  'scm-version',
  'uv-workspace',
  'data-app',
].filter((f) => !only.length || only.includes(f));
const BUILD_ARGS = {
  PIP_INDEX_URL: INDEX,
  UV_INDEX_URL: INDEX,
  INDEX_URL: INDEX,
  UV_IMAGE: env.WORLD_UV_IMAGE,
  APP_VERSION: '1.0.0',
  SETUPTOOLS_SCM_PRETEND_VERSION: '1.0.0',
};

/** Pinned production packages of the lock, for the docker init pattern's requirements.txt. */
function requirementsFromLock(p) {
  const text = p.lockFile ? readFileSync(join(p.dir, p.lockFile), 'utf8') : '';
  if (p.manager === 'pip' || p.manager === 'pip-tools') return text;
  const blocks = text.split(/^\[\[package\]\]\s*$/m).slice(1);
  const pkgs = blocks.map((b) => ({
    name: /^name\s*=\s*"([^"]+)"/m.exec(b)?.[1],
    version: /^version\s*=\s*"([^"]+)"/m.exec(b)?.[1],
    registry: !/source = \{ (editable|virtual|directory)/.test(b),
    groups: /^groups\s*=\s*\[([^\]]*)\]/m.exec(b)?.[1] ?? '',
    deps: [...(/^dependencies = \[([\s\S]*?)^\]/m.exec(b)?.[1] ?? '').matchAll(/name = "([^"]+)"/g)].map((m) => m[1]),
  }));
  let keep;
  if (p.manager === 'uv') {
    // Reachable from the project (or the selected workspace member) through main dependencies.
    const byName = new Map(pkgs.map((x) => [x.name, x]));
    const start = p.workspace?.selected?.name ?? p.name;
    keep = new Set();
    const visit = (n) => {
      if (keep.has(n) || !byName.has(n)) return;
      keep.add(n);
      for (const d of byName.get(n).deps) visit(d);
    };
    visit(start);
  } else {
    keep = new Set(pkgs.filter((x) => !x.groups || /"(main|default)"/.test(x.groups)).map((x) => x.name));
  }
  return `${pkgs
    .filter((x) => x.registry && keep.has(x.name) && x.version)
    .map((x) => `${x.name}==${x.version}`)
    .join('\n')}\n`;
}

function dockerInitFiles(p) {
  const cmd = JSON.stringify(p.app.command);
  return {
    'bench-docker-init.Dockerfile': `ARG PYTHON_VERSION=${p.python.version}
FROM python:\${PYTHON_VERSION}-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1
ENV PYTHONUNBUFFERED=1
WORKDIR /app
ARG UID=10001
RUN adduser --disabled-password --gecos "" --home "/nonexistent" --shell "/sbin/nologin" --no-create-home --uid "\${UID}" appuser
ARG PIP_INDEX_URL
RUN --mount=type=cache,target=/root/.cache/pip \\
    --mount=type=bind,source=bench-requirements.txt,target=requirements.txt \\
    python -m pip install -r requirements.txt
USER appuser
COPY . .
EXPOSE 8000
CMD ${cmd}
`,
    'bench-requirements.txt': requirementsFromLock(p),
  };
}

function uvExampleFile(p) {
  const cmd = JSON.stringify(p.app.command);
  const pkg = p.workspace?.selected ? ` --package ${p.workspace.selected.name}` : '';
  const deps = p.depFiles.map((f) => `--mount=type=bind,source=${f},target=${f}`).join(' \\\n    ');
  let builder;
  if (p.manager === 'uv') {
    builder = `ARG UV_IMAGE
FROM \${UV_IMAGE} AS uv
FROM python:${p.python.version}-slim AS builder
COPY --from=uv /uv /uvx /bin/
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=0
ARG UV_INDEX_URL
ARG SETUPTOOLS_SCM_PRETEND_VERSION
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \\
    ${deps} \\
    uv sync --locked ${p.workspace ? '--no-install-workspace' : '--no-install-project'} --no-dev${pkg}
COPY . /app
RUN --mount=type=cache,target=/root/.cache/uv \\
    uv sync --locked --no-dev${pkg}
`;
  } else if (p.manager === 'poetry') {
    builder = `FROM python:${p.python.version}-slim AS builder
ARG PIP_INDEX_URL
RUN --mount=type=cache,target=/root/.cache/pip pip install "poetry==${p.managerVersion}"
ENV POETRY_VIRTUALENVS_IN_PROJECT=true POETRY_NO_INTERACTION=1
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/pypoetry \\
    ${deps} \\
    poetry sync --only main --no-root
COPY . /app
RUN --mount=type=cache,target=/root/.cache/pypoetry poetry sync --only main
`;
  } else if (p.manager === 'pdm') {
    builder = `FROM python:${p.python.version}-slim AS builder
ARG PIP_INDEX_URL
RUN --mount=type=cache,target=/root/.cache/pip pip install "pdm==${p.managerVersion}"
ENV PDM_CHECK_UPDATE=false
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/pdm \\
    ${deps} \\
    pdm install --check --prod --frozen-lockfile --no-self
COPY . /app
RUN --mount=type=cache,target=/root/.cache/pdm pdm install --check --prod --frozen-lockfile
`;
  } else {
    builder = `FROM python:${p.python.version}-slim AS builder
WORKDIR /app
RUN python -m venv /app/.venv
RUN --mount=type=cache,target=/root/.cache/pip \\
    --mount=type=bind,source=requirements.txt,target=requirements.txt \\
    /app/.venv/bin/pip install --require-hashes -r requirements.txt
COPY . /app
`;
  }
  return {
    'bench-uv-example.Dockerfile': `${builder}
FROM python:${p.python.version}-slim
RUN groupadd --system --gid 999 nonroot && useradd --system --gid 999 --uid 999 --create-home nonroot
COPY --from=builder --chown=nonroot:nonroot /app /app
ENV PATH="/app/.venv/bin:$PATH"${p.isPackage ? '' : p.layout === 'src' ? ' PYTHONPATH=/app/src' : ''}
USER nonroot
WORKDIR /app
CMD ${cmd}
`,
  };
}

const DOCKER_INIT_IGNORE =
  '**/.DS_Store\n**/__pycache__\n**/.venv\n**/.classpath\n**/.dockerignore\n**/.env\n**/.git\n**/.gitignore\n**/.project\n**/.settings\n**/.toolstarget\n**/.vs\n**/.vscode\n**/*.*proj.user\n**/*.dbmdl\n**/*.jfm\n**/bin\n**/charts\n**/docker-compose*\n**/compose.y*ml\n**/Dockerfile*\n**/node_modules\n**/npm-debug.log\n**/obj\n**/secrets.dev.yaml\n**/values.dev.yaml\nLICENSE\nREADME.md\n';

/** The reference layouts: the files each adds to the project's copy (its Dockerfile as `Dockerfile`). */
const REFERENCES = {
  'docker init': (p) => {
    const files = dockerInitFiles(p);
    return {
      Dockerfile: files['bench-docker-init.Dockerfile'],
      'bench-requirements.txt': files['bench-requirements.txt'],
      '.dockerignore': DOCKER_INIT_IGNORE.replace('**/Dockerfile*\n', ''),
    };
  },
  'uv example': (p) => ({
    Dockerfile: uvExampleFile(p)['bench-uv-example.Dockerfile'],
    '.dockerignore': '.venv\n.git\n__pycache__\n',
  }),
};

/** One `layerwise bench DIR --against init` run; its JSON result. */
function bench(dir) {
  const args = [CLI, 'bench', dir, '--against', 'init', '--scenarios', 'cold,warm,code-change', '--repeat', REPEAT];
  args.push('--format', 'json', '--no-history', '--network', 'host');
  for (const [k, v] of Object.entries(BUILD_ARGS)) args.push('--build-arg', `${k}=${v}`);
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    // The world's docker CLI (BuildKit built in) first on PATH.
    env: {
      ...process.env,
      PATH: `${dirname(env.WORLD_DOCKER)}:${process.env.PATH}`,
      DOCKER_HOST: env.WORLD_DOCKER_HOST,
      DOCKER_BUILDKIT: '1',
      NO_COLOR: '1',
    },
  });
  if (r.status !== 0) throw new Error(`layerwise bench failed:\n${(r.stderr || '').split('\n').slice(-15).join('\n')}`);
  return JSON.parse(r.stdout);
}

/** One table row's figures from a bench result's scenarios of one variant. */
function figures(result, variant) {
  const s = Object.fromEntries(result.scenarios.filter((x) => x.variant === variant).map((x) => [x.name, x]));
  return {
    size: s.warm.imageBytes,
    cold: s.cold.time.median_s,
    warm: s.warm.time.median_s,
    incr: s['code-change'].time.median_s,
    shipped: s['code-change'].deploy?.gzip.containerd ?? null,
  };
}

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const human = (n) =>
  n === null ? '?' : n < 10_000 ? `${n} B` : n < 10_000_000 ? `${(n / 1000).toFixed(1)} kB` : mb(n);
const line = (fixture, layout, r) =>
  console.log(
    `| ${fixture} | ${layout} | ${mb(r.size)} | ${r.cold.toFixed(1)} s | ${r.warm.toFixed(1)} s | ${r.incr.toFixed(1)} s | ${human(r.shipped)} |`,
  );
const rows = [];
console.log(`medians of ${REPEAT} run(s) each; init's row is from its run next to docker init's pattern`);
console.log(
  '| fixture | layout | image size | cold build | warm rebuild | code change: rebuild | code change ships (gzip) |',
);
console.log('|---|---|---|---|---|---|---|');
for (const fixture of FIXTURES) {
  let initShown = false;
  for (const [layout, files] of Object.entries(REFERENCES)) {
    const tmp = mkdtempSync(join(tmpdir(), `bench-init-${fixture}-`));
    const dir = join(tmp, fixture);
    try {
      cpSync(join(root, 'test/fixtures/projects', fixture), dir, { recursive: true });
      for (const [f, text] of Object.entries(files(detectProject(dir)))) writeFileSync(join(dir, f), text);
      const result = bench(dir);
      if (!initShown) {
        const r = figures(result, 'against');
        line(fixture, 'layerwise init', r);
        rows.push({ fixture, variant: 'layerwise init', ...r });
        initShown = true;
      }
      const r = figures(result, 'subject');
      line(fixture, layout, r);
      rows.push({ fixture, variant: layout, ...r, ratios: result.ratios });
    } catch (e) {
      console.log(
        `| ${fixture} | ${layout} | failed: ${String(e.message)
          .split('\n')
          .filter((l) => l.trim())
          .slice(-1)[0]
          .slice(0, 100)} | | | | |`,
      );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows, null, 2));
