import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { analyzeImage } from '../../../src/image/analyze/image.js';
import { ImageError } from '../../../src/image/errors.js';
import { loadImage } from '../../../src/image/model.js';
import { RegistrySource } from '../../../src/image/sources/registry.js';
import { validateImage } from '../../../src/image/validate.js';
import { RegistryClient } from '../../../src/registry/client.js';
import { credentialsFor } from '../../../src/registry/credentials.js';
import { buildImage, sha } from './builder.js';

const img = buildImage({
  flavour: 'docker',
  layers: [
    { createdBy: 'ADD rootfs /', files: [{ path: 'etc/hostname', content: 'x' }] },
    {
      createdBy: 'RUN zstd',
      compression: 'zstd',
      files: [{ path: 'app/a.py', content: 'print(1)\n'.repeat(100) }],
    },
  ],
});
const armImg = buildImage({ architecture: 'arm64', layers: [{ files: [{ path: 'arm', content: 'y' }] }] });
const index = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: armImg.manifestDigest,
        size: armImg.manifestBytes.length,
        platform: { os: 'linux', architecture: 'arm64' },
      },
      {
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        digest: img.manifestDigest,
        size: img.manifestBytes.length,
        platform: { os: 'linux', architecture: 'amd64' },
      },
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: sha('att'),
        size: 3,
        platform: { os: 'unknown', architecture: 'unknown' },
      },
    ],
  }),
);
const blobs = new Map([...img.blobs, ...armImg.blobs, [sha(index), index]]);

type Mode = 'open' | 'bearer' | 'basic' | 'flaky' | 'always500' | 'always429' | 'hang' | 'redirect' | 'stall';
let mode: Mode = 'open';
let hits = 0;
let server: Server;
let base = '';

function handler(req: IncomingMessage, res: ServerResponse): void {
  hits++;
  const url = new URL(req.url!, 'http://x');
  if (url.pathname === '/token') {
    const auth = req.headers.authorization;
    if (auth !== `Basic ${Buffer.from('alice:s3cret').toString('base64')}`) {
      res.writeHead(401).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token: `tok-${url.searchParams.get('scope')}` }));
    return;
  }
  if (url.pathname.startsWith('/storage/')) {
    const b = blobs.get(url.pathname.slice('/storage/'.length));
    res.writeHead(200).end(b);
    return;
  }
  if (mode === 'hang') return; // never answer
  if (mode === 'always500') return void res.writeHead(500).end();
  if (mode === 'always429') return void res.writeHead(429, { 'retry-after': '0' }).end();
  if (mode === 'flaky' && hits % 2 === 1) return void res.writeHead(hits % 4 === 1 ? 503 : 429).end();
  if (mode === 'bearer' && req.headers.authorization !== 'Bearer tok-repository:team/app:pull') {
    res
      .writeHead(401, {
        'www-authenticate': `Bearer realm="${base}/token",service="test",scope="repository:team/app:pull"`,
      })
      .end();
    return;
  }
  if (mode === 'basic' && req.headers.authorization !== `Basic ${Buffer.from('alice:s3cret').toString('base64')}`) {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="test"' }).end();
    return;
  }
  const m = /^\/v2\/team\/app\/(manifests|blobs)\/(.+)$/.exec(url.pathname);
  if (!m) return void res.writeHead(404).end();
  let ref = m[2];
  if (m[1] === 'manifests' && ref === 'v1') ref = sha(index);
  const b = blobs.get(ref);
  if (!b) return void res.writeHead(404).end();
  if (m[1] === 'blobs' && mode === 'redirect') {
    res.writeHead(307, { location: `${base}/storage/${ref}` }).end();
    return;
  }
  if (m[1] === 'blobs' && mode === 'stall') {
    res.writeHead(200, { 'content-length': b.length });
    res.write(b.subarray(0, 5)); // then nothing
    return;
  }
  const ct =
    m[1] === 'manifests' ? (JSON.parse(b.toString()).mediaType ?? 'application/json') : 'application/octet-stream';
  res.writeHead(200, { 'content-type': ct, 'docker-content-digest': ref }).end(b);
}

