// build's fetch against a local HTTP server that counts its requests: a verified download lands in
// the content-addressed cache, a second fetch makes no request, a wrong hash and a 404 are one-line
// errors that cache nothing, a 503 is retried, credentials come from the URL or from a netrc file.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fetchWheels } from '../../src/build/fetch.js';
import { netrcCredentials } from '../../src/build/netrc.js';
import type { ResolvedPackage } from '../../src/build/types.js';
import { UserError } from '../../src/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-build-fetch-'));
const body = randomBytes(300_000);
const sha = createHash('sha256').update(body).digest('hex');
const other = createHash('sha256').update('another file').digest('hex');
const AUTH = 'Basic ' + Buffer.from('alice:s3cret').toString('base64');

let server: Server;
let base = '';
const requests: { url: string; auth?: string }[] = [];
let flaky = 0;

before(async () => {
  server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', auth: req.headers.authorization });
    if (req.url === '/files/demo-1.0-py3-none-any.whl') return res.end(body);
    if (req.url === '/flaky/demo-1.0-py3-none-any.whl') {
      if (flaky-- > 0) {
        res.statusCode = 503;
        return res.end('busy');
      }
      return res.end(body);
    }
    if (req.url === '/private/demo-1.0-py3-none-any.whl') {
      if (req.headers.authorization !== AUTH) {
        res.statusCode = 401;
        return res.end();
      }
      return res.end(body);
    }
    if (req.url === '/hang/demo-1.0-py3-none-any.whl') {
      // Headers and a first chunk, then silence: the idle timeout must end the attempt.
      res.write(body.subarray(0, 1000));
      return;
    }
    res.statusCode = 404;
    res.end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  requests.length = 0;
  // A netrc of this machine's user must not answer for the test server.
  process.env.NETRC = join(tmp, 'no-netrc');
});

let n = 0;
const freshCache = () => join(tmp, `cache-${n++}`);
const pkg = (url: string, sha256 = sha): ResolvedPackage => ({
  name: 'demo',
  version: '1.0',
  wheel: { filename: 'demo-1.0-py3-none-any.whl', url, sha256 },
});

