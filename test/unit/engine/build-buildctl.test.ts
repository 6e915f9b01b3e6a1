// The plain-BuildKit path of the build driver (`client: 'buildctl'`, bench's --buildkit ADDR),
// which no machine here can take for real: neither Debian bookworm nor the npm registry has
// buildkitd or buildctl. A stand-in buildctl (a shell script) records its arguments, replays a
// recorded build's progress as rawjson SolveStatus lines on stderr (converted from
// test/fixtures/progress/plain-code-change.txt, which holds each vertex's digest, name, cached flag
// and duration) and writes an "image tar" on stdout; a stand-in docker CLI takes it with `docker
// load` and answers `image inspect`, as the engine would.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BuildError, buildImage } from '../../../src/engine/build.js';
import { buildkitVersion } from '../../../src/engine/buildctl.js';
import { PlainProgressParser } from '../../../src/engine/progress.js';
import { UserError } from '../../../src/errors.js';

const here = dirname(fileURLToPath(import.meta.url));
const RECORDING = join(here, '../../../../test/fixtures/progress/plain-code-change.txt');
const IMAGE_ID = `sha256:${'b'.repeat(64)}`;
const CONFIG = `sha256:${'c'.repeat(64)}`;
const MANIFEST = `sha256:${'d'.repeat(64)}`;

