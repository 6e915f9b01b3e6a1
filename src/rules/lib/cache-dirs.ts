/**
 * Cache directories of package managers (pip, uv, npm, ...), as a command in a RUN would use them.
 */
import type { Dockerfile, Instruction, PackageOp } from '../../dockerfile/types.js';
import { userAt } from '../util.js';
import { absPath, userInfo } from './users.js';
import { varAt } from './variables.js';

/** Cache directories (relative to $HOME) of package managers, by the variable that moves them. */
export const CACHE_DIRS: { tool: string; rel: string; env: string[] }[] = [
  { tool: 'pip', rel: '.cache/pip', env: ['PIP_CACHE_DIR'] },
  { tool: 'uv', rel: '.cache/uv', env: ['UV_CACHE_DIR'] },
  { tool: 'poetry', rel: '.cache/pypoetry', env: ['POETRY_CACHE_DIR'] },
  { tool: 'pdm', rel: '.cache/pdm', env: ['PDM_CACHE_DIR'] },
  { tool: 'pipenv', rel: '.cache/pipenv', env: ['PIPENV_CACHE_DIR'] },
  { tool: 'npm', rel: '.npm', env: ['npm_config_cache', 'NPM_CONFIG_CACHE'] },
  { tool: 'yarn', rel: '.cache/yarn', env: ['YARN_CACHE_FOLDER'] },
  { tool: 'go', rel: '.cache/go-build', env: ['GOCACHE'] },
];

/** The cache directory `tool` uses for a command in `ins`, as an absolute path. */
export function cacheDirOf(file: Dockerfile, ins: Instruction, tool: string, op?: PackageOp): string {
  const spec = CACHE_DIRS.find((c) => c.tool === tool);
  if (op) {
    const v = op.optionValues['--cache-dir']?.[0] ?? (tool === 'npm' ? op.optionValues['--cache']?.[0] : undefined);
    if (v?.startsWith('/')) return absPath('/', v);
  }
  for (const name of spec?.env ?? []) {
    const v = varAt(file, ins, name, op?.command);
    if (v?.startsWith('/')) return absPath('/', v);
  }
  const info = userInfo(file, userAt(file, ins), ins);
  const xdg = varAt(file, ins, 'XDG_CACHE_HOME', op?.command);
  const rel = spec?.rel ?? `.cache/${tool}`;
  if (xdg?.startsWith('/') && rel.startsWith('.cache/')) return absPath(xdg, rel.slice('.cache/'.length));
  return absPath(info.home, rel);
}