before(async () => {
  server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

function source(
  opts: {
    creds?: { username: string; password: string } | null;
    timeoutMs?: number;
    platform?: { os: string; architecture: string };
  } = {},
) {
  const host = base.slice('http://'.length);
  const client = new RegistryClient(host, {
    credentials: opts.creds ?? null,
    backoffMs: 1,
    timeoutMs: opts.timeoutMs ?? 5000,
    attempts: 3,
  });
  return new RegistrySource(`docker://${host}/team/app:v1`, `${host}/team/app:v1`, {
    client,
    platform: opts.platform,
  });
}

async function load(opts: Parameters<typeof source>[0] = {}) {
  hits = 0;
  const image = await loadImage(source(opts));
  const v = await validateImage(image);
  return { image, v };
}

describe('registry source (OCI distribution API)', () => {
  it('anonymous: index -> platform manifest, Docker v2 media types, gzip and zstd layers', async () => {
    mode = 'open';
    const { image, v } = await load();
    assert.deepEqual(v.problems, []);
    assert.equal(image.manifestDigest, img.manifestDigest);
    assert.deepEqual(
      image.layers.map((l) => [l.digest, l.size]),
      img.layers.map((l) => [l.digest, l.blob.length]),
    );
    const a = await analyzeImage(image);
    assert.deepEqual(
      a.layers.map((l) => l.compression),
      ['gzip', 'zstd'],
    );
    assert.equal(a.layers[1].uncompressedSize, img.layers[1].tar.length);
  });
  it('picks another platform with --platform', async () => {
    mode = 'open';
    const { image } = await load({ platform: { os: 'linux', architecture: 'arm64' } });
    assert.equal(image.configDigest, armImg.configDigest);
  });
  it('bearer token auth with basic credentials at the token service', async () => {
    mode = 'bearer';
    const { v } = await load({ creds: { username: 'alice', password: 's3cret' } });
    assert.deepEqual(v.problems, []);
  });
  it('basic auth', async () => {
    mode = 'basic';
    const { v } = await load({ creds: { username: 'alice', password: 's3cret' } });
    assert.deepEqual(v.problems, []);
  });
  it('401 without credentials is one clear line', async () => {
    mode = 'bearer';
    await assert.rejects(load(), /token service refused \(401\); log in with docker login/);
  });
  it('retries 429 and 503 with backoff', async () => {
    mode = 'flaky';
    const { v } = await load();
    assert.deepEqual(v.problems, []);
  });
  it('gives up on persistent 500 and 429 after the attempts', async () => {
    mode = 'always500';
    await assert.rejects(load(), /HTTP 500 .*after 3 attempts/);
    mode = 'always429';
    await assert.rejects(load(), /too many requests \(429\) after 3 attempts/);
  });
  it('404 is one clear line', async () => {
    mode = 'open';
    const host = base.slice('http://'.length);
    const s = new RegistrySource('x', `${host}/team/app:nope`, {
      client: new RegistryClient(host, { credentials: null }),
    });
    await assert.rejects(
      loadImage(s),
      (e: Error) => e instanceof ImageError && /manifest team\/app:nope: not found \(404\)/.test(e.message),
    );
  });
  it('follows redirects to blob storage', async () => {
    mode = 'redirect';
    const { v } = await load();
    assert.deepEqual(v.problems, []);
  });
  it('times out on a registry that never answers, and on a stalled body', async () => {
    mode = 'hang';
    await assert.rejects(load({ timeoutMs: 300 }), /no response within 0.3 s/);
    mode = 'open';
    const { image } = await load({ timeoutMs: 300 });
    mode = 'stall';
    const v = await validateImage(image);
    assert.match(v.problems.join('\n'), /stalled, no data for 0.3 s/);
  });
  it('reads credentials from the Docker config auths', async () => {
    const cfg = {
      auths: {
        'https://reg.example.test/v1/': { auth: Buffer.from('bob:pw:with:colons').toString('base64') },
      },
    };
    assert.deepEqual(await credentialsFor('reg.example.test', cfg), {
      username: 'bob',
      password: 'pw:with:colons',
    });
    assert.equal(await credentialsFor('other.example.test', cfg), undefined);
  });
});
