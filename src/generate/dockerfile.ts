/**
 * Writes the Dockerfile (and, with --split-base, Dockerfile.base) for a Python project.
 *
 * Shape: `deps` installs the locked dependencies from only the manifest and the lock (bind mounts,
 * a cache mount for the manager); `build` installs the project itself non-editable into a prefix
 * and splits it into metadata and code; `runtime` takes the environment in one layer, the
 * project's metadata in a second and its code in a small last layer. Build tools stay in the
 * build stages. Only the subset of the Dockerfile syntax that Docker 20.10's built-in BuildKit
 * frontend accepts is used (no heredocs, no COPY --link, no `# syntax=` line), unless the target
 * engine is known to be newer.
 */
import type { PythonProject } from '../project/types.js';

export interface DockerfileOptions {
  /** Use features of the Dockerfile frontend that Docker 23+ ships (COPY --link). */
  modern?: boolean;
  /** Force a HEALTHCHECK path (web apps) even when none was found in the code. */
  healthcheck?: string | false;
  /** Write the dev target. Default true. */
  dev?: boolean;
}

export const APP_UID = 10001;
const VENV = '/app/.venv';

/** Lines joined into a RUN with continuation. */
function run(mounts: string[], commands: string[]): string {
  const parts = [...mounts, ...commands.map((c, i) => (i === 0 ? c : `&& ${c}`))];
  return `RUN ${parts.join(' \\\n    ')}`;
}

function shellQuoteJson(args: string[]): string {
  return `[${args.map((a) => JSON.stringify(a)).join(', ')}]`;
}

function bind(file: string, target?: string): string {
  return `--mount=type=bind,source=${file},target=${target ?? file}`;
}

const CACHE: Record<string, string> = {
  uv: '--mount=type=cache,target=/root/.cache/uv',
  pip: '--mount=type=cache,target=/root/.cache/pip',
  poetry: '--mount=type=cache,target=/root/.cache/pypoetry',
  pdm: '--mount=type=cache,target=/root/.cache/pdm',
  pipenv: '--mount=type=cache,target=/root/.cache/pipenv',
};

function header(p: PythonProject, what: string, o: DockerfileOptions): string[] {
  const lock = p.lockFile ? `${p.lockFile}` : 'no lock file';
  return [
    `# ${what} for ${p.name ?? 'the project'} (${p.manager}, ${lock}), written by \`layerwise init\`. It is yours now: edit freely.`,
    o.modern
      ? '# Uses COPY --link (Docker 23+ engines, checked with `docker version`); no `# syntax=` line, so no frontend image is pulled.'
      : '# Portable subset: builds with BuildKit on Docker 20.10 and later (no heredocs, no COPY --link), and no\n# `# syntax=` line, so no frontend image is pulled. Build with DOCKER_BUILDKIT=1 on old engines.',
  ];
}

function indexArgs(p: PythonProject): string[] {
  const lines = [
    '# The package index comes from the build, never from this file: pass --build-arg PIP_INDEX_URL=...',
    `# ${p.manager === 'uv' ? '(and UV_INDEX_URL=...) ' : ''}for a mirror; unset, the tools use PyPI or the indexes pyproject.toml names.`,
    'ARG PIP_INDEX_URL',
  ];
  if (p.manager === 'uv') lines.push('ARG UV_INDEX_URL');
  return lines;
}

function secretMount(p: PythonProject): string[] {
  if (!p.privateIndexes.length) return [];
  return ['--mount=type=secret,id=netrc,target=/root/.netrc'];
}

function secretComment(p: PythonProject): string[] {
  if (!p.privateIndexes.length) return [];
  const names = p.privateIndexes.map((i) => i.name).join(', ');
  return [
    `# Credentials for ${names} come from a build secret, never ARG/ENV (they would stay in the image):`,
    '#   docker build --secret id=netrc,src=$HOME/.netrc .   (machine <host> login <user> password <token>)',
  ];
}

