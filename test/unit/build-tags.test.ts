import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compatibleTags, platformTags, wheelRank } from '../../src/build/tags.js';
import type { BuildTarget } from '../../src/build/types.js';

const glibcAmd64: Omit<BuildTarget, 'tags'> = {
  platform: { os: 'linux', architecture: 'amd64' },
  python: { version: '3.11.2', minor: '3.11', executable: '/usr/bin/python3.11' },
  libc: { kind: 'glibc', version: '2.36' },
};
const muslArm64: Omit<BuildTarget, 'tags'> = {
  platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
  python: { version: '3.12.7', minor: '3.12', executable: '/usr/local/bin/python3.12' },
  libc: { kind: 'musl', version: '1.2' },
};

/** Runs python3 with packaging, or returns undefined when this host has neither. */
function packaging(code: string): string[] | undefined {
  try {
    return JSON.parse(execFileSync('python3', ['-c', code], { encoding: 'utf8' })) as string[];
  } catch {
    return undefined;
  }
}

test('glibc 2.36 x86_64 platforms: manylinux_2_36 down to 2_5 with the legacy names after 2_17, 2_12, 2_5', () => {
  const p = platformTags(glibcAmd64);
  assert.equal(p[0], 'manylinux_2_36_x86_64');
  assert.equal(p[p.indexOf('manylinux_2_17_x86_64') + 1], 'manylinux2014_x86_64');
  assert.equal(p[p.indexOf('manylinux_2_12_x86_64') + 1], 'manylinux2010_x86_64');
  assert.equal(p[p.indexOf('manylinux_2_5_x86_64') + 1], 'manylinux1_x86_64');
  assert.equal(p.at(-1), 'linux_x86_64');
  assert.equal(p.length, 36);
});

test('glibc aarch64 stops at 2_17 + manylinux2014; musl aarch64 lists musllinux_1_2..1_0', () => {
  const arm = platformTags({ ...glibcAmd64, platform: { os: 'linux', architecture: 'arm64' } });
  assert.deepEqual(arm.slice(-3), ['manylinux_2_17_aarch64', 'manylinux2014_aarch64', 'linux_aarch64']);
  assert.equal(arm.length, 36 - 17 + 1 + 1 + 1);
  assert.deepEqual(platformTags(muslArm64), [
    'musllinux_1_2_aarch64',
    'musllinux_1_1_aarch64',
    'musllinux_1_0_aarch64',
    'linux_aarch64',
  ]);
});

test('cp311 order: cp311-cp311, cp311-abi3, cp311-none, older abi3, py3x-none, then -any', () => {
  const tags = compatibleTags(glibcAmd64);
  const blocks: string[] = [];
  for (const t of tags) {
    const k = t.split('-').slice(0, 2).join('-') + (t.endsWith('-any') ? '-any' : '');
    if (blocks.at(-1) !== k) blocks.push(k);
  }
  assert.deepEqual(blocks.slice(0, 5), ['cp311-cp311', 'cp311-abi3', 'cp311-none', 'cp310-abi3', 'cp39-abi3']);
  assert.equal(blocks[12], 'py311-none');
  assert.equal(blocks[13], 'py3-none');
  assert.deepEqual(blocks.slice(-14, -11), ['cp311-none-any', 'py311-none-any', 'py3-none-any']);
  assert.equal(tags.at(-1), 'py30-none-any');
});

test("matches this host's packaging.tags.sys_tags() when the host is CPython 3.11 on glibc 2.36 x86_64", (t) => {
  const host = packaging(
    'import json,sys,platform; from packaging import tags; ' +
      'ok = sys.implementation.name=="cpython" and sys.version_info[:2]==(3,11) and platform.machine()=="x86_64" and platform.libc_ver()==("glibc","2.36"); ' +
      'print(json.dumps([str(x) for x in tags.sys_tags()] if ok else []))',
  );
  if (!host || host.length === 0) return t.skip('host python3 is not CPython 3.11 with packaging on glibc 2.36 x86_64');
  assert.deepEqual(compatibleTags(glibcAmd64), host);
});

test("musl aarch64 cp312: packaging's cpython_tags + compatible_tags over the same platforms give the same list", (t) => {
  const plats = platformTags(muslArm64);
  const ref = packaging(
    'import json; from packaging.tags import cpython_tags, compatible_tags; ' +
      `p=${JSON.stringify(plats)}; ` +
      "print(json.dumps([str(x) for x in cpython_tags((3,12),['cp312'],p)]+[str(x) for x in compatible_tags((3,12),'cp312',p)]))",
  );
  if (!ref) return t.skip('host python3 has no packaging');
  assert.deepEqual(compatibleTags(muslArm64), ref);
});

test('wheelRank on real file names: the most specific wheel ranks first; foreign ones cannot install', () => {
  const tags = compatibleTags(glibcAmd64);
  const numpy = wheelRank('numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl', tags);
  const legacy = wheelRank('numpy-2.4.6-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', tags);
  const abi3 = wheelRank('cryptography-44.0.0-cp39-abi3-manylinux_2_34_x86_64.whl', tags);
  const pure = wheelRank('fastapi-0.142.2-py3-none-any.whl', tags);
  const py2py3 = wheelRank('colorama-0.4.6-py2.py3-none-any.whl', tags);
  assert.ok(numpy !== null && legacy !== null && abi3 !== null && pure !== null && py2py3 !== null);
  assert.equal(tags[numpy], 'cp311-cp311-manylinux_2_28_x86_64');
  assert.ok(numpy < legacy && legacy < abi3 && abi3 < pure && pure === py2py3);
  assert.equal(wheelRank('numpy-2.4.6-cp311-cp311-manylinux_2_28_aarch64.whl', tags), null);
  assert.equal(wheelRank('numpy-2.4.6-cp312-cp312-manylinux_2_28_x86_64.whl', tags), null);
  assert.equal(wheelRank('numpy-2.4.6-cp311-cp311-musllinux_1_2_x86_64.whl', tags), null);
  assert.equal(wheelRank('pandas-3.0.6-cp311-cp311-manylinux_2_39_x86_64.whl', tags), null, 'needs a newer glibc');
  assert.equal(wheelRank('numpy-2.4.6.tar.gz', tags), null);
  const musl = compatibleTags(muslArm64);
  assert.equal(
    musl[wheelRank('orjson-3.10.0-cp312-cp312-musllinux_1_1_aarch64.whl', musl)!],
    'cp312-cp312-musllinux_1_1_aarch64',
  );
  assert.equal(wheelRank('orjson-3.10.0-cp312-cp312-manylinux_2_17_aarch64.whl', musl), null);
});
