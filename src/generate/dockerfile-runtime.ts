/** The project install (`build`), the app files (`source`) and the runtime stage: prelude, app copies, tail. */
import { ASSET_KINDS, type AssetKind } from '../project/assets.js';
import type { PythonProject } from '../project/types.js';
import { readsPort } from '../project/start-evidence.js';
import {
  aptInstall,
  APP_UID,
  CACHE,
  type DockerfileOptions,
  run,
  shellQuoteJson,
  VENV,
} from './dockerfile-snippets.js';

/** Shell that installs the project itself (no dependencies) into /install and splits it. */
export function projectInstall(p: PythonProject, viaPip: boolean): string[] {
  const dirs = p.workspace ? p.workspace.install.map((m) => `/src/${m.dir}`) : ['/src'];
  let env = p.dynamicVersion ? `${p.dynamicVersion.env}="\${APP_VERSION}" ` : '';
  // The context's files belong to another uid than root here: git refuses such a repository
  // ("dubious ownership") unless told it is safe, and setuptools_scm then stops the build.
  if (p.vcsFileFinder) env = `GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*' ${env}`;
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

export function buildStageBody(p: PythonProject, viaPip: boolean): string[] {
  const out: string[] = [];
  if (p.dynamicVersion) {
    out.push(
      `# The version comes from ${p.dynamicVersion.tool === 'other' ? 'version control' : p.dynamicVersion.tool} through this build arg, never from .git${p.vcsFileFinder ? ' (the version is the one the build passes)' : ' (the context leaves it out)'}:`,
      `#   docker build --build-arg APP_VERSION=$(${p.dynamicVersion.tool === 'other' ? 'git describe --tags' : 'python -m setuptools_scm'}) .`,
      '# PEP 440 versions such as 1.2.3.dev4 pass through as they are.',
      'ARG APP_VERSION=0.0.0.dev0',
    );
  }
  const cache = p.manager === 'uv' && !viaPip ? CACHE.uv : CACHE.pip;
  const explain = [
    '# The project itself, non-editable and without its dependencies (they are in the environment already),',
    '# into /install; then split into its metadata and console scripts (/app-meta), which stay the same while only',
    '# code changes (RECORD hashes of the own files are dropped; nothing uninstalls inside an image), and its',
    '# code (/app-code). Not byte-compiled: that would double what a code change ships.',
  ];
  if (p.vcsFileFinder) {
    // Only this step sees .git: the dependency layers read the manifest and the lock alone.
    out.unshift(
      ...aptInstall(
        ['git'],
        `${p.vcsFileFinder}'s file finder asks git which files the wheel holds (templates, icons...): git in this stage only.`,
      ),
    );
    out.push(
      ...explain,
      '# The context, .git included, is bind-mounted (writable, changes discarded) rather than copied, so the',
      '# wheel holds every file git tracks, as a build from the checkout does, and .git never lands in a layer.',
      '# LW3402 is about .git read for the version; the version comes from APP_VERSION, .git serves the file list.',
      '# layerwise ignore=LW3402',
      run([cache, '--mount=type=bind,target=/src,rw'], projectInstall(p, viaPip)),
    );
    return out;
  }
  out.push(...explain, 'COPY . /src', run([cache], projectInstall(p, viaPip)));
  return out;
}

/** A path as one shell word. */
function sq(path: string): string {
  return /^[\w./@+-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}

/** The asset kinds this app has, in layer order (what changes least first). */
export function assetKinds(p: PythonProject): AssetKind[] {
  return ASSET_KINDS.filter((k) => p.assets?.some((a) => a.kind === k));
}

/** Files of a non-package app, without the dependency manifests (the environment has them). */
export function sourceStageBody(p: PythonProject): string[] {
  const rm = [...new Set([...p.depFiles, 'requirements.in'])].filter((f) => !f.includes('/'));
  const out = [
    "# The application's files (what .dockerignore lets through), minus the dependency manifests: they",
    '# change with the lock, and the environment layer carries that change already.',
    'WORKDIR /src',
    'COPY . .',
  ];
  const kinds = assetKinds(p);
  if (!kinds.length) return [...out, `RUN rm -f ${rm.join(' ')}`];
  // Each asset directory moves to /layers/KIND/ under its own path, so the runtime copies each kind
  // in one layer and /src keeps the code alone. A directory a .dockerignore of the user's left out is skipped.
  // One RUN with the removal: two RUNs in a row would be a layer the linter (LW6202) asks to join.
  const moves: string[] = [`rm -f ${rm.join(' ')}`, `mkdir -p ${kinds.map((k) => `/layers/${k}`).join(' ')}`];
  for (const k of kinds) {
    for (const a of p.assets?.filter((x) => x.kind === k) ?? []) {
      const parent = a.path.includes('/') ? a.path.slice(0, a.path.lastIndexOf('/')) : '';
      const dest = `/layers/${k}${parent ? `/${parent}` : ''}`;
      const mkdir = parent ? `mkdir -p ${sq(dest)} && ` : '';
      moves.push(`if [ -e ${sq(a.path)} ]; then ${mkdir}mv ${sq(a.path)} ${sq(`${dest}/`)}; fi`);
    }
  }
  out.push(
    `# ${kinds.join(', ')} apart from the code, each kind into /layers/KIND (same paths): the runtime copies each`,
    '# kind in its own layer before the code, so a code change ships only the code.',
    run([], moves),
  );
  return out;
}

export interface RuntimeParts {
  /** Lines of the runtime stage before the app's files (apt runtime libs, user, env). */
  prelude: string[];
  /** The COPY lines of the app's files. */
  appCopies: string[];
  /** EXPOSE, HEALTHCHECK, USER, CMD. */
  tail: string[];
}

export function runtimePrelude(p: PythonProject): string[] {
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
  // PORT for servers that read it, and for a start command that says $PORT (a host may set its own).
  if (p.app.port && (p.app.kind === 'wsgi' || p.app.kind === 'django' || readsPort(p.app.command)))
    env.push(`PORT=${p.app.port}`);
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

export function appCopies(p: PythonProject, o: DockerfileOptions, fromDeps: boolean): string[] {
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
    const kinds = assetKinds(p);
    if (kinds.length)
      out.push(
        `# The app's ${kinds.join(', ')} files, one layer each (what changes least first): a code change leaves them cached.`,
        ...kinds.map((k) => `COPY${link} --from=source /layers/${k}/ /app/`),
      );
    out.push(
      `# The application's own ${kinds.length ? 'code' : 'files'}, last: the only layer a code change ships.`,
      `COPY${link} --from=source /src/ /app/`,
    );
  }
  return out;
}

export function runtimeTail(p: PythonProject, o: DockerfileOptions): string[] {
  const out: string[] = [];
  const web = p.app.port !== undefined && p.app.kind !== 'cli' && p.app.kind !== 'module';
  if (web) out.push(`EXPOSE ${p.app.port}`);
  const hpath = o.healthcheck === false ? undefined : (o.healthcheck ?? p.app.healthPath);
  if (web && hpath) {
    const url = `http://127.0.0.1:${p.app.port}${hpath.startsWith('/') ? hpath : `/${hpath}`}`;
    out.push(
      `# ${p.app.healthPath && !o.healthcheck ? `${hpath} is a route in the code${p.app.healthEvidence ? ` (${p.app.healthEvidence})` : ''}` : 'asked for with --healthcheck'}; slim images have no curl, Python's urllib does it.`,
      `HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\\n    CMD ${shellQuoteJson(['python', '-c', `import urllib.request; urllib.request.urlopen('${url}', timeout=4)`])}`,
    );
  } else if (web && o.healthcheck !== false && p.app.healthNote) out.push(`# ${p.app.healthNote}.`);
  out.push(`USER ${APP_UID}:${APP_UID}`, `# ${p.app.reason}.`, `CMD ${shellQuoteJson(p.app.command)}`);
  return out;
}
