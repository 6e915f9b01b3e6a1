// build's layer plan: one layer per package, append-only against the previous image, grouping
// under the layer budget, and reading the annotations build writes back.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatPackages,
  layoutKey,
  parsePackages,
  planLayers,
  type PreviousLayer,
} from '../../src/build/layer-plan.js';
import { BUILD_LAYOUT, type LayerPlan, type ResolvedPackage } from '../../src/build/types.js';

const hash = (s: string) => Buffer.from(s).toString('hex').padEnd(64, '0').slice(0, 64);

function pkg(name: string, version: string, size: number | undefined = 1000): ResolvedPackage {
  return {
    name,
    version,
    wheel: { filename: `${name}-${version}-py3-none-any.whl`, sha256: hash(name + version), size },
  };
}

/** The previous image's layers as planLayers made them (as if built and pushed). */
function asPrevious(plan: LayerPlan, layout = BUILD_LAYOUT): PreviousLayer[] {
  return plan.layers.map((l, i) => ({
    kind: l.kind,
    packages: l.packages,
    digest: `sha256:${String(i).padStart(64, 'a')}`,
    diffId: `sha256:${String(i).padStart(64, 'b')}`,
    size: 100 + i,
    layout,
  }));
}

const names = (p: LayerPlan) => p.layers.map((l) => `${l.kind}:${l.packages.map((q) => q.name).join('+')}`);
const base = { baseLayers: 4, project: 'app' };

