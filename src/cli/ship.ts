/**
 * `layerwise ship [DIR]`, `ship plan`, `ship rollback`, `ship gc`: argument checks, progress on a
 * terminal, and the reports. The work is in src/ship.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { gc } from '../ship/gc.js';
import { deployService, renderComposeOverride, renderDeployScript, writeDeployFiles } from '../ship/deploy-files.js';
import { planRelease } from '../ship/plan.js';
import { formatRollback, rollback } from '../ship/rollback.js';
import { fingerprintText, planText, shipText } from '../ship/render-text.js';
import { ship, shipFingerprint, shipRepo } from '../ship/run.js';

export interface ShipCliOptions {
  repo?: string;
  tag?: string[];
  /** A tag, or false for --no-deploy-tag. */
  deployTag?: string | false;
  baseTarget?: string;
  dockerfile?: string;
  baseDockerfile?: string;
  context?: string;
  buildArg?: Record<string, string>;
  platform?: string;
  dryRun?: boolean;
  fingerprint?: boolean;
  rebuildBase?: boolean;
  network?: 'default' | 'host' | 'none';
  builder?: string;
  insecure?: boolean;
  verbose?: boolean;
  format?: string;
}

export interface ShipPlanCliOptions {
  repo?: string;
  release?: string;
  /** true for a bare --host, else the engine address. */
  host?: string | true;
  against?: string;
  out?: string;
  /** false for --no-write. */
  write?: boolean;
  force?: boolean;
  insecure?: boolean;
  deployTag?: string;
  format?: string;
}

export interface ShipRollbackCliOptions {
  repo?: string;
  to?: string;
  deployTag?: string;
  dryRun?: boolean;
  insecure?: boolean;
  format?: string;
}

export interface ShipGcCliOptions {
  repo?: string;
  keep?: string;
  protect?: string[];
  deployTag?: string;
  dryRun?: boolean;
  insecure?: boolean;
  format?: string;
}

function projectDir(dir: string | undefined): string {
  const d = dir ?? '.';
  if (!existsSync(d) || !statSync(d).isDirectory()) throw new UserError(`${d}: no such directory`);
  return resolve(d);
}

