/** Pieces every stage of the generated Dockerfiles shares: RUN and mount syntax, headers, index and secret lines, apt. */
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
export const VENV = '/app/.venv';

/** Lines joined into a RUN with continuation. */
export function run(mounts: string[], commands: string[]): string {
  const parts = [...mounts, ...commands.map((c, i) => (i === 0 ? c : `&& ${c}`))];
  return `RUN ${parts.join(' \\\n    ')}`;
}

export function shellQuoteJson(args: string[]): string {
  return `[${args.map((a) => JSON.stringify(a)).join(', ')}]`;
}

export function bind(file: string, target?: string): string {
  return `--mount=type=bind,source=${file},target=${target ?? file}`;
}

export const CACHE: Record<string, string> = {
  uv: '--mount=type=cache,target=/root/.cache/uv',
  pip: '--mount=type=cache,target=/root/.cache/pip',
  poetry: '--mount=type=cache,target=/root/.cache/pypoetry',
  pdm: '--mount=type=cache,target=/root/.cache/pdm',
  pipenv: '--mount=type=cache,target=/root/.cache/pipenv',
};

export function header(p: PythonProject, what: string, o: DockerfileOptions): string[] {
  const lock = p.lockFile ? `${p.lockFile}` : 'no lock file';
  return [
    `# ${what} for ${p.name ?? 'the project'} (${p.manager}, ${lock}), written by \`layerwise init\`. It is yours now: edit freely.`,
    o.modern
      ? '# Uses COPY --link (Docker 23+ engines, checked with `docker version`); no `# syntax=` line, so no frontend image is pulled.'
      : '# Portable subset: builds with BuildKit on Docker 20.10 and later (no heredocs, no COPY --link), and no\n# `# syntax=` line, so no frontend image is pulled. Build with DOCKER_BUILDKIT=1 on old engines.',
  ];
}

export function indexArgs(p: PythonProject): string[] {
  const lines = [
    '# The package index comes from the build, never from this file: pass --build-arg PIP_INDEX_URL=...',
    `# ${p.manager === 'uv' ? '(and UV_INDEX_URL=...) ' : ''}for a mirror; unset, the tools use PyPI or the indexes pyproject.toml names.`,
    'ARG PIP_INDEX_URL',
  ];
  if (p.manager === 'uv') lines.push('ARG UV_INDEX_URL');
  return lines;
}

export function secretMount(p: PythonProject): string[] {
  if (!p.privateIndexes.length) return [];
  return ['--mount=type=secret,id=netrc,target=/root/.netrc'];
}

export function secretComment(p: PythonProject): string[] {
  if (!p.privateIndexes.length) return [];
  const names = p.privateIndexes.map((i) => i.name).join(', ');
  return [
    `# Credentials for ${names} come from a build secret, never ARG/ENV (they would stay in the image):`,
    '#   docker build --secret id=netrc,src=$HOME/.netrc .   (machine <host> login <user> password <token>)',
  ];
}

export function aptInstall(packages: string[], why: string): string[] {
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

export function fromPython(stage: string): string {
  return `FROM python:\${PYTHON_VERSION}-slim AS ${stage}`;
}

export function pythonArg(p: PythonProject): string[] {
  return [
    `# Python ${p.python.version} (from ${p.python.source}); the official slim image, the same in every stage.`,
    `ARG PYTHON_VERSION=${p.python.version}`,
  ];
}
