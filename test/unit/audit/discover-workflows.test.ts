import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discoverWorkflows, matrixCombos, workflowFiles } from '../../../src/audit/discover-workflows.js';
import { MONOREPO, rel, scratch } from './scratch.js';

function rows(root: string, files: string[]) {
  const r = discoverWorkflows(root, files);
  return {
    defs: r.defs.map((d) => ({
      name: d.name,
      context: rel(root, d.context),
      dockerfile: rel(root, d.dockerfile),
      target: d.target,
      args: d.args,
      origin: `${d.origins[0].file}:${d.origins[0].line} ${d.origins[0].detail}`,
    })),
    warnings: r.warnings,
  };
}

describe('workflow discovery', () => {
  it('lists .github/workflows/*.yml and *.yaml, sorted', () => {
    assert.deepEqual(
      workflowFiles(MONOREPO).map((f) => rel(MONOREPO, f)),
      ['.github/workflows/ci.yml', '.github/workflows/dynamic.yaml'],
    );
  });

  it('monorepo: matrix expanded, env substituted, ${{ }} kept in args, tags and metadata-action images name the image', () => {
    const r = rows(MONOREPO, workflowFiles(MONOREPO));
    assert.deepEqual(r.defs, [
      {
        name: 'ghcr.io/acme/api',
        context: '.',
        dockerfile: 'backend/Dockerfile',
        target: undefined,
        args: { PYTHON_VERSION: '3.11', GIT_SHA: '${{ github.sha }}' },
        origin: '.github/workflows/ci.yml:23 jobs.images.steps[2]',
      },
      {
        name: 'ghcr.io/acme/web',
        context: 'frontend',
        dockerfile: 'frontend/Dockerfile',
        target: undefined,
        args: { PYTHON_VERSION: '3.11', GIT_SHA: '${{ github.sha }}' },
        origin: '.github/workflows/ci.yml:23 jobs.images.steps[2]',
      },
      {
        name: 'ghcr.io/acme/api',
        context: '.',
        dockerfile: 'backend/Dockerfile',
        target: 'runtime',
        args: { PYTHON_VERSION: '3.11' },
        origin: '.github/workflows/ci.yml:37 jobs.release.steps[1]',
      },
      {
        // context "{{defaultContext}}:frontend": the repository's own git context, subfolder frontend.
        name: 'ghcr.io/acme/web',
        context: 'frontend',
        dockerfile: 'frontend/Dockerfile',
        target: undefined,
        args: {},
        origin: '.github/workflows/ci.yml:48 jobs.release.steps[3]',
      },
    ]);
    assert.deepEqual(r.warnings, [
      '.github/workflows/ci.yml:45: jobs.release.steps[2]: context ${{ inputs.context }} is an expression the audit cannot evaluate; skipped',
      '.github/workflows/dynamic.yaml:14: jobs.build: the matrix is an expression and is not expanded; ${{ matrix.* }} stays unresolved',
      '.github/workflows/dynamic.yaml:16: jobs.build.steps[0]: context ${{ matrix.svc }} is an expression the audit cannot evaluate; skipped',
      '.github/workflows/dynamic.yaml:19: jobs.build.steps[1]: context https://github.com/acme/other.git#main is a remote (git/URL) context, not a local directory; skipped',
    ]);
  });

  it('no context: the repository root; file relative to the root; a matrix over targets', () => {
    const s = scratch({
      '.github/workflows/w.yml': [
        'jobs:',
        '  b:',
        '    strategy:',
        '      matrix:',
        '        stage: [dev, prod]',
        '        py: ["3.11", "3.12"]',
        '        exclude:',
        '          - stage: dev',
        '            py: "3.11"',
        '    steps:',
        '      - uses: docker/build-push-action@v5',
        '        with:',
        '          file: docker/app.Dockerfile',
        '          target: ${{ matrix.stage }}',
        '          build-args: |',
        '            PY=${{ matrix.py }}',
        '            BROKEN',
        '          tags: |',
        '            acme/app:${{ matrix.stage }}',
        '      - uses: docker/build-push-action@v5',
        '        with:',
        '          target: ${{ inputs.stage }}',
        '      - run: docker build .',
      ].join('\n'),
      'bad.yml': 'jobs: [\n',
    });
    try {
      const r = rows(s.dir, [join(s.dir, '.github/workflows/w.yml'), join(s.dir, 'bad.yml')]);
      assert.deepEqual(
        r.defs.map((d) => [d.name, d.context, d.dockerfile, d.target, d.args]),
        [
          ['acme/app', '.', 'docker/app.Dockerfile', 'dev', { PY: '3.12' }],
          ['acme/app', '.', 'docker/app.Dockerfile', 'prod', { PY: '3.11' }],
          ['acme/app', '.', 'docker/app.Dockerfile', 'prod', { PY: '3.12' }],
        ],
      );
      assert.equal(r.warnings.length, 3, r.warnings.join('\n'));
      assert.match(
        r.warnings[0],
        /^\.github\/workflows\/w\.yml:11: jobs\.b\.steps\[0\]: build-args line "BROKEN" has no =; ignored$/,
      );
      assert.match(
        r.warnings[1],
        /^\.github\/workflows\/w\.yml:20: jobs\.b\.steps\[1\]: target \$\{\{ inputs\.stage \}\} is an expression the audit cannot evaluate; skipped$/,
      );
      assert.match(r.warnings[2], /^bad\.yml: not valid YAML \(.+\); skipped$/);
    } finally {
      s.done();
    }
  });
});

describe('matrix expansion', () => {
  it('no matrix: one empty combination; an expression: null', () => {
    assert.deepEqual(matrixCombos(undefined), [{}]);
    assert.equal(matrixCombos('${{ fromJson(x) }}'), null);
    assert.equal(matrixCombos({ os: '${{ fromJson(x) }}' }), null);
  });

  it('product of the lists, minus exclude', () => {
    assert.deepEqual(matrixCombos({ a: [1, 2], b: ['x', 'y'], exclude: [{ a: 2, b: 'y' }] }), [
      { a: '1', b: 'x' },
      { a: '1', b: 'y' },
      { a: '2', b: 'x' },
    ]);
  });

  it('include extends matching combinations without overwriting them, else adds its own', () => {
    assert.deepEqual(
      matrixCombos({
        fruit: ['apple', 'pear'],
        animal: ['cat', 'dog'],
        include: [
          { color: 'green' },
          { color: 'pink', animal: 'cat' },
          { fruit: 'apple', shape: 'circle' },
          { fruit: 'banana' },
          { fruit: 'banana', animal: 'cat' },
        ],
      }),
      [
        { fruit: 'apple', animal: 'cat', color: 'pink', shape: 'circle' },
        { fruit: 'apple', animal: 'dog', color: 'green', shape: 'circle' },
        { fruit: 'pear', animal: 'cat', color: 'pink' },
        { fruit: 'pear', animal: 'dog', color: 'green' },
        { fruit: 'banana' },
        { fruit: 'banana', animal: 'cat' },
      ],
    );
  });

  it('only include: each entry is a combination', () => {
    assert.deepEqual(matrixCombos({ include: [{ name: 'a' }, { name: 'b', ctx: '.' }] }), [
      { name: 'a' },
      { name: 'b', ctx: '.' },
    ]);
  });
});
