/** compose.yaml: the dev target with `develop.watch` (sync the code, rebuild on a lock change). */
import { stringify } from 'yaml';
import type { PythonProject } from '../project/types.js';

export function renderCompose(p: PythonProject): string {
  const service = (p.workspace?.selected?.name ?? p.name ?? 'app').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const syncDirs = p.workspace
    ? p.workspace.install.map((m) => m.dir)
    : p.layout === 'src'
      ? ['src']
      : [...p.packageDirs, ...p.modules];
  const watch: Record<string, unknown>[] = syncDirs.map((d) => ({
    action: 'sync',
    path: `./${d}`,
    target: `/app/${d}`,
    ignore: ['__pycache__/'],
  }));
  for (const f of p.depFiles) watch.push({ action: 'rebuild', path: `./${f}` });
  const svc: Record<string, unknown> = {
    build: { context: '.', target: 'dev' },
  };
  if (p.app.port && p.app.kind !== 'cli' && p.app.kind !== 'module')
    svc.ports = [`127.0.0.1:${p.app.port}:${p.app.port}`];
  svc.develop = { watch };
  const doc = { services: { [service]: svc } };
  return [
    '# Written by `layerwise init`. `docker compose watch` runs the dev target: code edits are synced into the',
    '# container (the server reloads), and a change to the manifest or the lock rebuilds the image.',
    stringify(doc, { lineWidth: 0 }).trimEnd(),
    '',
  ].join('\n');
}
