// build's target and resolution against the real world: the target read from the engine's
// python image (compared with what its own interpreter reports when run), from debian (no
// Python: the error), from an OCI layout copy (the same target); poetry and pip-tools locks
// resolved through the world's index, every chosen wheel fetched and its hash checked.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { resolvePackages } from '../../src/build/resolve.js';
import { readTarget } from '../../src/build/target.js';
import type { BuildTarget } from '../../src/build/types.js';
import { UserError } from '../../src/errors.js';
import { detectProject } from '../../src/project/index.js';
import { docker, fixturesDir, loadWorld, sh, tempDir, uniqueTag } from './world.js';

const world = loadWorld();
const host = world.dockerHost;

/** Runs python3 in the image (no network) and returns its stdout. */
async function inImage(image: string, code: string): Promise<string> {
  return (await docker(['run', '--rm', '--network=none', image, 'python3', '-c', code])).stdout.trim();
}

describe('build target', () => {
  const ctx = tempDir('layerwise-b1-');
  after(() => ctx.cleanup());
  let engineTarget: BuildTarget | undefined;

  test('python image from the engine: platform, interpreter, version and glibc as the image itself reports', async () => {
    const t0 = Date.now();
    const { target, image } = await readTarget(world.pythonImage, { host });
    const ms = Date.now() - t0;
    await image.source.close();
    engineTarget = target;
    const arch = (
      await docker(['image', 'inspect', '--format', '{{.Os}}/{{.Architecture}}', world.pythonImage])
    ).stdout.trim();
    assert.equal(`${target.platform.os}/${target.platform.architecture}`, arch);
    const facts = JSON.parse(
      await inImage(
        world.pythonImage,
        'import json,platform,sys,os; print(json.dumps([platform.python_version(), "%d.%d" % sys.version_info[:2], os.path.realpath(sys.executable), platform.libc_ver()]))',
      ),
    ) as [string, string, string, [string, string]];
    assert.equal(target.python.version, facts[0]);
    assert.equal(target.python.minor, facts[1]);
    assert.equal(target.python.executable, facts[2]);
    assert.deepEqual([target.libc.kind, target.libc.version], facts[3]);
    // pip's vendored packaging, run in the image, orders the tags the image accepts.
    const tags = JSON.parse(
      await inImage(
        world.pythonImage,
        'import json; from pip._vendor.packaging import tags; print(json.dumps([str(t) for t in tags.sys_tags()]))',
      ),
    ) as string[];
    // Debian's pip vendors an older packaging that does not list cpXY-none-any yet (newer
    // packaging, and the host's, do): that one tag aside, the lists are equal, order included.
    const extra = target.tags.filter((t) => !tags.includes(t));
    assert.ok(extra.length === 0 || (extra.length === 1 && extra[0] === 'cp311-none-any'), extra.join(' '));
    assert.deepEqual(
      target.tags.filter((t) => tags.includes(t)),
      tags,
    );
    console.log(
      `readTarget(${world.pythonImage}) ${ms} ms: ${JSON.stringify({ ...target, tags: target.tags.length })}`,
    );
  });

  test('debian without Python: one-line UserError naming where it looked', async () => {
    await assert.rejects(
      readTarget(world.debianImage, { host }),
      (e: Error) =>
        e instanceof UserError &&
        e.message.startsWith(`${world.debianImage} has no Python interpreter (looked for /usr/local/bin/python3.X`) &&
        e.message.endsWith('use --base with a python image') &&
        !e.message.includes('\n'),
    );
  });

  test('an OCI layout copy of the python image gives the same target', async () => {
    const layout = join(ctx.path, 'layout');
    const args = ['copy', '--quiet'];
    if (host) args.push(`--src-daemon-host=${host}`);
    await sh(world.skopeo, [...args, `docker-daemon:${world.pythonImage}`, `oci:${layout}:base`]);
    const { target, image } = await readTarget(`oci:${layout}:base`);
    await image.source.close();
    assert.ok(engineTarget, 'the engine test ran first');
    assert.deepEqual(target, engineTarget);
    assert.equal(image.kind, 'oci');
  });

  test('the python image pushed to the registry (gzip layers, read top-down) gives the same target', async () => {
    const ref = `${world.registry}/${uniqueTag('b1-python').replace(':', ':t-')}`;
    const args = ['copy', '--quiet', '--dest-tls-verify=false'];
    if (host) args.push(`--src-daemon-host=${host}`);
    await sh(world.skopeo, [...args, `docker-daemon:${world.pythonImage}`, `docker://${ref}`]);
    const t0 = Date.now();
    const { target, image } = await readTarget(`docker://${ref}`);
    const ms = Date.now() - t0;
    await image.source.close();
    assert.equal(image.kind, 'registry');
    assert.deepEqual(target, engineTarget);
    console.log(
      `readTarget(registry) ${ms} ms over ${image.layers.length} layers of ${image.layers.map((l) => l.size).join('+')} bytes`,
    );
  });
});

async function sha256Of(url: string): Promise<{ sha: string; size: number }> {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  const buf = Buffer.from(await res.arrayBuffer());
  return { sha: createHash('sha256').update(buf).digest('hex'), size: buf.length };
}

describe('resolution through the world index', () => {
  const target = (): BuildTarget => {
    const t: Omit<BuildTarget, 'tags'> = {
      platform: { os: 'linux', architecture: 'amd64' },
      python: { version: '3.11.2', minor: '3.11', executable: '/usr/bin/python3.11' },
      libc: { kind: 'glibc', version: '2.36' },
    };
    return { ...t, tags: [] };
  };
  const withTags = async (): Promise<BuildTarget> => {
    const { compatibleTags } = await import('../../src/build/tags.js');
    const t = target();
    return { ...t, tags: compatibleTags(t) };
  };

  test('django-poetry poetry.lock: main group, URLs found by hash on the index, every wheel matches its hash', async () => {
    const pkgs = await resolvePackages(detectProject(join(fixturesDir, 'django-poetry')), await withTags());
    assert.deepEqual(
      pkgs.map((p) => p.name),
      ['asgiref', 'django', 'gunicorn', 'sqlparse'],
    );
    for (const n of ['pytest', 'pluggy', 'iniconfig', 'colorama', 'tzdata'])
      assert.ok(!pkgs.some((p) => p.name === n), `${n}: dev group or a win32 marker`);
    for (const p of pkgs) {
      assert.ok(p.wheel?.url?.startsWith(`http://${world.indexHost}/`), `${p.name}: ${p.wheel?.url}`);
      const got = await sha256Of(p.wheel!.url!);
      assert.equal(got.sha, p.wheel!.sha256, `${p.name}: the file at the URL is the one the lock pins`);
    }
  });

  test('flask-piptools requirements.txt with --hash: file names and URLs from the index, hashes verified', async () => {
    const pkgs = await resolvePackages(detectProject(join(fixturesDir, 'flask-piptools')), await withTags());
    for (const n of ['flask', 'werkzeug', 'jinja2', 'markupsafe', 'gunicorn', 'blinker', 'click', 'itsdangerous'])
      assert.ok(
        pkgs.some((p) => p.name === n),
        n,
      );
    const markupsafe = pkgs.find((p) => p.name === 'markupsafe')!;
    assert.match(markupsafe.wheel!.filename, /^markupsafe-3\.0\.3-cp311-cp311-manylinux.*x86_64.*\.whl$/i);
    for (const p of pkgs) {
      const got = await sha256Of(p.wheel!.url!);
      assert.equal(got.sha, p.wheel!.sha256, p.name);
    }
  });
});
