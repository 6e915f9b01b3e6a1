/**
 * OCI distribution API client: manifests and blobs (the write side is in write.ts), anonymous, bearer-token and
 * basic auth, redirects to blob storage, retries with backoff on 429/5xx and network errors,
 * timeouts for connecting and for a stalled body. Every failure is one line.
 */
import { Readable, Transform } from 'node:stream';
import { ImageError } from '../image/errors.js';
import { type Credentials, credentialsFor } from './credentials.js';

export interface RegistryClientOptions {
  /** Plain HTTP (default for localhost, 127.0.0.0/8 and ::1). */
  insecure?: boolean;
  /** Timeout for a response to start and for a body to make progress (ms, default 30 s). */
  timeoutMs?: number;
  /** Attempts for a request answered with 429/5xx or failing on the network (default 4). */
  attempts?: number;
  /** Base backoff in ms (default 500; doubled each retry). */
  backoffMs?: number;
  credentials?: Credentials | null;
}

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

function isLocal(host: string): boolean {
  const h = host.replace(/:\d+$/, '');
  return h === 'localhost' || h.startsWith('127.') || h === '[::1]' || h === '::1';
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** How one request is sent, beyond GET with headers. */
export interface RequestOptions {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A body sent again on each retry, so a Buffer and not a stream. */
  body?: Buffer | string;
  /** Statuses besides 2xx handed back instead of failing (404 for an existence check). */
  accept?: number[];
  /** Redirects: 'follow' (reads) or 'manual' (upload locations are read from the answer). */
  redirect?: 'follow' | 'manual';
  /** false: one attempt, no retry (an upload PUT: its session is gone after a failure; the caller starts anew). */
  retry?: boolean;
}

export function parseChallenge(h: string | null): Challenge | null {
  if (!h) return null;
  const m = /^\s*(\w+)\s*(.*)$/.exec(h);
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const p of m[2].matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) params[p[1].toLowerCase()] = p[2] ?? p[3];
  return { scheme: m[1].toLowerCase(), params };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RegistryClient {
  readonly base: string;
  private tokens = new Map<string, string>();
  private basic: string | null = null;
  private creds: Credentials | null | undefined;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(
    readonly host: string,
    opts: RegistryClientOptions = {},
  ) {
    const insecure = opts.insecure ?? isLocal(host);
    this.base = `${insecure ? 'http' : 'https'}://${host}`;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.attempts = Math.max(1, opts.attempts ?? 4);
    this.backoffMs = opts.backoffMs ?? 500;
    this.creds = opts.credentials;
  }

  private async credentials(): Promise<Credentials | null> {
    if (this.creds === undefined) this.creds = (await credentialsFor(this.host)) ?? null;
    return this.creds;
  }

  fail(msg: string): never {
    throw new ImageError(`registry ${this.host}: ${msg}`);
  }

  /** One request with auth, retries and timeouts; returns a response with status 2xx. */
  async request(
    path: string,
    scope: string,
    what: string,
    headers: Record<string, string> = {},
    opts: RequestOptions = {},
  ): Promise<Response> {
    // Upload locations come back absolute or relative to the registry.
    const url = /^https?:\/\//.test(path) ? path : `${this.base}${path}`;
    let authTried = false;
    const attempts = opts.retry === false ? 1 : this.attempts;
    for (let attempt = 1; ; attempt++) {
      const h: Record<string, string> = { 'User-Agent': 'layerwise', ...headers };
      const token = this.tokens.get(scope);
      if (token) h.Authorization = `Bearer ${token}`;
      else if (this.basic) h.Authorization = `Basic ${this.basic}`;
      let res: Response;
      const ac = new AbortController();
      // The answer to an upload comes only after the whole body is sent: allow for it at 256 KiB/s.
      const budget = this.timeoutMs + (opts.body ? Math.ceil(Buffer.byteLength(opts.body) / 262_144) * 1000 : 0);
      const timer = setTimeout(() => ac.abort(), budget);
      try {
        res = await fetch(url, {
          method: opts.method ?? 'GET',
          headers: h,
          body: opts.body as BodyInit | undefined,
          redirect: opts.redirect ?? 'follow',
          signal: ac.signal,
        });
      } catch (e) {
        clearTimeout(timer);
        const err = e as Error & { cause?: { code?: string; message?: string } };
        const reason = ac.signal.aborted
          ? `no response within ${budget / 1000} s`
          : (err.cause?.code ?? err.cause?.message ?? err.message);
        if (attempt < attempts && !ac.signal.aborted) {
          await sleep(this.backoffMs * 2 ** (attempt - 1));
          continue;
        }
        this.fail(
          `${what}: ${ac.signal.aborted ? reason : `cannot connect (${reason})`}${attempt > 1 ? ` after ${attempt} attempts` : ''}`,
        );
      }
      clearTimeout(timer);
      if (res.ok || opts.accept?.includes(res.status)) return res;
      await res.body?.cancel().catch(() => {});
      if (res.status === 401 && !authTried) {
        authTried = true;
        await this.authenticate(parseChallenge(res.headers.get('www-authenticate')), scope, what);
        attempt--; // the auth round does not count as a retry
        continue;
      }
      if ((res.status === 429 || res.status >= 500) && attempt < attempts) {
        const ra = Number(res.headers.get('retry-after'));
        const wait = Number.isFinite(ra) && ra > 0 ? Math.min(ra * 1000, 10_000) : this.backoffMs * 2 ** (attempt - 1);
        await sleep(wait);
        continue;
      }
      const after = attempt > 1 ? ` after ${attempt} attempts` : '';
      if (res.status === 401)
        this.fail(
          `${what}: authentication failed (401)${(await this.credentials()) ? '; check the credentials in the Docker config' : '; log in with docker login'}`,
        );
      if (res.status === 403) this.fail(`${what}: access denied (403)`);
      if (res.status === 404) this.fail(`${what}: not found (404)`);
      if (res.status === 405) this.fail(`${what}: the registry does not allow this (405)`);
      if (res.status === 429) this.fail(`${what}: too many requests (429)${after}`);
      this.fail(`${what}: HTTP ${res.status} ${res.statusText}${after}`);
    }
  }

  private async authenticate(ch: Challenge | null, scope: string, what: string): Promise<void> {
    const creds = await this.credentials();
    if (!ch) this.fail(`${what}: 401 without a WWW-Authenticate challenge`);
    if (ch.scheme === 'basic') {
      if (!creds?.username) this.fail(`${what}: authentication required (401); log in with docker login`);
      this.basic = Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64');
      return;
    }
    if (ch.scheme !== 'bearer' || !ch.params.realm) this.fail(`${what}: unsupported auth challenge ${ch.scheme}`);
    const u = new URL(ch.params.realm);
    if (ch.params.service) u.searchParams.set('service', ch.params.service);
    u.searchParams.set('scope', ch.params.scope ?? scope);
    const headers: Record<string, string> = { 'User-Agent': 'layerwise' };
    let res: Response;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.timeoutMs);
    try {
      if (creds?.identityToken) {
        const body = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: creds.identityToken,
          service: ch.params.service ?? '',
          scope: ch.params.scope ?? scope,
          client_id: 'layerwise',
        });
        res = await fetch(ch.params.realm, { method: 'POST', body, headers, signal: ac.signal });
      } else {
        if (creds?.username)
          headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
        res = await fetch(u, { headers, signal: ac.signal });
      }
    } catch (e) {
      this.fail(
        `${what}: token service ${u.host} unreachable (${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message})`,
      );
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      this.fail(
        `${what}: token service refused (${res.status})${creds ? '; check the credentials in the Docker config' : '; log in with docker login'}`,
      );
    }
    const j = (await res.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = j.token ?? j.access_token;
    if (!token) this.fail(`${what}: token service returned no token`);
    this.tokens.set(scope, token);
  }

  async getManifest(repo: string, reference: string): Promise<{ bytes: Buffer; mediaType: string; digest?: string }> {
    const what = `manifest ${repo}:${reference}`.replace(':sha256:', '@sha256:');
    const res = await this.request(`/v2/${repo}/manifests/${reference}`, `repository:${repo}:pull`, what, {
      Accept: MANIFEST_ACCEPT,
    });
    const bytes = Buffer.from(await this.readAll(res, what, 16 << 20));
    const ct = (res.headers.get('content-type') ?? '').split(';')[0].trim();
    let mediaType = ct;
    try {
      const j = JSON.parse(bytes.toString()) as {
        mediaType?: string;
        schemaVersion?: number;
        manifests?: unknown;
      };
      if (j.schemaVersion === 1) this.fail(`${what}: Docker schema 1 manifests are not supported`);
      mediaType = j.mediaType ?? (j.manifests ? 'application/vnd.oci.image.index.v1+json' : ct);
    } catch (e) {
      if (e instanceof ImageError) throw e;
      this.fail(`${what}: not valid JSON`);
    }
    return { bytes, mediaType, digest: res.headers.get('docker-content-digest') ?? undefined };
  }

  private async readAll(res: Response, what: string, max: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of this.bodyStream(res, what)) {
      n += c.length;
      if (n > max) this.fail(`${what}: larger than ${max} bytes`);
      chunks.push(c as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** The response body as a Node stream that fails when no byte arrives for `timeoutMs`. */
  bodyStream(res: Response, what: string): Readable {
    if (!res.body) return Readable.from([]);
    const src = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>, {
      highWaterMark: 1 << 20,
    });
    let timer: NodeJS.Timeout | null = null;
    const out = new Transform({
      transform(chunk, _enc, cb) {
        arm();
        cb(null, chunk);
      },
      flush(cb) {
        stop();
        cb();
      },
      destroy(err, cb) {
        stop();
        src.destroy();
        cb(err);
      },
    });
    const stop = () => {
      if (timer) clearTimeout(timer);
      timer = null;
    };
    const arm = () => {
      stop();
      timer = setTimeout(() => {
        out.destroy(new ImageError(`registry ${this.host}: ${what}: stalled, no data for ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
    };
    arm();
    src.on('error', (e) =>
      out.destroy(
        new ImageError(`registry ${this.host}: ${what}: connection failed while reading (${(e as Error).message})`),
      ),
    );
    src.pipe(out);
    return out;
  }

  async openBlob(repo: string, digest: string): Promise<Readable> {
    const what = `blob ${digest.slice(0, 19)}`;
    const res = await this.request(`/v2/${repo}/blobs/${digest}`, `repository:${repo}:pull`, what);
    return this.bodyStream(res, what);
  }
}
