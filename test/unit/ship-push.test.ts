// ship's push without Docker: deterministic gzip, the manifest's shape, and whole pushes from a
// fake engine (serving `docker save` archives in both layouts) to a fake registry that keeps what
// it is sent, so the blobs, the manifest, the mounts and the number of exports can be checked.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../../src/errors.js';
import { ImageError } from '../../src/image/errors.js';
import { RegistryClient } from '../../src/registry/client.js';
import { gzipBuffer, gzipStream } from '../../src/ship/gzip.js';
import { ociLayerType, ociManifest } from '../../src/ship/oci-manifest.js';
import { pushedLayers, pushEngineImage } from '../../src/ship/push.js';
import { type BuiltImage, buildImage, makeTar, writeDockerArchive } from './image/builder.js';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const tmp = mkdtempSync(join(tmpdir(), 'lw-ship-push-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('deterministic gzip', () => {
  const tar = makeTar([
    { path: 'a.txt', content: 'hello\n'.repeat(5000) },
    { path: 'b.bin', content: randomBytes(200_000) },
  ]);

  it('has mtime 0 and OS 255 in its header, and gives back the tar', () => {
    const g = gzipBuffer(tar);
    assert.deepEqual([...g.bytes.subarray(0, 4)], [0x1f, 0x8b, 8, 0]);
    assert.equal(g.bytes.readUInt32LE(4), 0, 'mtime');
    assert.equal(g.bytes[9], 255, 'OS unknown');
    assert.deepEqual(gunzipSync(g.bytes), tar);
    assert.equal(g.diffId, sha(tar));
    assert.equal(g.digest, sha(g.bytes));
    assert.equal(g.size, g.bytes.length);
  });

  it('gives the same bytes every time and however the tar is chunked', async () => {
    const a = gzipBuffer(tar);
    assert.deepEqual(gzipBuffer(Buffer.from(tar)).bytes, a.bytes);
    for (const n of [1 << 20, 65536, 4096, 777]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < tar.length; i += n) chunks.push(tar.subarray(i, i + n));
      const s = await gzipStream(Readable.from(chunks));
      assert.equal(s.digest, a.digest, `chunks of ${n}`);
      assert.equal(s.diffId, a.diffId);
      assert.equal(s.uncompressedSize, tar.length);
    }
  });
});

