// `audit --build` proof on every fixture project: a seed-style Dockerfile (`COPY . .` before the
// dependency install, written here for the project's manager) with init's files as the
// alternative. proveImage builds both before and after a one-line change in temp copies of the
// context; its measured figures must equal what `layerwise diff --format json` reports on the same
// two images, the naive layout must re-ship its install layer and init's must not, the project's
// tree must be left as it was, and auditImage's estimates (made first, from real data) must hold:
// init's code change within 2x, the naive layout's dependency layer within 1.5x. Builds get the
// world's index as build args, as a team behind a mirror passes its own.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { proveImage } from '../../src/audit/prove.js';
import { auditImage } from '../../src/audit/image.js';
import type { AuditTarget, Scenario } from '../../src/audit/types.js';
import { detectProject } from '../../src/project/index.js';
import type { PythonProject } from '../../src/project/types.js';
import { fixturesDir, indexBuildArgs, loadWorld, removeImages, repoRoot, sh, tempDir } from './world.js';

const world = loadWorld();
const temps: (() => void)[] = [];
const images: string[] = [];
after(async () => {
  await removeImages(...images);
  for (const t of temps) t();
});

const CLI = join(repoRoot, 'dist', 'bundle', 'main.js');
const FIXTURES = readdirSync(fixturesDir).filter((f) => statSync(join(fixturesDir, f)).isDirectory());
const DEP_STEP = /uv sync|poetry (sync|install)|pdm (install|sync)|pipenv sync|\binstall\b[^|]*\s-r\s/;

/** Build args every fixture build gets: the world's index, the uv image, a version for setuptools_scm. */
function buildArgs(): Record<string, string> {
  return {
    ...indexBuildArgs(),
    UV_IMAGE: world.uvImage,
    APP_VERSION: '1.0.0',
    SETUPTOOLS_SCM_PRETEND_VERSION: '1.0.0',
  };
}

/**
 * The Dockerfile a team starts with: one stage, the whole context copied, then the install (with
 * the usual flags that keep pip's, uv's and pdm's download caches out of the layer; poetry keeps its own).
 */
export function naiveDockerfile(p: PythonProject, pythonImage: string): string {
  const head = [`FROM ${pythonImage}`];
  let install: string[];
  switch (p.manager) {
    case 'uv': {
      head.unshift('ARG UV_IMAGE', 'FROM ${UV_IMAGE} AS uv');
      head.push('COPY --from=uv /uv /usr/local/bin/uv', 'ENV UV_PYTHON_DOWNLOADS=0 UV_LINK_MODE=copy');
      const pkg = p.workspace?.selected ? ` --package ${p.workspace.selected.name}` : '';
      install = [
        'ARG UV_INDEX_URL',
        'ARG SETUPTOOLS_SCM_PRETEND_VERSION',
        `RUN uv sync --locked --no-cache --no-dev${pkg}`,
      ];
      break;
    }
    case 'poetry':
      head.push('ARG PIP_INDEX_URL', `RUN pip install "poetry==${p.managerVersion}"`);
      install = [
        'ENV POETRY_VIRTUALENVS_IN_PROJECT=true POETRY_NO_INTERACTION=1',
        `RUN poetry sync --only main${p.isPackage ? '' : ' --no-root'}`,
      ];
      break;
    case 'pdm':
      head.push('ARG PIP_INDEX_URL', `RUN pip install "pdm==${p.managerVersion}"`);
      install = [
        'ENV PDM_CHECK_UPDATE=false',
        `RUN pdm install --check --prod --frozen-lockfile${p.isPackage ? '' : ' --no-self'} && rm -rf /root/.cache/pdm`,
      ];
      break;
    default:
      install = [
        'ARG PIP_INDEX_URL',
        `RUN pip install --no-cache-dir ${p.hashes ? '--require-hashes ' : ''}-r ${p.lockFile ?? 'requirements.txt'}`,
      ];
  }
  return `${[...head, 'WORKDIR /app', 'COPY . .', ...install, 'ENV PATH=/app/.venv/bin:$PATH', `CMD ${JSON.stringify(p.app.command)}`].join('\n')}\n`;
}

/** A copy of the fixture (a git checkout for projects that take their version from git). */
async function copyFixture(name: string): Promise<string> {
  const t = tempDir(`layerwise-prove-${name}-`);
  temps.push(t.cleanup);
  const dir = join(t.path, name);
  cpSync(join(fixturesDir, name), dir, { recursive: true });
  if (detectProject(dir).vcsFileFinder) {
    const git = (...args: string[]) =>
      sh('git', ['-c', 'user.name=layerwise test', '-c', 'user.email=test@example.invalid', ...args], { cwd: dir });
    await git('init', '-q');
    await git('add', '-A');
    await git('commit', '-q', '-m', name);
    await git('tag', 'v1.0.0');
  }
  return dir;
}

