// init's image holds every file of the project's own wheel, for a setuptools_scm project whose
// package data only git's file list names (scm-mailer: Jinja templates, an icon, strings); and
// every compose.yaml init writes (with and without --split-base) builds each service's target,
// whose code sits where `develop.watch` syncs it. One git checkout, made here, serves all of it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { runInit } from '../../src/cli/init.js';
import {
  build,
  docker,
  fixturesDir,
  indexBuildArgs,
  loadWorld,
  removeImages,
  sh,
  tempDir,
  uniqueTag,
} from './world.js';

const world = loadWorld();
const images: string[] = [];
const temps: (() => void)[] = [];
after(async () => {
  await removeImages(...images);
  for (const t of temps) t();
});
const quiet = { out: () => {}, err: () => {} };
const VERSION = '1.4.0';

/** A git checkout of the fixture (tagged v1.4.0), as a developer or CI has it. */
async function checkout(name: string): Promise<string> {
  const t = tempDir(`layerwise-scm-${name}-`);
  temps.push(t.cleanup);
  const dir = join(t.path, name);
  cpSync(join(fixturesDir, name), dir, { recursive: true });
  const git = (...args: string[]) =>
    sh('git', ['-c', 'user.name=layerwise test', '-c', 'user.email=test@example.invalid', ...args], { cwd: dir });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'notify-mailer');
  await git('tag', `v${VERSION}`);
  return dir;
}

async function buildTarget(dir: string, target: string, extra: Record<string, string> = {}, dockerfile?: string) {
  const tag = uniqueTag(`scm-${target}`);
  images.push(tag);
  await build({
    context: dir,
    dockerfile,
    tag,
    target,
    network: 'host',
    buildArgs: { ...indexBuildArgs(), APP_VERSION: VERSION, ...extra },
  });
  return tag;
}

/** Runs a shell script in the image as root, without network. */
async function inImage(tag: string, script: string): Promise<string> {
  const r = await docker(['run', '--rm', '--network', 'none', '--user', '0', '--entrypoint', 'sh', tag, '-c', script]);
  return r.stdout;
}

function filesUnder(root: string, rel: string): string[] {
  const abs = join(root, rel);
  if (statSync(abs).isFile()) return [rel];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !d.parentPath.includes('__pycache__'))
    .map((d) => relative(root, join(d.parentPath, d.name)));
}

interface Watch {
  action: string;
  path: string;
  target?: string;
}
interface Service {
  build: { context: string; dockerfile?: string; target?: string };
  image?: string;
  develop?: { watch: Watch[] };
}

/**
 * Builds every service of the compose.yaml in `dir` (a base service first: the app's FROM names
 * its image), then checks each sync entry: every file under its path is at its target in the
 * image with the same content, and a package synced there is the one Python imports.
 */
async function composeServicesBuildAndSyncWhereTheCodeIs(dir: string): Promise<void> {
  const doc = parseYaml(readFileSync(join(dir, 'compose.yaml'), 'utf8')) as { services: Record<string, Service> };
  const order = Object.entries(doc.services).sort(([, a], [, b]) => Number(!a.image) - Number(!b.image));
  for (const [name, svc] of order) {
    const file = join(dir, svc.build.context, svc.build.dockerfile ?? 'Dockerfile');
    let tag: string;
    if (svc.image) {
      images.push(svc.image);
      await build({
        context: join(dir, svc.build.context),
        dockerfile: file,
        tag: svc.image,
        target: svc.build.target,
        network: 'host',
        buildArgs: indexBuildArgs(),
      });
      tag = svc.image;
    } else tag = await buildTarget(join(dir, svc.build.context), svc.build.target ?? '', {}, file);
    assert.equal(await inImage(tag, 'find / -xdev -name .git 2>/dev/null'), '', `${name}: no .git in the image`);
    for (const w of svc.develop?.watch ?? []) {
      if (!w.action.startsWith('sync')) continue;
      const from = posix.normalize(w.path);
      const files = filesUnder(dir, from);
      const sums = files.map(
        (f) =>
          `${createHash('sha256')
            .update(readFileSync(join(dir, f)))
            .digest('hex')}  ${posix.join(w.target as string, posix.relative(from, f))}`,
      );
      const check = await inImage(
        tag,
        `printf '%s\\n' ${sums.map((s) => `'${s}'`).join(' ')} | sha256sum -c --quiet - 2>&1 && echo SAME`,
      );
      assert.match(
        check,
        /SAME\s*$/,
        `${name}: ${w.path} is at ${w.target} in the ${svc.build.target} target:\n${check}`,
      );
      // The packages in the synced tree (it, or its children: ./src holds them) import from there.
      for (const init of files.filter((f) => posix.dirname(f) === from || posix.dirname(posix.dirname(f)) === from)) {
        if (posix.basename(init) !== '__init__.py') continue;
        const pkgDir = posix.dirname(init);
        const pkg = posix.basename(pkgDir);
        const where = await inImage(
          tag,
          `cd / && python -c 'import ${pkg}, os; print(os.path.dirname(${pkg}.__file__))'`,
        );
        assert.equal(
          where.trim(),
          posix.join(w.target as string, posix.relative(from, pkgDir)),
          `${name}: Python imports ${pkg} from where watch syncs it`,
        );
      }
    }
  }
}