describe('fetchWheels', () => {
  it('downloads, verifies and caches by hash; the second fetch makes no request', async () => {
    const cacheDir = freshCache();
    const progress: number[][] = [];
    const got = await fetchWheels([pkg(`${base}/files/demo-1.0-py3-none-any.whl`)], {
      cacheDir,
      onProgress: (d, t, b) => progress.push([d, t, b]),
    });
    const w = got.get('demo')!;
    assert.equal(w.path, join(cacheDir, 'wheels', sha));
    assert.deepEqual(readFileSync(w.path), body);
    assert.equal(w.size, body.length);
    assert.deepEqual(progress, [[1, 1, body.length]]);
    assert.equal(requests.length, 1);
    assert.deepEqual(readdirSync(join(cacheDir, 'wheels')), [sha]);

    const again = await fetchWheels([pkg(`${base}/files/demo-1.0-py3-none-any.whl`)], { cacheDir });
    assert.equal(again.get('demo')!.path, w.path);
    assert.equal(requests.length, 1, 'a cached wheel is not requested again');
  });

  it('refuses a file whose hash is not the lock’s and caches nothing', async () => {
    const cacheDir = freshCache();
    await assert.rejects(
      fetchWheels([pkg(`${base}/files/demo-1.0-py3-none-any.whl`, other)], { cacheDir }),
      (e: unknown) =>
        e instanceof UserError &&
        e.message ===
          `demo 1.0: demo-1.0-py3-none-any.whl has sha256 ${sha}, the lock says ${other}: the index serves another file than the lock was made with; re-lock, or check the index`,
    );
    assert.deepEqual(readdirSync(join(cacheDir, 'wheels')), []);
  });

  it('says a 404 plainly, without retrying', async () => {
    const url = `${base}/gone/demo-1.0-py3-none-any.whl`;
    await assert.rejects(
      fetchWheels([pkg(url)], { cacheDir: freshCache() }),
      (e: unknown) =>
        e instanceof UserError &&
        e.message === `demo 1.0: ${url} not found (404): the lock names a file the index no longer has`,
    );
    assert.equal(requests.length, 1);
  });

  it('retries a 503', async () => {
    flaky = 2;
    const got = await fetchWheels([pkg(`${base}/flaky/demo-1.0-py3-none-any.whl`)], { cacheDir: freshCache() });
    assert.deepEqual(readFileSync(got.get('demo')!.path), body);
    assert.equal(requests.length, 3);
  });

  it('gives up after the attempts with one line', async () => {
    flaky = 10;
    await assert.rejects(
      fetchWheels([pkg(`${base}/flaky/demo-1.0-py3-none-any.whl`)], { cacheDir: freshCache(), attempts: 2 }),
      (e: unknown) =>
        e instanceof UserError && /failed 2 times \(HTTP 503\)/.test(e.message) && !e.message.includes('\n'),
    );
    flaky = 0;
  });

  it('ends a silent download after the timeout and caches nothing', async () => {
    const cacheDir = freshCache();
    await assert.rejects(
      fetchWheels([pkg(`${base}/hang/demo-1.0-py3-none-any.whl`)], { cacheDir, attempts: 2, timeoutMs: 200 }),
      (e: unknown) => e instanceof UserError && /failed 2 times \(no data for 0\.2s\)/.test(e.message),
    );
    assert.equal(requests.length, 2);
    assert.deepEqual(readdirSync(join(cacheDir, 'wheels')), []);
  });

  it('sends credentials from the URL, or from the netrc file, and names them when they are missing', async () => {
    const url = `${base}/private/demo-1.0-py3-none-any.whl`;
    await assert.rejects(
      fetchWheels([pkg(url)], { cacheDir: freshCache() }),
      (e: unknown) => e instanceof UserError && /refused \(401\).*netrc/.test(e.message),
    );
    const withUser = url.replace('http://', 'http://alice:s3cret@');
    await fetchWheels([pkg(withUser)], { cacheDir: freshCache() });
    assert.equal(requests.at(-1)?.auth, AUTH);

    const netrc = join(tmp, 'netrc');
    writeFileSync(
      netrc,
      'machine example.invalid login bob password nope\n\nmachine 127.0.0.1\n  login alice\n  password s3cret\n',
    );
    process.env.NETRC = netrc;
    const got = await fetchWheels([pkg(url)], { cacheDir: freshCache() });
    assert.deepEqual(readFileSync(got.get('demo')!.path), body);
    assert.equal(requests.at(-1)?.auth, AUTH);
  });

  it('reads file URLs, and downloads several packages at once, keyed by name in the caller’s order', async () => {
    const local = join(tmp, 'local.whl');
    writeFileSync(local, body);
    const small = Buffer.from('small wheel');
    writeFileSync(join(tmp, 'small.whl'), small);
    const smallSha = createHash('sha256').update(small).digest('hex');
    const got = await fetchWheels(
      [
        { name: 'b', version: '1', wheel: { filename: 'local.whl', url: `file://${local}`, sha256: sha } },
        {
          name: 'a',
          version: '2',
          wheel: { filename: 'small.whl', url: `file://${join(tmp, 'small.whl')}`, sha256: smallSha },
        },
        { name: 'sdist-only', version: '3', wheel: null },
      ],
      { cacheDir: freshCache(), concurrency: 2 },
    );
    assert.deepEqual([...got.keys()], ['b', 'a']);
    assert.deepEqual(readFileSync(got.get('a')!.path), small);
    assert.equal(requests.length, 0);
  });
});

describe('netrcCredentials', () => {
  it('finds the machine, falls back to default, ignores macros', () => {
    const f = join(tmp, 'netrc2');
    writeFileSync(
      f,
      'macdef init\nmachine x login y password z\n\nmachine idx.example login u password p\ndefault login d password dp\n',
    );
    assert.deepEqual(netrcCredentials('idx.example', f), { login: 'u', password: 'p' });
    assert.deepEqual(netrcCredentials('other.example', f), { login: 'd', password: 'dp' });
    assert.deepEqual(
      netrcCredentials('x', f),
      { login: 'd', password: 'dp' },
      'a machine inside a macro body is no machine',
    );
    assert.equal(netrcCredentials('x', join(tmp, 'missing')), undefined);
  });
});
