/**
 * The plain-BuildKit client of the build driver (`client: 'buildctl'`, `bench --buildkit ADDR`):
 * `buildctl build` with the Dockerfile frontend against a BuildKit daemon at ADDR, its rawjson
 * progress read like buildx's, and the image either streamed into the engine (`--output
 * type=docker` piped into `docker load`, so the engine can measure it) or pushed (`type=image,
 * push=true`). buildctl is found as `BUILDCTL` (a path) or `buildctl` on PATH.
 *
 * Not tested against a real BuildKit daemon: none can be had on the machines this was written on
 * (neither Debian bookworm nor the npm registry ships buildkitd or buildctl); the unit tests run a
 * stand-in buildctl that checks its arguments and replays recorded progress.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { UserError } from '../errors.js';
import type { BuildRequest } from './build.js';

/** What the driver has prepared: the paths and args buildctl gets, and a temp dir for its files. */
export interface BuildctlJob {
  context: string;
  dockerfile: string;
  buildArgs: Record<string, string>;
  work: string;
}

/** The buildctl binary: BUILDCTL (a path) when set, else `buildctl` on PATH. */
export function buildctlBin(req: { buildctl?: string } = {}): string {
  return req.buildctl ?? process.env.BUILDCTL ?? 'buildctl';
}

/** buildctl's arguments for one build (exported for tests and for `--dry-run`-like displays). */
export function buildctlArgs(req: BuildRequest, job: BuildctlJob, metadataFile: string): string[] {
  const args: string[] = [];
  if (req.buildkit) args.push('--addr', req.buildkit);
  args.push('build', '--frontend', 'dockerfile.v0', '--progress', 'rawjson');
  args.push('--local', `context=${job.context}`, '--local', `dockerfile=${dirname(job.dockerfile)}`);
  args.push('--opt', `filename=${basename(job.dockerfile)}`);
  if (req.target) args.push('--opt', `target=${req.target}`);
  if (req.platform) args.push('--opt', `platform=${req.platform}`);
  // `docker build --network host` is the frontend's force-network-mode plus the entitlement,
  // which the daemon must allow (buildkitd --allow-insecure-entitlement network.host).
  if (req.network === 'host') args.push('--opt', 'force-network-mode=host', '--allow', 'network.host');
  else if (req.network === 'none') args.push('--opt', 'force-network-mode=none');
  if (req.noCache) args.push('--no-cache');
  for (const [k, v] of Object.entries(job.buildArgs)) args.push('--opt', `build-arg:${k}=${v}`);
  args.push('--metadata-file', metadataFile);
  if (req.push) {
    if (!req.tag) throw new UserError('pushing a buildctl build needs an image name (tag): give one');
    args.push('--output', `type=image,name=${req.tag},push=true`);
  } else args.push('--output', req.tag ? `type=docker,name=${req.tag}` : 'type=docker');
  return args;
}

interface Proc {
  code: number;
  error?: NodeJS.ErrnoException;
}

function exited(child: ReturnType<typeof spawn>): Promise<Proc> {
  return new Promise((resolve) => {
    let error: NodeJS.ErrnoException | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => {
      error = e;
    });
    child.on('close', (code) => resolve({ code: code ?? 128, error }));
  });
}

/** What running buildctl (and docker load) gave. */
export interface BuildctlRun {
  /** 0 when both processes succeeded. */
  code: number;
  /** The engine's image ID (loaded) or the pushed manifest's digest; '' when unknown. */
  imageId: string;
  /** Lines docker load printed (its errors, `Loaded image ...`). */
  loadLines: string[];
}

/**
 * Runs buildctl, each stderr line to onLine (rawjson progress), its stdout (the image tar) into
 * `docker load` unless pushing; the image ID from what the engine loaded, checked with `docker
 * image inspect`. Missing binaries are UserErrors naming what to install or set.
 */