/** Every file under dir with a hash of its bytes and its mtime: what "untouched" means. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile())
        out.set(
          relative(dir, p),
          `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${statSync(p).mtimeMs}`,
        );
    }
  };
  walk(dir);
  return out;
}

interface DiffJson {
  old: { configDigest: string };
  new: { configDigest: string };
  newLayers: number;
  pull: { classic: { bytes: number; layers: number }; containerd: { bytes: number; layers: number } };
}

async function cliDiff(before: string, after: string): Promise<DiffJson> {
  const r = await sh(process.execPath, [CLI, 'diff', '--format', 'json', '--no-files', before, after]);
  return JSON.parse(r.stdout) as DiffJson;
}

/** The proof's figures against `layerwise diff` on the same two images. */
async function checkAgainstDiff(s: Scenario, what: string): Promise<DiffJson> {
  assert.equal(s.basis, 'measured', what);
  const proof = s.proof!;
  images.push(proof.tags.before, proof.tags.after);
  const j = await cliDiff(proof.tags.before, proof.tags.after);
  assert.equal(j.old.configDigest, proof.before, `${what}: the image before`);
  assert.equal(j.new.configDigest, proof.after, `${what}: the image after`);
  assert.deepEqual(proof.diff.classic.bytes, j.pull.classic.bytes, `${what}: classic bytes`);
  assert.deepEqual(proof.diff.classic.layers, j.pull.classic.layers, `${what}: classic layers`);
  assert.deepEqual(proof.diff.containerd, j.pull.containerd, `${what}: containerd`);
  assert.equal(s.newLayers, j.newLayers, `${what}: new layers`);
  assert.equal(s.layers.filter((l) => l.changed).length, j.newLayers, `${what}: changed layer rows`);
  // gzip of the same pulled layers: smaller than the tar, nothing when nothing is pulled.
  const { classic, containerd } = s.bytes as { classic: number; containerd: number };
  assert.ok(
    classic > 0 && classic < j.pull.classic.bytes,
    `${what}: gzip classic ${classic} vs tar ${j.pull.classic.bytes}`,
  );
  assert.ok(containerd > 0 && containerd <= classic, `${what}: gzip containerd ${containerd}, classic ${classic}`);
  assert.equal(
    s.layers.reduce((n, l) => n + (l.bytes ?? 0), 0),
    classic,
    `${what}: the layer rows add up to the classic figure`,
  );
  return j;
}

const ratio = (est: number, measured: number) => (measured > 0 ? est / measured : Infinity);

/**
 * The estimates against the measurements: init's code change within 2x on both stores; the naive
 * layout's dependency layer (re-made by a code change) within 1.5x.
 */
function checkEstimates(
  name: string,
  installLine: number,
  naiveEst: Scenario[],
  initEst: Scenario[],
  naive: Scenario,
  init: Scenario,
  t: { diagnostic(s: string): void },
): void {
  const ic = initEst.find((s) => s.name === 'code-change')!;
  for (const store of ['classic', 'containerd'] as const) {
    const e = ic.bytes[store];
    const m = init.bytes[store]!;
    assert.ok(e !== null, `${name} init ${store}: no estimate (${ic.rests.join(' | ')})`);
    const r = ratio(e, m);
    t.diagnostic(`${name} init code-change ${store}: estimated ${e} B, measured ${m} B (x${r.toFixed(2)})`);
    assert.ok(r >= 0.5 && r <= 2, `${name} init ${store}: estimated ${e}, measured ${m}\n${ic.rests.join('\n')}`);
  }
  const nc = naiveEst.find((s) => s.name === 'code-change')!;
  const estDep = nc.layers.find((l) => l.line === installLine);
  assert.ok(
    estDep,
    `${name} naive: the install layer in the estimate:\n${nc.layers.map((l) => l.instruction).join('\n')}`,
  );
  const mDep = naive.layers.find((l) => l.line === installLine);
  assert.ok(mDep && mDep.bytes !== null, `${name} naive: the measured install layer`);
  assert.ok(estDep.bytes !== null, `${name} naive: no estimate for ${estDep.instruction}: ${estDep.basis}`);
  const r = ratio(estDep.bytes, mDep.bytes);
  t.diagnostic(
    `${name} naive dependency layer (line ${estDep.line}): estimated ${estDep.bytes} B, measured ${mDep.bytes} B (x${r.toFixed(2)}); ${estDep.basis}`,
  );
  const limit = KNOWN_GAPS[name] ?? 1.5;
  assert.ok(
    r >= 1 / limit && r <= limit,
    `${name} naive dependency layer: estimated ${estDep.bytes}, measured ${mDep.bytes}\n${estDep.basis}`,
  );
}

