import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assetDetections,
  bundledDetections,
  devDetections,
  ignoredDetections,
} from '../../../src/project/layer-detections.js';

describe('layer detections', () => {
  it('one per asset kind, in layer order (data, static, templates)', () => {
    const d = assetDetections([
      { path: 'templates', kind: 'templates', evidence: 'templates/ (named templates)' },
      { path: 'static', kind: 'static', evidence: 'static/ (named static)' },
      { path: 'shop/static', kind: 'static', evidence: 'shop/static/ (named static)' },
      { path: 'stuff', kind: 'data', evidence: 'stuff/ (no Python files)' },
    ]);
    assert.deepEqual(
      d.map((x) => [x.topic, x.value, x.evidence]),
      [
        ['layers', 'data layer: stuff/', 'stuff/ (no Python files)'],
        ['layers', 'static layer: static/, shop/static/', 'static/ (named static); shop/static/ (named static)'],
        ['layers', 'templates layer: templates/', 'templates/ (named templates)'],
      ],
    );
  });

  it('ignored paths with their size and the .gitignore line; low confidence without git', () => {
    const ig = [{ path: 'data/index.json', bytes: 724_000, evidence: '.gitignore:14' }];
    assert.deepEqual(ignoredDetections(ig, true), [
      { topic: 'ignored', value: 'data/index.json (707.0 KB)', evidence: '.gitignore:14', confidence: 'high' },
    ]);
    assert.equal(ignoredDetections(ig, false)[0].confidence, 'low');
  });

  it('past a few, the ignored paths share one line', () => {
    const many = Array.from({ length: 11 }, (_, i) => ({
      path: `gen/${i}.bin`,
      bytes: 1024,
      evidence: '.gitignore:1',
    }));
    const d = ignoredDetections(many, true);
    assert.equal(d.length, 9);
    assert.deepEqual(d[8], {
      topic: 'ignored',
      value: '3 more (3.0 KB)',
      evidence: 'git ignores them; .dockerignore lists each',
      confidence: 'high',
    });
  });

  it('bundled libraries and the dev install', () => {
    assert.deepEqual(
      bundledDetections({ build: [], run: [], because: [], bundled: ['psycopg: psycopg-binary bundles libpq5'] }),
      [
        {
          topic: 'system packages',
          value: 'none for psycopg',
          evidence: 'psycopg-binary bundles libpq5',
          confidence: 'medium',
        },
      ],
    );
    assert.deepEqual(devDetections({ devGroups: [] }), []);
    assert.deepEqual(
      devDetections({ devRequirements: ['requirements-dev.txt'], devGroups: ['lint'], devExtras: ['test'] }),
      [
        {
          topic: 'dev dependencies',
          value: 'requirements-dev.txt, group lint, extra test',
          evidence: 'requirements-dev.txt, pyproject.toml',
          confidence: 'high',
        },
      ],
    );
  });
});
