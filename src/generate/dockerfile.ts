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
import { devStage } from './dockerfile-dev.js';
import { depsStage } from './dockerfile-deps.js';
import { appCopies, buildStageBody, runtimePrelude, runtimeTail, sourceStageBody } from './dockerfile-runtime.js';
import { APP_UID, type DockerfileOptions, fromPython, header, pythonArg, VENV } from './dockerfile-snippets.js';

export { devCommand } from './dockerfile-dev.js';
export type { RuntimeParts } from './dockerfile-runtime.js';
export { APP_UID, type DockerfileOptions } from './dockerfile-snippets.js';

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