function aptInstall(packages: string[], why: string): string[] {
  return [
    `# ${why}`,
    "# apt caches live in cache mounts, not in the layer. Versions follow the base image's Debian release.",
    '# layerwise ignore=LW4103',
    run(
      [
        '--mount=type=cache,target=/var/cache/apt,sharing=locked',
        '--mount=type=cache,target=/var/lib/apt,sharing=locked',
      ],
      [
        'rm -f /etc/apt/apt.conf.d/docker-clean',
        'apt-get update',
        `apt-get install -y --no-install-recommends ${packages.join(' ')}`,
      ],
    ),
  ];
}

/** The manager install + the dependency install: the `deps` stage body (after FROM). */
function depsStage(p: PythonProject, opts: { devGroups: boolean }): string[] {
  const out: string[] = [];
  if (p.systemPackages.build.length) {
    out.push(
      ...aptInstall(
        p.systemPackages.build,
        `Compilers and headers for ${p.systemPackages.because.join(', ')}: build stages only.`,
      ),
      '',
    );
  }
  out.push(...indexArgs(p));
  const secrets = secretMount(p);
  out.push(...secretComment(p));
  const pipInstall = (pkg: string, ver: string) =>
    run([CACHE.pip], [`pip install --disable-pip-version-check --root-user-action=ignore "${pkg}==\${${ver}}"`]);
  const sync: string[] = [];
  switch (p.manager) {
    case 'uv': {
      out.push('# uv, pinned, installed from the index: only in the build stages.');
      out.push(`ARG UV_VERSION=${p.managerVersion}`);
      out.push(pipInstall('uv', 'UV_VERSION'));
      out.push(
        '# The environment lives at /app/.venv; copy mode because the cache is a mount; never download a Python.',
        `ENV UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=${VENV}`,
        'WORKDIR /app',
      );
      const ws = p.workspace;
      const pkgArgs = ws?.selected ? ` --package ${ws.selected.name}` : '';
      const noInstall = ws ? '--no-install-workspace' : '--no-install-project';
      const dev = opts.devGroups ? '' : ' --no-dev';
      sync.push(
        `# Dependencies only (${noInstall}), from ${p.depFiles.join(' and ')} bind-mounted: this layer stays`,
        '# cached until one of them changes. --locked fails on a lock that does not match pyproject.toml.',
        run(
          [CACHE.uv, ...secrets, ...p.depFiles.map((f) => bind(f))],
          [`uv sync --locked${dev} ${noInstall}${pkgArgs} --compile-bytecode`],
        ),
      );
      break;
    }
    case 'poetry':
      out.push('# Poetry, pinned (the version that wrote poetry.lock): only in the build stages.');
      out.push(`ARG POETRY_VERSION=${p.managerVersion}`);
      out.push(pipInstall('poetry', 'POETRY_VERSION'));
      out.push(
        'ENV POETRY_VIRTUALENVS_IN_PROJECT=true POETRY_NO_INTERACTION=1 POETRY_VIRTUALENVS_OPTIONS_NO_PIP=true',
        'WORKDIR /app',
      );
      sync.push(
        `# Dependencies only (--no-root), from ${p.depFiles.join(' and ')} bind-mounted: cached until one changes.`,
        '# `poetry sync` fails when poetry.lock does not match pyproject.toml; bytecode compiled for a fast start.',
        run(
          [CACHE.poetry, ...secrets, ...p.depFiles.map((f) => bind(f))],
          [
            `poetry sync ${opts.devGroups ? '' : '--only main '}--no-root`,
            `${VENV}/bin/python -m compileall -q ${VENV}/lib`,
          ],
        ),
      );
      break;
    case 'pdm':
      out.push('# PDM, pinned: only in the build stages.');
      out.push(`ARG PDM_VERSION=${p.managerVersion}`);
      out.push(pipInstall('pdm', 'PDM_VERSION'));
      out.push('ENV PDM_CHECK_UPDATE=false PDM_NON_INTERACTIVE=1', 'WORKDIR /app');
      sync.push(
        `# Dependencies only (--no-self), from ${p.depFiles.join(' and ')} bind-mounted: cached until one changes.`,
        '# --check fails when pdm.lock does not match pyproject.toml; bytecode compiled for a fast start.',
        run(
          [CACHE.pdm, ...secrets, ...p.depFiles.map((f) => bind(f))],
          [
            `pdm install --check ${opts.devGroups ? '' : '--prod '}--frozen-lockfile --no-self`,
            `${VENV}/bin/python -m compileall -q ${VENV}/lib`,
          ],
        ),
      );
      break;
    case 'pipenv':
      out.push('# Pipenv, pinned: only in the build stages.');
      out.push(`ARG PIPENV_VERSION=${p.managerVersion}`);
      out.push(pipInstall('pipenv', 'PIPENV_VERSION'));
      out.push('ENV PIPENV_VENV_IN_PROJECT=1', 'WORKDIR /app');
      sync.push(
        '# Dependencies only, from Pipfile and Pipfile.lock bind-mounted: cached until one changes.',
        run(
          [CACHE.pipenv, ...secrets, ...p.depFiles.map((f) => bind(f))],
          [`pipenv sync${opts.devGroups ? ' --dev' : ''}`, `${VENV}/bin/python -m compileall -q ${VENV}/lib`],
        ),
      );
      break;
    case 'pip-tools':
    case 'pip': {
      out.push(
        '# A virtual environment without pip: the system pip installs into it (--python), so no installer ships.',
        'WORKDIR /app',
        `RUN python -m venv --without-pip ${VENV}`,
      );
      const reqs = p.depFiles.filter((f) => f !== 'pyproject.toml');
      if (reqs.length) {
        const main = p.lockFile ?? reqs[0];
        sync.push(
          `# Dependencies only, from ${reqs.join(' and ')} bind-mounted: cached until ${reqs.length > 1 ? 'one changes' : 'it changes'}.`,
          p.hashes
            ? '# --require-hashes: every package must match the hash pip-compile wrote.'
            : '# Pin every version (pip-compile --generate-hashes) to make this reproducible.',
          run(
            [CACHE.pip, ...secrets, ...reqs.map((f) => bind(f, `/tmp/req/${f}`))],
            [
              `pip --python ${VENV}/bin/python install --disable-pip-version-check${p.hashes ? ' --require-hashes' : ''} -r /tmp/req/${main}`,
            ],
          ),
        );
      } else {
        sync.push(
          '# No lock file: the dependencies [project] lists, read from pyproject.toml (bind-mounted), unpinned.',
          '# Lock them (uv lock, or pip-compile --generate-hashes) to make this reproducible.',
          run(
            [CACHE.pip, ...secrets, bind('pyproject.toml', '/tmp/req/pyproject.toml')],
            [
              `python -c "import tomllib; print('\\n'.join(tomllib.load(open('/tmp/req/pyproject.toml', 'rb'))['project'].get('dependencies', [])))" > /tmp/requirements.txt`,
              `pip --python ${VENV}/bin/python install --disable-pip-version-check -r /tmp/requirements.txt`,
            ],
          ),
        );
      }
      break;
    }
  }
  out.push(...sync);
  return out;
}

