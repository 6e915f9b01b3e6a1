// The test world as integration tests see it: the choices scripts/world/up wrote to .world/env
// (which docker CLI does BuildKit, where the registry and the wheel index are, the base images)
// and small helpers to run commands against it. See docs/testing.md.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createServer as createHttpServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The repository root (this file compiles to dist/test/world/world.js). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Fixture projects (sources, not compiled). */
export const fixturesDir = join(repoRoot, 'test', 'fixtures', 'projects');
/** Dockerfiles and contexts used by the world's own smoke tests. */
export const worldAssetsDir = join(repoRoot, 'test', 'world', 'assets');

export interface World {
  /** Per-checkout state directory (.world). */
  dir: string;
  /** Machine-wide cache (rootfs tarball, wheelhouse). */
  cache: string;
  /** Absolute path of a docker CLI that does BuildKit builds with DOCKER_BUILDKIT=1. */
  docker: string;
  dockerVersion: string;
  engineVersion: string;
  /** e.g. unix:///var/run/docker.sock */
  dockerHost: string;
  /** host:port of the plain-HTTP registry, e.g. 127.0.0.1:5000. */
  registry: string;
  /** PEP 503 index URL, e.g. http://127.0.0.1:3141/simple/ (builds reach it with --network=host). */
  indexUrl: string;
  /** host:port of the index. */
  indexHost: string;
  debianImage: string;
  pythonImage: string;
  uvVersion: string;
  /** The local stand-in for ghcr.io/astral-sh/uv:<uvVersion>. */
  uvImage: string;
  skopeo: string;
  umoci: string;
  /**
   * The arm64 Python base made offline by scripts/world/arm64-base, as a skopeo reference
   * (oci:DIR:latest); undefined when the env file has no WORLD_ARM64_BASE (that step failed).
   * Never run: this machine cannot execute arm64 code.
   */
  arm64Base?: string;
  /** Every KEY=VALUE of the env file. */
  env: Record<string, string>;
}

export function worldEnvFile(): string {
  return process.env.WORLD_ENV_FILE ?? join(repoRoot, '.world', 'env');
}

export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

let cached: World | undefined;

/** Load the world from .world/env; throws (with what to do) when the world was never brought up. */
export function loadWorld(): World {
  if (cached) return cached;
  const file = worldEnvFile();
  if (!existsSync(file)) {
    throw new Error(`the test world is not up: ${file} is missing (run scripts/world/up, or npm test)`);
  }
  const env = parseEnvFile(readFileSync(file, 'utf8'));
  const need = (key: string): string => {
    const v = env[key];
    if (!v) throw new Error(`${file} has no ${key}; run scripts/world/up again`);
    return v;
  };
  cached = {
    dir: need('WORLD_DIR'),
    cache: need('WORLD_CACHE'),
    docker: need('WORLD_DOCKER'),
    dockerVersion: need('WORLD_DOCKER_VERSION'),
    engineVersion: need('WORLD_ENGINE_VERSION'),
    dockerHost: need('WORLD_DOCKER_HOST'),
    registry: need('WORLD_REGISTRY'),
    indexUrl: need('WORLD_INDEX_URL'),
    indexHost: need('WORLD_INDEX_HOST'),
    debianImage: need('WORLD_DEBIAN_IMAGE'),
    pythonImage: need('WORLD_PYTHON_IMAGE'),
    uvVersion: need('WORLD_UV_VERSION'),
    uvImage: need('WORLD_UV_IMAGE'),
    skopeo: need('WORLD_SKOPEO'),
    umoci: need('WORLD_UMOCI'),
    arm64Base: env.WORLD_ARM64_BASE || undefined,
    env,
  };
  return cached;
}

export interface ShOptions {
  cwd?: string;
  /** Added to process.env. */
  env?: Record<string, string>;
  /** Written to the command's stdin. */
  input?: string | Buffer;
  /** Kill the command after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Throw when the exit code is not 0 (default true). */
  check?: boolean;
}

