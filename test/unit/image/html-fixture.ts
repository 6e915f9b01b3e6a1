/**
 * Images for the HTML report tests (unit and headless browser): a Python-ish image with wasted
 * bytes, caches, a secret, a many-file layer (to exercise the tree cap) and hostile file names;
 * and an OLD/NEW pair for diff.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { buildImage, type FileSpec, type LayerSpec, writeOciLayout } from './builder.js';

export const HOSTILE = '<img src=x onerror=alert(1)>';
export const HOSTILE2 = '"><svg onload=alert(2)>';

/** Deterministic incompressible bytes. */
export function noise(n: number, seed: string): Buffer {
  const out: Buffer[] = [];
  let len = 0;
  for (let i = 0; len < n; i++) {
    const b = createHash('sha256').update(`${seed}:${i}`).digest();
    out.push(b);
    len += b.length;
  }
  return Buffer.concat(out).subarray(0, n);
}

const SP = 'usr/local/lib/python3.11/site-packages';

export function inspectLayers(manyFiles = 2600): LayerSpec[] {
  const many: FileSpec[] = [];
  for (let i = 0; i < manyFiles; i++)
    many.push({
      path: `usr/share/doc/pkg${i % 40}/file-${String(i).padStart(4, '0')}.txt`,
      content: `${i}`.repeat(1 + (i % 50)),
    });
  return [
    {
      createdBy: '/bin/sh -c #(nop) ADD file:4f2a9c0e in / ',
      files: [
        { path: 'usr/bin/python3.11', content: noise(260_000, 'py') },
        { path: 'usr/lib/x86_64-linux-gnu/libssl.so.3', content: noise(120_000, 'ssl') },
        { path: 'etc/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
        ...many,
      ],
    },
    {
      createdBy: '/bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl',
      files: [
        { path: 'usr/bin/curl', content: noise(40_000, 'curl') },
        {
          path: 'var/lib/apt/lists/mirror.example_debian_dists_bookworm_main_binary-amd64_Packages',
          content: noise(90_000, 'lists'),
        },
        { path: 'tmp/build.tar', content: noise(70_000, 'tmp') },
      ],
    },
    {
      createdBy: 'RUN /bin/sh -c pip install -r requirements.txt # buildkit',
      files: [
        { path: `${SP}/requests/__init__.py`, content: noise(30_000, 'req') },
        { path: `${SP}/requests/__pycache__/__init__.cpython-311.pyc`, content: noise(12_000, 'reqpyc') },
        {
          path: `${SP}/requests-2.32.3.dist-info/RECORD`,
          content: 'requests/__init__.py,,\nrequests-2.32.3.dist-info/RECORD,,\n',
        },
        { path: `${SP}/numpy/core/_multiarray_umath.so`, content: noise(180_000, 'np') },
        { path: `${SP}/numpy/tests/test_core.py`, content: noise(8_000, 'nptest') },
        {
          path: `${SP}/numpy-2.1.0.dist-info/RECORD`,
          content: 'numpy/core/_multiarray_umath.so,,\nnumpy/tests/test_core.py,,\n',
        },
        { path: 'root/.cache/pip/http-v2/a/b/c/0123abcd', content: noise(25_000, 'pipcache') },
      ],
    },
    { createdBy: 'RUN /bin/sh -c rm /tmp/build.tar # buildkit', files: [{ path: 'tmp/.wh.build.tar' }] },
    {
      createdBy: 'COPY . /app # buildkit',
      files: [
        { path: 'app/main.py', content: 'from fastapi import FastAPI\napp = FastAPI()\n' },
        { path: `app/${HOSTILE}`, content: 'hostile' },
        { path: `app/${HOSTILE2}.py`, content: 'hostile' },
        { path: 'app/<script>alert(3)</script>', content: 'hostile' },
        { path: 'app/.env', content: 'DATABASE_URL=postgres://app:hunter2hunter2@db/app\n' },
      ],
    },
  ];
}

/** Writes the inspect image as an OCI layout; returns its reference. */
export function writeInspectImage(dir: string, manyFiles?: number): string {
  const path = join(dir, 'inspect-image');
  writeOciLayout(path, buildImage({ layers: inspectLayers(manyFiles) }), 'app');
  return `oci:${path}`;
}

/** OLD and NEW: same base, an apt layer whose lists changed, a dependency layer with new mtimes, new code. */
export function writeDiffPair(dir: string): { old: string; new: string } {
  const base: LayerSpec = {
    createdBy: '/bin/sh -c #(nop) ADD file:4f2a9c0e in / ',
    files: [{ path: 'usr/bin/python3.11', content: noise(260_000, 'py') }],
  };
  const apt = (lists: string): LayerSpec => ({
    createdBy: '/bin/sh -c apt-get update && apt-get install -y curl',
    files: [
      { path: 'usr/bin/curl', content: noise(40_000, 'curl') },
      { path: 'var/lib/apt/lists/main_Packages', content: lists },
    ],
  });
  const deps = (mtime: number): LayerSpec => ({
    createdBy: 'RUN /bin/sh -c pip install -r requirements.txt # buildkit',
    files: [{ path: `${SP}/pandas/_libs/lib.so`, content: noise(150_000, 'pd'), mtime }],
  });
  const app = (v: string): LayerSpec => ({
    createdBy: 'COPY . /app # buildkit',
    files: [
      { path: 'app/main.py', content: `VERSION = ${JSON.stringify(v)}\n` },
      { path: `app/${HOSTILE}`, content: v },
    ],
  });
  const o = join(dir, 'diff-old');
  const n = join(dir, 'diff-new');
  writeOciLayout(o, buildImage({ layers: [base, apt('lists 1'), deps(1_700_000_000), app('1')] }), 'old');
  writeOciLayout(n, buildImage({ layers: [base, apt('lists 2'), deps(1_700_000_500), app('2')] }), 'new');
  return { old: `oci:${o}`, new: `oci:${n}` };
}
