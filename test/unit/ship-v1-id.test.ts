// Telling which layer a classic `docker save` entry holds from its directory's json (v1-id.ts),
// on what Docker 20.10 really wrote for python:3.11-slim.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainIds } from '../../src/image/digest.js';
import { layerOfV1Entry, rawMembers } from '../../src/ship/v1-id.js';

// The two layer directories' json of python:3.11-slim as Docker 20.10 saves it, and the image's diff_ids.
const SAVED = {
  diffIds: [
    'sha256:91f071d47a159163940373ac59dca70fd7e7717e2155a348c446d22702f4d57f',
    'sha256:09a79f7f68178dce53b49d6709764cf602eae435f442312b64e32441e1307995',
  ],
  dirs: [
    [
      '5f534e879348fd8c30167cebca20c05884a47d6543298d38ac79aa562eab367a',
      '{"id":"5f534e879348fd8c30167cebca20c05884a47d6543298d38ac79aa562eab367a","created":"1970-01-01T00:00:00Z","container_config":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":null,"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null},"os":"linux"}',
    ],
    [
      '5f6a2a33011c12103c0c8d17976e34306da591c8470ac4d2bb0a18f3cfa2e167',
      '{"id":"5f6a2a33011c12103c0c8d17976e34306da591c8470ac4d2bb0a18f3cfa2e167","parent":"5f534e879348fd8c30167cebca20c05884a47d6543298d38ac79aa562eab367a","created":"2026-12-01T05:46:58.74423819Z","container_config":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":null,"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null},"config":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8"],"Cmd":["python3"],"ArgsEscaped":true,"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null},"architecture":"amd64","os":"linux"}',
    ],
  ] as const,
};

describe('v1 IDs of a classic docker save', () => {
  it('tell which layer each <v1 id>/layer.tar holds, from its json', () => {
    const chains = chainIds(SAVED.diffIds);
    SAVED.dirs.forEach(([id, json], i) => {
      assert.equal(layerOfV1Entry(`${id}/layer.tar`, Buffer.from(json), chains), i);
      assert.equal(layerOfV1Entry(`${id}/layer.tar`, Buffer.from(json), chains.slice().reverse()), 1 - i);
    });
  });

  it('give no answer for a changed json, another chain or another name', () => {
    const [id, json] = SAVED.dirs[1];
    const chains = chainIds(SAVED.diffIds);
    assert.equal(layerOfV1Entry(`${id}/layer.tar`, Buffer.from(json.replace('python3', 'python4')), chains), null);
    assert.equal(layerOfV1Entry(`${id}/layer.tar`, Buffer.from(json), [chains[0]]), null);
    assert.equal(layerOfV1Entry(`${id}/json`, Buffer.from(json), chains), null);
    assert.equal(layerOfV1Entry(`${id}/layer.tar`, undefined, chains), null);
    assert.equal(layerOfV1Entry(`${id}/layer.tar`, Buffer.from('{"id": '), chains), null);
  });

  it('read members as written', () => {
    const m = rawMembers('{"a":{"b":[1,"}",{"c":null}]},"d":"x\\"y","e":-1.5e3,"f":true}');
    assert.deepEqual(
      [...m!.entries()],
      [
        ['a', '{"b":[1,"}",{"c":null}]}'],
        ['d', '"x\\"y"'],
        ['e', '-1.5e3'],
        ['f', 'true'],
      ],
    );
    assert.equal(rawMembers('[1]'), null);
  });
});
