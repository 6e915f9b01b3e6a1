// The layer split of apps that are not packages, the .dockerignore lines for tests and ignored
// paths, the dev target's dev dependencies and compose's develop.watch over asset folders.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { renderCompose } from '../../../src/generate/compose.js';
import { devStage } from '../../../src/generate/dockerfile-dev.js';
import { renderDockerfile } from '../../../src/generate/dockerfile.js';
import { renderDockerignore } from '../../../src/generate/dockerignore.js';
import { detectProject } from '../../../src/project/index.js';
import type { PythonProject } from '../../../src/project/types.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'projects');
const flask = () => detectProject(join(fixtures, 'flask-procfile'));

interface Watch {
  action: string;
  path: string;
  target?: string;
}
const watchOf = (yaml: string): Watch[] =>
  Object.values((parseYaml(yaml) as { services: Record<string, { develop: { watch: Watch[] } }> }).services)[0].develop
    .watch;

describe('flask-procfile: the project model', () => {
  it('not a package; data, static and templates found; psycopg needs no libpq; the dev group', () => {
    const p = flask();
    assert.equal(p.isPackage, false);
    assert.deepEqual(
      p.assets?.map((a) => `${a.kind}:${a.path}`),
      ['data:data', 'static:static', 'templates:templates'],
    );
    assert.deepEqual(p.systemPackages.run, []);
    assert.deepEqual(p.systemPackages.bundled, ['psycopg: psycopg-binary bundles libpq5']);
    assert.deepEqual(p.devGroups, ['dev']);
    const topics = p.detections.map((d) => d.topic);
    assert.ok(topics.includes('layers') && topics.includes('dev dependencies'));
  });
});