describe('the OCI manifest', () => {
  it('has a fixed key order, sorted annotations, OCI media types, and no annotations key when there are none', () => {
    const layer = { digest: sha('l'), size: 3, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' };
    const m = JSON.parse(ociManifest({ digest: sha('c'), size: 9 }, [layer], { z: '1', a: '2' }).toString());
    assert.deepEqual(Object.keys(m), ['schemaVersion', 'mediaType', 'config', 'layers', 'annotations']);
    assert.equal(m.schemaVersion, 2);
    assert.equal(m.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.deepEqual(m.config, { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha('c'), size: 9 });
    assert.deepEqual(Object.keys(m.layers[0]), ['mediaType', 'digest', 'size']);
    assert.deepEqual(Object.keys(m.annotations), ['a', 'z']);
    const bare = JSON.parse(ociManifest({ digest: sha('c'), size: 9 }, [layer]).toString());
    assert.equal('annotations' in bare, false);
    assert.equal(
      ociLayerType('application/vnd.docker.image.rootfs.diff.tar.gzip'),
      'application/vnd.oci.image.layer.v1.tar+gzip',
    );
  });
});

// ---- fakes ----

interface Engine {
  server: Server;
  host: string;
  saves: number;
}

/** A fake engine: inspect (Id, RootFS.Layers) and the export of the one image it holds. */
async function fakeEngine(images: Map<string, { img: BuiltImage; archive: string }>): Promise<Engine> {
  const e: Engine = { server: createServer(), host: '', saves: 0 };
  e.server.on('request', (req, res) => {
    const m = /^\/(?:v[\d.]+\/)?images\/(.+)\/(json|get)$/.exec(req.url ?? '');
    const name = m ? decodeURIComponent(m[1]) : '';
    const hit = images.get(name) ?? [...images.values()].find((i) => i.img.configDigest === name);
    if (!m || !hit) {
      res.statusCode = 404;
      res.end('{"message":"No such image"}');
    } else if (m[2] === 'json') {
      res.end(
        JSON.stringify({
          Id: hit.img.configDigest,
          RootFS: { Type: 'layers', Layers: hit.img.layers.map((l) => l.diffId) },
        }),
      );
    } else {
      e.saves++;
      res.end(readFileSync(hit.archive));
    }
  });
  await new Promise<void>((r) => e.server.listen(0, '127.0.0.1', r));
  e.host = `tcp://127.0.0.1:${(e.server.address() as { port: number }).port}`;
  return e;
}

interface Registry {
  server: Server;
  host: string;
  blobs: Map<string, Buffer>;
  repos: Map<string, { blobs: Set<string>; manifests: Map<string, Buffer> }>;
  uploads: number;
  mounts: number;
  manifestPuts: number;
}

const body = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

/** A fake distribution registry: blob HEAD/GET, POST (with mount) + PUT uploads, manifest PUT/HEAD/GET. */
async function fakeRegistry(): Promise<Registry> {
  const r: Registry = {
    server: createServer(),
    host: '',
    blobs: new Map(),
    repos: new Map(),
    uploads: 0,
    mounts: 0,
    manifestPuts: 0,
  };
  const repo = (n: string) => {
    if (!r.repos.has(n)) r.repos.set(n, { blobs: new Set(), manifests: new Map() });
    return r.repos.get(n)!;
  };
  r.server.on('request', async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/v2\/(.+)\/(blobs|manifests)\/(.*)$/.exec(url.pathname);
    if (!m) return res.writeHead(404).end();
    const [, name, kind, rest] = m;
    const rp = repo(name);
    if (kind === 'blobs' && rest.startsWith('uploads/')) {
      if (req.method === 'POST') {
        const from = url.searchParams.get('from');
        const d = url.searchParams.get('mount');
        if (from && d && r.repos.get(from)?.blobs.has(d)) {
          rp.blobs.add(d);
          r.mounts++;
          return res.writeHead(201, { 'Docker-Content-Digest': d }).end();
        }
        return res.writeHead(202, { Location: `/v2/${name}/blobs/uploads/${randomBytes(4).toString('hex')}` }).end();
      }
      const b = await body(req);
      const d = url.searchParams.get('digest')!;
      if (sha(b) !== d) return res.writeHead(400).end('{"errors":[{"code":"DIGEST_INVALID"}]}');
      r.blobs.set(d, b);
      rp.blobs.add(d);
      r.uploads++;
      return res.writeHead(201, { 'Docker-Content-Digest': d }).end();
    }
    if (kind === 'blobs') {
      const b = rp.blobs.has(rest) ? r.blobs.get(rest) : undefined;
      if (!b) return res.writeHead(404).end();
      res.writeHead(200, { 'Content-Length': b.length });
      return res.end(req.method === 'HEAD' ? undefined : b);
    }
    if (req.method === 'PUT') {
      const b = await body(req);
      rp.manifests.set(rest, b);
      rp.manifests.set(sha(b), b);
      r.manifestPuts++;
      return res.writeHead(201, { 'Docker-Content-Digest': sha(b) }).end();
    }
    const b = rp.manifests.get(rest);
    if (!b) return res.writeHead(404).end();
    res.writeHead(200, {
      'Content-Type': JSON.parse(b.toString()).mediaType,
      'Docker-Content-Digest': sha(b),
      'Content-Length': b.length,
    });
    res.end(req.method === 'HEAD' ? undefined : b);
  });
  await new Promise<void>((res) => r.server.listen(0, '127.0.0.1', res));
  r.host = `127.0.0.1:${(r.server.address() as { port: number }).port}`;
  return r;
}

// A 3 MiB layer and a 1 MiB one stream past (the export keeps only small entries); one small one is kept.
const base = buildImage({
  flavour: 'docker',
  layers: [
    { files: [{ path: 'data/big.bin', content: Buffer.concat([randomBytes(1 << 20), Buffer.alloc(2 << 20, 7)]) }] },
    { files: [{ path: 'app/main.py', content: 'print("hi")\n' }] },
    { files: [{ path: 'data/other.bin', content: randomBytes(1 << 20) }] },
  ],
});
const appLayer = { files: [{ path: 'app/extra.bin', content: randomBytes(400_000) }] };
const app = buildImage({
  flavour: 'docker',
  layers: [...base.layers.map((l) => ({ files: [], tar: l.tar })), appLayer],
});

for (const format of ['legacy', 'oci'] as const) {
  describe(`pushEngineImage from a ${format} export`, () => {
    const dir = mkdtempSync(join(tmp, `${format}-`));
    let engine: Engine;
    let reg: Registry;
    let client: RegistryClient;
    let firstDigest = '';
    const saved = process.env.LAYERWISE_CACHE_DIR;
    before(async () => {
      process.env.LAYERWISE_CACHE_DIR = join(dir, 'cache');
      const images = new Map<string, { img: BuiltImage; archive: string }>();
      for (const [name, img] of [
        ['fake/base:1', base],
        ['fake/app:1', app],
      ] as const) {
        const archive = join(dir, `${name.replace(/\W/g, '_')}.tar`);
        writeDockerArchive(archive, img, { format, repoTag: name });
        images.set(name, { img, archive });
      }
      // The base's layers under another config (so another image ID), one tar swapped: the
      // small one (kept by the export) or the last (streamed past).
      for (const swap of [1, 2]) {
        const other = buildImage({
          flavour: 'docker',
          layers: base.layers.map((l) => ({ files: [], tar: l.tar })),
          containerConfig: { Cmd: [`bad ${swap}`] },
        });
        const tar = makeTar([{ path: 'x', content: swap === 1 ? 'not it' : randomBytes(600_000) }]);
        const bad = { ...other, layers: other.layers.map((l, i) => (i === swap ? { ...l, tar } : l)) };
        const archive = join(dir, `bad${swap}.tar`);
        writeDockerArchive(archive, bad, { format, repoTag: `fake/bad${swap}:1` });
        images.set(`fake/bad${swap}:1`, { img: bad, archive });
      }
      engine = await fakeEngine(images);
      reg = await fakeRegistry();
      client = new RegistryClient(reg.host);
    });
    after(() => {
      engine.server.close();
      reg.server.close();
      if (saved === undefined) delete process.env.LAYERWISE_CACHE_DIR;
      else process.env.LAYERWISE_CACHE_DIR = saved;
    });

    it('uploads gzip of each tar, the config byte for byte and an OCI manifest, reading the export once', async () => {
      const r = await pushEngineImage('fake/base:1', {
        client,
        repo: 'team/base',
        tags: ['v1'],
        annotations: { 'dev.layerwise.ship.kind': 'base' },
        host: engine.host,
      });
      firstDigest = r.digest;
      assert.equal(engine.saves, 1);
      assert.equal(r.configDigest, base.configDigest);
      assert.deepEqual(reg.blobs.get(base.configDigest), base.configBytes);
      r.layers.forEach((l, i) => {
        assert.equal(l.pushed, 'uploaded');
        assert.equal(l.diffId, base.layers[i].diffId);
        assert.deepEqual(gunzipSync(reg.blobs.get(l.digest)!), base.layers[i].tar);
        assert.equal(l.digest, gzipBuffer(base.layers[i].tar).digest, 'the streamed gzip equals the in-memory one');
      });
      const m = reg.repos.get('team/base')!.manifests.get('v1')!;
      assert.equal(sha(m), r.digest);
      const j = JSON.parse(m.toString());
      assert.deepEqual(j.annotations, { 'dev.layerwise.ship.kind': 'base' });
      assert.deepEqual(
        j.layers.map((l: { digest: string }) => l.digest),
        r.layers.map((l) => l.digest),
      );
      const sizes = r.layers.reduce((n, l) => n + l.size, 0) + base.configBytes.length + m.length;
      assert.equal(r.pushedBytes, sizes);
    });

    it('pushed again: no upload, no manifest PUT, 0 bytes, the same digest', async () => {
      const before = { uploads: reg.uploads, puts: reg.manifestPuts, saves: engine.saves };
      const r = await pushEngineImage('fake/base:1', {
        client,
        repo: 'team/base',
        tags: ['v1'],
        annotations: { 'dev.layerwise.ship.kind': 'base' },
        host: engine.host,
      });
      assert.equal(r.digest, firstDigest);
      assert.equal(r.pushedBytes, 0);
      assert.ok(r.layers.every((l) => l.pushed === 'exists'));
      assert.deepEqual([reg.uploads, reg.manifestPuts, engine.saves], [before.uploads, before.puts, before.saves + 1]);
    });

    it('an image on top, reusing the base: base blobs mounted, only the new layer compressed and uploaded', async () => {
      const reuse = await pushedLayers(client, 'team/base', 'v1');
      const before = { uploads: reg.uploads, mounts: reg.mounts, saves: engine.saves };
      const said: string[] = [];
      const r = await pushEngineImage('fake/app:1', {
        client,
        repo: 'team/app',
        tags: ['1.0', 'latest'],
        reuse,
        reuseRepo: 'team/base',
        host: engine.host,
        onProgress: (m) => said.push(m),
      });
      assert.deepEqual(
        r.layers.map((l) => l.pushed),
        ['mounted', 'mounted', 'mounted', 'uploaded'],
      );
      assert.equal(reg.mounts - before.mounts, 3);
      assert.equal(reg.uploads - before.uploads, 2, 'the new layer and the config');
      // The fake legacy export's v1 IDs are not the engine's (v1-id.ts cannot tell its entries):
      // hashed once, read again for the one new layer.
      assert.equal(engine.saves - before.saves, format === 'legacy' ? 2 : 1, said.join('\n'));
      const m = reg.repos.get('team/app')!.manifests.get('latest')!;
      assert.deepEqual(reg.repos.get('team/app')!.manifests.get('1.0'), m);
      assert.equal(r.pushedBytes, r.layers[3].size + app.configBytes.length + m.length);
      assert.deepEqual(gunzipSync(reg.blobs.get(r.layers[3].digest)!), app.layers[3].tar);
    });

    it('reuse naming blobs the registry lacks: compressed again, the same digests, mounted', async () => {
      const good = await pushedLayers(client, 'team/base', 'v1');
      const wrong = new Map([...good].map(([d, b]) => [d, { ...b, digest: sha(`not ${b.digest}`) }]));
      process.env.LAYERWISE_CACHE = 'off';
      try {
        const r = await pushEngineImage('fake/app:1', {
          client,
          repo: 'team/app2',
          tags: ['x'],
          reuse: wrong,
          reuseRepo: 'team/base',
          host: engine.host,
        });
        assert.deepEqual(
          r.layers.map((l) => l.pushed),
          ['mounted', 'mounted', 'mounted', 'uploaded'],
        );
        assert.deepEqual(
          r.layers.slice(0, 3).map((l) => l.digest),
          [...good.values()].map((b) => b.digest),
        );
      } finally {
        delete process.env.LAYERWISE_CACHE;
      }
    });

    it('an engine that is not there: one line, a UserError', async () => {
      await assert.rejects(
        pushEngineImage('fake/base:1', { client, repo: 'team/base', tags: [], host: 'tcp://127.0.0.1:1' }),
        (e: Error) => e instanceof UserError && /Docker engine at .*not running or not reachable/.test(e.message),
      );
      await assert.rejects(
        pushEngineImage('fake/absent:1', { client, repo: 'team/base', tags: [], host: engine.host }),
        (e: Error) => e instanceof UserError && /fake\/absent:1: not found in the Docker engine/.test(e.message),
      );
    });

    for (const swap of [1, 2])
      it(`a layer whose tar is not the config’s diff_id (${swap === 1 ? 'kept' : 'streamed'}): one line, no manifest`, async () => {
        const puts = reg.manifestPuts;
        await assert.rejects(
          pushEngineImage(`fake/bad${swap}:1`, { client, repo: 'team/bad', tags: ['v1'], host: engine.host }),
          (e: Error) =>
            e instanceof ImageError &&
            new RegExp(`layer ${swap + 1}/3: its tar hashes to sha256:\\w+ but the config's diff_id`).test(e.message) &&
            !e.message.includes('\n'),
        );
        assert.equal(reg.manifestPuts, puts);
      });
  });
}
