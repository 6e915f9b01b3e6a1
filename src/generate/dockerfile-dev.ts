/** The `dev` target: dev dependencies, the code installed editable and a reloading server. */
import type { PythonProject } from '../project/types.js';
import { bind, CACHE, run, shellQuoteJson, VENV } from './dockerfile-snippets.js';

export function devStage(p: PythonProject): string[] {
  const out = [
    '# ---- dev: `docker build --target dev`, or `docker compose watch`: dev dependencies, the code',
    '# installed editable and a reloading server. Not part of the default build.',
    'FROM deps AS dev',
  ];
  const cmd = devCommand(p);
  // With .git in the context (setuptools_scm's file finder needs it for the package build), a
  // plain `COPY . /app` would put it into this image: copy everything else instead.
  const copyApp = p.vcsFileFinder
    ? run(
        ['--mount=type=bind,target=/tmp/context'],
        ["find /tmp/context -mindepth 1 -maxdepth 1 ! -name .git -exec cp -a -t /app '{}' +"],
      )
    : 'COPY . /app';
  // The editable install asks the build backend for the version; without .git it reads it from here.
  const version = p.dynamicVersion ? `${p.dynamicVersion.env}="\${APP_VERSION}" ` : '';
  // Declared just before the install that reads it, so a new version leaves the dependency steps cached.
  const arg = p.dynamicVersion ? ['ARG APP_VERSION=0.0.0.dev0'] : [];
  switch (p.manager) {
    case 'uv': {
      const pkg = p.workspace?.selected ? ` --package ${p.workspace.selected.name}` : '';
      out.push(
        run(
          [CACHE.uv, ...p.depFiles.map((f) => bind(f))],
          [`uv sync --locked ${p.workspace ? '--no-install-workspace' : '--no-install-project'}${pkg}`],
        ),
        copyApp,
        ...arg,
        run([CACHE.uv], [`${version}uv sync --locked${pkg}`]),
      );
      break;
    }
    case 'poetry':
      out.push(run([CACHE.poetry, ...p.depFiles.map((f) => bind(f))], ['poetry sync --no-root']), copyApp);
      if (p.isPackage) out.push(...arg, run([CACHE.poetry], [`${version}poetry sync`]));
      break;
    case 'pdm':
      out.push(
        run([CACHE.pdm, ...p.depFiles.map((f) => bind(f))], ['pdm install --check --frozen-lockfile --no-self']),
        copyApp,
      );
      if (p.isPackage) out.push(...arg, run([CACHE.pdm], [`${version}pdm install --check --frozen-lockfile`]));
      break;
    case 'pipenv':
      out.push(run([CACHE.pipenv, ...p.depFiles.map((f) => bind(f))], ['pipenv sync --dev']), copyApp);
      break;
    default: {
      const devReqs = p.depFiles.filter((f) => /dev/.test(f));
      out.push(copyApp);
      if (devReqs.length)
        out.push(
          run([CACHE.pip], [`pip --python ${VENV}/bin/python install --disable-pip-version-check -r ${devReqs[0]}`]),
        );
      if (p.isPackage)
        out.push(
          ...arg,
          run(
            [CACHE.pip],
            [`${version}pip --python ${VENV}/bin/python install --disable-pip-version-check --no-deps -e .`],
          ),
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
  // Each server's own reload: uWSGI polls the modules it loaded; `fastapi run` and hypercorn take --reload.
  if (c[0] === 'uwsgi') return [...c, '--py-autoreload', '1'];
  if ((c[0] === 'fastapi' && c[1] === 'run') || c[0] === 'hypercorn') return [...c, '--reload'];
  return c;
}