function repoOf(opts: { repo?: string }): string {
  const r = opts.repo ?? process.env.LAYERWISE_SHIP_REPO;
  if (!r) throw new UserError('ship needs the app repository: give --repo HOST/NAME (or set LAYERWISE_SHIP_REPO)');
  return r;
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/** Step lines on a terminal (or with --verbose), never mixed into standard output. */
function progress(verbose: boolean | undefined): { onStep?: (m: string) => void; onBuildLine?: (l: string) => void } {
  const tty = !!process.stderr.isTTY && !process.env.CI;
  return {
    onStep:
      tty || verbose
        ? (m) => process.stderr.write(`${tty ? '\x1b[2m' : ''}> ${m}${tty ? '\x1b[0m' : ''}\n`)
        : undefined,
    onBuildLine: verbose ? (l) => process.stderr.write(`  ${l}\n`) : undefined,
  };
}

export async function runShip(dirArg: string | undefined, opts: ShipCliOptions): Promise<number> {
  const dir = projectDir(dirArg);
  const common = {
    dir,
    dockerfile: opts.dockerfile,
    baseDockerfile: opts.baseDockerfile,
    context: opts.context,
    baseTarget: opts.baseTarget,
    buildArgs: opts.buildArg,
    platform: opts.platform,
  };
  if (opts.fingerprint) {
    const { fingerprint } = await shipFingerprint(common);
    const r = opts.repo ?? process.env.LAYERWISE_SHIP_REPO;
    const baseRef = r ? `${r}-base:${fingerprint.tag}` : null;
    process.stdout.write(
      opts.format === 'json' ? json({ ...fingerprint, ref: baseRef }) : fingerprintText(fingerprint, baseRef),
    );
    return 0;
  }
  const result = await ship({
    ...common,
    repo: repoOf(opts),
    tags: opts.tag,
    deployTag: opts.deployTag === false ? null : opts.deployTag,
    dryRun: opts.dryRun,
    rebuildBase: opts.rebuildBase,
    network: opts.network,
    builder: opts.builder,
    insecure: opts.insecure,
    ...progress(opts.verbose),
  });
  process.stdout.write(opts.format === 'json' ? json(result) : shipText(result));
  return result.base.drift && !result.base.drift.identical ? 1 : 0;
}

/** The header line of the files `ship plan` writes: a file starting so may be replaced without --force. */
const MARK = '# Written by `layerwise ship plan`';

export async function runShipPlan(dirArg: string | undefined, opts: ShipPlanCliOptions): Promise<number> {
  const dir = projectDir(dirArg);
  const repoArg = repoOf(opts);
  const repo = shipRepo(repoArg, opts.insecure);
  if (opts.against && opts.host !== undefined)
    throw new UserError('--host and --against name what the host holds two ways; give one');
  const { plan, ports } = await planRelease({
    registry: repo.registry,
    repo: repo.appPath,
    release: opts.release ?? opts.deployTag ?? 'live',
    against: opts.against ? { release: opts.against } : { host: opts.host ?? true },
  });
  if (opts.write !== false) {
    const out = resolve(dir, opts.out ?? '.layerwise/deploy');
    const rel = relative(dir, out);
    if (rel.startsWith('..') || resolve(rel) === rel) throw new UserError(`--out ${opts.out}: must be inside ${dir}`);
    const { service, composeFiles } = deployService(dir);
    const files: Record<string, string> = {
      'deploy.sh': renderDeployScript(plan, {
        // The project's compose files (relative to the script's directory), then the override.
        composeFiles: [...composeFiles.map((f) => relative(out, join(dir, f))), 'compose.deploy.yaml'],
        service,
      }),
      'compose.deploy.yaml': renderComposeOverride(plan, { service, standalone: composeFiles.length === 0, ports }),
    };
    // A file a previous plan wrote (its header says so) is ours to replace; anything else needs
    // --force. Everything is checked before anything is written.
    const refused = Object.entries(files).flatMap(([f, text]) => {
      const p = join(out, f);
      if (opts.force || !existsSync(p)) return [];
      const old = readFileSync(p, 'utf8');
      if (
        old === text ||
        old
          .split('\n')
          .slice(0, 2)
          .some((l) => l.startsWith(MARK))
      )
        return [];
      return [
        { path: relative(dir, p), diff: createTwoFilesPatch(`a/${f}`, `b/${f}`, old, text, '', '', { context: 3 }) },
      ];
    });
    for (const r of refused) process.stderr.write(`${r.diff}\n`);
    if (refused.length)
      throw new UserError(
        `${refused.map((r) => r.path).join(', ')}: not written by ship plan (diff above); use --force to replace, or --out DIR`,
      );
    const w = writeDeployFiles(out, files, { force: true });
    plan.files = [...w.written, ...w.unchanged].map((f) => relative(dir, join(out, f)));
  }
  process.stdout.write(opts.format === 'json' ? json(plan) : planText(plan));
  return 0;
}

export async function runShipRollback(opts: ShipRollbackCliOptions): Promise<number> {
  const repo = shipRepo(repoOf(opts), opts.insecure);
  const r = await rollback(repo.client, repo.appPath, { deployTag: opts.deployTag, to: opts.to, dryRun: opts.dryRun });
  process.stdout.write(opts.format === 'json' ? json(r) : `${formatRollback(repoOf(opts), r, opts.dryRun)}\n`);
  return 0;
}

export async function runShipGc(opts: ShipGcCliOptions): Promise<number> {
  const keep = Number(opts.keep);
  if (!Number.isInteger(keep) || keep < 1) throw new UserError(`--keep ${opts.keep}: expected a whole number from 1`);
  const repo = shipRepo(repoOf(opts), opts.insecure);
  const r = await gc(repo.client, repo.appPath, {
    keep,
    deployTag: opts.deployTag,
    protect: opts.protect,
    dryRun: opts.dryRun,
  });
  if (opts.format === 'json') process.stdout.write(json(r));
  else {
    const verb = r.dryRun ? 'would delete' : 'deleted';
    for (const d of r.deleted)
      process.stdout.write(`${verb} ${d.repo}@${d.digest.slice(0, 19)} (${d.tags.join(', ') || 'untagged'})\n`);
    for (const k of r.kept)
      process.stdout.write(`kept ${k.repo}@${k.digest.slice(0, 19)} (${k.tags.join(', ') || 'untagged'}): ${k.why}\n`);
    process.stdout.write(`${r.deleted.length} ${verb}, ${r.kept.length} kept\n`);
  }
  return 0;
}
