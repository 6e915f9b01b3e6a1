/**
 * compose.yaml: one service with `develop.watch`, consistent with the Dockerfile that is on disk.
 * Init's own Dockerfile: the `dev` target, code synced to /app where the editable install reads it
 * (the server reloads). --split-base: the app Dockerfile has no dev stage, so the service runs
 * `runtime` and code syncs to where that stage holds it (site-packages for a package) and restarts;
 * a `base` service builds Dockerfile.base under the tag the app's FROM defaults to. A Dockerfile
 * of the user's own (kept): a `target:` only for a stage it has, and code changes rebuild, since
 * where that file puts the code is unknown.
 */
import { posix } from 'node:path';
import { stringify } from 'yaml';
import type { PythonProject } from '../project/types.js';
import { VENV } from './dockerfile-snippets.js';

export interface ComposeOptions {
  /** --split-base, and the app Dockerfile that reads BASE_IMAGE is the one on disk: the base image's tag. */
  baseImage?: string;
  /** The Dockerfile on disk is the user's own, kept: the names of its stages (lower case). */
  keptStages?: string[];
  /** The service's name (default: serviceName); another when the project's own compose file has that one. */
  service?: string;
}

/** Top-level directories and modules of the project's code, relative to the project. */
function codePaths(p: PythonProject): string[] {
  if (p.workspace) return p.workspace.install.map((m) => m.dir);
  if (p.layout === 'src') return ['src'];
  return [...p.packageDirs, ...p.modules];
}

/** Where the runtime stage holds each code path: site-packages for an installed package, /app otherwise. */
function runtimeTargets(p: PythonProject): { path: string; target: string }[] {
  if (!p.isPackage) {
    const dirs = p.layout === 'src' ? ['src'] : [...p.packageDirs, ...p.modules];
    return dirs.map((d) => ({ path: d, target: `/app/${d}` }));
  }
  const site = `${VENV}/lib/python${p.python.version}/site-packages`;
  return [...p.packageDirs, ...p.modules].map((d) => ({ path: d, target: `${site}/${posix.basename(d)}` }));
}

/**
 * Directories the app reads at run time besides its code (templates, static, data), outside the
 * code paths: a change to one must reach the container too. An installed package carries its own.
 */
function assetPaths(p: PythonProject): string[] {
  if (p.isPackage) return [];
  const code = codePaths(p);
  return (p.assets ?? []).map((a) => a.path).filter((a) => !code.some((c) => a === c || a.startsWith(`${c}/`)));
}

export function serviceName(p: PythonProject): string {
  return (p.workspace?.selected?.name ?? p.name ?? 'app').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
}

export function renderCompose(p: PythonProject, o: ComposeOptions = {}): string {
  const service = o.service ?? serviceName(p);
  const watch: Record<string, unknown>[] = [];
  const build: Record<string, unknown> = { context: '.' };
  const comment: string[] = [];
  if (o.keptStages) {
    if (o.keptStages.includes('dev')) build.target = 'dev';
    for (const d of [...codePaths(p), ...assetPaths(p)]) watch.push({ action: 'rebuild', path: `./${d}` });
    comment.push(
      '# The Dockerfile here is your own (init kept it). `docker compose watch` runs its',
      `# ${build.target ? '`dev` stage' : 'default (last) stage'} and rebuilds the image on a code change, as init cannot tell where`,
      '# that file puts the code; a change to the manifest or the lock rebuilds too.',
    );
  } else if (o.baseImage) {
    build.target = 'runtime';
    for (const t of runtimeTargets(p))
      watch.push({ action: 'sync+restart', path: `./${t.path}`, target: t.target, ignore: ['__pycache__/'] });
    for (const d of assetPaths(p)) watch.push({ action: 'sync+restart', path: `./${d}`, target: `/app/${d}` });
    comment.push(
      '# Written by `layerwise init --split-base`. Build the base once (and after a lock change):',
      `#   docker compose build ${service}-base`,
      '# then `docker compose watch` runs the runtime target: code edits are synced to where that image holds',
      '# the code and the container restarts; a change to the manifest or the lock rebuilds the image.',
    );
  } else {
    build.target = 'dev';
    for (const d of codePaths(p))
      watch.push({ action: 'sync', path: `./${d}`, target: `/app/${d}`, ignore: ['__pycache__/'] });
    // Templates, static files and data the app reads at run time sync too (no reload needed for most).
    for (const d of assetPaths(p)) watch.push({ action: 'sync', path: `./${d}`, target: `/app/${d}` });
    comment.push(
      '# Written by `layerwise init`. `docker compose watch` runs the dev target: code edits are synced into the',
      '# container (the server reloads), and a change to the manifest or the lock rebuilds the image.',
    );
  }
  for (const f of p.depFiles) watch.push({ action: 'rebuild', path: `./${f}` });
  const svc: Record<string, unknown> = { build };
  if (p.app.port && p.app.kind !== 'cli' && p.app.kind !== 'module')
    svc.ports = [`127.0.0.1:${p.app.port}:${p.app.port}`];
  svc.develop = { watch };
  const services: Record<string, unknown> = { [service]: svc };
  if (o.baseImage && !o.keptStages) {
    // A profile keeps `up`/`watch` from starting it; it only builds the tag the app's FROM names.
    services[`${service}-base`] = {
      build: { context: '.', dockerfile: 'Dockerfile.base', target: 'base' },
      image: o.baseImage,
      profiles: ['base'],
    };
  }
  return [...comment, stringify({ services }, { lineWidth: 0 }).trimEnd(), ''].join('\n');
}
