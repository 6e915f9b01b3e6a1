/**
 * The one build driver `audit --build`, `bench` and `ship` share: the docker CLI with BuildKit.
 * With buildx present it runs `docker buildx build --progress=rawjson` (plain progress on a buildx
 * too old for rawjson), else `DOCKER_BUILDKIT=1 docker build --progress=plain`, and reads the
 * progress into steps with cached flags and durations (progress.ts). DOCKER_HOST (or `host`) picks
 * the engine; `builder` picks a buildx builder; `client: 'buildctl'` builds on a plain BuildKit
 * daemon (`buildkit`, its address) with buildctl (buildctl.ts). A missing docker CLI, an
 * unreachable engine or a failed build is a UserError carrying the last lines of the build log.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { UserError } from '../errors.js';
import { runBuildctl } from './buildctl.js';
import { type BuildStep, PlainProgressParser, type ProgressParser, RawJsonProgressParser } from './progress.js';

export type { BuildStep } from './progress.js';

/** One build, as `docker build` takes it. */
export interface BuildRequest {
  /** Build context directory. */
  context: string;
  /** Dockerfile path (may lie outside the context); default `<context>/Dockerfile`. */
  dockerfile?: string;
  /** Stage to build (`--target`). */
  target?: string;
  /** `--build-arg K=V` for each entry. */
  buildArgs?: Record<string, string>;
  /** Image name to tag the result with (`-t`). */
  tag?: string;
  /** `--no-cache`: no step is answered from the build cache. */
  noCache?: boolean;
  /**
   * A cache key of this build's own: the Dockerfile is built from a copy (outside the context)
   * whose every stage declares `ARG LAYERWISE_CACHE_KEY`, set to this value, so no cache record
   * of another build can answer its RUN steps (bench's cold scenario). The same key twice shares
   * the records, so a run can build cold once and then warm against itself.
   */
  cacheKey?: string;
  /** With cacheKey: `RUN --mount=type=cache` mounts get ids of this key too (empty package-manager caches). */
  isolateCacheMounts?: boolean;
  /** buildx builder name (`--builder`); needs buildx. */
  builder?: string;
  /** docker CLI to run (default `docker` on PATH). */
  docker?: string;
  /** Engine address (DOCKER_HOST); default the environment's. */
  host?: string;
  /** `--network` for RUN steps (`host` reaches an index on 127.0.0.1). */
  network?: 'host' | 'default' | 'none';
  /** `--platform`, e.g. linux/amd64. */
  platform?: string;
  /**
   * Which client: `auto` (buildx when present), `buildx`, `buildkit` (DOCKER_BUILDKIT=1 docker
   * build), or `buildctl` (a plain BuildKit daemon at `buildkit`; the image is loaded into the
   * engine with `docker load` unless `push`).
   */
  client?: 'auto' | 'buildx' | 'buildkit' | 'buildctl';
  /** With client buildctl: the BuildKit daemon's address (`--addr`, e.g. tcp://kit:1234); default buildctl's own (BUILDKIT_HOST). */
  buildkit?: string;
  /** With client buildctl: the buildctl binary (default BUILDCTL, else `buildctl` on PATH). */
  buildctl?: string;
  /** With client buildctl: push the image to `tag` (type=image,push=true) instead of loading it; imageId is then the pushed manifest's digest. */
  push?: boolean;
  /** Kill the build after this long (default 30 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Each line of progress output as it arrives (for progress display). */
  onLine?: (line: string) => void;
}

/** What a build produced. */
export interface BuildOutcome {
  /** `sha256:...` of the image. */
  imageId: string;
  tag?: string;
  /** Wall-clock seconds of the whole build. */
  seconds: number;
  /** Every BuildKit vertex, in order; Dockerfile steps have `internal: false`. */
  steps: BuildStep[];
  /** The client that ran it. */
  client: 'buildx' | 'buildkit' | 'buildctl';
  /** buildx builder name, `default`, or the BuildKit address buildctl used. */
  builder: string;
  /** Last lines of the progress log. */
  logTail: string[];
}

/** A build that failed; the message ends with the last lines of the log. */
export class BuildError extends UserError {
  constructor(
    message: string,
    readonly logTail: string[],
  ) {
    super(message);
    this.name = 'BuildError';
  }
}

