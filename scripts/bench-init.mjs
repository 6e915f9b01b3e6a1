#!/usr/bin/env node
// npm run bench:init: for each fixture project, the image `layerwise init` writes next to two
// reference layouts built the same way (same engine, same base image, same index):
//   - "docker init": the pattern docker init writes for Python (one stage, dependencies from a
//     requirements.txt bind mount with a pip cache mount, then `COPY . .`), written here from its
//     documented template; requirements.txt is the lock's pinned production packages;
//   - "uv example": the layout of uv's multistage example (a builder syncs dependencies, copies
//     the project, syncs it; the final stage copies /app, environment and code, in one COPY),
//     with each fixture's own manager in place of uv where it is not uv.
// Figures: final image size, cold build (--no-cache and a fresh build arg in every stage; cache
// mounts stay warm), warm rebuild (no change), and the gzip bytes of the layers a one-line code change makes new (what a host holding
// the previous image pulls). Needs the test world (scripts/world/up).
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { runInit } = await import(join(root, 'dist/src/cli/init.js'));
const { detectProject } = await import(join(root, 'dist/src/project/index.js'));

const envFile = join(root, '.world', 'env');
let env;
try {
  env = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .map((l) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
} catch {
  console.error(`bench:init: the test world is not up (${envFile} is missing): run scripts/world/up`);
  process.exit(2);
}
const DOCKER = env.WORLD_DOCKER;
const INDEX = env.WORLD_INDEX_URL;
const only = process.argv.slice(2);
const FIXTURES = ['fastapi-uv', 'django-poetry', 'flask-piptools', 'pdm-starlette', 'scm-version', 'uv-workspace', 'data-app'].filter(
  (f) => !only.length || only.includes(f),
);
const CODE_FILE = {
  'fastapi-uv': 'src/shop_api/main.py',
  'django-poetry': 'health/views.py',
  'flask-piptools': 'app.py',
  'pdm-starlette': 'src/status_board/app.py',
  'scm-version': 'src/greeter/cli.py',
  'uv-workspace': 'services/api/src/acme_api/__init__.py',
  'data-app': 'src/data_app/__main__.py',
};

function docker(args, opts = {}) {
  const r = spawnSync(DOCKER, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, DOCKER_BUILDKIT: '1' }, ...opts });
  if (r.status !== 0) throw new Error(`docker ${args.slice(0, 3).join(' ')} failed:\n${(r.stderr || '').split('\n').slice(-25).join('\n')}`);
  return r.stdout;
}

function buildTimed(dir, dockerfile, tag, noCache, extraArgs = {}) {
  const args = ['build', '--progress', 'plain', '--network', 'host', '-f', dockerfile, '-t', tag];
  if (noCache) args.push('--no-cache');
  const buildArgs = { PIP_INDEX_URL: INDEX, UV_INDEX_URL: INDEX, INDEX_URL: INDEX, UV_IMAGE: env.WORLD_UV_IMAGE, APP_VERSION: '1.0.0', SETUPTOOLS_SCM_PRETEND_VERSION: '1.0.0', ...extraArgs };
  for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
  args.push(dir);
  const t0 = performance.now();
  docker(args);
  return (performance.now() - t0) / 1000;
}

const layers = (tag) => JSON.parse(docker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag]));
const sizeOf = (tag) => Number(docker(['image', 'inspect', '--format', '{{.Size}}', tag]).trim());

