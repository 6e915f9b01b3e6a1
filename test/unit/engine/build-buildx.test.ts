// The buildx path of the build driver, which the test world's engine (docker 20.10, no buildx)
// cannot take: a stand-in docker CLI (a shell script) answers `buildx version` and `buildx build`
// the way buildx does (rawjson SolveStatus lines on stderr, the image ID in --iidfile) and records
// the arguments and DOCKER_HOST it was given.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BuildError, buildImage } from '../../../src/engine/build.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-buildx-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const ctx = join(tmp, 'ctx');
mkdirSync(ctx);
writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\nCOPY a /a\n');

const b64 = (s: string) => Buffer.from(s).toString('base64');
const RAW = [
  { vertexes: [{ digest: 'sha256:v1', name: '[internal] load build definition from Dockerfile' }] },
  {
    vertexes: [
      {
        digest: 'sha256:v2',
        name: '[1/1] COPY a /a',
        started: '2025-01-01T00:00:00Z',
        completed: '2025-01-01T00:00:02.5Z',
      },
    ],
  },
  { logs: [{ vertex: 'sha256:v2', stream: 2, data: b64('copying\n') }] },
].map((x) => JSON.stringify(x));

/** A docker CLI stand-in: buildx `version`, and `buildx build` that succeeds or fails. */
function fakeDocker(name: string, version: string, fail: boolean): { bin: string; argsFile: string } {
  const argsFile = join(tmp, `${name}.args`);
  const bin = join(tmp, name);
  const lines = RAW.map((l) => `printf '%s\\n' '${l}' >&2`).join('\n');
  writeFileSync(
    bin,
    `#!/bin/sh
if [ "$1 $2" = "buildx version" ]; then echo "github.com/docker/buildx ${version} 0123abc"; exit 0; fi
printf '%s\\n' "DOCKER_HOST=$DOCKER_HOST" "$@" > '${argsFile}'
${lines}
${
  fail
    ? `printf '%s\\n' '{"vertexes":[{"digest":"sha256:v3","name":"[2/2] RUN false","error":"process \\"/bin/sh -c false\\" did not complete successfully: exit code: 1"}]}' >&2
echo 'ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1' >&2
exit 1`
    : `while [ $# -gt 0 ]; do if [ "$1" = "--iidfile" ]; then echo "sha256:${'a'.repeat(64)}" > "$2"; fi; shift; done
exit 0`
}
`,
  );
  chmodSync(bin, 0o755);
  return { bin, argsFile };
}

describe('buildImage through buildx (a stand-in CLI)', () => {
  it('rawjson progress, --builder, --load, the args as given, DOCKER_HOST passed on', async () => {
    const { bin, argsFile } = fakeDocker('docker-bx', 'v0.14.1', false);
    const out = await buildImage({
      context: ctx,
      docker: bin,
      builder: 'remote-kit',
      host: 'tcp://10.0.0.9:2375',
      tag: 'app:1',
      target: 'runtime',
      buildArgs: { PIP_INDEX_URL: 'http://127.0.0.1:3141/simple/' },
      network: 'host',
      noCache: true,
    });
    assert.equal(out.client, 'buildx');
    assert.equal(out.builder, 'remote-kit');
    assert.equal(out.imageId, `sha256:${'a'.repeat(64)}`);
    assert.deepEqual(
      out.steps.map((s) => [s.name, s.cached, s.seconds, s.internal]),
      [
        ['[internal] load build definition from Dockerfile', false, null, true],
        ['[1/1] COPY a /a', false, 2.5, false],
      ],
    );
    const argv = readFileSync(argsFile, 'utf8').trim().split('\n');
    assert.equal(argv[0], 'DOCKER_HOST=tcp://10.0.0.9:2375');
    const rest = argv.slice(1);
    assert.deepEqual(rest.slice(0, 4), ['buildx', 'build', '--progress', 'rawjson']);
    const after = (flag: string) => rest[rest.indexOf(flag) + 1];
    assert.equal(after('--builder'), 'remote-kit');
    assert.ok(rest.includes('--load'));
    assert.equal(after('-f'), join(ctx, 'Dockerfile'));
    assert.equal(after('-t'), 'app:1');
    assert.equal(after('--target'), 'runtime');
    assert.equal(after('--network'), 'host');
    assert.ok(rest.includes('--no-cache'));
    assert.equal(after('--build-arg'), 'PIP_INDEX_URL=http://127.0.0.1:3141/simple/');
    assert.equal(rest.at(-1), ctx);
  });

  it('a buildx older than rawjson: plain progress', async () => {
    const { bin, argsFile } = fakeDocker('docker-old-bx', 'v0.10.4', false);
    const out = await buildImage({ context: ctx, docker: bin });
    assert.equal(out.client, 'buildx');
    const rest = readFileSync(argsFile, 'utf8').trim().split('\n').slice(1);
    assert.deepEqual(rest.slice(0, 4), ['buildx', 'build', '--progress', 'plain']);
  });

  it('a failed buildx build: BuildError naming the step, the log tail decoded', async () => {
    const { bin } = fakeDocker('docker-bx-fail', 'v0.14.1', true);
    await assert.rejects(buildImage({ context: ctx, docker: bin }), (e: unknown) => {
      assert.ok(e instanceof BuildError);
      assert.match(e.message, /failed: \[2\/2\] RUN false: process .* exit code: 1/);
      assert.ok(e.logTail.includes('[1/1] COPY a /a: copying'), e.logTail.join('\n'));
      assert.ok(e.logTail.some((l) => l.startsWith('ERROR: failed to solve')));
      return true;
    });
  });
});