describe('Dockerfile: asset layers before the code', () => {
  it('the source stage moves each asset kind aside; the runtime copies data, static, templates, then code', () => {
    const df = renderDockerfile(flask());
    assert.match(df, /mkdir -p \/layers\/data \/layers\/static \/layers\/templates/);
    assert.match(df, /if \[ -e static \]; then mv static \/layers\/static\/; fi/);
    const copies = df.split('\n').filter((l) => l.startsWith('COPY --from=source'));
    assert.deepEqual(copies, [
      'COPY --from=source /layers/data/ /app/',
      'COPY --from=source /layers/static/ /app/',
      'COPY --from=source /layers/templates/ /app/',
      'COPY --from=source /src/ /app/',
    ]);
    assert.doesNotMatch(df, /libpq5/);
  });

  it('nested asset directories keep their path; odd names are quoted', () => {
    const p: PythonProject = {
      ...flask(),
      assets: [
        { path: 'shop/templates', kind: 'templates', evidence: '' },
        { path: 'my static', kind: 'static', evidence: '' },
      ],
    };
    const df = renderDockerfile(p);
    assert.match(
      df,
      /if \[ -e shop\/templates \]; then mkdir -p \/layers\/templates\/shop && mv shop\/templates \/layers\/templates\/shop\/; fi/,
    );
    assert.match(df, /if \[ -e 'my static' \]; then mv 'my static' \/layers\/static\/; fi/);
    assert.doesNotMatch(df, /\/layers\/data/);
  });

  it('without assets, one COPY of the app as before', () => {
    const df = renderDockerfile({ ...flask(), assets: [] });
    assert.doesNotMatch(df, /\/layers\//);
    assert.equal(df.split('\n').filter((l) => l.startsWith('COPY --from=source')).length, 1);
  });
});

describe('.dockerignore', () => {
  it('tests at any depth; the paths git ignores, escaped, with why', () => {
    const p: PythonProject = {
      ...flask(),
      testDirs: ['tests', 'testing'],
      ignored: [
        { path: 'data/search-index.json', bytes: 1, evidence: '.gitignore:14' },
        { path: 'var/cache[1]/', bytes: 1, evidence: '.gitignore:2' },
      ],
    };
    const di = renderDockerignore(p);
    for (const t of ['tests', 'test', 'testing']) assert.match(di, new RegExp(`^\\*\\*/${t}/$`, 'm'));
    assert.doesNotMatch(di, /^tests\/$/m);
    assert.match(di, /^# Untracked files git ignores/m);
    assert.match(di, /^data\/search-index\.json$/m);
    assert.match(di, /^var\/cache\\\[1\\\]$/m);
  });

  it('no git: the comment says the paths were found by extension and size', () => {
    const di = renderDockerignore({
      ...flask(),
      ignored: [{ path: 'app.db', bytes: 1, evidence: 'no git: a database or dump file, by extension' }],
    });
    assert.match(di, /^# Local databases, dumps and very large files \(no git/m);
    assert.match(di, /^app\.db$/m);
  });

  it('deny by default (src layout) also names the ignored paths and the anywhere test patterns', () => {
    const p = detectProject(join(fixtures, 'fastapi-uv'));
    const di = renderDockerignore({
      ...p,
      ignored: [{ path: 'src/shop_api/cache.db', bytes: 1, evidence: '.gitignore:1' }],
    });
    assert.match(di, /^\*$/m);
    assert.match(di, /^\*\*\/tests\/$/m);
    assert.match(di, /^src\/shop_api\/cache\.db$/m);
  });
});

describe('dev target: dev dependencies in every form', () => {
  it('uv: the other dev groups and dev extras are asked for', () => {
    const dev = devStage({ ...flask(), devGroups: ['dev', 'test'], devExtras: ['lint'] }).join('\n');
    assert.match(dev, /uv sync --locked --no-install-project --group test --extra lint/);
    assert.match(dev, /uv sync --locked --group test --extra lint$/m);
  });

  it('pip-tools: requirements-dev.txt before the code, hash pins as pip-compile wrote them; groups and extras via tomllib', () => {
    const base = flask();
    const p: PythonProject = {
      ...base,
      manager: 'pip-tools',
      lockFile: 'requirements.txt',
      depFiles: ['pyproject.toml', 'requirements.txt'],
      devRequirements: ['requirements-dev.txt'],
      devGroups: ['test'],
      devExtras: ['dev'],
    };
    const lines = devStage(p);
    const dev = lines.join('\n');
    assert.match(dev, /--mount=type=bind,source=requirements-dev\.txt,target=\/tmp\/req\/requirements-dev\.txt/);
    assert.match(dev, /install --disable-pip-version-check -r \/tmp\/req\/requirements-dev\.txt/);
    assert.match(dev, /for k in \('test',\) for r in g\.get\(k, \[\]\)/);
    assert.match(dev, /for k in \('dev',\) for r in x\.get\(k, \[\]\)/);
    const install = lines.findIndex((l) => l.includes('requirements-dev.txt') && l.startsWith('RUN'));
    const copy = lines.indexOf('COPY . /app');
    assert.ok(install >= 0 && install < copy, 'the dev install comes before the code copy (cached on code changes)');
  });

  it('poetry and pdm: dev extras', () => {
    const base = flask();
    assert.match(
      devStage({ ...base, manager: 'poetry', devExtras: ['test', 'dev'] }).join('\n'),
      /poetry sync --no-root --extras 'test dev'/,
    );
    assert.match(
      devStage({ ...base, manager: 'pdm', devExtras: ['test'] }).join('\n'),
      /pdm install .*--no-self -G test/,
    );
  });
});

describe('compose develop.watch covers what the app reads at run time', () => {
  it('dev: templates, static and data sync to /app', () => {
    const w = watchOf(renderCompose(flask()));
    for (const d of ['data', 'static', 'templates'])
      assert.ok(
        w.some((x) => x.action === 'sync' && x.path === `./${d}` && x.target === `/app/${d}`),
        `${d} syncs: ${JSON.stringify(w)}`,
      );
  });

  it('--split-base: sync+restart to /app; a kept Dockerfile: rebuild', () => {
    const split = watchOf(renderCompose(flask(), { baseImage: 'x:1' }));
    assert.ok(
      split.some((x) => x.action === 'sync+restart' && x.path === './templates' && x.target === '/app/templates'),
    );
    const kept = watchOf(renderCompose(flask(), { keptStages: ['runtime'] }));
    assert.ok(kept.some((x) => x.action === 'rebuild' && x.path === './static'));
  });

  it('an asset folder inside a code path is not listed twice', () => {
    const p = { ...flask(), assets: [{ path: 'catalog/templates', kind: 'templates' as const, evidence: '' }] };
    assert.equal(watchOf(renderCompose(p)).filter((x) => x.path.startsWith('./catalog')).length, 1);
  });
});
