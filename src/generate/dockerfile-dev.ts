/** The `dev` target: dev dependencies, the code installed editable and a reloading server. */
import type { PythonProject } from '../project/types.js';
import { bind, CACHE, run, shellQuoteJson, VENV } from './dockerfile-snippets.js';
import { readsPort } from '../project/start-evidence.js';

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
      // `uv sync` installs the dev group by default; the other dev-like groups and extras are asked for.
      const extra = [
        ...p.devGroups.filter((g) => g !== 'dev').map((g) => ` --group ${g}`),
        ...(p.devExtras ?? []).map((e) => ` --extra ${e}`),
      ].join('');
      const pkg = `${p.workspace?.selected ? ` --package ${p.workspace.selected.name}` : ''}${extra}`;
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
      const extras = p.devExtras?.length ? ` --extras '${p.devExtras.join(' ')}'` : '';
      out.push(run([CACHE.poetry, ...p.depFiles.map((f) => bind(f))], [`poetry sync --no-root${extras}`]), copyApp);
      if (p.isPackage) out.push(...arg, run([CACHE.poetry], [`${version}poetry sync`]));
      break;
    case 'pdm':
      out.push(
        run([CACHE.pdm, ...p.depFiles.map((f) => bind(f))], ['pdm install --check --frozen-lockfile --no-self']),
        copyApp,
      );
      if (p.isPackage) out.push(...arg, run([CACHE.pdm], [`${version}pdm install --check --frozen-lockfile`]));
      if (p.devExtras?.length)
        out.push(
          run(
            [CACHE.pdm],
            [
              `pdm install --check --frozen-lockfile${p.isPackage ? '' : ' --no-self'}${p.devExtras.map((e) => ` -G ${e}`).join('')}`,
            ],
          ),
        );
      break;
    case 'pipenv':
      out.push(run([CACHE.pipenv, ...p.depFiles.map((f) => bind(f))], ['pipenv sync --dev']), copyApp);
      break;
    default: {
      out.push(...pipDevInstall(p), copyApp);
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
  // PORT for servers that read it, and for a start command that says $PORT (a host may set its own).
  if (p.app.port && (p.app.kind === 'wsgi' || p.app.kind === 'django' || readsPort(p.app.command)))
    env.push(`PORT=${p.app.port}`);
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

/**
 * pip projects: the dev requirements files (hash-checked when pip-compile wrote hashes) and the
 * dev-like dependency groups and extras of pyproject.toml, from bind-mounted files before the code
 * is copied, so a code change keeps this step cached.
 */
export function pipDevInstall(p: PythonProject): string[] {
  const pip = `pip --python ${VENV}/bin/python install --disable-pip-version-check`;
  const files = [...new Set([...p.depFiles, ...(p.devRequirements ?? [])])];
  const mounts = [CACHE.pip, ...files.map((f) => bind(f, `/tmp/req/${f}`))];
  const cmds: string[] = [];
  const comment: string[] = [];
  if (p.devRequirements?.length) {
    comment.push(`# The dev requirements (${p.devRequirements.join(', ')}), on top of the locked environment.`);
    cmds.push(`${pip} ${p.devRequirements.map((f) => `-r /tmp/req/${f}`).join(' ')}`);
  }
  const groups = p.devGroups;
  const extras = p.devExtras ?? [];
  if (files.includes('pyproject.toml') && (groups.length || extras.length)) {
    comment.push(
      `# The dev ${[groups.length ? `groups ${groups.join(', ')}` : '', extras.length ? `extras ${extras.join(', ')}` : ''].filter(Boolean).join(' and ')} of pyproject.toml (read with tomllib; pip has no --group before 25.1).`,
    );
    const tuple = (xs: string[]) => `(${xs.map((x) => `'${x}'`).join(', ')}${xs.length === 1 ? ',' : ''})`;
    cmds.push(
      `python -c "import tomllib; d = tomllib.load(open('/tmp/req/pyproject.toml', 'rb')); g = d.get('dependency-groups', {}); x = d.get('project', {}).get('optional-dependencies', {}); print('\\n'.join([r for k in ${tuple(groups)} for r in g.get(k, []) if isinstance(r, str)] + [r for k in ${tuple(extras)} for r in x.get(k, [])]))" > /tmp/dev-requirements.txt`,
      `${pip} -r /tmp/dev-requirements.txt`,
    );
  }
  if (!cmds.length) return [];
  return [...comment, run(mounts, cmds)];
}
