// The install layer's hidden parts, against a real build: seed-style Dockerfiles (`COPY . .`
// before the install) that leave uv's cache in the layer (no --no-cache) and that install with
// pip into a venv made in the same RUN without --no-cache-dir (the venv's own pip and setuptools).
// auditImage's estimate of that layer, made before building from the lock's wheel sizes, the
// measured cache ratios and the base image's ensurepip wheels (read from the engine), must be
// within 1.5x of what proveImage measures.
import assert from 'node:assert/strict';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { auditImage } from '../../src/audit/image.js';
import { proveImage } from '../../src/audit/prove.js';
import type { AuditTarget } from '../../src/audit/types.js';
import { fixturesDir, indexBuildArgs, loadWorld, removeImages, tempDir } from './world.js';

const world = loadWorld();
const temps: (() => void)[] = [];
const images: string[] = [];
after(async () => {
  await removeImages(...images);
  for (const t of temps) t();
});

const CASES: { name: string; lines: (py: string) => string[] }[] = [
  {
    name: 'fastapi-uv',
    lines: (py) => [
      'ARG UV_IMAGE',
      'FROM ${UV_IMAGE} AS uv',
      `FROM ${py}`,
      'COPY --from=uv /uv /usr/local/bin/uv',
      'ENV UV_PYTHON_DOWNLOADS=0 UV_LINK_MODE=copy',
      'WORKDIR /app',
      'COPY . .',
      'ARG UV_INDEX_URL',
      'RUN uv sync --locked --no-dev',
    ],
  },
  {
    name: 'flask-piptools',
    lines: (py) => [
      `FROM ${py}`,
      'WORKDIR /app',
      'COPY . .',
      'ARG PIP_INDEX_URL',
      'RUN python -m venv /venv && /venv/bin/pip install -r requirements.txt',
    ],
  },
];

describe('the install layer with its caches and venv: estimate within 1.5x of the build', { concurrency: 1 }, () => {
  for (const c of CASES) {
    test(`${c.name}: caches and venv left in the install layer`, { timeout: 600_000 }, async (t) => {
      const tmp = tempDir(`layerwise-caches-${c.name}-`);
      temps.push(tmp.cleanup);
      const dir = join(tmp.path, c.name);
      cpSync(join(fixturesDir, c.name), dir, { recursive: true });
      const lines = c.lines(world.pythonImage);
      writeFileSync(join(dir, 'Dockerfile'), `${lines.join('\n')}\n`);
      const installLine = lines.length;
      const target: AuditTarget = {
        name: c.name,
        dockerfile: join(dir, 'Dockerfile'),
        context: dir,
        args: { ...indexBuildArgs(), UV_IMAGE: world.uvImage },
        origins: [{ kind: 'dockerfile', file: 'Dockerfile' }],
      };
      const image = await auditImage(target, dir, { index: true, engine: true, noAlternative: true });
      const est = image.scenarios.find((s) => s.name === 'code-change')!.layers.find((l) => l.line === installLine);
      assert.ok(est && est.bytes !== null, `${c.name}: an estimate for the install: ${est?.basis}`);
      assert.match(est.basis, c.name === 'fastapi-uv' ? /uv's cache stays in the layer/ : /venv's own pip/);
      if (c.name === 'flask-piptools') assert.match(est.basis, /read from the engine/);

      const proved = await proveImage(image, target, dir, {
        docker: world.docker,
        network: 'host',
        keepImages: true,
        alternative: false,
      });
      const code = proved.scenarios.find((s) => s.name === 'code-change')!;
      images.push(code.proof!.tags.before, code.proof!.tags.after);
      assert.equal(code.basis, 'measured');
      const m = code.layers.find((l) => l.line === installLine);
      assert.ok(m && m.bytes !== null && m.changed, `${c.name}: the measured install layer`);
      const r = est.bytes / m.bytes;
      t.diagnostic(
        `${c.name} install layer: estimated ${est.bytes} B, measured ${m.bytes} B (x${r.toFixed(2)}); ${est.basis}`,
      );
      assert.ok(r >= 1 / 1.5 && r <= 1.5, `${c.name}: estimated ${est.bytes}, measured ${m.bytes}\n${est.basis}`);
    });
  }
});