describe('setuptools_scm package data and compose targets, from a git checkout', { concurrency: 1 }, () => {
  let dir = '';
  let wheelFiles: string[] = [];
  before(async () => {
    dir = await checkout('scm-mailer');
    // The project's own wheel, built on the host from a clone of the checkout, with the world's index.
    const t = tempDir('layerwise-scm-wheel-');
    temps.push(t.cleanup);
    const clone = join(t.path, 'clone');
    await sh('git', ['clone', '-q', dir, clone]);
    await sh(
      'python3',
      ['-m', 'pip', 'wheel', '-q', '--no-deps', '--index-url', world.indexUrl, '-w', join(t.path, 'out'), clone],
      {
        env: { PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1' },
      },
    );
    const whl = readdirSync(join(t.path, 'out')).find((f) => f.endsWith('.whl')) as string;
    const list = await sh('python3', [
      '-c',
      'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))',
      join(t.path, 'out', whl),
    ]);
    wheelFiles = list.stdout.trim().split('\n');
  });

  test(
    'the image holds every file of the wheel built from the checkout; a template loads at run time',
    { timeout: 900_000 },
    async (t) => {
      const data = wheelFiles.filter((f) => /\.(j2|png|css|json)$/.test(f));
      t.diagnostic(`the host's wheel: ${wheelFiles.length} files, ${data.length} of them data files git names`);
      assert.ok(data.length >= 10, `the host wheel has the git-tracked data files:\n${wheelFiles.join('\n')}`);
      assert.equal(await runInit(dir, {}, quiet), 0, 'init exits 0 (self-check passed)');
      const tag = await buildTarget(dir, 'runtime');
      const site = (await inImage(tag, 'echo /app/.venv/lib/python3*/site-packages')).trim();
      const listed = await inImage(tag, `cd ${site} && find notify_mailer notify_mailer-*.dist-info -type f`);
      const inImageFiles = new Set(listed.trim().split('\n'));
      const missing = wheelFiles.filter((f) => !inImageFiles.has(f));
      assert.deepEqual(
        missing,
        [],
        `files of the wheel the image lacks (image has:\n${[...inImageFiles].sort().join('\n')})`,
      );
      const out = await docker([
        'run',
        '--rm',
        '--network',
        'none',
        tag,
        'notify-mailer',
        'render',
        'digest',
        '--name',
        'Ada',
        '--json',
      ]);
      const mail = JSON.parse(out.stdout) as Record<string, unknown>;
      assert.equal(mail.subject, 'Your week at the shop, Ada');
      assert.equal(mail.inline_icon, true);
      assert.equal(mail.version, VERSION);
      assert.equal(await inImage(tag, 'find / -xdev -name .git 2>/dev/null'), '', 'no .git in the image');

      // .git in the context costs no cache: a template edit, committed, makes one new layer (the code).
      appendFileSync(join(dir, 'src/notify_mailer/templates/digest.txt.j2'), '\nSee you next week.\n');
      await sh('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-am', 'sign off'], {
        cwd: dir,
      });
      const layers = async (ref: string) =>
        JSON.parse((await docker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref])).stdout) as string[];
      const before = await layers(tag);
      const tag2 = await buildTarget(dir, 'runtime');
      const fresh = (await layers(tag2)).filter((l) => !before.includes(l));
      assert.equal(fresh.length, 1, `a committed template edit makes ${fresh.length} new layers`);
      const again = await docker(['run', '--rm', '--network', 'none', tag2, 'notify-mailer', 'render', 'digest']);
      assert.match(again.stdout, /See you next week\./);
    },
  );

  test(
    'compose.yaml: the dev service builds and holds the code where watch syncs it; no .git in it',
    { timeout: 900_000 },
    async () => {
      assert.equal(await runInit(dir, {}, quiet), 0);
      await composeServicesBuildAndSyncWhereTheCodeIs(dir);
    },
  );

  test(
    'compose.yaml with --split-base: base and runtime services build; sync goes to site-packages',
    { timeout: 900_000 },
    async () => {
      assert.equal(await runInit(dir, { splitBase: true, force: true }, quiet), 0);
      await composeServicesBuildAndSyncWhereTheCodeIs(dir);
    },
  );
});

describe('compose services of an app that is not a package (flask-piptools, flat layout)', { concurrency: 1 }, () => {
  for (const splitBase of [false, true])
    test(
      `${splitBase ? '--split-base: runtime and base' : 'dev'} build; the code is where watch syncs it`,
      { timeout: 900_000 },
      async () => {
        const t = tempDir('layerwise-compose-flask-');
        temps.push(t.cleanup);
        const dir = join(t.path, 'flask-piptools');
        cpSync(join(fixturesDir, 'flask-piptools'), dir, { recursive: true });
        assert.equal(await runInit(dir, { splitBase }, quiet), 0);
        await composeServicesBuildAndSyncWhereTheCodeIs(dir);
      },
    );
});