/** Shell that installs the project itself (no dependencies) into /install and splits it. */
function projectInstall(p: PythonProject, viaPip: boolean): string[] {
  const dirs = p.workspace ? p.workspace.install.map((m) => `/src/${m.dir}`) : ['/src'];
  const env = p.dynamicVersion ? `${p.dynamicVersion.env}="\${APP_VERSION}" ` : '';
  const install =
    p.manager === 'uv' && !viaPip
      ? `${env}uv pip install --python ${VENV}/bin/python --prefix /install --no-deps ${dirs.join(' ')}`
      : `${env}pip --python ${VENV}/bin/python install --disable-pip-version-check --no-deps --no-compile --prefix /install ${dirs.join(' ')}`;
  return [
    install,
    'cd /install',
    'rm -f .lock',
    'site=$(echo lib/python3*/site-packages)',
    'mkdir -p /app-meta/$site /app-code/$site',
    'if [ -d bin ]; then mv bin /app-meta/; fi',
    'mv $site/*.dist-info /app-meta/$site/',
    'mv $site/* /app-code/$site/',
    'rm -f /app-meta/$site/*.dist-info/uv_cache.json',
    "sed -i -E 's/,sha256=[^,]*,[0-9]*\\r?$/,,/' /app-meta/$site/*.dist-info/RECORD",
  ];
}