export async function runBuildctl(
  req: BuildRequest,
  job: BuildctlJob,
  env: NodeJS.ProcessEnv,
  onLine: (l: string) => void,
): Promise<BuildctlRun> {
  const bin = buildctlBin(req);
  const docker = req.docker ?? 'docker';
  const metadataFile = join(job.work, 'buildctl-metadata.json');
  const args = buildctlArgs(req, job, metadataFile);
  const kit = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], signal: req.signal });
  createInterface({ input: kit.stderr! }).on('line', onLine);
  const loadLines: string[] = [];
  let load: ReturnType<typeof spawn> | undefined;
  if (req.push) createInterface({ input: kit.stdout! }).on('line', onLine);
  else {
    load = spawn(docker, ['load'], { env, stdio: ['pipe', 'pipe', 'pipe'], signal: req.signal });
    kit.stdout!.pipe(load.stdin!);
    // A docker load that dies early must not crash the pipe: its exit code says what happened.
    load.stdin!.on('error', () => undefined);
    for (const s of [load.stdout!, load.stderr!])
      createInterface({ input: s }).on('line', (l) => {
        loadLines.push(l);
        onLine(l);
      });
  }
  const timer = setTimeout(() => {
    kit.kill('SIGKILL');
    load?.kill('SIGKILL');
  }, req.timeoutMs ?? 1_800_000);
  const [k, l] = await Promise.all([exited(kit), load ? exited(load) : Promise.resolve({ code: 0 } as Proc)]);
  clearTimeout(timer);
  if (k.error?.code === 'ENOENT')
    throw new UserError(`buildctl not found (${bin}): install BuildKit's buildctl or set BUILDCTL to its path`);
  if (l.error?.code === 'ENOENT')
    throw new UserError(`docker CLI not found (${docker}): buildctl's image is loaded with docker load`);
  for (const e of [k.error, l.error])
    if (e) throw new UserError(`${e.name === 'AbortError' ? 'build canceled' : e.message}`);
  if (k.code !== 0 || l.code !== 0) return { code: k.code || l.code, imageId: '', loadLines };

  const meta = existsSync(metadataFile)
    ? (JSON.parse(readFileSync(metadataFile, 'utf8')) as Record<string, unknown>)
    : {};
  if (req.push) return { code: 0, imageId: String(meta['containerimage.digest'] ?? ''), loadLines };
  // The engine's own ID (the config digest on the classic store, another digest with containerd).
  const loaded = loadLines
    .map((x) => /^Loaded image(?: ID)?: (.+)$/.exec(x.trim())?.[1])
    .find((x): x is string => x !== undefined);
  const ref = req.tag ?? loaded ?? String(meta['containerimage.config.digest'] ?? '');
  if (!ref) return { code: 0, imageId: '', loadLines };
  const inspect = spawn(docker, ['image', 'inspect', '--format', '{{.Id}}', ref], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let id = '';
  createInterface({ input: inspect.stdout! }).on('line', (x) => {
    id ||= x.trim();
  });
  const i = await exited(inspect);
  return { code: 0, imageId: i.code === 0 ? id : '', loadLines };
}

/**
 * The BuildKit daemon's version at `buildkit` (`buildctl debug info`), for bench's records; null
 * when buildctl is there but the daemon does not say. A missing buildctl or an unreachable daemon
 * is a UserError naming the address.
 */
export async function buildkitVersion(opts: { buildkit?: string; buildctl?: string } = {}): Promise<string | null> {
  const bin = buildctlBin(opts);
  const args = [...(opts.buildkit ? ['--addr', opts.buildkit] : []), 'debug', 'info'];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  const lines: string[] = [];
  for (const s of [child.stdout!, child.stderr!]) createInterface({ input: s }).on('line', (l) => lines.push(l));
  const r = await exited(child);
  if (r.error?.code === 'ENOENT')
    throw new UserError(`buildctl not found (${bin}): install BuildKit's buildctl or set BUILDCTL to its path`);
  if (r.code !== 0 || r.error)
    throw new UserError(
      `BuildKit daemon not reachable (${opts.buildkit ?? process.env.BUILDKIT_HOST ?? "buildctl's default address"}): ${lines.filter((l) => l.trim()).slice(-1)[0] ?? r.error?.message ?? 'no answer'}`,
    );
  return /\bv\d+\.\d+\.\d+[\w.+-]*/.exec(lines.join('\n'))?.[0] ?? null;
}
