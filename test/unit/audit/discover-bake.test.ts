import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discoverBake } from '../../../src/audit/discover-bake.js';
import { MONOREPO, rel, scratch } from './scratch.js';

function rows(root: string, files: string[]) {
  const r = discoverBake(
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
      origin: `${d.origins[0].file}:${d.origins[0].line} ${d.origins[0].detail}`,
    })),
    warnings: r.warnings,
  };
}

describe('bake discovery', () => {
  it('monorepo HCL: variables, inherits, groups; a template target is not an image', () => {
    const r = rows(MONOREPO, ['docker-bake.hcl']);
    assert.deepEqual(r.defs, [
      {
        name: 'api',
        context: '.',
        dockerfile: 'backend/Dockerfile',
        target: 'runtime',
        args: { PYTHON_VERSION: '3.11' },
        origin: 'docker-bake.hcl:27 target "api"',
      },
      {
        // Inherits api (and so _common), overrides target, adds an arg whose variable is not defined.
        name: 'api-debug',
        context: '.',
        dockerfile: 'backend/Dockerfile',
        target: 'debug',
        args: { PYTHON_VERSION: '3.11', GIT_SHA: '${GIT_SHA}' },
        origin: 'docker-bake.hcl:33 target "api-debug"',
      },
      {
        name: 'web',
        context: 'frontend',
        dockerfile: 'frontend/Dockerfile',
        target: undefined,
        args: { NODE_ENV: 'production' },
        origin: 'docker-bake.hcl:41 target "web"',
      },
      {
        // Its context does not exist: discoverTargets drops it with a warning, bake only reports it.
        name: 'lost',
        context: 'does-not-exist',
        dockerfile: 'does-not-exist/Dockerfile',
        target: undefined,
        args: {},
        origin: 'docker-bake.hcl:48 target "lost"',
      },
    ]);
    assert.deepEqual(r.warnings, [
      'docker-bake.hcl:14: group "all" names unknown target "nope"; ignored',
      'docker-bake.hcl:52: target "computed": dockerfile lower("BACKEND/Dockerfile") cannot be evaluated; skipped',
    ]);
  });

  it('monorepo JSON: variables interpolate, the context is relative to the bake file', () => {
    const r = rows(MONOREPO, ['ops/docker-bake.json']);
    assert.deepEqual(r.defs, [
      {
        name: 'migrate',
        context: '.',
        dockerfile: 'tools/Dockerfile.migrate',
        target: undefined,
        args: {},
        origin: 'ops/docker-bake.json:6 target "migrate"',
      },
    ]);
    assert.deepEqual(r.warnings, []);
  });

  it('the override file is read with the base; repeated blocks merge; a -f variant is its own set', () => {
    const s = scratch({
      'docker-bake.hcl':
        'variable "V" { default = "1" }\ntarget "app" {\n  args = { A = "${V}", B = "b" }\n}\ntarget "app" {\n  target = "prod"\n}\n',
      'docker-bake.override.hcl': 'variable "V" { default = "2" }\ntarget "app" {\n  args = { B = null, C = V }\n}\n',
      'docker-bake.ci.hcl': 'target "app" {\n  dockerfile = "ci.Dockerfile"\n}\n',
    });
    try {
      const r = rows(s.dir, ['docker-bake.ci.hcl', 'docker-bake.hcl', 'docker-bake.override.hcl']);
      assert.deepEqual(
        r.defs.map((d) => [d.dockerfile, d.target, d.args]),
        [
          ['Dockerfile', 'prod', { A: '2', C: '2' }],
          ['ci.Dockerfile', 'prod', { A: '2', C: '2' }],
        ],
      );
      assert.deepEqual(r.warnings, []);
    } finally {
      s.done();
    }
  });

  it('unusable definitions are one warning line each', () => {
    const s = scratch({
      'a/docker-bake.hcl': 'target "x" {\n  context = "."\n',
      'b/docker-bake.json': '{"target": [1]}',
      'c/docker-bake.json': '{ not json',
      'e/docker-bake.hcl': 'a = ' + '['.repeat(200_000),
      'd/docker-bake.hcl': [
        'target "loop1" {\n  inherits = ["loop2"]\n}',
        'target "loop2" {\n  inherits = ["loop1"]\n}',
        'group "default" {\n  targets = ["loop1"]\n}',
        'target "inline" {\n  dockerfile-inline = "FROM scratch"\n}',
        'target "remote" {\n  context = "https://github.com/acme/x.git"\n}',
        'target "mx" {\n  name = "mx-${v}"\n  matrix = { v = ["a", "b"] }\n}',
        'target "orphan" {\n  inherits = ["ghost"]\n}',
        'target "ctx" {\n  context = CTX_DIR\n}',
      ].join('\n'),
    });
    try {
      const r = rows(s.dir, [
        'a/docker-bake.hcl',
        'b/docker-bake.json',
        'c/docker-bake.json',
        'd/docker-bake.hcl',
        'e/docker-bake.hcl',
      ]);
      assert.deepEqual(
        r.defs.map((d) => d.name),
        ['orphan'],
      );
      assert.equal(r.warnings.length, 10, r.warnings.join('\n'));
      assert.equal(
        r.warnings[0],
        'a/docker-bake.hcl:3: cannot be parsed as HCL (a block is not closed with }); skipped',
      );
      assert.equal(r.warnings[1], 'b/docker-bake.json: not a bake JSON file (target is not an object); skipped');
      assert.match(r.warnings[2], /^c\/docker-bake\.json: not a bake JSON file \(.+\); skipped$/);
      assert.deepEqual(r.warnings.slice(3), [
        'd/docker-bake.hcl:1: target "loop1": inherits loops (loop1 -> loop2 -> loop1); skipped',
        'd/docker-bake.hcl:10: target "inline": dockerfile-inline is not audited (move it into a Dockerfile to audit it); skipped',
        'd/docker-bake.hcl:13: target "remote": context https://github.com/acme/x.git is a remote (git/URL) context, not a local directory; skipped',
        'd/docker-bake.hcl:16: target "mx": matrix targets are not expanded; skipped',
        'd/docker-bake.hcl:20: target "orphan" inherits unknown target "ghost"; ignored',
        'd/docker-bake.hcl:23: target "ctx": context CTX_DIR cannot be evaluated; skipped',
        // 200,000 nested lists: the parser's recursion runs out, the file is skipped, discovery goes on.
        'e/docker-bake.hcl: cannot be parsed as HCL (Maximum call stack size exceeded); skipped',
      ]);
    } finally {
      s.done();
    }
  });
});
