/**
 * `[tool.layerwise.build]` in pyproject.toml: the image settings a team keeps with the project
 * instead of repeating flags. A flag given on the command line wins over the table.
 *
 *   [tool.layerwise.build]
 *   base = "docker://registry.example/python:3.11-slim"
 *   cmd = ["gunicorn", "app:app"]      # or a string of words
 *   entrypoint = ["tini", "--"]
 *   user = "10001:10001"
 *   workdir = "/app"
 *   ports = ["8000"]
 *   max-layers = 80
 *   [tool.layerwise.build.env]
 *   APP_ENV = "production"
 *   [tool.layerwise.build.labels]
 *   "org.opencontainers.image.source" = "https://example.invalid/team/app"
 */
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { dig, readToml } from '../project/files.js';

export interface BuildConfig {
  base?: string;
  cmd?: string[];
  entrypoint?: string[];
  user?: string;
  workdir?: string;
  ports?: string[];
  maxLayers?: number;
  env?: Record<string, string>;
  labels?: Record<string, string>;
}

const KEYS = ['base', 'cmd', 'entrypoint', 'user', 'workdir', 'ports', 'max-layers', 'env', 'labels'];

/** The table of DIR/pyproject.toml, checked; {} when there is none. */
export function readBuildConfig(dir: string): BuildConfig {
  const file = join(dir, 'pyproject.toml');
  const table = dig(readToml(file), 'tool', 'layerwise', 'build');
  if (table === undefined) return {};
  const where = (key?: string) => `${file} [tool.layerwise.build]${key ? ` ${key}` : ''}`;
  if (!table || typeof table !== 'object' || Array.isArray(table)) throw new UserError(`${where()}: must be a table`);
  const t = table as Record<string, unknown>;
  for (const k of Object.keys(t))
    if (!KEYS.includes(k)) throw new UserError(`${where()}: unknown key '${k}' (expected ${KEYS.join(', ')})`);
  const str = (k: string): string | undefined => {
    if (t[k] === undefined) return undefined;
    if (typeof t[k] !== 'string' || !t[k]) throw new UserError(`${where(k)}: must be a non-empty string`);
    return t[k] as string;
  };
  const words = (k: string): string[] | undefined => {
    const v = t[k];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v.split(/\s+/).filter(Boolean);
    if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string')) return v as string[];
    throw new UserError(`${where(k)}: must be a list of strings or a string of words`);
  };
  const map = (k: string): Record<string, string> | undefined => {
    const v = t[k];
    if (v === undefined) return undefined;
    if (!v || typeof v !== 'object' || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string'))
      throw new UserError(`${where(k)}: must be a table of strings`);
    return { ...(v as Record<string, string>) };
  };
  const ports = t.ports === undefined ? undefined : (Array.isArray(t.ports) ? t.ports : [t.ports]).map(String);
  const max = t['max-layers'];
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 2 || max > 127))
    throw new UserError(`${where('max-layers')}: expected a whole number from 2 to 127`);
  return {
    base: str('base'),
    cmd: words('cmd'),
    entrypoint: words('entrypoint'),
    user: str('user'),
    workdir: str('workdir'),
    ports,
    maxLayers: max as number | undefined,
    env: map('env'),
    labels: map('labels'),
  };
}