function buildStageBody(p: PythonProject, viaPip: boolean): string[] {
  const out: string[] = [];
  if (p.dynamicVersion) {
    out.push(
      `# The version comes from ${p.dynamicVersion.tool === 'other' ? 'version control' : p.dynamicVersion.tool} through this build arg, never from .git (the context leaves it out):`,
      `#   docker build --build-arg APP_VERSION=$(${p.dynamicVersion.tool === 'other' ? 'git describe --tags' : 'python -m setuptools_scm'}) .`,
      '# PEP 440 versions such as 1.2.3.dev4 pass through as they are.',
      'ARG APP_VERSION=0.0.0.dev0',
    );
  }
  out.push(
    '# The project itself, non-editable and without its dependencies (they are in the environment already),',
    '# into /install; then split into its metadata and console scripts (/app-meta), which stay the same while only',
    '# code changes (RECORD hashes of the own files are dropped; nothing uninstalls inside an image), and its',
    '# code (/app-code). Not byte-compiled: that would double what a code change ships.',
    'COPY . /src',
    run(p.manager === 'uv' && !viaPip ? [CACHE.uv] : [CACHE.pip], projectInstall(p, viaPip)),
  );
  return out;
}

/** Files of a non-package app, without the dependency manifests (the environment has them). */
function sourceStageBody(p: PythonProject): string[] {
  const rm = [...new Set([...p.depFiles, 'requirements.in'])].filter((f) => !f.includes('/'));
  return [
    "# The application's files (what .dockerignore lets through), minus the dependency manifests: they",
    '# change with the lock, and the environment layer carries that change already.',
    'WORKDIR /src',
    'COPY . .',
    `RUN rm -f ${rm.join(' ')}`,
  ];
}

export interface RuntimeParts {
  /** Lines of the runtime stage before the app's files (apt runtime libs, user, env). */
  prelude: string[];
  /** The COPY lines of the app's files. */
  appCopies: string[];
  /** EXPOSE, HEALTHCHECK, USER, CMD. */
  tail: string[];
}

function runtimePrelude(p: PythonProject): string[] {
  const out: string[] = [];
  if (p.systemPackages.run.length) {
    out.push(
      ...aptInstall(p.systemPackages.run, `Shared libraries ${p.systemPackages.because.join(', ')} load at run time.`),
      '',
    );
  }
  const env: string[] = [`PATH=${VENV}/bin:$PATH`, 'PYTHONUNBUFFERED=1', 'PYTHONDONTWRITEBYTECODE=1', 'HOME=/home/app'];
  if (!p.isPackage && p.layout === 'src') env.push('PYTHONPATH=/app/src');
  if (p.app.env) for (const [k, v] of Object.entries(p.app.env)) env.push(`${k}=${v}`);
  if (p.app.port && (p.app.kind === 'wsgi' || p.app.kind === 'django')) env.push(`PORT=${p.app.port}`);
  out.push(
    `# An unprivileged user (uid ${APP_UID}) with its own home for caches; the app's files stay owned by root,`,
    '# so the process cannot rewrite its own code.',
    `RUN useradd --no-log-init --create-home --uid ${APP_UID} --user-group app`,
    '# Unbuffered logs; no .pyc writes at run time (the code is read-only to the app user).',
    `ENV ${env.join(' \\\n    ')}`,
    'WORKDIR /app',
  );
  return out;
}

function appCopies(p: PythonProject, o: DockerfileOptions, fromDeps: boolean): string[] {
  const link = o.modern ? ' --link' : '';
  const out: string[] = [];
  if (fromDeps) {
    out.push(
      '# The environment: third-party packages, byte-compiled, in one layer that changes only with the lock.',
      `COPY${link} --from=deps ${VENV} ${VENV}`,
    );
  }
  if (p.isPackage) {
    out.push(
      "# The project's metadata and console scripts: unchanged (and cached) while only code changes.",
      `COPY${link} --from=build /app-meta/ ${VENV}/`,
      "# The application's own code, last: the only layer a code change ships.",
      `COPY${link} --from=build /app-code/ ${VENV}/`,
    );
  } else {
    out.push(
      "# The application's own files, last: the only layer a code change ships.",
      `COPY${link} --from=source /src/ /app/`,
    );
  }
  return out;
}

