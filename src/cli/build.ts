/**
 * `layerwise build [DIR]`: the options turned into outputs and image settings, progress on a
 * terminal, the report. The work is in src/build.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readBuildConfig } from '../build/config.js';
import { buildText, planText } from '../build/render-text.js';
import { layerMtime } from '../build/tar-write.js';
import { build, type BuildOutput } from '../build/run.js';
import { UserError } from '../errors.js';

export interface BuildCliOptions {
  tag?: string[];
  output?: string[];
  /** true for a bare --load, else the name. */
  load?: string | true;
  base?: string;
  platform?: string;
  /** A ref, or false for --no-previous. */
  previous?: string | false;
  maxLayers?: string;
  indexUrl?: string;
  cmd?: string;
  entrypoint?: string;
  user?: string;
  workdir?: string;
  env?: Record<string, string>;
  label?: Record<string, string>;
  port?: string[];
  dryRun?: boolean;
  insecure?: boolean;
  format?: string;
}

/** `["a","b"]` as JSON, else words split on blanks. */
function command(flag: string, v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  if (v.trim().startsWith('[')) {
    try {
      const a = JSON.parse(v) as unknown;
      if (Array.isArray(a) && a.every((x) => typeof x === 'string')) return a;
    } catch {
      /* reported below */
    }
    throw new UserError(`${flag} ${v}: not a JSON array of strings`);
  }
  return v.split(/\s+/).filter(Boolean);
}

function outputsOf(opts: BuildCliOptions, projectName: string): BuildOutput[] {
  const outs: BuildOutput[] = [];
  for (const t of opts.tag ?? []) {
    if (!/^[^/]+[./:][^/]*\/.+:[\w][\w.-]{0,127}$/.test(t) && !/^[^/]+\/.+:[\w][\w.-]{0,127}$/.test(t))
      throw new UserError(`--tag ${t}: give HOST/NAME:TAG (a registry reference with a tag)`);
    outs.push({ kind: 'registry', ref: t });
  }
  for (const o of opts.output ?? []) {
    if (o.startsWith('oci:')) {
      const rest = o.slice(4);
      const i = rest.lastIndexOf(':');
      outs.push(
        i > 0 && !rest.slice(i + 1).includes('/')
          ? { kind: 'oci', dir: resolve(rest.slice(0, i)), tag: rest.slice(i + 1) }
          : { kind: 'oci', dir: resolve(rest), tag: 'latest' },
      );
    } else if (o.startsWith('archive:')) {
      const file = o.slice(8);
      if (!file) throw new UserError(`--output ${o}: give a file after archive:`);
      if (existsSync(file)) throw new UserError(`--output ${o}: ${file} exists; remove it or name another file`);
      outs.push({ kind: 'archive', file: resolve(file), name: opts.tag?.[0] ?? `${projectName}:latest` });
    } else throw new UserError(`--output ${o}: expected oci:DIR[:TAG] or archive:FILE`);
  }
  if (opts.load !== undefined) {
    const name = opts.load === true ? (opts.tag?.[0] ?? `${projectName}:latest`) : opts.load;
    // docker load refuses a name without a tag; the engine's own default is latest.
    outs.push({ kind: 'engine', name: /:[\w][\w.-]*$/.test(name.split('/').pop()!) ? name : `${name}:latest` });
  }
  return outs;
}

export async function runBuild(dirArg: string | undefined, opts: BuildCliOptions): Promise<number> {
  const dir = dirArg ?? '.';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such directory`);
  const cfg = readBuildConfig(dir);
  const budget = opts.maxLayers !== undefined ? Number(opts.maxLayers) : (cfg.maxLayers ?? 100);
  if (!Number.isInteger(budget) || budget < 2 || budget > 127)
    throw new UserError(
      `--max-layers ${opts.maxLayers}: expected a whole number from 2 to 127 (engines refuse more than 125 to 127)`,
    );
  const name =
    resolve(dir)
      .split('/')
      .pop()!
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-') || 'app';
  const outputs = outputsOf(opts, name);
  if (!outputs.length && !opts.dryRun)
    throw new UserError(
      'build needs somewhere to put the image: --tag HOST/NAME:TAG, --output oci:DIR or archive:FILE, or --load',
    );
  // Checked as the tar writer takes it (whole seconds a tar header can hold).
  const epoch = layerMtime();
  const tty = !!process.stderr.isTTY && !process.env.CI;
  const r = await build({
    dir,
    base: opts.base ?? cfg.base,
    outputs,
    previous: opts.previous === false ? null : opts.previous,
    platform: opts.platform,
    budget,
    dryRun: opts.dryRun,
    indexUrl: opts.indexUrl,
    insecure: opts.insecure,
    epoch,
    cmd: command('--cmd', opts.cmd) ?? cfg.cmd,
    entrypoint: command('--entrypoint', opts.entrypoint) ?? cfg.entrypoint,
    user: opts.user ?? cfg.user,
    workdir: opts.workdir ?? cfg.workdir,
    env: { ...cfg.env, ...opts.env },
    labels: { ...cfg.labels, ...opts.label },
    ports: opts.port ?? cfg.ports,
    onStep: tty ? (m) => process.stderr.write(`\x1b[2m> ${m}\x1b[0m\n`) : undefined,
  });
  if (opts.format === 'json') process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else process.stdout.write(r.schema === 'layerwise.build-plan/1' ? planText(r) : buildText(r));
  return 0;
}