export interface ShResult {
  code: number;
  stdout: string;
  stderr: string;
}

function tail(text: string, lines: number): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** Run a command (no shell), collect its output; by default throw when it fails. */
export function sh(cmd: string, args: string[], opts: ShOptions = {}): Promise<ShResult> {
  const { cwd, env, input, timeoutMs = 600_000, check = true } = opts;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: ShResult = {
        code: code ?? 128,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (timedOut || (check && result.code !== 0)) {
        const why = timedOut ? `timed out after ${timeoutMs} ms` : `exited ${code ?? signal}`;
        reject(
          new Error(
            `${cmd} ${args.join(' ')} ${why}\n--- stderr (tail)\n${tail(result.stderr, 40)}\n--- stdout (tail)\n${tail(result.stdout, 20)}`,
          ),
        );
        return;
      }
      resolvePromise(result);
    });
    child.stdin.on('error', () => {}); // a command that does not read its stdin
    child.stdin.end(input ?? '');
  });
}

/** Run the world's docker CLI (BuildKit on). */
export function docker(args: string[], opts: ShOptions = {}): Promise<ShResult> {
  const w = loadWorld();
  return sh(w.docker, args, { ...opts, env: { DOCKER_BUILDKIT: '1', ...opts.env } });
}

export interface BuildOptions {
  /** The build context directory. */
  context: string;
  /** Dockerfile path (may lie outside the context); default <context>/Dockerfile. */
  dockerfile?: string;
  tag?: string;
  target?: string;
  buildArgs?: Record<string, string>;
  /** id -> file path, for RUN --mount=type=secret,id=... */
  secrets?: Record<string, string>;
  /** 'host' to reach the wheel index on 127.0.0.1. */
  network?: 'host' | 'default' | 'none';
  noCache?: boolean;
  /** Passed as --progress (default plain, so logs show cache hits: "CACHED"). */
  progress?: 'plain' | 'auto' | 'tty';
  timeoutMs?: number;
}