function runtimeTail(p: PythonProject, o: DockerfileOptions): string[] {
  const out: string[] = [];
  const web = p.app.port !== undefined && p.app.kind !== 'cli' && p.app.kind !== 'module';
  if (web) out.push(`EXPOSE ${p.app.port}`);
  const hpath = o.healthcheck === false ? undefined : (o.healthcheck ?? p.app.healthPath);
  if (web && hpath) {
    const url = `http://127.0.0.1:${p.app.port}${hpath.startsWith('/') ? hpath : `/${hpath}`}`;
    out.push(
      `# ${p.app.healthPath && !o.healthcheck ? `${hpath} is in the code` : 'asked for with --healthcheck'}; slim images have no curl, Python's urllib does it.`,
      `HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\\n    CMD ${shellQuoteJson(['python', '-c', `import urllib.request; urllib.request.urlopen('${url}', timeout=4)`])}`,
    );
  }
  out.push(`USER ${APP_UID}:${APP_UID}`, `# ${p.app.reason}.`, `CMD ${shellQuoteJson(p.app.command)}`);
  return out;
}

function devStage(p: PythonProject): string[] {
  const out = [
    '# ---- dev: `docker build --target dev`, or `docker compose watch`: dev dependencies, the code',
    '# installed editable and a reloading server. Not part of the default build.',
    'FROM deps AS dev',
  ];
  const cmd = devCommand(p);
  switch (p.manager) {
    case 'uv': {
      const pkg = p.workspace?.selected ? ` --package ${p.workspace.selected.name}` : '';
      out.push(
        run(
          [CACHE.uv, ...p.depFiles.map((f) => bind(f))],
          [`uv sync --locked ${p.workspace ? '--no-install-workspace' : '--no-install-project'}${pkg}`],
        ),
        'COPY . /app',
        run([CACHE.uv], [`uv sync --locked${pkg}`]),
      );
      break;
    }
    case 'poetry':
      out.push(run([CACHE.poetry, ...p.depFiles.map((f) => bind(f))], ['poetry sync --no-root']), 'COPY . /app');
      if (p.isPackage) out.push(run([CACHE.poetry], ['poetry sync']));
      break;
    case 'pdm':
      out.push(
        run([CACHE.pdm, ...p.depFiles.map((f) => bind(f))], ['pdm install --check --frozen-lockfile --no-self']),
        'COPY . /app',
      );
      if (p.isPackage) out.push(run([CACHE.pdm], ['pdm install --check --frozen-lockfile']));
      break;
    case 'pipenv':
      out.push(run([CACHE.pipenv, ...p.depFiles.map((f) => bind(f))], ['pipenv sync --dev']), 'COPY . /app');
      break;
    default: {
      const devReqs = p.depFiles.filter((f) => /dev/.test(f));
      out.push('COPY . /app');
      if (devReqs.length)
        out.push(
          run([CACHE.pip], [`pip --python ${VENV}/bin/python install --disable-pip-version-check -r ${devReqs[0]}`]),
        );
      if (p.isPackage)
        out.push(
          run([CACHE.pip], [`pip --python ${VENV}/bin/python install --disable-pip-version-check --no-deps -e .`]),
        );
    }
  }
  const env = [`PATH=${VENV}/bin:$PATH`, 'PYTHONUNBUFFERED=1'];
  if (!p.isPackage && p.layout === 'src') env.push('PYTHONPATH=/app/src');
  if (p.app.env) for (const [k, v] of Object.entries(p.app.env)) env.push(`${k}=${v}`);
  if (p.app.port && (p.app.kind === 'wsgi' || p.app.kind === 'django')) env.push(`PORT=${p.app.port}`);
  out.push(`ENV ${env.join(' ')}`, `CMD ${shellQuoteJson(cmd)}`);
  return out;
}

