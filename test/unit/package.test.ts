// The package as users get it: `npm pack` of the built project, installed into an empty project,
// and the installed copy's CLI, library entry, lint worker and lazy imports exercised from there.
// The repository's own node_modules must play no part, so everything runs from the install.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { buildImage, writeOciLayout } from './image/builder.js';
import { checkLazyImports, childEnv, installTarball, packProject, root, sh } from './install.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

const BAD_DOCKERFILE = 'FROM ubuntu\nRUN apt-get install -y curl\n';

describe('the bundle in dist/bundle', () => {
  it('every lazy import() resolves and yields the names the code takes from it', () => {
    const { count, undefinedNames } = checkLazyImports(join(root, 'dist/bundle'));
    assert.ok(count >= 10, `only ${count} lazy imports found`);
    assert.deepEqual(undefinedNames, []);
  });
});

describe('the packed package installed into an empty project', { timeout: 600_000 }, () => {
  let tmp = '';
  let proj = '';
  let files: string[] = [];
  let installed = '';

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'layerwise-package-'));
    const packed = packProject(tmp);
    files = packed.files;
    proj = installTarball(tmp, packed.tarball);
    installed = join(proj, 'node_modules', pkg.name);
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  // --no: should the bin be missing, npx must fail rather than install a package from the registry;
  // `--` so that options such as --version reach layerwise, not npx.
  const npx = (args: string[], cwd = proj, env?: NodeJS.ProcessEnv) =>
    sh('npx', ['--no', '--', 'layerwise', ...args], { cwd, env });

  it('ships the bundle with all its chunks, the library and the user docs, and nothing else', () => {
    const bundle = readdirSync(join(root, 'dist/bundle')).map((f) => `dist/bundle/${f}`);
    for (const f of bundle) assert.ok(files.includes(f), `${f} is not in the package`);
    assert.ok(files.includes('dist/src/index.js') && files.includes('dist/src/index.d.ts'));
    const allowed = /^(dist\/bundle\/|dist\/src\/|docs\/|README\.md$|LICENSE$|package\.json$)/;
    assert.deepEqual(
      files.filter((f) => !allowed.test(f) || /(^|\/)test\/|\.test\.|^docs\/testing\.md$/.test(f)),
      [],
    );
  });

  it('npx layerwise --version prints the version', () => {
    const r = npx(['--version']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('lint --format json reports findings', () => {
    const dir = join(proj, 'plain');
    mkdirSync(join(dir, '.git'), { recursive: true }); // the config search stops here
    writeFileSync(join(dir, 'Dockerfile'), BAD_DOCKERFILE);
    const r = npx(['lint', '--format', 'json', 'Dockerfile'], dir);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 1);
    const rules = (JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    assert.ok(rules.includes('LW4101'), rules.join(' ')); // FROM without a tag (warning)
    assert.ok(rules.includes('LW3001'), rules.join(' ')); // no --no-install-recommends (info)
  });

  it("lint below a folder with .hadolint.yaml applies that file's settings", () => {
    const dir = join(proj, 'hadolint');
    mkdirSync(join(dir, '.git'), { recursive: true });
    mkdirSync(join(dir, 'svc'));
    writeFileSync(join(dir, '.hadolint.yaml'), 'ignored:\n  - DL3015\nfailure-threshold: error\n');
    writeFileSync(join(dir, 'svc', 'Dockerfile'), BAD_DOCKERFILE);
    const r = npx(['lint', '--format', 'json', 'Dockerfile'], join(dir, 'svc'));
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0, r.stdout); // the warning is below the file's failure threshold
    const rules = (JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    assert.ok(rules.includes('LW4101'), rules.join(' '));
    assert.ok(!rules.includes('LW3001'), 'DL3015 (LW3001) is ignored by .hadolint.yaml');
  });

  it('rules --json lists every rule with its id and aliases', () => {
    const r = npx(['rules', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const rules = JSON.parse(r.stdout) as { id: string; aliases: string[] }[];
    assert.ok(rules.length >= 50, `${rules.length} rules`);
    for (const rule of rules) {
      assert.match(rule.id, /^LW\d{4}$/);
      assert.ok(Array.isArray(rule.aliases), rule.id);
    }
    assert.deepEqual(rules.find((x) => x.id === 'LW3001')?.aliases, ['DL3015']);
  });

  it("the installed bundle's lazy imports all resolve and yield their names", () => {
    const { count, undefinedNames } = checkLazyImports(join(installed, 'dist/bundle'));
    assert.ok(count >= 10, `only ${count} lazy imports found`);
    assert.deepEqual(undefinedNames, []);
  });

  it("the installed lint worker starts and lints (lint's threads)", async () => {
    const file = join(proj, 'plain', 'Dockerfile');
    const worker = new Worker(join(installed, 'dist/bundle/lint-worker.js'), {
      workerData: { items: [{ p: file, i: 0 }], base: {}, contextDir: undefined },
    });
    const reply = await new Promise<{ ok: boolean; outcome?: { findings?: { rule: string }[] } }>((res, rej) => {
      worker.once('message', res);
      worker.once('error', rej);
    });
    await worker.terminate();
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.ok(JSON.stringify(reply.outcome).includes('LW4101'));
  });

  it('lint of many files (threads where there are CPUs) gives every file its findings', () => {
    const dir = join(proj, 'many');
    mkdirSync(join(dir, '.git'), { recursive: true });
    for (let i = 0; i < 90; i++) writeFileSync(join(dir, `${i}.Dockerfile`), BAD_DOCKERFILE);
    const r = npx(['lint', '--format', 'json', '.'], dir);
    assert.equal(r.stderr, '');
    const doc = JSON.parse(r.stdout) as { files: unknown[]; findings: { rule: string }[] };
    assert.equal(doc.files.length, 90);
    assert.equal(doc.findings.filter((f) => f.rule === 'LW4101').length, 90);
  });

  it('the library entry loads from the installed package and lints (the bash grammar in WASM)', () => {
    const script = join(proj, 'lib-check.mjs');
    writeFileSync(
      script,
      `import { lintText, VERSION } from '${pkg.name}';
const r = lintText(${JSON.stringify(BAD_DOCKERFILE)}, 'Dockerfile');
console.log(JSON.stringify({ VERSION, rules: r.findings.map((f) => f.rule) }));
`,
    );
    const r = sh(process.execPath, [script], { cwd: proj });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { VERSION: string; rules: string[] };
    assert.equal(out.VERSION, pkg.version);
    assert.ok(out.rules.includes('LW3001'), out.rules.join(' ')); // found in the RUN's shell words
  });

  it('inspect reads an OCI layout, and an upgraded package does not reuse old cached analyses', () => {
    const image = join(tmp, 'image');
    writeOciLayout(
      image,
      buildImage({
        layers: [
          { createdBy: 'COPY . /app', files: [{ path: 'app/main.py', content: 'print("hi")\n' }] },
          { createdBy: 'RUN rm /app/main.py', files: [{ path: 'app/.wh.main.py' }] },
        ],
      }),
      'v1',
    );
    const cache = join(tmp, 'cache');
    const env = childEnv({ LAYERWISE_CACHE_DIR: cache });
    const r = npx(['inspect', '--format', 'json', `oci:${image}:v1`], proj, env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { layers: unknown[] }).layers.length, 2);
    const keys = () => readdirSync(join(cache, 'layers')).sort();
    const [first] = keys();
    assert.ok(first);
    // As `npm install` of a newer version would leave it: same place, other version.
    const manifest = join(installed, 'package.json');
    const installedPkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    writeFileSync(manifest, JSON.stringify({ ...installedPkg, version: `${installedPkg.version}-next` }));
    const again = npx(['inspect', '--format', 'json', `oci:${image}:v1`], proj, env);
    assert.equal(again.code, 0, again.stderr);
    assert.notDeepEqual(keys(), [first], 'the cache key did not change with the version');
  });
});