const tmp = mkdtempSync(join(tmpdir(), 'lw-buildctl-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const ctx = join(tmp, 'ctx');
mkdirSync(ctx);
writeFileSync(join(ctx, 'Dockerfile'), 'FROM debian:bookworm-slim AS base\nRUN echo one > /one\n');

/** A plain progress recording as the rawjson SolveStatus lines BuildKit would have written for it. */
export function plainToRawJson(text: string): string[] {
  const blocks = new Map<string, { digest?: string; name: string; cached: boolean; secs?: number; logs: string[] }>();
  for (const line of text.split('\n')) {
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) continue;
    const [, id, rest] = m;
    const b = blocks.get(id);
    if (!b) blocks.set(id, { name: rest, cached: false, logs: [] });
    else if (/^sha256:[0-9a-f]{64}$/.test(rest)) b.digest = rest;
    else if (rest === 'CACHED') b.cached = true;
    else if (/^DONE \d/.test(rest)) b.secs = Number(/DONE ([\d.]+)s/.exec(rest)![1]);
    else b.logs.push(rest.replace(/^\d+\.\d+ /, ''));
  }
  let clock = Date.UTC(2026, 0, 1);
  const out: string[] = [];
  for (const b of blocks.values()) {
    const started = new Date(clock).toISOString();
    out.push(JSON.stringify({ vertexes: [{ digest: b.digest, name: b.name, started }] }));
    if (b.logs.length)
      out.push(
        JSON.stringify({
          logs: [{ vertex: b.digest, stream: 1, data: Buffer.from(`${b.logs.join('\n')}\n`).toString('base64') }],
        }),
      );
    clock += (b.secs ?? 0) * 1000;
    const done = b.cached
      ? { digest: b.digest, name: b.name, started, completed: started, cached: true }
      : { digest: b.digest, name: b.name, started, completed: new Date(clock).toISOString() };
    out.push(JSON.stringify({ vertexes: [done] }));
  }
  return out;
}

const progress = join(tmp, 'progress.jsonl');
writeFileSync(progress, `${plainToRawJson(readFileSync(RECORDING, 'utf8')).join('\n')}\n`);

/** The stand-in buildctl: args to a file, progress on stderr, metadata to --metadata-file, the tar on stdout. */
function fakeBuildctl(name: string, opts: { fail?: boolean } = {}): { bin: string; argsFile: string } {
  const bin = join(tmp, name);
  const argsFile = join(tmp, `${name}.args`);
  writeFileSync(
    bin,
    `#!/bin/sh
if [ "$3 $4" = "debug info" ] || [ "$1 $2" = "debug info" ]; then
  if [ "$2" = "tcp://nowhere:1234" ]; then echo "error: failed to call info: connection refused" >&2; exit 1; fi
  echo "BuildKit: github.com/moby/buildkit v0.18.2 40b2ad5"; exit 0
fi
printf '%s\\n' "$@" > '${argsFile}'
cat '${progress}' >&2
${
  opts.fail
    ? `printf '%s\\n' '{"vertexes":[{"digest":"sha256:f1","name":"[stage-1 2/3] RUN sleep 1","error":"process \\"/bin/sh -c sleep 1\\" did not complete successfully: exit code: 1"}]}' >&2
echo 'error: failed to solve: process "/bin/sh -c sleep 1" did not complete successfully: exit code: 1' >&2
exit 1`
    : `while [ $# -gt 0 ]; do
  if [ "$1" = "--metadata-file" ]; then printf '{"containerimage.config.digest":"${CONFIG}","containerimage.digest":"${MANIFEST}"}' > "$2"; fi
  shift
done
printf 'FAKE-IMAGE-TAR'
exit 0`
}
`,
  );
  chmodSync(bin, 0o755);
  return { bin, argsFile };
}

/** The stand-in docker CLI: `load` keeps stdin and names the image; `image inspect` knows only what was loaded. */
function fakeDocker(name: string): { bin: string; log: string; loaded: string } {
  const bin = join(tmp, name);
  const log = join(tmp, `${name}.log`);
  const loaded = join(tmp, `${name}.tar`);
  writeFileSync(
    bin,
    `#!/bin/sh
echo "DOCKER_HOST=$DOCKER_HOST $*" >> '${log}'
if [ "$1" = "load" ]; then
  cat > '${loaded}'
  if [ "$(cat '${loaded}')" != "FAKE-IMAGE-TAR" ]; then echo "open /var/lib/docker/tmp: invalid tar header" >&2; exit 1; fi
  if [ -n "$LOADED_AS" ]; then echo "Loaded image: $LOADED_AS"; else echo "Loaded image ID: ${IMAGE_ID}"; fi
  exit 0
fi
if [ "$1 $2" = "image inspect" ]; then
  case "$5" in
    app:7|${IMAGE_ID}) echo "${IMAGE_ID}"; exit 0;;
    *) echo "Error: No such image: $5" >&2; exit 1;;
  esac
fi
echo "unexpected: $*" >&2; exit 3
`,
  );
  chmodSync(bin, 0o755);
  return { bin, log, loaded };
}

const argv = (f: string) => readFileSync(f, 'utf8').trim().split('\n');
const after1 = (args: string[], flag: string, value: string) =>
  args.some((a, i) => a === flag && args[i + 1] === value);

describe('buildImage through buildctl (stand-ins)', () => {
  it('builds with the Dockerfile frontend at the address, loads the tar into the engine, reads the recorded steps', async () => {
    const kit = fakeBuildctl('buildctl-ok');
    const docker = fakeDocker('docker-ok');
    process.env.LOADED_AS = 'app:7';
    const seen: string[] = [];
    try {
      const out = await buildImage({
        context: ctx,
        client: 'buildctl',
        buildkit: 'tcp://buildkitd:1234',
        buildctl: kit.bin,
        docker: docker.bin,
        host: 'unix:///run/other.sock',
        tag: 'app:7',
        target: 'base',
        buildArgs: { PIP_INDEX_URL: 'http://127.0.0.1:3141/simple/' },
        network: 'host',
        noCache: true,
        platform: 'linux/amd64',
        onLine: (l) => seen.push(l),
      });
      assert.equal(out.client, 'buildctl');
      assert.equal(out.builder, 'tcp://buildkitd:1234');
      assert.equal(out.imageId, IMAGE_ID);
      assert.equal(out.tag, 'app:7');
      // The same steps as the plain recording gives, read from its rawjson replay.
      const plain = new PlainProgressParser();
      for (const l of readFileSync(RECORDING, 'utf8').split('\n')) plain.push(l);
      assert.deepEqual(
        out.steps.map((s) => [s.name, s.cached, s.seconds, s.internal]),
        plain.steps().map((s) => [s.name, s.cached, s.seconds, s.internal]),
      );
      assert.deepEqual(
        out.steps.filter((s) => !s.internal).map((s) => [s.name, s.cached]),
        [
          ['[base 1/2] FROM docker.io/library/debian:bookworm-slim', false],
          ['[base 2/2] RUN echo one > /one', true],
          ['[stage-1 1/3] COPY hello.txt /hello.txt', false],
          ['[stage-1 2/3] RUN sleep 1 && echo built-$(cat /hello.txt)', false],
          ['[stage-1 3/3] RUN echo done', false],
        ],
      );
      assert.equal(out.steps.find((s) => s.name.includes('sleep 1'))?.seconds, 1.2);
      assert.ok(
        seen.some((l) => l.startsWith('{"vertexes"')),
        'progress lines reach onLine',
      );
      assert.ok(seen.includes('Loaded image: app:7'));

      const args = argv(kit.argsFile);
      assert.deepEqual(args.slice(0, 7), [
        '--addr',
        'tcp://buildkitd:1234',
        'build',
        '--frontend',
        'dockerfile.v0',
        '--progress',
        'rawjson',
      ]);
      assert.ok(after1(args, '--local', `context=${ctx}`));
      assert.ok(after1(args, '--local', `dockerfile=${ctx}`));
      assert.ok(after1(args, '--opt', 'filename=Dockerfile'));
      assert.ok(after1(args, '--opt', 'target=base'));
      assert.ok(after1(args, '--opt', 'platform=linux/amd64'));
      assert.ok(after1(args, '--opt', 'build-arg:PIP_INDEX_URL=http://127.0.0.1:3141/simple/'));
      assert.ok(after1(args, '--opt', 'force-network-mode=host'));
      assert.ok(after1(args, '--allow', 'network.host'));
      assert.ok(args.includes('--no-cache'));
      assert.ok(after1(args, '--output', 'type=docker,name=app:7'));

      // The engine got exactly the bytes buildctl wrote, on the engine the request named.
      assert.equal(readFileSync(docker.loaded, 'utf8'), 'FAKE-IMAGE-TAR');
      assert.deepEqual(readFileSync(docker.log, 'utf8').trim().split('\n'), [
        'DOCKER_HOST=unix:///run/other.sock load',
        'DOCKER_HOST=unix:///run/other.sock image inspect --format {{.Id}} app:7',
      ]);
    } finally {
      delete process.env.LOADED_AS;
    }
  });

  it('a cache key: the keyed copy of the Dockerfile is the dockerfile local, the key a build arg; BUILDCTL picks the binary', async () => {
    const kit = fakeBuildctl('buildctl-env');
    const docker = fakeDocker('docker-key');
    const before = process.env.BUILDCTL;
    process.env.BUILDCTL = kit.bin;
    try {
      const out = await buildImage({ context: ctx, client: 'buildctl', docker: docker.bin, cacheKey: 'run42' });
      // No tag: docker load names the image by ID.
      assert.equal(out.imageId, IMAGE_ID);
      assert.equal(out.builder, process.env.BUILDKIT_HOST ?? 'default');
      const args = argv(kit.argsFile);
      assert.ok(!args.includes('--addr'), 'buildctl’s own default address');
      const local = args.find((a) => a.startsWith('dockerfile='))!.slice('dockerfile='.length);
      assert.notEqual(local, ctx);
      assert.ok(!existsSync(local), 'the keyed copy is removed afterwards');
      assert.ok(after1(args, '--opt', 'build-arg:LAYERWISE_CACHE_KEY=run42'));
      assert.ok(after1(args, '--output', 'type=docker'));
      assert.ok(!args.includes('--allow'));
    } finally {
      if (before === undefined) delete process.env.BUILDCTL;
      else process.env.BUILDCTL = before;
    }
  });

  it('push: type=image with push=true, the pushed digest, no docker load', async () => {
    const kit = fakeBuildctl('buildctl-push');
    const docker = fakeDocker('docker-push');
    const out = await buildImage({
      context: ctx,
      client: 'buildctl',
      buildctl: kit.bin,
      docker: docker.bin,
      tag: '127.0.0.1:5000/app:1',
      push: true,
    });
    assert.equal(out.imageId, MANIFEST);
    assert.ok(after1(argv(kit.argsFile), '--output', 'type=image,name=127.0.0.1:5000/app:1,push=true'));
    assert.ok(!existsSync(docker.log), 'the engine is not asked');
    await assert.rejects(
      buildImage({ context: ctx, client: 'buildctl', buildctl: kit.bin, push: true }),
      /needs an image name/,
    );
  });

  it('a failed build: BuildError naming the step, with the log tail', async () => {
    const kit = fakeBuildctl('buildctl-fail', { fail: true });
    const docker = fakeDocker('docker-fail');
    await assert.rejects(
      buildImage({ context: ctx, client: 'buildctl', buildctl: kit.bin, docker: docker.bin }),
      (e: unknown) => {
        assert.ok(e instanceof BuildError);
        assert.match(e.message, /failed: \[stage-1 2\/3\] RUN sleep 1: process .* exit code: 1/);
        assert.ok(e.logTail.some((l) => l.startsWith('error: failed to solve')));
        return true;
      },
    );
  });

  it('a tar the engine cannot load fails the build', async () => {
    const kit = join(tmp, 'buildctl-garbage');
    writeFileSync(kit, `#!/bin/sh\ncat '${progress}' >&2\nprintf 'not a tar'\n`);
    chmodSync(kit, 0o755);
    const docker = fakeDocker('docker-garbage');
    await assert.rejects(
      buildImage({ context: ctx, client: 'buildctl', buildctl: kit, docker: docker.bin }),
      (e: unknown) => e instanceof BuildError && /invalid tar header/.test(e.message),
    );
  });

  it('bad input: no buildctl, --builder with --buildkit', async () => {
    await assert.rejects(
      buildImage({ context: ctx, client: 'buildctl', buildctl: join(tmp, 'no-such-buildctl') }),
      (e: unknown) => e instanceof UserError && /buildctl not found .*set BUILDCTL/.test(e.message),
    );
    await assert.rejects(
      buildImage({ context: ctx, client: 'buildctl', builder: 'kube', buildctl: join(tmp, 'x') }),
      /give one of them/,
    );
  });

  it('buildkitVersion: the daemon’s version, or a UserError naming the address', async () => {
    const kit = fakeBuildctl('buildctl-info');
    assert.equal(await buildkitVersion({ buildctl: kit.bin, buildkit: 'tcp://kit:1234' }), 'v0.18.2');
    await assert.rejects(
      buildkitVersion({ buildctl: kit.bin, buildkit: 'tcp://nowhere:1234' }),
      (e: unknown) => e instanceof UserError && /tcp:\/\/nowhere:1234.*connection refused/.test(e.message),
    );
  });
});
