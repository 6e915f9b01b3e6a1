import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { analyzeImage } from '../../../src/image/analyze/image.js';
import { ImageError } from '../../../src/image/errors.js';
import { openImage } from '../../../src/image/open.js';
import { TarParser } from '../../../src/image/tar.js';
import { buildImage, type LayerSpec, makeTar, writeDockerArchive, writeOciLayout } from './builder.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-hostile-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
after(() => rmSync(cliTmp, { recursive: true, force: true }));
const CLI = join(import.meta.dirname, '../../../src/cli/main.js');

let n = 0;
function layout(layers: LayerSpec[]): string {
  const dir = join(tmp, `img${n++}`);
  writeOciLayout(dir, buildImage({ layers }));
  return dir;
}

async function analyzeRef(ref: string) {
  const image = await openImage(ref);
  try {
    return await analyzeImage(image);
  } finally {
    await image.source.close();
  }
}

// The CLI's temporary files go to a directory of this test's own, so other tests running at the
// same time cannot change the count that proves nothing was written.
const cliTmp = mkdtempSync(join(tmpdir(), 'lw-hostile-cli-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TMPDIR: cliTmp } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A tar with one raw header whose name is written as given (no normalisation). */
function rawTar(name: string, opts: { type?: string; link?: string; content?: string } = {}): Buffer {
  const content = Buffer.from(opts.content ?? '');
  const b = Buffer.alloc(512);
  b.write(name, 0);
  b.write('0000644\0', 100);
  b.write('0000000\0', 108);
  b.write('0000000\0', 116);
  b.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  b.write('00000000000\0', 136);
  b.write('        ', 148);
  b.write(opts.type ?? '0', 156);
  if (opts.link) b.write(opts.link, 157);
  b.write('ustar\0', 257);
  b.write('00', 263);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += b[i];
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([b, content, pad, Buffer.alloc(1024)]);
}

describe('hostile and corrupt inputs: one clear error line, exit 2', () => {
  const cases: Array<{ name: string; make: () => string; re: RegExp }> = [
    {
      name: 'path traversal',
      make: () => `oci:${layout([{ files: [], tar: rawTar('../../etc/passwd', { content: 'x' }) }])}`,
      re: /path traversal/,
    },
    {
      name: 'symlink escape',
      make: () => `oci:${layout([{ files: [], tar: rawTar('app/link', { type: '2', link: '../../../etc/shadow' }) }])}`,
      re: /link escape: symlink/,
    },
    {
      name: 'hard link escape',
      make: () => `oci:${layout([{ files: [], tar: rawTar('app/link', { type: '1', link: '../x' }) }])}`,
      re: /link escape: hard link/,
    },
    {
      name: 'huge pax header',
      make: () => {
        const big = Buffer.alloc(2 << 20, 'a');
        const tar = makeTar([{ path: 'x', content: 'y' }]);
        // Replace with a pax header claiming 2 MiB.
        const h = rawTar('PaxHeader', { type: 'x', content: big.toString() });
        return `oci:${layout([{ files: [], tar: Buffer.concat([h.subarray(0, h.length - 1024), tar]) }])}`;
      },
      re: /pax header of 2097152 bytes exceeds/,
    },
    {
      name: 'bad gzip',
      make: () => {
        const tar = makeTar([{ path: 'a', content: 'hello' }]);
        const gz = gzipSync(tar);
        const bad = Buffer.concat([gz.subarray(0, 10), Buffer.alloc(40, 0xff)]);
        return `oci:${layout([{ files: [], tar, blob: bad }])}`;
      },
      re: /bad gzip data/,
    },
    {
      name: 'wrong digest',
      make: () => {
        const dir = layout([{ files: [{ path: 'a', content: 'hello' }] }]);
        const img = buildImage({ layers: [{ files: [{ path: 'a', content: 'hello' }] }] });
        writeFileSync(
          join(dir, 'blobs/sha256', img.layers[0].digest.slice(7)),
          gzipSync(makeTar([{ path: 'a', content: 'evil!' }])),
        );
        return `oci:${dir}`;
      },
      re: /digest mismatch|blob (is larger|truncated)/,
    },
    {
      name: 'truncated tar',
      make: () => {
        const tar = makeTar([{ path: 'a', content: Buffer.alloc(5000, 1) }]).subarray(0, 1500);
        return `oci:${layout([{ files: [], tar }])}`;
      },
      re: /tar stream truncated/,
    },
    {
      name: 'not a tar',
      make: () => `oci:${layout([{ files: [], tar: Buffer.alloc(2048, 'z') }])}`,
      re: /bad header checksum/,
    },
    {
      name: 'archive layer link outside the archive',
      make: () => {
        const img = buildImage({ layers: [{ files: [{ path: 'a', content: 'x' }] }] });
        const file = join(tmp, `a${n++}.tar`);
        writeDockerArchive(file, img, { format: 'legacy' });
        const manifest = JSON.stringify([
          { Config: `${img.configDigest.slice(7)}.json`, RepoTags: [], Layers: ['l/layer.tar'] },
        ]);
        writeFileSync(
          file,
          makeTar([
            { path: `${img.configDigest.slice(7)}.json`, content: img.configBytes },
            { path: 'l/layer.tar', type: 'symlink', linkname: '../../../etc/passwd' },
            { path: 'manifest.json', content: manifest },
          ]),
        );
        return `archive:${file}`;
      },
      re: /link escape/,
    },
    { name: 'missing layout', make: () => `oci:${join(tmp, 'nope')}`, re: /no such directory/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const ref = c.make();
      await assert.rejects(analyzeRef(ref), (e: unknown) => {
        assert.ok(e instanceof ImageError, `ImageError expected, got ${e}`);
        assert.match((e as Error).message, c.re);
        assert.doesNotMatch((e as Error).message, /\n/);
        return true;
      });
      const ours = () => readdirSync(cliTmp).length;
      const before = ours();
      const r = cli('inspect', ref);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, c.re);
      assert.equal(ours(), before, 'nothing written');
    });
  }
});

describe('tar reader', () => {
  it('reads pax long names, GNU-style headers and chunk boundaries', () => {
    const long = `${'d/'.repeat(80)}file.txt`;
    const tar = makeTar([
      { path: long, content: 'abc' },
      { path: 'x/y', type: 'symlink', linkname: '/usr/bin/z' },
    ]);
    for (const step of [1, 7, 512, 513, tar.length]) {
      const seen: string[] = [];
      let data = '';
      const p = new TarParser(
        { entry: (h) => seen.push(`${h.type}:${h.path}:${h.size}:${h.linkname}`), data: (c) => (data += c) },
        { what: 't' },
      );
      for (let i = 0; i < tar.length; i += step) p.write(tar.subarray(i, i + step));
      p.end();
      assert.deepEqual(seen, [`file:${long}:3:`, 'symlink:x/y:0:/usr/bin/z']);
      assert.equal(data, 'abc');
    }
  });
  it('accepts absolute symlinks and leading ./', () => {
    const seen: string[] = [];
    const p = new TarParser({ entry: (h) => seen.push(h.path) }, { what: 't' });
    p.write(
      makeTar([
        { path: './etc/x', content: '1' },
        { path: '/abs', type: 'symlink', linkname: '/etc/x' },
      ]),
    );
    p.end();
    assert.deepEqual(seen, ['etc/x', 'abs']);
  });
});