export function devCommand(p: PythonProject): string[] {
  const c = p.app.command;
  if (p.app.kind === 'asgi' && c[0] === 'uvicorn') return [...c, '--reload'];
  if ((p.app.kind === 'wsgi' || p.app.kind === 'django') && c[0] === 'gunicorn') return [...c, '--reload'];
  return c;
}

function fromPython(stage: string): string {
  return `FROM python:\${PYTHON_VERSION}-slim AS ${stage}`;
}

function pythonArg(p: PythonProject): string[] {
  return [
    `# Python ${p.python.version} (from ${p.python.source}); the official slim image, the same in every stage.`,
    `ARG PYTHON_VERSION=${p.python.version}`,
  ];
}

/** The single-file Dockerfile (no --split-base). */
export function renderDockerfile(p: PythonProject, o: DockerfileOptions = {}): string {
  const lines: string[] = [...header(p, 'Dockerfile', o), '', ...pythonArg(p), ''];
  lines.push(
    '# ---- deps: the locked dependencies, from only the manifest and the lock ----',
    fromPython('deps'),
    ...depsStage(p, { devGroups: false }),
    '',
  );
  if (p.isPackage)
    lines.push('# ---- build: the project itself ----', 'FROM deps AS build', ...buildStageBody(p, false), '');
  else lines.push('# ---- source: the application files ----', fromPython('source'), ...sourceStageBody(p), '');
  if (o.dev !== false) lines.push(...devStage(p), '');
  lines.push(
    '# ---- runtime: the final image; no compilers, no package manager, no caches ----',
    fromPython('runtime'),
    ...runtimePrelude(p),
    ...appCopies(p, o, true),
    ...runtimeTail(p, o),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * --split-base: Dockerfile.base holds the system packages and the dependencies (tagged by a
 * fingerprint of the lock, this file and the Python version); the app Dockerfile starts FROM it.
 */
export function renderBaseDockerfile(p: PythonProject, o: DockerfileOptions = {}): string {
  const lines: string[] = [
    ...header(p, 'Dockerfile.base (system packages and Python dependencies)', o),
    '# Tagged by a fingerprint of the lock, pyproject.toml, this file and the Python version (see the workflow),',
    '# so it is rebuilt and pulled only when one of those changes, never for a code change.',
    '',
    ...pythonArg(p),
    '',
    '# ---- deps: the locked dependencies, from only the manifest and the lock ----',
    fromPython('deps'),
    ...depsStage(p, { devGroups: false }),
    '',
    '# ---- base: the runtime with the environment; the app image starts FROM this ----',
    fromPython('base'),
    ...runtimePrelude(p),
    '# The environment: third-party packages, byte-compiled.',
    `COPY${o.modern ? ' --link' : ''} --from=deps ${VENV} ${VENV}`,
    `USER ${APP_UID}:${APP_UID}`,
  ];
  return `${lines.join('\n')}\n`;
}

export function renderAppDockerfile(p: PythonProject, baseTag: string, o: DockerfileOptions = {}): string {
  const lines: string[] = [
    ...header(p, 'Dockerfile (the app, on top of Dockerfile.base)', o),
    '',
    '# The dependency base built from Dockerfile.base. CI passes the tag of the current fingerprint;',
    '# this default is the fingerprint when `layerwise init --split-base` last ran.',
    `ARG BASE_IMAGE=${baseTag}`,
    '',
  ];
  if (p.isPackage) {
    lines.push(
      "# ---- build: the project itself, installed with the base image's pip (no build tools in the base) ----",
      'FROM ${BASE_IMAGE} AS build',
      'USER root',
      'ARG PIP_INDEX_URL',
      ...buildStageBody(p, true),
      '',
    );
  } else {
    lines.push(
      '# ---- source: the application files ----',
      'FROM ${BASE_IMAGE} AS source',
      'USER root',
      ...sourceStageBody(p),
      '',
    );
  }
  lines.push(
    '# ---- runtime: the base plus the application ----',
    'FROM ${BASE_IMAGE} AS runtime',
    ...appCopies(p, o, false),
    ...runtimeTail(p, o),
  );
  return `${lines.join('\n')}\n`;
}
