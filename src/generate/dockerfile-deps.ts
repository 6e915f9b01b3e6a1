/** The `deps` stage: the package manager and the locked dependencies, from only the manifest and the lock. */
import type { PythonProject } from '../project/types.js';
import { aptInstall, bind, CACHE, indexArgs, run, secretComment, secretMount, VENV } from './dockerfile-snippets.js';

/** The manager install + the dependency install: the `deps` stage body (after FROM). */
export function depsStage(p: PythonProject, opts: { devGroups: boolean }): string[] {
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
  if (p.app.installServer) {
    out.push(
      `# ${p.app.installServer} serves the app (--server); no dependency installs it: add it to them to pin it`,
      '# (init knows no version to pin it to here, hence the unpinned install LW4104 would flag).',
      '# layerwise ignore=LW4104',
      run(
        [CACHE.pip, ...secrets],
        [`pip --python ${VENV}/bin/python install --disable-pip-version-check ${p.app.installServer}`],
      ),
    );
  }
  return out;
}