function shippedBytes(oldTag, newTag) {
  const old = new Set(layers(oldTag));
  const all = layers(newTag);
  const fresh = all.map((d, i) => ({ d, i })).filter(({ d }) => !old.has(d));
  if (!fresh.length) return 0;
  const tmp = mkdtempSync(join(tmpdir(), 'bench-init-save-'));
  try {
    const archive = join(tmp, 'image.tar');
    docker(['save', '-o', archive, newTag]);
    spawnSync('tar', ['-C', tmp, '-xf', archive, 'manifest.json']);
    const manifest = JSON.parse(readFileSync(join(tmp, 'manifest.json'), 'utf8'));
    let bytes = 0;
    for (const { i } of fresh) {
      const member = manifest[0].Layers[i];
      spawnSync('tar', ['-C', tmp, '-xf', archive, member]);
      bytes += gzipSync(readFileSync(join(tmp, member))).length;
      rmSync(join(tmp, member), { force: true });
    }
    return bytes;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

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

const quiet = { out: () => {}, err: () => {} };
const VARIANTS = {
  'layerwise init': async (dir) => {
    await runInit(dir, {}, quiet);
    return join(dir, 'Dockerfile');
  },
  'docker init': (dir) => {
    const p = detectProject(dir);
    for (const [f, c] of Object.entries(dockerInitFiles(p))) writeFileSync(join(dir, f), c);
    writeFileSync(join(dir, '.dockerignore'), '**/.DS_Store\n**/__pycache__\n**/.venv\n**/.classpath\n**/.dockerignore\n**/.env\n**/.git\n**/.gitignore\n**/.project\n**/.settings\n**/.toolstarget\n**/.vs\n**/.vscode\n**/*.*proj.user\n**/*.dbmdl\n**/*.jfm\n**/bin\n**/charts\n**/docker-compose*\n**/compose.y*ml\n**/Dockerfile*\n**/node_modules\n**/npm-debug.log\n**/obj\n**/secrets.dev.yaml\n**/values.dev.yaml\nLICENSE\nREADME.md\n');
    return join(dir, 'bench-docker-init.Dockerfile');
  },
  'uv example': (dir) => {
    const p = detectProject(dir);
    for (const [f, c] of Object.entries(uvExampleFile(p))) writeFileSync(join(dir, f), c);
    writeFileSync(join(dir, '.dockerignore'), '.venv\n.git\n__pycache__\n');
    return join(dir, 'bench-uv-example.Dockerfile');
  },
};

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const human = (n) => (n < 10_000 ? `${n} B` : n < 10_000_000 ? `${(n / 1000).toFixed(1)} kB` : mb(n));
const rows = [];
console.log('| fixture | layout | image size | cold build | warm rebuild | code change: rebuild | code change ships (gzip) |');
console.log('|---|---|---|---|---|---|---|');
for (const fixture of FIXTURES) {
  for (const [variant, prep] of Object.entries(VARIANTS)) {
    let r;
    try {
      r = await measureAsync(fixture, variant, prep);
      console.log(`| ${fixture} | ${variant} | ${mb(r.size)} | ${r.cold.toFixed(1)} s | ${r.warm.toFixed(1)} s | ${r.incr.toFixed(1)} s | ${human(r.shipped)} |`);
    } catch (e) {
      console.log(`| ${fixture} | ${variant} | build failed: ${String(e.message).split('\n').filter((l) => l.trim()).slice(-1)[0].slice(0, 100)} | | | | |`);
    }
    rows.push({ fixture, variant, ...r });
  }
}

async function measureAsync(fixture, variant, prepare) {
  const tmp = mkdtempSync(join(tmpdir(), `bench-init-${fixture}-`));
  const dir = join(tmp, fixture);
  cpSync(join(root, 'test/fixtures/projects', fixture), dir, { recursive: true });
  try {
    const dockerfile = await prepare(dir);
    const tag = (n) => `layerwise-bench/init-${fixture}-${variant.replace(/\W+/g, '-')}:${n}`;
    // The cold build runs a copy of the Dockerfile (outside the context) whose stages declare a
    // fresh BENCH_NONCE: its cache records never answer for the measured builds below, so a cold
    // build cannot leave a second cache record that a later build might pick instead.
    const cold = join(tmp, 'cold.Dockerfile');
    writeFileSync(cold, readFileSync(dockerfile, 'utf8').replace(/^(FROM .*)$/gm, '$1\nARG BENCH_NONCE'));
    const coldTime = buildTimed(dir, cold, tag(0), true, { BENCH_NONCE: `${Date.now()}-${Math.random()}` });
    docker(['image', 'rm', '-f', tag(0)]);
    buildTimed(dir, dockerfile, tag(1), false);
    const warm = buildTimed(dir, dockerfile, tag(1), false);
    const size = sizeOf(tag(1));
    appendFileSync(join(dir, CODE_FILE[fixture]), `\nCHANGED_BY_BENCH = "${Date.now()}"\n`);
    const incr = buildTimed(dir, dockerfile, tag(2), false);
    const shipped = shippedBytes(tag(1), tag(2));
    docker(['image', 'rm', '-f', tag(1), tag(2)]);
    return { size, cold: coldTime, warm, incr, shipped };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows, null, 2));
