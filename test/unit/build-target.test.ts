import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readTarget } from '../../src/build/target.js';
import { UserError } from '../../src/errors.js';
import { buildImage, type ImageSpec, writeOciLayout } from './image/builder.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function target(spec: ImageSpec) {
  const dir = mkdtempSync(join(tmpdir(), 'b1-target-'));
  dirs.push(dir);
  writeOciLayout(dir, buildImage(spec), 'v1');
  const { target: t, image } = await readTarget(`oci:${dir}:v1`);
  await image.source.close();
  return t;
}

const glibc = (v: string) => `\x7fELF...GNU C Library (Debian GLIBC ${v}-9) stable release version ${v}.\n...`;
const dpkg = (pkg: string, version: string) =>
  `Package: ${pkg}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n\nPackage: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13\n`;

test('Debian-packaged python: /usr/bin/python3.X, full version from dpkg, glibc from libc.so.6; a whiteout hides a lower interpreter', async () => {
  const t = await target({
    layers: [
      {
        files: [
          { path: 'usr/lib/x86_64-linux-gnu/libc.so.6', content: glibc('2.36') },
          { path: 'usr/local/bin/python3.12', content: 'elf' },
        ],
      },
      {
        files: [
          { path: 'usr/bin/python3.11', content: 'elf' },
          { path: 'usr/lib/python3.11/os.py', content: '' },
          { path: 'var/lib/dpkg/status', content: dpkg('python3.11-minimal', '3.11.2-6+deb12u6') },
        ],
      },
      { files: [{ path: 'usr/local/bin/.wh.python3.12', content: '' }] },
    ],
  });
  assert.deepEqual(t.python, { version: '3.11.2', minor: '3.11', executable: '/usr/bin/python3.11' });
  assert.deepEqual(t.libc, { kind: 'glibc', version: '2.36' });
  assert.deepEqual(t.platform, { os: 'linux', architecture: 'amd64' });
  assert.equal(t.tags[0], 'cp311-cp311-manylinux_2_36_x86_64');
});

test('official-style image: ENV PYTHON_VERSION picks /usr/local/bin/python3.12; libc.so.6 -> libc-2.31.so names glibc', async () => {
  const t = await target({
    containerConfig: { Env: ['PATH=/usr/local/bin:/usr/bin', 'PYTHON_VERSION=3.12.7'] },
    layers: [
      {
        files: [
          { path: 'lib/x86_64-linux-gnu/libc.so.6', type: 'symlink', linkname: 'libc-2.31.so' },
          { path: 'lib/x86_64-linux-gnu/libc-2.31.so', content: 'elf' },
          { path: 'usr/bin/python3.9', content: 'elf' },
        ],
      },
      {
        files: [
          { path: 'usr/local/bin/python3.12', content: 'elf' },
          { path: 'usr/local/bin/python3', type: 'symlink', linkname: 'python3.12' },
        ],
      },
    ],
  });
  assert.deepEqual(t.python, { version: '3.12.7', minor: '3.12', executable: '/usr/local/bin/python3.12' });
  assert.deepEqual(t.libc, { kind: 'glibc', version: '2.31' });
  assert.equal(t.tags[0], 'cp312-cp312-manylinux_2_31_x86_64');
});

test('Alpine arm64: musl from ld-musl-aarch64.so.1, versions from the apk database', async () => {
  const t = await target({
    architecture: 'arm64',
    layers: [
      {
        files: [
          { path: 'lib/ld-musl-aarch64.so.1', content: 'elf' },
          { path: 'usr/bin/python3.11', content: 'elf' },
          {
            path: 'lib/apk/db/installed',
            content: 'C:Q1x\nP:musl\nV:1.2.4-r2\nA:aarch64\n\nC:Q1y\nP:python3\nV:3.11.6-r0\nA:aarch64\n',
          },
        ],
      },
    ],
  });
  assert.deepEqual(t.libc, { kind: 'musl', version: '1.2' });
  assert.equal(t.python.version, '3.11.6');
  assert.equal(t.tags[0], 'cp311-cp311-musllinux_1_2_aarch64');
  assert.ok(!t.tags.some((x) => x.includes('manylinux')));
});

test('no interpreter: one-line UserError', async () => {
  await assert.rejects(
    target({ layers: [{ files: [{ path: 'usr/lib/x86_64-linux-gnu/libc.so.6', content: glibc('2.36') }] }] }),
    (e: Error) =>
      e instanceof UserError && /has no Python interpreter \(looked for/.test(e.message) && !e.message.includes('\n'),
  );
});
