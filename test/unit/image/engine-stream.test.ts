// The engine source against a fake engine serving `docker save` archives whose manifest.json
// and config come after the layers: layers are analysed while the export streams, the export is
// asked for once, and nothing the size of the image is written anywhere the CLI could write.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildImage, type BuiltImage, makeTar, writeDockerArchive } from './builder.js';

const CLI = join(import.meta.dirname, '../../../src/cli/main.js');
const tmp = mkdtempSync(join(tmpdir(), 'lw-engine-stream-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Files under `dir` larger than `limit` bytes. */
function bigFiles(dir: string, limit: number): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size > limit) out.push(p);
    }
  };
  walk(dir);
  return out;
}

interface Fake {
  server: Server;
  host: string;
  saves: number;
  /** Image-sized files seen under the watched directories while the export was still open. */
  seen: string[];
}

/**
 * A fake engine: image inspect and `GET /images/{id}/get`. Before it ends the export it waits a
 * little and looks for image-sized files where the CLI could write (a client that spools the
 * export to a file has nearly all of it there by then).
 */
async function fakeEngine(img: BuiltImage, archive: string, watch: string[]): Promise<Fake> {
  const fake: Fake = { server: createServer(), host: '', saves: 0, seen: [] };
  fake.server.on('request', (req, res) => {
    const url = req.url ?? '';
    if (/^\/(v[\d.]+\/)?images\/.+\/json$/.test(url)) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ Id: img.configDigest, RepoTags: ['fake/streamed:1'] }));
      return;
    }
    if (/^\/(v[\d.]+\/)?images\/.+\/get$/.test(url)) {
      fake.saves++;
      res.setHeader('content-type', 'application/x-tar');
      const size = statSync(archive).size;
      const body = createReadStream(archive, { end: size - 1025, highWaterMark: 64 << 10 });
      body.pipe(res, { end: false });
      body.on('end', async () => {
        await sleep(300);
        for (const d of watch) fake.seen.push(...bigFiles(d, 256 << 10));
        res.end(Buffer.alloc(1024)); // the end-of-archive marker
      });
      return;
    }
    res.statusCode = 404;
    res.end('{"message":"not here"}');
  });
  await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
  const addr = fake.server.address() as { port: number };
  fake.host = `tcp://127.0.0.1:${addr.port}`;
  return fake;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// A layer of 3 MiB of incompressible files (streamed to the analysis), a small one (kept in
// memory) and one that deletes a file of the first.
const big = randomBytes(3 << 20);
const img = buildImage({
  flavour: 'docker',
  layers: [
    {
      files: [
        { path: 'data', type: 'dir' },
        { path: 'data/blob.bin', content: big },
        { path: 'etc/os', content: 'x\n' },
      ],
    },
    { files: [{ path: 'app/main.py', content: 'print("hi")\n' }] },
    {
      files: [
        { path: 'data/.wh.blob.bin', content: '' },
        { path: 'data/other.bin', content: big.subarray(0, 1 << 20) },
      ],
    },
  ],
});

for (const format of ['legacy', 'oci'] as const) {
  describe(`engine source, streamed ${format} export (manifest and config after the layers)`, () => {
    const dir = join(tmp, format);
    const archive = join(dir, 'image.tar');
    const cliTmp = join(dir, 'tmp');
    const cache = join(dir, 'cache');
    let fake: Fake;
    before(async () => {
      mkdirSync(cliTmp, { recursive: true });
      mkdirSync(cache, { recursive: true });
      writeDockerArchive(archive, img, { format, repoTag: 'fake/streamed:1' });
      fake = await fakeEngine(img, archive, [cliTmp, cache]);
    });
    after(() => fake.server.close());

    it('gives the analysis of the same archive read from a file, reading the export once and writing no image file', async () => {
      const env = { DOCKER_HOST: fake.host, TMPDIR: cliTmp, LAYERWISE_CACHE_DIR: cache, XDG_CACHE_HOME: cache };
      const fromEngine = await run(['inspect', '--format', 'json', 'engine:fake/streamed:1'], env);
      assert.equal(fromEngine.stderr, '');
      assert.equal(fromEngine.code, 0);
      assert.equal(fake.saves, 1, 'the export is read once');
      assert.deepEqual(fake.seen, [], 'no image-sized file while the export streamed');
      assert.deepEqual(bigFiles(cliTmp, 0), [], 'nothing left in TMPDIR');
      assert.deepEqual(bigFiles(cache, 256 << 10), [], 'no image-sized file in the cache');
      const fromFile = await run(['inspect', '--no-cache', '--format', 'json', `archive:${archive}`], {});
      assert.equal(fromFile.code, 0, fromFile.stderr);
      const e = JSON.parse(fromEngine.stdout);
      const f = JSON.parse(fromFile.stdout);
      assert.equal(e.image.source, 'engine');
      assert.equal(e.image.configDigest, img.configDigest);
      assert.deepEqual(
        e.layers.map((l: { diffId: string }) => l.diffId),
        img.layers.map((l) => l.diffId),
      );
      const strip = (j: Record<string, unknown>) => {
        const { image: _i, ...rest } = j;
        return rest;
      };
      assert.deepEqual(strip(e), strip(f));
      assert.ok(e.wastedBytes >= big.length, 'the deleted 3 MiB file counts as waste');

      // Again, from the per-layer cache: same answer.
      const again = await run(['inspect', '--format', 'json', 'engine:fake/streamed:1'], env);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(strip(JSON.parse(again.stdout)), strip(f));
    });
  });
}

describe('engine source, streamed export whose layer does not match the config', () => {
  it('fails with the diffID or digest mismatch, exit 2', async () => {
    const good = buildImage({ flavour: 'docker', layers: [{ files: [{ path: 'a.bin', content: big }] }] });
    // Same config, but the layer's bytes are another tar of the same size.
    const other = makeTar([{ path: 'a.bin', content: Buffer.from(big).fill(7, 0, 16) }]);
    const bad: BuiltImage = { ...good, layers: [{ ...good.layers[0], tar: other }] };
    const dir = join(tmp, 'bad');
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const archive = join(dir, 'image.tar');
    writeDockerArchive(archive, bad, { format: 'legacy', repoTag: 'fake/bad:1' });
    const fake = await fakeEngine(good, archive, []);
    try {
      const r = await run(['inspect', '--no-cache', '--format', 'json', 'engine:fake/bad:1'], {
        DOCKER_HOST: fake.host,
        TMPDIR: join(dir, 'tmp'),
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^layerwise: .*(digest|diffID) mismatch/);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.equal(r.stdout, '');
    } finally {
      fake.server.close();
    }
  });
});
