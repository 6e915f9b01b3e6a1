/**
 * The files `ship plan` hands a deploy: a POSIX sh script that pulls the base and then the app by
 * digest and starts the compose service, and a compose override pinning the service's image to
 * the release's digest. Written under the project only, never over a file the user changed.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';
import { COMPOSE_FILES, dig, readToml } from '../project/files.js';
import type { DeployPlan } from './types.js';

/** A word quoted for sh: single quotes, with embedded ones closed, escaped and reopened. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A POSIX sh script: `docker pull BASE@digest` (when there is a base), `docker pull APP@digest`,
 * then `docker compose -f FILES... up -d SERVICE` (FILES relative to the script's directory);
 * `deploy.sh pull` does only the pulls (to
 * fetch ahead of a maintenance window, or to measure). No local tag is made: the compose override
 * pins the digest, and a local `:deployed` tag would be a second record of what runs that
 * `ship rollback` (which moves the registry's tag) could not keep true.
 */
export function renderDeployScript(plan: DeployPlan, opts: { composeFiles: string[]; service: string }): string {
  const files = opts.composeFiles.map((f) => `-f ${shQuote(f)}`).join(' ');
  const lines = [
    '#!/bin/sh',
    `# Written by \`layerwise ship plan\`: deploys ${plan.app.ref}`,
    `# (predicted download on the ${plan.store} store against ${plan.against}: ${plan.pull.layers} layer(s), ${plan.pull.bytes} bytes).`,
    '# Usage: sh deploy.sh [pull]   (pull: only fetch the images, start nothing)',
    '# The engine is the one docker would use: DOCKER_HOST when set, else the default socket.',
    'set -eu',
    '# The compose files are named relative to this script, wherever it is run from.',
    'cd "$(dirname "$0")"',
    '',
    'case "${1:-}" in',
    '  "" | pull) ;;',
    '  *) echo "usage: $0 [pull]" >&2; exit 2 ;;',
    'esac',
    '',
  ];
  if (plan.base)
    lines.push(
      '# The base first: its layers (the dependencies, most of the bytes) are fetched once and are',
      '# then shared by every release built on the same base.',
      `docker pull ${shQuote(plan.base.ref)}`,
      '# Then the app: with the base in place only its own thin layers are left to fetch.',
    );
  lines.push(`docker pull ${shQuote(plan.app.ref)}`, '', 'if [ "${1:-}" = pull ]; then exit 0; fi', '');
  lines.push(
    '# The compose files, with the override pinning the image to the digest pulled above.',
    `docker compose ${files} up -d ${shQuote(opts.service)}`,
    '',
  );
  return lines.join('\n');
}

const yamlKey = (k: string) => (/^[A-Za-z0-9._-]+$/.test(k) ? k : JSON.stringify(k));

/**
 * A compose override setting `services.<service>.image: APP@digest` and `pull_policy: missing`
 * (the digest never changes, so a pull is needed only when the image is absent). Standalone (the
 * project has no compose file): a complete file, with `ports` mapping each port given (from the
 * image's ExposedPorts) to the same port on the host.
 */