/** docker build with BuildKit; returns the CLI's output (BuildKit writes progress to stderr). */
export function build(opts: BuildOptions): Promise<ShResult> {
  const args = ['build', '--progress', opts.progress ?? 'plain'];
  if (opts.dockerfile) args.push('-f', opts.dockerfile);
  if (opts.tag) args.push('-t', opts.tag);
  if (opts.target) args.push('--target', opts.target);
  if (opts.network) args.push('--network', opts.network);
  if (opts.noCache) args.push('--no-cache');
  for (const [k, v] of Object.entries(opts.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  for (const [id, src] of Object.entries(opts.secrets ?? {})) args.push('--secret', `id=${id},src=${src}`);
  args.push(opts.context);
  return docker(args, { timeoutMs: opts.timeoutMs ?? 600_000 });
}

/** Build args every build that installs Python packages from the world's index wants. */
export function indexBuildArgs(): Record<string, string> {
  const w = loadWorld();
  return { INDEX_URL: w.indexUrl, PIP_INDEX_URL: w.indexUrl, UV_INDEX_URL: w.indexUrl };
}

/** A tag unique to this run, under the layerwise-test/ namespace (see removeImages). */
export function uniqueTag(name: string): string {
  return `layerwise-test/${name}:${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Remove images by reference; ignores ones already gone. */
export async function removeImages(...refs: string[]): Promise<void> {
  if (refs.length) await docker(['image', 'rm', '-f', ...refs], { check: false });
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePromise(port));
    });
  });
}

/** Poll url until it answers 2xx; returns the body. */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      if (res.ok) return body;
      last = `HTTP ${res.status}: ${body.slice(0, 200)}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (last: ${last})`);
}

/** Run `image` with --network=host and `command`, wait for url to answer, return its body, stop it. */
export async function runAndProbe(image: string, command: string[], url: string, timeoutMs = 60_000): Promise<string> {
  const { stdout } = await docker(['run', '-d', '--rm', '--network', 'host', image, ...command]);
  const id = stdout.trim();
  try {
    return await waitForHttp(url, timeoutMs);
  } catch (e) {
    const logs = await docker(['logs', id], { check: false });
    throw new Error(`${(e as Error).message}\n--- container logs\n${tail(logs.stdout + logs.stderr, 40)}`);
  } finally {
    await docker(['rm', '-f', id], { check: false });
  }
}

/** A temporary directory removed by the returned cleanup function. */
export function tempDir(prefix = 'layerwise-world-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Write files (relative path -> content) under dir. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** A proxy in front of the registry that counts the blob bytes it serves: what a pull really fetched. */
export interface CountingProxy {
  host: string;
  served: { bytes: number; blobs: string[] };
  close(): void;
}

export async function countingProxy(registry: string): Promise<CountingProxy> {
  const served = { bytes: 0, blobs: [] as string[] };
  const port = await freePort();
  const [rhost, rport] = registry.split(':');
  const server = createHttpServer((req, res) => {
    const up = request(
      { host: rhost, port: Number(rport), method: req.method, path: req.url, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        const isBlob = req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '') && r.statusCode === 200;
        if (isBlob) served.blobs.push(req.url!.replace(/.*\/blobs\//, ''));
        r.on('data', (c: Buffer) => {
          if (isBlob) served.bytes += c.length;
        });
        r.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    host: `127.0.0.1:${port}`,
    served,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

export async function layersOf(tag: string): Promise<string[]> {
  const { stdout } = await docker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', tag]);
  return JSON.parse(stdout) as string[];
}

/** gzip sizes of the layers of `tag` whose diffIDs are not in `old` (from `docker save`). */
export async function newLayerBytes(tag: string, old: string[]): Promise<{ count: number; bytes: number }> {
  const layers = await layersOf(tag);
  const fresh = layers.map((d, i) => ({ d, i })).filter(({ d }) => !old.includes(d));
  if (!fresh.length) return { count: 0, bytes: 0 };
  const t = tempDir('layerwise-save-');
  try {
    const archive = join(t.path, 'image.tar');
    await docker(['save', '-o', archive, tag]);
    await sh('tar', ['-C', t.path, '-xf', archive, 'manifest.json']);
    const manifest = JSON.parse(readFileSync(join(t.path, 'manifest.json'), 'utf8')) as { Layers: string[] }[];
    let bytes = 0;
    for (const { i } of fresh) {
      const member = manifest[0].Layers[i];
      await sh('tar', ['-C', t.path, '-xf', archive, member]);
      bytes += gzipSync(readFileSync(join(t.path, member))).length;
    }
    return { count: fresh.length, bytes };
  } finally {
    t.cleanup();
  }
}

/** The container's health status as `docker inspect` reports it (healthy, unhealthy, starting). */
export async function healthStatus(id: string): Promise<string> {
  const { stdout } = await docker(['inspect', '--format', '{{.State.Health.Status}}', id], { check: false });
  return stdout.trim();
}

/**
 * A second Docker engine standing in for a deploy host: its own data root and socket, sharing the
 * world engine's containerd under a namespace of its own, its own bridge and no iptables (it only
 * pulls). Never `--bridge=none`: a dockerd started so deletes docker0, the world engine's bridge.
 * A host must not hold what the build machine built, and the world engine holds every
 * layer it built, so pull measurements of a "host holding the previous release" need this one.
 * `stop()` ends it by its process id and removes its data and its containerd namespaces.
 */
export interface HostEngine {
  /** DOCKER_HOST value, unix:///... */
  host: string;
  docker(args: string[], opts?: ShOptions): Promise<ShResult>;
  stop(): Promise<void>;
}

const CONTAINERD_SOCK = '/var/run/docker/containerd/containerd.sock';

export async function hostEngine(): Promise<HostEngine> {
  const w = loadWorld();
  // Unix socket paths are limited to ~107 bytes: keep the directory short.
  const root = mkdtempSync('/tmp/lw-host-');
  const ns = `lwhost-${randomBytes(4).toString('hex')}`;
  const sock = join(root, 'docker.sock');
  const bridge = `lwh${randomBytes(4).toString('hex')}`;
  const undo = async () => {
    await sh('ip', ['link', 'del', bridge], { check: false });
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await sh('ip', ['link', 'add', bridge, 'type', 'bridge']);
    await sh('ip', ['addr', 'add', `10.254.${1 + Math.floor(Math.random() * 250)}.1/24`, 'dev', bridge]);
    await sh('ip', ['link', 'set', bridge, 'up']);
  } catch (e) {
    await undo();
    throw e;
  }
  const child = spawn(
    'dockerd',
    [
      '--data-root',
      join(root, 'data'),
      '--exec-root',
      join(root, 'exec'),
      '--pidfile',
      join(root, 'pid'),
      '-H',
      `unix://${sock}`,
      `--bridge=${bridge}`,
      '--iptables=false',
      '--ip-masq=false',
      '--containerd',
      CONTAINERD_SOCK,
      '--containerd-namespace',
      ns,
      '--containerd-plugins-namespace',
      `${ns}-plugins`,
    ],
    { stdio: 'ignore', detached: true },
  );
  child.unref();
  const host = `unix://${sock}`;
  const run = (args: string[], opts: ShOptions = {}) =>
    sh(w.docker, args, { ...opts, env: { DOCKER_HOST: host, ...opts.env } });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await run(['version', '--format', '{{.Server.Version}}'], { check: false, timeoutMs: 5000 }).catch(
      () => null,
    );
    if (r && r.code === 0) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      await undo();
      throw new Error(`a second dockerd (host stand-in) did not come up in ${root}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    host,
    docker: run,
    async stop() {
      if (child.pid) {
        try {
          process.kill(child.pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
        const gone = () => child.exitCode !== null || child.signalCode !== null;
        for (let i = 0; i < 80 && !gone(); i++) await new Promise((r) => setTimeout(r, 250));
        // A dockerd that does not stop must not outlive the test with its mounts and namespace.
        if (!gone()) {
          child.kill('SIGKILL');
          for (let i = 0; i < 40 && !gone(); i++) await new Promise((r) => setTimeout(r, 250));
        }
      }
      await sh('umount', ['-R', join(root, 'data')], { check: false });
      await sh('ip', ['link', 'del', bridge], { check: false });
      rmSync(root, { recursive: true, force: true });
      const ctr = (args: string[]) => sh('ctr', ['--address', CONTAINERD_SOCK, ...args], { check: false });
      for (const n of [ns, `${ns}-plugins`]) {
        for (const kind of ['images', 'content']) {
          const ls = await ctr(['-n', n, kind, 'ls', '-q']);
          const ids = ls.stdout.split('\n').filter(Boolean);
          if (ids.length) await ctr(['-n', n, kind, 'rm', ...ids]);
        }
        await ctr(['namespaces', 'rm', n]);
      }
    },
  };
}

/**
 * Runs `ref` with its port 8000 published on a free local port, waits (up to timeoutMs) for `path`
 * to answer 2xx and returns the body parsed as JSON; the container's logs in the error when it does
 * not; the container is removed either way. A timer holds the event loop meanwhile: docker-proxy
 * accepts before the app listens, and fetch's own handles do not keep the test runner alive.
 */
export async function httpProbe(ref: string, path: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const port = await freePort();
  const id = (await docker(['run', '-d', '--rm', '-p', `127.0.0.1:${port}:8000`, ref])).stdout.trim();
  const hold = setInterval(() => {}, 1000);
  try {
    return JSON.parse(await waitForHttp(`http://127.0.0.1:${port}${path}`, timeoutMs)) as Record<string, unknown>;
  } catch (e) {
    const logs = await docker(['logs', id], { check: false });
    throw new Error(`${(e as Error).message}\n--- container logs\n${logs.stdout}${logs.stderr}`);
  } finally {
    clearInterval(hold);
    await docker(['rm', '-f', id], { check: false });
  }
}
