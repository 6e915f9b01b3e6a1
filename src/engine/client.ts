/**
 * Docker Engine API client over the unix socket (default /var/run/docker.sock) or DOCKER_HOST
 * (unix:// or tcp:// without TLS). Only what layerwise needs: ping, version, image inspect,
 * history, list, info, `GET /images/{name}/get` (a `docker save` archive as a stream) and
 * `POST /images/load` (an archive streamed in).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { UserError } from '../errors.js';

export interface EngineOptions {
  host?: string;
  timeoutMs?: number;
}

export interface EngineImage {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created?: string;
  Size?: number;
  Architecture?: string;
  Os?: string;
  RootFS?: { Type: string; Layers?: string[] };
}

export interface EngineHistoryEntry {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

export class EngineError extends UserError {}

export class EngineClient {
  private socketPath?: string;
  private hostname?: string;
  private port?: number;
  readonly where: string;
  private readonly timeoutMs: number;

  constructor(opts: EngineOptions = {}) {
    const host = opts.host ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    if (host.startsWith('unix://')) {
      this.socketPath = host.slice('unix://'.length);
      this.where = this.socketPath;
    } else if (host.startsWith('tcp://') || host.startsWith('http://')) {
      const u = new URL(host.replace(/^tcp:/, 'http:'));
      if (process.env.DOCKER_TLS_VERIFY)
        throw new UserError(`DOCKER_HOST ${host} with TLS is not supported yet; use the unix socket`);
      this.hostname = u.hostname;
      this.port = Number(u.port || 2375);
      this.where = host;
    } else {
      throw new UserError(`DOCKER_HOST ${host}: only unix:// and tcp:// are supported`);
    }
  }

  /** Raw request; resolves with the response once headers arrive (status checked by callers). */
  private raw(method: string, path: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          socketPath: this.socketPath,
          host: this.hostname,
          port: this.port,
          method,
          path,
          headers: { Host: 'docker' },
        },
        resolve,
      );
      req.setTimeout(this.timeoutMs, () =>
        req.destroy(new EngineError(`Docker engine at ${this.where}: no response within ${this.timeoutMs / 1000} s`)),
      );
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof UserError) return reject(e);
        const why =
          e.code === 'ENOENT' || e.code === 'ECONNREFUSED'
            ? 'not running or not reachable'
            : e.code === 'EACCES'
              ? 'permission denied (are you in the docker group?)'
              : (e.code ?? e.message);
        reject(new EngineError(`Docker engine at ${this.where}: ${why}`));
      });
      req.end();
    });
  }

  private async json<T>(path: string, what: string): Promise<T> {
    const res = await this.raw('GET', path);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString();
    if (res.statusCode === 404) throw new EngineError(`${what}: not found in the Docker engine`);
    if ((res.statusCode ?? 500) >= 400) {
      let msg = body;
      try {
        msg = JSON.parse(body).message ?? body;
      } catch {}
      throw new EngineError(`${what}: Docker engine answered ${res.statusCode}: ${msg.trim().split('\n')[0]}`);
    }
    return JSON.parse(body) as T;
  }

  ping(): Promise<unknown> {
    return this.json('/version', 'version');
  }

  inspectImage(name: string): Promise<EngineImage> {
    return this.json(`/images/${encodeName(name)}/json`, name);
  }

  history(name: string): Promise<EngineHistoryEntry[]> {
    return this.json(`/images/${encodeName(name)}/history`, name);
  }

  /** Every image; with `all`, intermediate images (parents of others) too. */
  listImages(all = false): Promise<EngineImage[]> {
    return this.json(all ? '/images/json?all=1' : '/images/json', 'image list');
  }

  /** `docker info`: the storage driver and its status (a containerd snapshotter means the containerd store). */
  info(): Promise<{ Driver?: string; DriverStatus?: string[][] | null }> {
    return this.json('/info', 'engine info');
  }

  /** A `docker save` archive of one image, streamed. */
  async save(name: string): Promise<Readable> {
    const res = await this.raw('GET', `/images/${encodeName(name)}/get`);
    if ((res.statusCode ?? 500) >= 400) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw new EngineError(
        `${name}: docker save failed (${res.statusCode}): ${Buffer.concat(chunks).toString().trim().split('\n')[0]}`,
      );
    }
    return res;
  }
  /**
   * `docker load`: streams an image archive to the engine; resolves with what the engine says it
   * loaded, fails with the engine's own error line.
   */
  load(archive: Readable): Promise<string> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          socketPath: this.socketPath,
          host: this.hostname,
          port: this.port,
          method: 'POST',
          path: '/images/load?quiet=1',
          headers: { Host: 'docker', 'Content-Type': 'application/x-tar', 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString();
            // The answer is a stream of JSON messages; an error is one of them, even with status 200.
            const lines = body.split('\n').filter((l) => l.trim());
            const said: string[] = [];
            for (const l of lines) {
              try {
                const j = JSON.parse(l) as { stream?: string; error?: string; message?: string };
                if (j.error || j.message)
                  return reject(new EngineError(`docker load: ${(j.error ?? j.message)!.trim()}`));
                if (j.stream) said.push(j.stream.trim());
              } catch {
                said.push(l.trim());
              }
            }
            if ((res.statusCode ?? 500) >= 400)
              return reject(new EngineError(`docker load: Docker engine answered ${res.statusCode}: ${said[0] ?? ''}`));
            resolve(said.join('\n'));
          });
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) =>
        reject(e instanceof UserError ? e : new EngineError(`Docker engine at ${this.where}: ${e.code ?? e.message}`)),
      );
      archive.on('error', (e) => req.destroy(e));
      archive.pipe(req);
    });
  }
}

function encodeName(n: string): string {
  return n
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%40/g, '@'))
    .join('/');
}