export function renderComposeOverride(
  plan: DeployPlan,
  opts: { service: string; standalone: boolean; ports?: string[] },
): string {
  const lines = [
    `# Written by \`layerwise ship plan\`: the release ${plan.app.ref.replace(/^.*\//, '')}, pinned by digest`,
    '# so a moved tag cannot change what runs.',
    'services:',
    `  ${yamlKey(opts.service)}:`,
    `    image: ${JSON.stringify(plan.app.ref)}`,
    '    pull_policy: missing',
  ];
  if (opts.standalone) {
    lines.push('    restart: unless-stopped');
    const ports = (opts.ports ?? []).map((p) => p.replace(/\/tcp$/, ''));
    if (ports.length) {
      lines.push('    ports:');
      for (const p of ports) {
        const [num, proto] = p.split('/');
        lines.push(`      - ${JSON.stringify(`${num}:${num}${proto ? `/${proto}` : ''}`)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The path under `root` that `rel` names; a UserError when it leaves root, directly or through a symlink. */
function targetIn(root: string, realRoot: string, rel: string): string {
  const abs = resolve(root, rel);
  const inside = (p: string, r: string) => {
    const x = relative(r, p);
    return x === '' || (!x.startsWith(`..${sep}`) && x !== '..' && !isAbsolute(x));
  };
  if (isAbsolute(rel) || !inside(abs, root) || abs === root)
    throw new UserError(`${rel}: outside ${root}; deploy files are written only under the project`);
  // The nearest part of the path that exists decides where a write really lands.
  let probe = abs;
  while (!existsSync(probe) && !isSymlink(probe)) probe = dirname(probe);
  const real = isSymlink(probe) && !existsSync(probe) ? null : realpathSync(probe);
  if (!real || !inside(real, realRoot))
    throw new UserError(`${rel}: a symlink leads outside ${root}; remove it or choose another path`);
  return real === probe ? abs : join(real, relative(probe, abs));
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Writes text to path through a temporary file beside it, so a reader never sees half a file. */
function atomicWrite(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: text.startsWith('#!') ? 0o755 : 0o644 });
    // writeFileSync's mode is filtered by the umask; a script must stay runnable.
    if (text.startsWith('#!')) chmodSync(tmp, 0o755);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(`${path}: cannot write (${(e as Error).message.split('\n')[0]})`);
  }
}

/**
 * Writes files (relative path -> content) under dir, never outside it (`../`, absolute paths and
 * symlinks leading out are refused with a UserError before anything is written). An existing file
 * with other content is kept unless `force`, and returned in `refused` with a unified diff.
 */
export function writeDeployFiles(
  dir: string,
  files: Record<string, string>,
  opts: { force?: boolean } = {},
): { written: string[]; unchanged: string[]; refused: { path: string; diff: string }[] } {
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  const realRoot = realpathSync(root);
  const targets = Object.entries(files).map(([rel, text]) => ({ rel, text, abs: targetIn(root, realRoot, rel) }));
  const out = { written: [] as string[], unchanged: [] as string[], refused: [] as { path: string; diff: string }[] };
  for (const { rel, text, abs } of targets) {
    if (existsSync(abs) && !statSync(abs).isFile())
      throw new UserError(`${rel}: exists and is not a file; move it away or choose another path`);
    const old = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    if (old === text) {
      out.unchanged.push(rel);
      continue;
    }
    if (old !== undefined && !opts.force) {
      const diff = createTwoFilesPatch(`a/${rel}`, `b/${rel}`, old, text, '', '', { context: 3 });
      out.refused.push({ path: rel, diff });
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    atomicWrite(abs, text);
    out.written.push(rel);
  }
  return out;
}

/** Compose service names: letters, digits, `.`, `_`, `-` (lower case, as compose project names). */
function serviceName(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return s || 'app';
}

/** The compose files `docker compose` reads in dir by default: the first base name found, then its override. */
function composeFilesIn(dir: string): string[] {
  const base = COMPOSE_FILES.find((f) => existsSync(join(dir, f)));
  if (!base) return [];
  const family = base.startsWith('docker-') ? 'docker-compose' : 'compose';
  const override = [`${family}.override.yaml`, `${family}.override.yml`].find((f) => existsSync(join(dir, f)));
  return override ? [base, override] : [base];
}

/**
 * The compose service to deploy: the one in the project's compose file(s) whose build context is
 * the project, else the project's name (pyproject's, else the directory's); plus the compose
 * files found (relative to dir, in the order compose reads them).
 */
export function deployService(dir: string): { service: string; composeFiles: string[] } {
  const root = resolve(dir);
  const real = existsSync(root) ? realpathSync(root) : root;
  const composeFiles = composeFilesIn(root);
  // Later files override earlier ones, as compose merges them.
  const contexts = new Map<string, string | null>();
  const published = new Set<string>();
  for (const f of composeFiles) {
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(join(root, f), 'utf8'));
    } catch {
      continue; // compose will say what is wrong with it; the name falls back below
    }
    const services = dig(doc, 'services');
    if (!services || typeof services !== 'object') continue;
    for (const [name, svc] of Object.entries(services as Record<string, unknown>)) {
      if (dig(svc, 'ports') !== undefined) published.add(name);
      const build = dig(svc, 'build');
      const ctx = typeof build === 'string' ? build : dig(build, 'context');
      if (build === undefined) {
        if (!contexts.has(name)) contexts.set(name, null);
        continue;
      }
      contexts.set(name, typeof ctx === 'string' ? ctx : '.');
    }
  }
  const builders = [...contexts].filter(([, ctx]) => {
    if (ctx === null || /^[a-z]+:\/\//i.test(ctx) || ctx.startsWith('git@')) return false;
    const abs = resolve(root, ctx);
    return (existsSync(abs) ? realpathSync(abs) : abs) === real;
  });
  // Several services can build the project (web and worker): the one publishing ports is the one users reach.
  const pick = builders.find(([name]) => published.has(name)) ?? builders[0];
  if (pick) return { service: pick[0], composeFiles };
  const pyName = dig(readToml(join(root, 'pyproject.toml')), 'project', 'name');
  return { service: serviceName(typeof pyName === 'string' ? pyName : basename(real)), composeFiles };
}