describe('planLayers', () => {
  const pkgs = [pkg('starlette', '0.38.0'), pkg('anyio', '4.4.0'), pkg('fastapi', '0.112.0', 90_000)];

  it('first build: venv, one layer per package by name, project metadata then code last', () => {
    const p = planLayers(pkgs, null, base);
    assert.deepEqual(names(p), [
      'venv:',
      'package:anyio',
      'package:fastapi',
      'package:starlette',
      'project-meta:app',
      'project:app',
    ]);
    assert.equal(p.budget, 100);
    assert.equal(p.baseLayers, 4);
    assert.equal(p.layers[2].estimatedBytes, 90_000);
    assert.ok(p.layers.every((l) => !l.reuse));
    assert.deepEqual(p.layers[1].packages, [{ name: 'anyio', version: '4.4.0', wheelSha256: hash('anyio4.4.0') }]);
  });

  it('one package added: the old layers are reused in place, the new one goes above them', () => {
    const prev = asPrevious(planLayers(pkgs, null, base));
    const p = planLayers([...pkgs, pkg('annotated-types', '0.7.0')], prev, base);
    assert.deepEqual(names(p), [
      'venv:',
      'package:anyio',
      'package:fastapi',
      'package:starlette',
      'package:annotated-types',
      'project-meta:app',
      'project:app',
    ]);
    assert.deepEqual(p.layers[1].reuse, { digest: prev[1].digest, diffId: prev[1].diffId, size: prev[1].size });
    assert.equal(p.layers[3].reuse?.digest, prev[3].digest);
    assert.equal(p.layers[4].reuse, undefined);
    assert.equal(p.layers[0].reuse, undefined, 'the venv layer is rebuilt');
    assert.equal(p.layers[5].reuse, undefined, 'the project metadata layer is rebuilt');
    assert.equal(p.layers[6].reuse, undefined, 'the project layer is rebuilt');
  });

  it('one package bumped: its layer moves up, rebuilt; the others stay reused', () => {
    const prev = asPrevious(planLayers(pkgs, null, base));
    const bumped = [pkg('starlette', '0.38.0'), pkg('anyio', '4.5.0'), pkg('fastapi', '0.112.0', 90_000)];
    const p = planLayers(bumped, prev, base);
    assert.deepEqual(names(p), [
      'venv:',
      'package:fastapi',
      'package:starlette',
      'package:anyio',
      'project-meta:app',
      'project:app',
    ]);
    assert.ok(p.layers[1].reuse && p.layers[2].reuse);
    assert.equal(p.layers[3].reuse, undefined);
    assert.equal(p.layers[3].packages[0].version, '4.5.0');
    // Same version, other wheel (a rebuilt wheel): not reused either.
    const rehashed = pkgs.map((x) =>
      x.name === 'fastapi' ? { ...x, wheel: { ...x.wheel!, sha256: hash('other') } } : x,
    );
    assert.equal(
      planLayers(rehashed, prev, base).layers.find((l) => l.packages[0]?.name === 'fastapi')!.reuse,
      undefined,
    );
    // A package removed: its layer is gone, the others stay.
    assert.deepEqual(names(planLayers(pkgs.slice(0, 2), prev, base)), [
      'venv:',
      'package:anyio',
      'package:starlette',
      'project-meta:app',
      'project:app',
    ]);
  });

  it('a previous layer of another layout is not reused', () => {
    const prev = asPrevious(planLayers(pkgs, null, base), 'other');
    const p = planLayers(pkgs, prev, base);
    assert.ok(p.layers.every((l) => !l.reuse));
  });

  it('the layout key carries the Python minor and the venv: a layer of another Python or venv is not reused', () => {
    const k311 = layoutKey('3.11', '/app/.venv');
    assert.equal(k311, `${BUILD_LAYOUT};cp311;/app/.venv`);
    assert.notEqual(layoutKey('3.12', '/app/.venv'), k311);
    assert.notEqual(layoutKey('3.11', '/srv/.venv'), k311);
    const prev = asPrevious(planLayers(pkgs, null, { ...base, layout: k311 }), k311);
    const same = planLayers(pkgs, prev, { ...base, layout: k311 });
    assert.equal(same.layers.filter((l) => l.reuse).length, 3);
    // The base moved to 3.12: its site-packages is another directory, nothing is reused.
    const moved = planLayers(pkgs, prev, { ...base, layout: layoutKey('3.12', '/app/.venv') });
    assert.ok(moved.layers.every((l) => !l.reuse));
    assert.ok(
      planLayers(pkgs, prev, base).layers.every((l) => !l.reuse),
      'the bare BUILD_LAYOUT is another key',
    );
  });

  it('a package of unknown size is never grouped (it may be huge)', () => {
    const unknown: ResolvedPackage = {
      ...pkg('unknown', '1'),
      wheel: { ...pkg('unknown', '1').wheel!, size: undefined },
    };
    const many = [...Array.from({ length: 4 }, (_, i) => pkg(`p${i}`, '1', 100 + i)), unknown];
    // 4 base + 3 + 5 = 12 layers; a budget of 10 needs 2 fewer: 3 grouped, never `unknown`.
    const p = planLayers(many, null, { ...base, budget: 10 });
    const g = p.layers.find((l) => l.kind === 'group')!;
    assert.deepEqual(
      g.packages.map((q) => q.name),
      ['p0', 'p1', 'p2'],
    );
    assert.ok(p.layers.some((l) => l.kind === 'package' && l.packages[0].name === 'unknown'));
    assert.throws(() => planLayers(many, null, { ...base, budget: 8 }), /budget of 8/);
  });

  it('over the budget: the smallest new packages are grouped until it fits', () => {
    const many = Array.from({ length: 10 }, (_, i) => pkg(`p${i}`, '1', (i + 1) * 1000));
    // 4 base + venv + project metadata + project + 10 = 17 layers; a budget of 13 needs 4 fewer:
    // the 5 smallest in one group.
    const p = planLayers(many, null, { ...base, budget: 13 });
    assert.equal(p.baseLayers + p.layers.length, 13);
    const g = p.layers.filter((l) => l.kind === 'group');
    assert.equal(g.length, 1);
    assert.deepEqual(
      g[0].packages.map((q) => q.name),
      ['p0', 'p1', 'p2', 'p3', 'p4'],
    );
    assert.equal(g[0].estimatedBytes, 15_000);
    // A group from a previous build is reused as long as its packages are unchanged.
    const again = planLayers(many, asPrevious(p), { ...base, budget: 13 });
    assert.equal(again.layers.find((l) => l.kind === 'group')!.reuse?.digest, asPrevious(p)[1].digest);
    assert.ok(again.layers.every((l) => l.kind === 'venv' || l.kind.startsWith('project') || l.reuse));
  });

  it('volatile and large packages are never grouped', () => {
    const many = [...Array.from({ length: 6 }, (_, i) => pkg(`p${i}`, '1', 100 + i)), pkg('huge', '1', 20_000_000)];
    const p = planLayers(many, null, { ...base, budget: 12, volatile: new Set(['p0', 'p1']) });
    const g = p.layers.find((l) => l.kind === 'group')!;
    assert.deepEqual(
      g.packages.map((q) => q.name),
      ['p2', 'p3', 'p4'],
    );
    assert.ok(p.layers.some((l) => l.kind === 'package' && l.packages[0].name === 'huge'));
    assert.ok(p.layers.some((l) => l.kind === 'package' && l.packages[0].name === 'p0'));
    // Nothing left to group: a user error that says what to do.
    assert.throws(
      () => planLayers([pkg('huge', '1', 20_000_000), pkg('big', '1', 30_000_000)], null, { ...base, budget: 6 }),
      /budget of 6/,
    );
  });
});

describe('packages annotation', () => {
  it('formats sorted lines and reads them back', () => {
    const pk = [
      { name: 'b', version: '2.0', wheelSha256: hash('b') },
      { name: 'a', version: '1.0', wheelSha256: hash('a') },
    ];
    const s = formatPackages(pk);
    assert.equal(s, `a==1.0 ${hash('a')}\nb==2.0 ${hash('b')}`);
    assert.deepEqual(parsePackages(s), [pk[1], pk[0]]);
    assert.deepEqual(parsePackages('app'), [{ name: 'app', version: '', wheelSha256: '' }]);
    assert.deepEqual(parsePackages(''), []);
    assert.equal(parsePackages('a == b c d'), null);
  });
});
