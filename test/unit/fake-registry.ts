// An in-process registry (node:http) speaking the part of the distribution API that ship's code
// uses: tags/list with Link pagination, manifests GET/HEAD/PUT/DELETE (405 when deletion is off,
// DELETE by digest drops every tag naming it), blobs HEAD/GET and monolithic uploads (POST then
// PUT ?digest, or a cross-repository mount). It records every request so tests can assert what was
// sent, and can delay manifest GETs to measure how many run at once.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface FakeRegistryOptions {
  /** Whether DELETE is allowed (distribution's storage.delete.enabled); default true. */
  deletion?: boolean;
  /** Repositories whose manifest DELETEs answer 405 even with deletion on (a partial failure). */
  refuseDeleteIn?: string[];
  /** Most tags in one tags/list page, whatever n the client asks (default 2, to force pagination). */
  pageSize?: number;
  /** Tags still listed by tags/list whose manifest GET answers 404 (deleted since the listing). */
  vanishedTags?: string[];
  /** Delay before answering a manifest GET (ms), to see concurrency. */
  manifestDelayMs?: number;
}

interface Repo {
  manifests: Map<string, { bytes: Buffer; mediaType: string }>;
  tags: Map<string, string>;
  blobs: Map<string, Buffer>;
}

export interface FakeRegistry {
  /** host:port, for new RegistryClient(host). */
  host: string;
  opts: Required<FakeRegistryOptions>;
  /** Every request as `METHOD path?query`. */
  log: string[];
  /** Most manifest GETs that were in flight at once. */
  maxConcurrentManifestGets: number;
  /** Tags of repo, sorted ([] when it has none). */
  tags(repo: string): string[];
  /** Digest a tag names, or undefined. */
  tagged(repo: string, tag: string): string | undefined;
  /** Manifest digests repo holds (tagged or not), sorted. */
  manifests(repo: string): string[];
  close(): Promise<void>;
}

