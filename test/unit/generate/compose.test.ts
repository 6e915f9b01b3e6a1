// Every compose.yaml init writes is valid against the Compose Specification's JSON schema (vendored
// in test/fixtures/compose-spec), and names only stages the Dockerfile it builds has.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { dockerfileShape, generateFiles } from '../../../src/generate/index.js';
import { detectProject } from '../../../src/project/index.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'projects');
const schema = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'compose-spec', 'compose-spec.json'), 'utf8'));
// The schema names its draft by an https URI Ajv does not know; its keywords are draft-07's.
const validate = new Ajv({ strict: false, validateSchema: false, allErrors: true }).compile(schema);

const FIXTURES = [
  'fastapi-uv',
  'django-poetry',
  'flask-piptools',
  'pdm-starlette',
  'scm-version',
  'uv-workspace',
  'data-app',
  'flask-procfile',
];

interface Service {
  build: { context: string; dockerfile?: string; target?: string };
  develop?: { watch: { action: string; path: string; target?: string }[] };
}

describe('compose.yaml', () => {
  for (const splitBase of [false, true])
    for (const name of FIXTURES)
      it(`${name}${splitBase ? ' --split-base' : ''}: valid against the compose schema; each target is a stage of its Dockerfile`, () => {
        const p = detectProject(join(fixtures, name));
        const files = generateFiles(p, { splitBase });
        const text = files.find((f) => f.path === 'compose.yaml')?.content ?? '';
        const doc = parseYaml(text) as { services: Record<string, Service> };
        assert.ok(validate(doc), `${name}: ${JSON.stringify(validate.errors, null, 1)}\n${text}`);
        for (const [svc, s] of Object.entries(doc.services)) {
          const df = files.find((f) => f.path === (s.build.dockerfile ?? 'Dockerfile'));
          assert.ok(df, `${svc}: builds ${s.build.dockerfile}, which init writes`);
          if (s.build.target)
            assert.ok(
              dockerfileShape(df.content).stages.includes(s.build.target),
              `${svc}: target ${s.build.target} is a stage of ${df.path}`,
            );
          for (const w of s.develop?.watch ?? []) {
            if (!w.action.startsWith('sync')) continue;
            // dev installs the code editable from /app; runtime holds a package in site-packages.
            if (s.build.target === 'dev') assert.equal(w.target, `/app/${w.path.slice(2)}`);
            else if (p.isPackage)
              assert.match(w.target ?? '', /^\/app\/\.venv\/lib\/python3\.\d+\/site-packages\/[\w.]+$/);
            else assert.equal(w.target, `/app/${w.path.slice(2)}`);
          }
        }
        if (splitBase) {
          const base = Object.entries(doc.services).find(([, s]) => s.build.dockerfile === 'Dockerfile.base');
          assert.ok(base, 'a service builds Dockerfile.base');
          const from = /^ARG BASE_IMAGE=(\S+)$/m.exec(files.find((f) => f.path === 'Dockerfile')?.content ?? '')?.[1];
          assert.equal(
            (base[1] as { image?: string }).image,
            from,
            'the base service tags what the app FROM defaults to',
          );
        }
      });

  it('the schema is the real one: it refuses a misspelt key and an unknown watch action', () => {
    assert.equal(validate({ services: { a: { build: { context: '.', targt: 'dev' } } } }), false);
    assert.equal(
      validate({ services: { a: { build: '.', develop: { watch: [{ action: 'copy', path: '.' }] } } } }),
      false,
    );
    assert.equal(
      validate({
        services: { a: { build: '.', develop: { watch: [{ action: 'sync+restart', path: './src', target: '/x' }] } } },
      }),
      true,
    );
  });
});
