/**
 * Downloads the chosen wheels into a content-addressed cache (<cacheDir>/wheels/<sha256 hex>).
 * The hash is checked while the bytes stream into a temp file, which is renamed into place only
 * when it matches: the cache never holds an unverified file, so a cached file is used as it is,
 * without a request. Credentials come from the URL's userinfo, else ~/.netrc ($NETRC), the two
 * places pip and uv read them from.
 */
import { cacheRoot } from '../image/analyze/cache.js';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { netrcCredentials } from './netrc.js';
import type { FetchedWheel, LockedFile, ResolvedPackage } from './types.js';

export interface FetchOptions {
  cacheDir?: string;
  /** Downloads at once (default 6). */
  concurrency?: number;
  /** Called after each wheel: wheels done, wheels in all, bytes downloaded so far (cached ones count 0). */
  onProgress?: (done: number, total: number, bytes: number) => void;
  /** Milliseconds a connection may stay silent before the attempt fails (default 60000). */
  timeoutMs?: number;
  /** Attempts per file on 5xx and network errors (default 4). */
  attempts?: number;
}

/** The cache directory: $LAYERWISE_CACHE_DIR, else $XDG_CACHE_HOME/layerwise, else ~/.cache/layerwise. */
export function defaultCacheDir(): string {
  return cacheRoot();
}

/**
 * Fetches each package's wheel (http, https, file URLs) into the cache, verified against the lock's
 * sha256, and returns them keyed by package name. Packages without a wheel are left out (the caller
 * decides what an sdist-only package means). A wrong hash or a missing file is a UserError.
 */
export async function fetchWheels(
  pkgs: ResolvedPackage[],
  opts: FetchOptions = {},
): Promise<Map<string, FetchedWheel>> {
  const dir = join(opts.cacheDir ?? defaultCacheDir(), 'wheels');
  mkdirSync(dir, { recursive: true });
  const todo = pkgs.filter((p): p is ResolvedPackage & { wheel: LockedFile } => p.wheel !== null);
  const out = new Map<string, FetchedWheel>();
  let done = 0;
  let bytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const pkg = todo[next++];
      const got = await fetchOne(pkg, dir, opts);
      bytes += got.downloaded;
      out.set(pkg.name, got.wheel);
      opts.onProgress?.(++done, todo.length, bytes);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 6, todo.length)) }, worker));
  // The caller's order, not completion order.
  return new Map(todo.map((p) => [p.name, out.get(p.name)!]));
}

async function fetchOne(
  pkg: ResolvedPackage & { wheel: LockedFile },
  dir: string,
  opts: FetchOptions,
): Promise<{ wheel: FetchedWheel; downloaded: number }> {
  const { wheel } = pkg;
  const who = `${pkg.name} ${pkg.version}`;
  if (!wheel.url) throw new UserError(`${who}: ${wheel.filename} has no URL; resolve the lock against the index first`);
  if (!/^[0-9a-f]{64}$/i.test(wheel.sha256))
    throw new UserError(`${who}: ${wheel.filename} has no sha256 in the lock; re-lock with hashes`);
  const want = wheel.sha256.toLowerCase();
  const path = join(dir, want);
  const result = (size: number): FetchedWheel => ({ ...wheel, sha256: want, url: wheel.url!, path, size });
  if (existsSync(path)) return { wheel: result(statSync(path).size), downloaded: 0 };

  const tmp = join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
  try {
    const { sha256, size } = await download(wheel.url, tmp, who, opts);
    if (sha256 !== want)
      throw new UserError(
        `${who}: ${wheel.filename} has sha256 ${sha256}, the lock says ${want}: the index serves another file than the lock was made with; re-lock, or check the index`,
      );
    renameSync(tmp, path);
    return { wheel: result(size), downloaded: size };
  } finally {
    rmSync(tmp, { force: true });
  }
}

class Retryable extends Error {}

/** Streams `url` into `tmp`, hashing on the way; retries on 5xx and network errors. */
async function download(
  url: string,
  tmp: string,
  who: string,
  opts: FetchOptions,
): Promise<{ sha256: string; size: number }> {
  const attempts = opts.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      let source: NodeJS.ReadableStream;
      if (url.startsWith('file:')) {
        // A local file is there or not: no retry changes that (createReadStream reports it only later).
        const file = fileURLToPath(url);
        if (!existsSync(file)) throw new UserError(`${who}: ${file} does not exist`);
        source = createReadStream(file);
      } else source = await open(url, who, opts.timeoutMs ?? 60_000);
      return await save(source, tmp);
    } catch (e) {
      if (e instanceof UserError || attempt >= attempts) {
        if (e instanceof UserError) throw e;
        throw new UserError(
          `${who}: downloading ${redact(url)} failed ${attempts} times (${(e as Error).message}); check the network and the index`,
        );
      }
      await new Promise((r) => setTimeout(r, 250 * 2 ** (attempt - 1)));
    }
  }
}

function save(source: NodeJS.ReadableStream, tmp: string): Promise<{ sha256: string; size: number }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let size = 0;
    const sink = createWriteStream(tmp);
    source.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
    });
    source.on('error', (e) => {
      sink.destroy();
      reject(e instanceof UserError ? e : new Retryable((e as Error).message || String(e)));
    });
    sink.on('error', reject);
    sink.on('finish', () => resolve({ sha256: hash.digest('hex'), size }));
    source.pipe(sink);
  });
}

/** The URL without its userinfo, for messages. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/** A 200 response for `url` (redirects followed; credentials only to the host that was named). */
function open(url: string, who: string, timeoutMs: number, redirects = 0): Promise<IncomingMessage> {
  const u = new URL(url);
  const headers: Record<string, string> = { 'user-agent': 'layerwise' };
  const cred =
    u.username || u.password
      ? { login: decodeURIComponent(u.username), password: decodeURIComponent(u.password) }
      : netrcCredentials(u.hostname);
  if (cred) headers.authorization = 'Basic ' + Buffer.from(`${cred.login}:${cred.password}`).toString('base64');
  const clean = redact(url);
  const get = u.protocol === 'https:' ? httpsGet : u.protocol === 'http:' ? httpGet : undefined;
  if (!get) throw new UserError(`${who}: ${clean}: only http, https and file URLs can be fetched`);
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const req = get(clean, { headers, timeout: timeoutMs }, (res) => {
      response = res;
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location && redirects < 10) {
        res.resume();
        const to = new URL(res.headers.location, clean);
        // Credentials stay with the host they were given for, as pip does.
        if (to.host === u.host && (u.username || u.password)) {
          to.username = u.username;
          to.password = u.password;
        }
        resolve(open(to.toString(), who, timeoutMs, redirects + 1));
        return;
      }
      if (status === 200) return resolve(res);
      res.resume();
      if (status === 404)
        reject(new UserError(`${who}: ${clean} not found (404): the lock names a file the index no longer has`));
      else if (status === 401 || status === 403)
        reject(new UserError(`${who}: ${clean} refused (${status}): give credentials in the URL or in ~/.netrc`));
      else if (status >= 500 || status === 429) reject(new Retryable(`HTTP ${status}`));
      else reject(new UserError(`${who}: ${clean} answered HTTP ${status}; check the index`));
    });
    req.on('timeout', () => {
      // Once the body streams, the response must fail with this reason, not a bare "aborted".
      const err = new Retryable(`no data for ${timeoutMs / 1000}s`);
      response?.destroy(err);
      req.destroy(err);
    });
    req.on('error', (e) => reject(e instanceof UserError ? e : new Retryable(e.message)));
  });
}