/** Starts a fake registry on 127.0.0.1 (a free port). */
export async function startFakeRegistry(options: FakeRegistryOptions = {}): Promise<FakeRegistry> {
  const opts: Required<FakeRegistryOptions> = {
    deletion: options.deletion ?? true,
    refuseDeleteIn: options.refuseDeleteIn ?? [],
    pageSize: options.pageSize ?? 2,
    vanishedTags: options.vanishedTags ?? [],
    manifestDelayMs: options.manifestDelayMs ?? 0,
  };
  const repos = new Map<string, Repo>();
  const repoOf = (name: string, create: boolean): Repo | undefined => {
    let r = repos.get(name);
    if (!r && create) repos.set(name, (r = { manifests: new Map(), tags: new Map(), blobs: new Map() }));
    return r;
  };
  const uploads = new Map<string, string>(); // upload id -> repo
  let inFlight = 0;
  const fake: FakeRegistry = {
    host: '',
    opts,
    log: [],
    maxConcurrentManifestGets: 0,
    tags: (repo) => [...(repos.get(repo)?.tags.keys() ?? [])].sort(),
    tagged: (repo, tag) => repos.get(repo)?.tags.get(tag),
    manifests: (repo) => [...(repos.get(repo)?.manifests.keys() ?? [])].sort(),
    close: () => new Promise((r) => server.close(() => r())),
  };

  const error = (res: ServerResponse, status: number, code: string) =>
    void res
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ code, message: code.toLowerCase() }] }));

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url!, 'http://x');
    fake.log.push(`${req.method} ${url.pathname}${url.search}`);
    if (url.pathname === '/v2/' || url.pathname === '/v2') return void res.writeHead(200).end('{}');
    const m = /^\/v2\/(.+)\/(tags\/list|manifests\/[^/]+|blobs\/uploads\/[^/]*|blobs\/[^/]+)$/.exec(url.pathname);
    if (!m) return error(res, 404, 'NOT_FOUND');
    const [name, what] = [m[1], m[2]];

    if (what === 'tags/list') {
      const repo = repoOf(name, false);
      if (!repo || repo.tags.size === 0) return error(res, 404, 'NAME_UNKNOWN');
      const all = [...repo.tags.keys()].sort();
      const last = url.searchParams.get('last');
      const n = Math.min(Number(url.searchParams.get('n') ?? opts.pageSize) || opts.pageSize, opts.pageSize);
      const from = last ? all.findIndex((t) => t > last) : 0;
      const page = from < 0 ? [] : all.slice(from, from + n);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (from >= 0 && from + n < all.length)
        headers.link = `</v2/${name}/tags/list?n=${n}&last=${encodeURIComponent(page[page.length - 1])}>; rel="next"`;
      return void res.writeHead(200, headers).end(JSON.stringify({ name, tags: page }));
    }

    if (what.startsWith('manifests/')) {
      const ref = decodeURIComponent(what.slice('manifests/'.length));
      const isDigest = ref.startsWith('sha256:');
      if (req.method === 'PUT') {
        const repo = repoOf(name, true)!;
        const digest = sha256(body);
        if (isDigest && ref !== digest) return error(res, 400, 'DIGEST_INVALID');
        const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim();
        repo.manifests.set(digest, { bytes: body, mediaType });
        if (!isDigest) repo.tags.set(ref, digest);
        return void res.writeHead(201, { 'docker-content-digest': digest }).end();
      }
      const repo = repoOf(name, false);
      if (req.method === 'DELETE') {
        if (!opts.deletion || opts.refuseDeleteIn.includes(name)) return error(res, 405, 'UNSUPPORTED');
        if (!isDigest) return error(res, 400, 'UNSUPPORTED');
        if (!repo?.manifests.has(ref)) return error(res, 404, 'MANIFEST_UNKNOWN');
        repo.manifests.delete(ref);
        for (const [t, d] of repo.tags) if (d === ref) repo.tags.delete(t);
        return void res.writeHead(202).end();
      }
      const digest = isDigest ? ref : repo?.tags.get(ref);
      const man = digest ? repo?.manifests.get(digest) : undefined;
      if (req.method === 'GET') {
        inFlight++;
        fake.maxConcurrentManifestGets = Math.max(fake.maxConcurrentManifestGets, inFlight);
        if (opts.manifestDelayMs) await new Promise((r) => setTimeout(r, opts.manifestDelayMs));
        inFlight--;
      }
      if (!man || !digest || opts.vanishedTags.includes(ref)) return error(res, 404, 'MANIFEST_UNKNOWN');
      res.writeHead(200, {
        'content-type': man.mediaType,
        'content-length': man.bytes.length,
        'docker-content-digest': digest,
      });
      return void res.end(req.method === 'HEAD' ? undefined : man.bytes);
    }

    if (what.startsWith('blobs/uploads/')) {
      const id = what.slice('blobs/uploads/'.length);
      if (req.method === 'POST' && !id) {
        const mount = url.searchParams.get('mount');
        const from = url.searchParams.get('from');
        const src = mount && from ? repos.get(from)?.blobs.get(mount) : undefined;
        if (mount && src) {
          repoOf(name, true)!.blobs.set(mount, src);
          return void res.writeHead(201, { 'docker-content-digest': mount }).end();
        }
        const uid = `u${uploads.size + 1}`;
        uploads.set(uid, name);
        return void res.writeHead(202, { location: `/v2/${name}/blobs/uploads/${uid}` }).end();
      }
      if (req.method === 'PUT' && uploads.get(id) === name) {
        const digest = url.searchParams.get('digest') ?? '';
        if (sha256(body) !== digest) return error(res, 400, 'DIGEST_INVALID');
        uploads.delete(id);
        repoOf(name, true)!.blobs.set(digest, body);
        return void res.writeHead(201, { 'docker-content-digest': digest }).end();
      }
      return error(res, 404, 'BLOB_UPLOAD_UNKNOWN');
    }

    const blob = repos.get(name)?.blobs.get(decodeURIComponent(what.slice('blobs/'.length)));
    if (!blob) return error(res, 404, 'BLOB_UNKNOWN');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length });
    res.end(req.method === 'HEAD' ? undefined : blob);
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch((e: Error) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(e.message));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