const TAIL_LINES = 20;

interface Run {
  code: number;
  lines: string[];
}

function childEnv(req: { host?: string }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (req.host) env.DOCKER_HOST = req.host;
  return env;
}

/** Runs the docker CLI, handing each output line (stderr and stdout) to onLine. */
function run(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { timeoutMs?: number; signal?: AbortSignal; onLine?: (l: string) => void } = {},
): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal });
    const lines: string[] = [];
    const take = (l: string): void => {
      lines.push(l);
      if (lines.length > 4000) lines.splice(0, 2000);
      opts.onLine?.(l);
    };
    createInterface({ input: child.stderr }).on('line', take);
    createInterface({ input: child.stdout }).on('line', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 1_800_000);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') reject(new UserError(`docker CLI not found (${bin}): install Docker or give its path`));
      else if (e.name === 'AbortError') reject(new UserError(`${bin} ${args[0]}: canceled`));
      else reject(new UserError(`${bin}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) lines.push(`killed after ${(opts.timeoutMs ?? 1_800_000) / 1000} s`);
      resolvePromise({ code: timedOut ? 124 : (code ?? 128), lines });
    });
  });
}

const buildxCache = new Map<string, Promise<{ present: boolean; rawjson: boolean; version: string }>>();

/** Whether the docker CLI has buildx, and whether that buildx knows `--progress=rawjson` (v0.12+: BuildKit progressui gained it in 2023). */
export function detectBuildx(
  docker = 'docker',
  host?: string,
): Promise<{ present: boolean; rawjson: boolean; version: string }> {
  const key = `${docker}\0${host ?? ''}`;
  let p = buildxCache.get(key);
  if (!p) {
    p = run(docker, ['buildx', 'version'], childEnv({ host }), { timeoutMs: 30_000 }).then(
      (r) => {
        const text = r.lines.join('\n');
        const m = /\bv?(\d+)\.(\d+)\.\d+/.exec(text);
        if (r.code !== 0 || !m) return { present: false, rawjson: false, version: '' };
        const [maj, min] = [Number(m[1]), Number(m[2])];
        return { present: true, rawjson: maj > 0 || min >= 12, version: m[0] };
      },
      (e: unknown) => {
        if (e instanceof UserError) throw e;
        return { present: false, rawjson: false, version: '' };
      },
    );
    buildxCache.set(key, p);
  }
  return p;
}

/** `ARG LAYERWISE_CACHE_KEY` after every FROM; cache mounts keyed too when asked. */
export function isolateDockerfile(text: string, key: string, cacheMounts: boolean): string {
  let out = afterEachFrom(text, 'ARG LAYERWISE_CACHE_KEY');
  if (cacheMounts) {
    out = out.replace(/--mount=([^\s]*\btype=cache\b[^\s]*)/g, (_m, spec: string) => {
      const parts = spec.split(',');
      const id = parts.find((p) => p.startsWith('id='));
      const target = parts.find((p) => /^(target|dst|destination)=/.test(p))?.replace(/^[^=]*=/, '') ?? '';
      const rest = parts.filter((p) => !p.startsWith('id='));
      const newId = `id=${id ? id.slice(3) : target}-${key}`;
      return `--mount=${[...rest, newId].join(',')}`;
    });
  }
  return out;
}

/**
 * Inserts `line` after each FROM instruction, after its last continuation line: a FROM continued
 * with the escape character (`FROM b \` then `  AS c`) ends where the instruction ends, and the
 * comment or blank lines inside a continuation do not end it (as the Dockerfile parser reads it).
 */
export function afterEachFrom(text: string, line: string): string {
  // The escape directive (`# escape=``) must come before any instruction or other comment.
  const directive = /^(?:[ \t]*#[ \t]*\w+[ \t]*=[^\n]*\r?\n)*?[ \t]*#[ \t]*escape[ \t]*=[ \t]*([\\`])/i.exec(text);
  const escape = directive ? directive[1] : '\\';
  const continues = (l: string): boolean => l.replace(/[ \t\r]+$/, '').endsWith(escape);
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    if (!/^[ \t]*FROM[ \t]/i.test(lines[i])) continue;
    let cont = continues(lines[i]);
    while (cont && i + 1 < lines.length) {
      const next = lines[++i];
      out.push(next);
      // Comment and blank lines inside a continuation are skipped, not its end.
      if (/^[ \t]*(#|\r?$)/.test(next)) continue;
      cont = continues(next);
    }
    out.push(line);
  }
  return out.join('\n');
}

function summarise(steps: BuildStep[], lines: string[]): string {
  const failed = steps.find((s) => s.error);
  if (failed) return `${failed.name}: ${failed.error}`;
  const err = [...lines].reverse().find((l) => /error|cannot|denied|not found/i.test(l));
  return err?.trim() ?? `see the log below`;
}

/**
 * Builds one image and reports its steps. Throws BuildError (a UserError) with the last log
 * lines when the docker CLI is missing, the engine cannot be reached or the build fails.
 */
export async function buildImage(req: BuildRequest): Promise<BuildOutcome> {
  const bin = req.docker ?? 'docker';
  const context = resolve(req.context);
  if (!existsSync(context)) throw new UserError(`build context ${context} does not exist`);
  let dockerfile = resolve(req.dockerfile ?? join(context, 'Dockerfile'));
  if (!existsSync(dockerfile)) throw new UserError(`Dockerfile ${dockerfile} does not exist`);

  if (req.client === 'buildctl' && req.builder !== undefined)
    throw new UserError(`--builder names a buildx builder and --buildkit a BuildKit daemon: give one of them`);
  const wantBuildx = req.client === 'buildx' || req.builder !== undefined;
  const bx =
    req.client === 'buildkit' || req.client === 'buildctl'
      ? { present: false, rawjson: false, version: '' }
      : await detectBuildx(bin, req.host);
  if (wantBuildx && !bx.present)
    throw new UserError(
      req.builder !== undefined
        ? `--builder ${req.builder} needs docker buildx, which ${bin} does not have: install the buildx plugin or drop --builder`
        : `${bin} has no buildx: install the buildx plugin`,
    );
  const client: 'buildx' | 'buildkit' | 'buildctl' =
    req.client === 'buildctl' ? 'buildctl' : bx.present ? 'buildx' : 'buildkit';
  const format: 'plain' | 'rawjson' =
    client === 'buildctl' || (client === 'buildx' && bx.rawjson) ? 'rawjson' : 'plain';

  const work = mkdtempSync(join(tmpdir(), 'layerwise-build-'));
  try {
    if (req.cacheKey !== undefined) {
      const copy = join(work, basename(dockerfile));
      writeFileSync(
        copy,
        isolateDockerfile(readFileSync(dockerfile, 'utf8'), req.cacheKey, req.isolateCacheMounts === true),
      );
      // A Dockerfile-specific ignore file (NAME.dockerignore) travels with its Dockerfile.
      if (existsSync(`${dockerfile}.dockerignore`)) copyFileSync(`${dockerfile}.dockerignore`, `${copy}.dockerignore`);
      dockerfile = copy;
    }
    const buildArgs = { ...req.buildArgs };
    if (req.cacheKey !== undefined) buildArgs.LAYERWISE_CACHE_KEY = req.cacheKey;
    const iidfile = join(work, 'iid');
    const args = client === 'buildx' ? ['buildx', 'build'] : ['build'];
    args.push('--progress', format, '-f', dockerfile, '--iidfile', iidfile);
    if (client === 'buildx') {
      if (req.builder !== undefined) args.push('--builder', req.builder);
      // Non-docker drivers keep the result in the builder unless asked to load it.
      args.push('--load');
    }
    if (req.tag) args.push('-t', req.tag);
    if (req.target) args.push('--target', req.target);
    if (req.network) args.push('--network', req.network);
    if (req.platform) args.push('--platform', req.platform);
    if (req.noCache) args.push('--no-cache');
    for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
    args.push(context);

    const parser: ProgressParser = format === 'rawjson' ? new RawJsonProgressParser() : new PlainProgressParser();
    const onLine = (l: string): void => {
      parser.push(l);
      req.onLine?.(l);
    };
    const t0 = performance.now();
    let kitImage = '';
    let r: Run;
    if (client === 'buildctl') {
      const k = await runBuildctl(req, { context, dockerfile, buildArgs, work }, childEnv(req), onLine);
      r = { code: k.code, lines: [] };
      kitImage = k.imageId;
      // docker load's own messages (not JSON) reach the log through the parser.
    } else
      r = await run(bin, args, childEnv(req, client === 'buildkit' ? { DOCKER_BUILDKIT: '1' } : {}), {
        timeoutMs: req.timeoutMs,
        signal: req.signal,
        onLine,
      });
    const seconds = Math.round(performance.now() - t0) / 1000;
    const steps = parser.steps();
    // rawjson: the parser keeps the lines that are not JSON (buildx's own messages) and the errors.
    const log = format === 'rawjson' ? parser.logLines() : r.lines;
    const logTail = log.filter((l) => l.trim()).slice(-TAIL_LINES);
    if (r.code !== 0) {
      const text = log.join('\n');
      const where = req.host ?? process.env.DOCKER_HOST ?? 'the default engine';
      const head = /Cannot connect to the Docker daemon|error during connect|connection refused|no such host/i.test(
        text,
      )
        ? `Docker engine not reachable (${where}): start it or set DOCKER_HOST`
        : `build of ${dockerfile}${req.target ? ` (target ${req.target})` : ''} failed: ${summarise(steps, log)}`;
      throw new BuildError(`${head}\n--- last lines of the build log\n${logTail.join('\n')}`, logTail);
    }
    const imageId = client === 'buildctl' ? kitImage : existsSync(iidfile) ? readFileSync(iidfile, 'utf8').trim() : '';
    if (!/^sha256:[0-9a-f]{64}$/.test(imageId))
      throw new BuildError(
        `build of ${dockerfile} finished without an image ID (${client === 'buildctl' ? (req.push ? 'buildctl reported no pushed digest' : 'docker load gave no image the engine knows') : `${bin} wrote no --iidfile`})\n--- last lines of the build log\n${logTail.join('\n')}`,
        logTail,
      );
    return {
      imageId,
      ...(req.tag ? { tag: req.tag } : {}),
      seconds,
      steps,
      client,
      builder:
        client === 'buildctl' ? (req.buildkit ?? process.env.BUILDKIT_HOST ?? 'default') : (req.builder ?? 'default'),
      logTail,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What builds would run on: for reports and history (`AuditResult.build`, bench's records). */
export interface BuildEnvironment {
  /** e.g. `docker 20.10.24 at unix:///var/run/docker.sock`. */
  engine: string;
  client: 'buildx' | 'buildkit';
  /** buildx builder name (or `default`), with buildx's version when present. */
  builder: string;
}

/** Asks the docker CLI which engine and client a build would use; a UserError when there is no engine. */
export async function buildEnvironment(
  opts: { docker?: string; host?: string; builder?: string } = {},
): Promise<BuildEnvironment> {
  const bin = opts.docker ?? 'docker';
  const r = await run(bin, ['version', '--format', '{{.Server.Version}}'], childEnv(opts), { timeoutMs: 30_000 });
  const version = r.lines.join(' ').trim();
  if (r.code !== 0 || !/^\d/.test(version))
    throw new UserError(
      `Docker engine not reachable (${opts.host ?? process.env.DOCKER_HOST ?? 'the default engine'}): ${r.lines.filter((l) => l.trim()).slice(-1)[0] ?? 'no answer'}`,
    );
  const bx = await detectBuildx(bin, opts.host);
  const where = opts.host ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  return {
    engine: `docker ${version} at ${where}`,
    client: bx.present ? 'buildx' : 'buildkit',
    builder: bx.present ? `${opts.builder ?? 'default'} (buildx ${bx.version})` : 'default (BuildKit in the engine)',
  };
}

/** Removes images by reference or ID; ones already gone are fine. */
export async function removeImages(refs: string[], opts: { docker?: string; host?: string } = {}): Promise<void> {
  if (!refs.length) return;
  await run(opts.docker ?? 'docker', ['image', 'rm', '-f', ...refs], childEnv(opts), { timeoutMs: 120_000 });
}