/**
 * Fixtures where the estimate is known to miss by more than 1.5x, with the bound it keeps. A
 * known gap, not a tolerance: django-uwsgi's wheels reach the audit only as sizes from the index
 * (no Range requests there, so their file lists are not read), and the .py share of pure-Python
 * wheels measured on flask (94%) overstates Django's, half of which is locale files, templates and
 * static assets: its bytecode is counted about 3x too large (estimated 26.4 MB, measured 9.3 MB).
 */
const KNOWN_GAPS: Record<string, number> = { 'django-uwsgi': 3.2 };

describe(
  'proveImage on every fixture: naive layout and init alternative, measured = layerwise diff',
  { concurrency: 1 },
  () => {
    for (const name of FIXTURES) {
      test(`${name}: code change proven on both layouts`, { timeout: 1_200_000 }, async (t) => {
        const dir = await copyFixture(name);
        const p = detectProject(dir);
        const naiveText = naiveDockerfile(p, world.pythonImage);
        writeFileSync(join(dir, 'Dockerfile'), naiveText);
        // The install is the naive Dockerfile's last RUN.
        let installLine = 0;
        naiveText.split('\n').forEach((l, i) => {
          if (l.startsWith('RUN ')) installLine = i + 1;
        });
        const before = snapshot(dir);
        const target: AuditTarget = {
          name,
          dockerfile: join(dir, 'Dockerfile'),
          context: dir,
          args: buildArgs(),
          origins: [{ kind: 'dockerfile', file: 'Dockerfile' }],
        };
        // Estimates first, from real data only: the lock's sizes, the index (HEAD), the engine's base layers.
        const image = await auditImage(target, dir, { index: true, engine: true });
        assert.ok(image.alternative, `${name}: init's alternative: ${image.notes.join(' | ')}`);
        const t0 = Date.now();
        const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
        const proved = await proveImage(image, target, dir, {
          docker: world.docker,
          network: 'host',
          keepImages: true,
          onStep: (what) => t.diagnostic(`${since()} ${what}`),
        });
        t.diagnostic(`${since()} proven`);
        const naive = proved.scenarios.find((s) => s.name === 'code-change')!;
        const init = proved.alternative!.scenarios.find((s) => s.name === 'code-change')!;
        // Both diffs at once: the engine exports the two pairs side by side.
        const [jn, ji] = await Promise.all([
          checkAgainstDiff(naive, `${name} naive`),
          checkAgainstDiff(init, `${name} init`),
        ]);
        t.diagnostic(`${since()} checked against layerwise diff`);
        t.diagnostic(
          `${name} (${((Date.now() - t0) / 1000).toFixed(0)} s, ${naive.file} changed): naive ships ${naive.bytes.classic} B gzip classic / ${naive.bytes.containerd} containerd (diff: ${jn.pull.classic.bytes} B tar); init ships ${init.bytes.classic} / ${init.bytes.containerd} (diff: ${ji.pull.classic.bytes} B tar)`,
        );
        assert.match(naive.file!, /\.py$/);
        assert.ok(existsSync(join(dir, naive.file!)), `${naive.file} is a file of the project`);
        assert.equal(init.file, naive.file, 'both layouts get the same change');

        // The naive layout re-makes its install layer on a code change (whether this run built it
        // or the engine's cache had it from an earlier run); init's takes the install from the cache.
        const byLine = naive.layers.filter((l) => l.line === installLine);
        const depRows = byLine.length ? byLine : naive.layers.filter((l) => DEP_STEP.test(l.instruction));
        assert.ok(
          depRows.length >= 1 && depRows.every((l) => l.changed && (l.bytes ?? 0) > 0),
          `naive: the install layer is re-shipped:\n${naive.layers.map((l) => `${l.changed} ${l.bytes} ${l.instruction}`).join('\n')}`,
        );
        const ranDeps = init.proof!.rebuild.ran.filter((n) => DEP_STEP.test(n));
        const cachedDeps = init.proof!.rebuild.cached.filter((n) => DEP_STEP.test(n));
        assert.deepEqual(ranDeps, [], 'init: no dependency install re-ran');
        assert.ok(
          cachedDeps.length >= 1,
          `init: the install came from the cache (${init.proof!.rebuild.cached.join(' | ')})`,
        );
        assert.ok(
          naive.bytes.classic! > 4 * init.bytes.classic!,
          `naive re-ships its dependencies: ${naive.bytes.classic} vs init ${init.bytes.classic}`,
        );

        checkEstimates(name, installLine, image.scenarios, image.alternative!.scenarios, naive, init, t);

        assert.deepEqual(snapshot(dir), before, 'the project tree is untouched');
        await removeImages(
          naive.proof!.tags.before,
          naive.proof!.tags.after,
          init.proof!.tags.before,
          init.proof!.tags.after,
        );
      });
    }
  },
);
