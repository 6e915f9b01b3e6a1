import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discoverTargets } from '../../../src/audit/discover.js';
import { UserError } from '../../../src/errors.js';
import { MONOREPO, rel, scratch } from './scratch.js';

/** Targets as readable rows: paths relative to the root, origins as `file:line detail`. */
function rows(root: string, opts?: { dockerfiles?: string[] }) {
  const r = discoverTargets(root, opts);
  return {
    targets: r.targets.map((t) => ({
      name: t.name,
      dockerfile: rel(root, t.dockerfile),
      context: rel(root, t.context),
      ...(t.target ? { target: t.target } : {}),
      args: t.args,
      origins: t.origins.map(
        (o) => `${o.kind} ${o.file}${o.line ? `:${o.line}` : ''}${o.detail ? ` ${o.detail}` : ''}`,
      ),
    })),
    warnings: r.warnings,
  };
}

describe('discoverTargets', () => {
  it('monorepo: every source merged, one target per Dockerfile + context + target + args', () => {
    const r = rows(MONOREPO);
    assert.deepEqual(r.targets, [
      {
        name: 'ghcr.io/acme/api',
        dockerfile: 'backend/Dockerfile',
        context: '.',
        args: { PYTHON_VERSION: '3.11', GIT_SHA: '${{ github.sha }}' },
        origins: ['workflow .github/workflows/ci.yml:23 jobs.images.steps[2]'],
      },
      {
        name: 'api-debug',
        dockerfile: 'backend/Dockerfile',
        context: '.',
        target: 'debug',
        args: { PYTHON_VERSION: '3.11', GIT_SHA: '${GIT_SHA}' },
        origins: ['bake docker-bake.hcl:33 target "api-debug"'],
      },
      {
        // backend/Dockerfile built from the repository root by compose (two services), bake and a workflow.
        name: 'api',
        dockerfile: 'backend/Dockerfile',
        context: '.',
        target: 'runtime',
        args: { PYTHON_VERSION: '3.11' },
        origins: [
          'compose compose.yaml:11 services.api',
          'compose compose.yaml:15 services.worker',
          'bake docker-bake.hcl:27 target "api"',
          'workflow .github/workflows/ci.yml:37 jobs.release.steps[1]',
        ],
      },
      {
        name: 'ghcr.io/acme/web (.github/workflows/ci.yml:23)',
        dockerfile: 'frontend/Dockerfile',
        context: 'frontend',
        args: { PYTHON_VERSION: '3.11', GIT_SHA: '${{ github.sha }}' },
        origins: ['workflow .github/workflows/ci.yml:23 jobs.images.steps[2]'],
      },
      {
        name: 'ghcr.io/acme/web (.github/workflows/ci.yml:48)',
        dockerfile: 'frontend/Dockerfile',
        context: 'frontend',
        args: {},
        origins: ['workflow .github/workflows/ci.yml:48 jobs.release.steps[3]'],
      },
      {
        name: 'web (compose.yaml)',
        dockerfile: 'frontend/Dockerfile',
        context: 'frontend',
        args: { NODE_ENV: 'development' },
        origins: ['compose compose.yaml:19 services.web', 'compose compose.override.yaml:4 services.web'],
      },
      {
        name: 'web (docker-bake.hcl)',
        dockerfile: 'frontend/Dockerfile',
        context: 'frontend',
        args: { NODE_ENV: 'production' },
        origins: ['bake docker-bake.hcl:41 target "web"'],
      },
      {
        // Nobody builds it: its own folder is the context.
        name: 'scripts/scratch.Dockerfile',
        dockerfile: 'scripts/scratch.Dockerfile',
        context: 'scripts',
        args: {},
        origins: ['dockerfile scripts/scratch.Dockerfile'],
      },
      {
        name: 'migrate',
        dockerfile: 'tools/Dockerfile.migrate',
        context: '.',
        args: {},
        origins: ['bake ops/docker-bake.json:6 target "migrate"'],
      },
    ]);
    // Vendored, virtualenv and gitignored Dockerfiles are not the project's.
    for (const t of r.targets) assert.doesNotMatch(t.dockerfile, /node_modules|\.venv|envs\/py311|generated/);
    assert.deepEqual(r.warnings, [
      'compose.yaml:23: services.inline: dockerfile_inline is not audited (move it into a Dockerfile to audit it); skipped',
      'compose.yaml:28: services.remote: build.context https://github.com/acme/other.git#main is a remote (git/URL) context, not a local directory; skipped',
      'compose.yaml:30: services.ghost: Dockerfile backend/Dockerfile.missing not found; skipped (fix the dockerfile path)',
      'docker-bake.hcl:14: group "all" names unknown target "nope"; ignored',
      'docker-bake.hcl:52: target "computed": dockerfile lower("BACKEND/Dockerfile") cannot be evaluated; skipped',
      'docker-bake.hcl:48: target "lost": build context does-not-exist is not a directory; skipped (fix the context path)',
      '.github/workflows/ci.yml:45: jobs.release.steps[2]: context ${{ inputs.context }} is an expression the audit cannot evaluate; skipped',
      '.github/workflows/dynamic.yaml:14: jobs.build: the matrix is an expression and is not expanded; ${{ matrix.* }} stays unresolved',
      '.github/workflows/dynamic.yaml:16: jobs.build.steps[0]: context ${{ matrix.svc }} is an expression the audit cannot evaluate; skipped',
      '.github/workflows/dynamic.yaml:19: jobs.build.steps[1]: context https://github.com/acme/other.git#main is a remote (git/URL) context, not a local directory; skipped',
    ]);
  });

  it('two compose services with different contexts are two images; the same Dockerfile from another context is another', () => {
    const s = scratch({
      'compose.yaml': [
        'services:',
        '  api:',
        '    build: ./api',
        '  api-from-root:',
        '    build:',
        '      context: .',
        '      dockerfile: api/Dockerfile',
        '  web:',
        '    build: ./web',
      ].join('\n'),
      'api/Dockerfile': 'FROM python:3.11-slim\n',
      'web/Dockerfile': 'FROM debian:bookworm-slim\n',
    });
    try {
      const r = rows(s.dir);
      assert.deepEqual(
        r.targets.map((t) => [t.name, t.dockerfile, t.context]),
        [
          ['api-from-root', 'api/Dockerfile', '.'],
          ['api', 'api/Dockerfile', 'api'],
          ['web', 'web/Dockerfile', 'web'],
        ],
      );
      assert.deepEqual(r.warnings, []);
    } finally {
      s.done();
    }
  });

  it('Dockerfile names found on their own; symlinked folders are not followed, symlinked files are', () => {
    const s = scratch({
      Dockerfile: 'FROM scratch\n',
      'Dockerfile.dev': 'FROM scratch\n',
      'svc/worker.Dockerfile': 'FROM scratch\n',
      'svc/Containerfile': 'FROM scratch\n',
      'svc/Dockerfile.dockerignore': '*\n',
      'svc/README.md': 'not a Dockerfile\n',
      'dist/Dockerfile': 'FROM scratch\n',
      '.git/Dockerfile': 'FROM scratch\n',
    });
    try {
      mkdirSync(join(s.dir, 'loop'));
      symlinkSync(s.dir, join(s.dir, 'loop', 'back'), 'dir');
      // A Dockerfile-named link to a folder or to nothing is not a Dockerfile; a link to a file is.
      symlinkSync(join(s.dir, 'svc'), join(s.dir, 'loop', 'Dockerfile'), 'dir');
      symlinkSync(join(s.dir, 'missing'), join(s.dir, 'loop', 'Dockerfile.gone'));
      symlinkSync(join(s.dir, 'Dockerfile'), join(s.dir, 'loop', 'Dockerfile.linked'));
      const r = rows(s.dir);
      assert.deepEqual(
        r.targets.map((t) => [t.name, t.context, t.origins.join()]),
        [
          ['Dockerfile', '.', 'dockerfile Dockerfile'],
          ['Dockerfile.dev', '.', 'dockerfile Dockerfile.dev'],
          ['loop/Dockerfile.linked', 'loop', 'dockerfile loop/Dockerfile.linked'],
          ['svc/Containerfile', 'svc', 'dockerfile svc/Containerfile'],
          ['svc/worker.Dockerfile', 'svc', 'dockerfile svc/worker.Dockerfile'],
        ],
      );
    } finally {
      s.done();
    }
  });

  it('opts.dockerfiles keeps only those Dockerfiles; a listed file nobody builds is its own target', () => {
    const r = rows(MONOREPO, { dockerfiles: ['frontend/Dockerfile', join(MONOREPO, 'tools', 'migrate.py')] });
    assert.deepEqual(
      r.targets.map((t) => t.name),
      [
        'ghcr.io/acme/web (.github/workflows/ci.yml:23)',
        'ghcr.io/acme/web (.github/workflows/ci.yml:48)',
        'web (compose.yaml)',
        'web (docker-bake.hcl)',
        'tools/migrate.py',
      ],
    );
  });

  it('a bad root or a missing listed Dockerfile is a UserError', () => {
    assert.throws(
      () => discoverTargets(join(MONOREPO, 'nope')),
      (e: unknown) => e instanceof UserError && /no such directory/.test(e.message),
    );
    assert.throws(
      () => discoverTargets(join(MONOREPO, 'compose.yaml')),
      (e: unknown) => e instanceof UserError && /not a directory/.test(e.message),
    );
    assert.throws(
      () => discoverTargets(MONOREPO, { dockerfiles: ['backend/Nope'] }),
      (e: unknown) => e instanceof UserError && /^backend\/Nope: no such Dockerfile/.test(e.message),
    );
  });

  it('a value spanning lines is quoted on one warning line', () => {
    const s = scratch({
      '.github/workflows/w.yml':
        'jobs:\n  b:\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: |\n            ${{ a }}\n            b\n',
    });
    try {
      assert.deepEqual(discoverTargets(s.dir).warnings, [
        '.github/workflows/w.yml:4: jobs.b.steps[0]: context ${{ a }}\\nb is an expression the audit cannot evaluate; skipped',
      ]);
    } finally {
      s.done();
    }
  });

  it('an empty folder has no targets and no warnings', () => {
    const s = scratch({ 'README.md': '# nothing to build\n' });
    try {
      assert.deepEqual(discoverTargets(s.dir), { targets: [], warnings: [] });
    } finally {
      s.done();
    }
  });
});
