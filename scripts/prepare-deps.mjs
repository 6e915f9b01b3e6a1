// Runs first in `prepare`. When npm installs this repository as a git dependency *globally*
// (`npm install -g git+...`, which is how pre-commit installs a `language: node` hook), it runs
// `prepare` in a fresh clone without installing the devDependencies the build needs (npm/cli
// issue 8440: the build stops at "tsc: not found"). Here they are installed into the clone first,
// from package-lock.json. In a normal checkout (`npm ci`, `npm install`) they are already there and
// this does nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const missing = Object.keys(pkg.devDependencies ?? {}).filter(
  (name) => !existsSync(join(root, 'node_modules', name, 'package.json')),
);
if (missing.length > 0) {
  console.error(`prepare: installing the build's devDependencies (${missing.join(', ')} missing)`);
  // --global=false and --prefix: the global install's settings reach this npm through the
  // environment and would install into the global prefix. --ignore-scripts: no `prepare` again.
  const r = spawnSync(
    'npm',
    [
      'install',
      '--global=false',
      `--prefix=${root}`,
      '--include=dev',
      '--ignore-scripts',
      '--no-save',
      '--no-audit',
      '--no-fund',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
}
