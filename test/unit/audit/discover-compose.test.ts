import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { argsMap, discoverCompose, interpolate, readDotEnv } from '../../../src/audit/discover-compose.js';
import { MONOREPO, rel, scratch } from './scratch.js';

/** Definitions as short readable rows. */
function rows(root: string, files: string[]) {
  const r = discoverCompose(
    root,
    files.map((f) => join(root, f)),
  );
  return {
    defs: r.defs.map((d) => ({
      name: d.name,
      context: rel(root, d.context),
      dockerfile: rel(root, d.dockerfile),
      target: d.target,
      args: d.args,
      origins: d.origins.map((o) => `${o.file}:${o.line} ${o.detail}`),
    })),
    warnings: r.warnings,
  };
}

describe('compose discovery', () => {
  it('monorepo: contexts from the compose dir, Dockerfile from the context, anchors and merge keys, override args', () => {
    const r = rows(MONOREPO, ['compose.yaml', 'compose.override.yaml']);
    assert.deepEqual(
      r.defs.filter((d) => ['api', 'worker', 'web'].includes(d.name)),
      [
        {
          name: 'api',
          context: '.',
          dockerfile: 'backend/Dockerfile',
          target: 'runtime',
          args: { PYTHON_VERSION: '3.11' },
          origins: ['compose.yaml:11 services.api'],
        },
        {
          name: 'worker',
          context: '.',
          dockerfile: 'backend/Dockerfile',
          target: 'runtime',
          args: { PYTHON_VERSION: '3.11' },
          origins: ['compose.yaml:15 services.worker'],
        },
        {
          // build: ${FRONTEND_DIR:-frontend} with FRONTEND_DIR from .env; args from compose.override.yaml.
          name: 'web',
          context: 'frontend',
          dockerfile: 'frontend/Dockerfile',
          target: undefined,
          args: { NODE_ENV: 'development' },
          origins: ['compose.yaml:19 services.web', 'compose.override.yaml:4 services.web'],
        },
      ],
    );
    assert.ok(!r.defs.some((d) => d.name === 'db'), 'an image-only service builds nothing');
    assert.ok(!r.defs.some((d) => d.name === 'inline' || d.name === 'remote'));
    assert.deepEqual(r.warnings, [
      'compose.yaml:23: services.inline: dockerfile_inline is not audited (move it into a Dockerfile to audit it); skipped',
      'compose.yaml:28: services.remote: build.context https://github.com/acme/other.git#main is a remote (git/URL) context, not a local directory; skipped',
    ]);
  });

  it('a compose file in a subfolder resolves from its own folder; variants stack on the base', () => {
    const s = scratch({
      'deploy/docker-compose.yml':
        'services:\n  app:\n    build:\n      context: ../src\n      dockerfile: ../docker/app.Dockerfile\n',
      'deploy/docker-compose.prod.yml': 'services:\n  app:\n    build:\n      target: prod\n      args: [A=1, B]\n',
    });
    try {
      const r = rows(s.dir, ['deploy/docker-compose.yml', 'deploy/docker-compose.prod.yml']);
      assert.deepEqual(
        r.defs.map((d) => [d.context, d.dockerfile, d.target, d.args, d.origins.length]),
        [
          ['src', 'docker/app.Dockerfile', undefined, {}, 1],
          ['src', 'docker/app.Dockerfile', 'prod', { A: '1', B: '${B}' }, 2],
        ],
      );
      assert.deepEqual(r.warnings, []);
    } finally {
      s.done();
    }
  });

  it('bad files and bad services are one warning line each', () => {
    const s = scratch({
      'a/compose.yaml': 'services:\n  x: [\n',
      'b/compose.yaml': '- just\n- a list\n',
      'c/compose.yaml':
        'services:\n  x:\n    build: 42\n  y:\n    build:\n      context: ${NOPE}\n  z:\n    build:\n      context: [1]\n',
      'd/compose.yml': 'services: []\n',
      'e/compose.yaml':
        'include:\n  - ../other/compose.yaml\nservices:\n  x:\n    extends:\n      file: common.yml\n      service: base\n',
    });
    try {
      const r = rows(s.dir, ['a/compose.yaml', 'b/compose.yaml', 'c/compose.yaml', 'd/compose.yml', 'e/compose.yaml']);
      assert.deepEqual(r.defs, []);
      assert.equal(r.warnings.length, 8, r.warnings.join('\n'));
      assert.match(r.warnings[0], /^a\/compose\.yaml: not valid YAML \(line \d+: .+\); skipped$/);
      assert.equal(r.warnings[1], 'b/compose.yaml: not a compose file (the top level is not a mapping); skipped');
      assert.equal(r.warnings[2], 'c/compose.yaml:3: services.x: build is neither a path nor a mapping; skipped');
      assert.equal(
        r.warnings[3],
        'c/compose.yaml:5: services.y: build.context ${NOPE} uses a variable with no value in .env and no default; skipped',
      );
      assert.equal(r.warnings[4], 'c/compose.yaml:8: services.z: build.context is not a string; skipped');
      assert.equal(r.warnings[5], 'd/compose.yml:1: services is not a mapping; skipped');
      assert.equal(
        r.warnings[6],
        "e/compose.yaml:1: include is not followed; audit the included project's directory too",
      );
      assert.equal(
        r.warnings[7],
        'e/compose.yaml:5: services.x: extends is not followed; a build it inherits is not audited (give the service its own build)',
      );
    } finally {
      s.done();
    }
  });

  it('args as a map or a list; a bare name takes its value from the environment', () => {
    assert.deepEqual(argsMap(['A=1', 'B', 'C=x=y', 'D=']), { A: '1', B: '${B}', C: 'x=y', D: '' });
    assert.deepEqual(argsMap({ A: 1, B: null, C: true, D: 'v' }), { A: '1', B: '${B}', C: 'true', D: 'v' });
  });

  it('interpolates paths like compose, from .env only', () => {
    const env = new Map([
      ['DIR', 'svc'],
      ['EMPTY', ''],
    ]);
    assert.equal(interpolate('./${DIR}/x', env), './svc/x');
    assert.equal(interpolate('$DIR', env), 'svc');
    assert.equal(interpolate('${EMPTY:-def}', env), 'def');
    assert.equal(interpolate('${EMPTY-def}', env), '');
    assert.equal(interpolate('${MISSING-def}', env), 'def');
    assert.equal(interpolate('${DIR:+set}', env), 'set');
    assert.equal(interpolate('$$HOME', env), '$HOME');
    assert.equal(interpolate('${MISSING}', env), null);
  });

  it('reads .env: comments, export, quotes', () => {
    const s = scratch({ '.env': '# c\nexport A=1\nB="two words"\nC=3 # note\nD=\'x\'\nnot a line\n' });
    try {
      assert.deepEqual(
        [...readDotEnv(join(s.dir, '.env'))],
        [
          ['A', '1'],
          ['B', 'two words'],
          ['C', '3'],
          ['D', 'x'],
        ],
      );
      assert.equal(readDotEnv(join(s.dir, 'missing.env')).size, 0);
    } finally {
      s.done();
    }
  });
});
