// docs/rules.md is generated from the rule metadata; this fails when someone changed a rule
// (or added one) without regenerating it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { allRules } from '../../../src/rules/all.js';
import { anchor, origins, renderRuleDoc, renderRulesDoc } from '../../../src/rules/docs.js';
import { depsAfterCopy, jsonArgs, secretEnv } from './sample.js';

const docsPath = new URL('../../../../docs/rules.md', import.meta.url);

describe('rules docs', () => {
  it('docs/rules.md is up to date with the rule metadata', () => {
    const expected = renderRulesDoc(allRules);
    assert.ok(existsSync(docsPath), 'docs/rules.md is missing: run npm run docs');
    const actual = readFileSync(docsPath, 'utf8');
    if (actual !== expected) assert.fail('docs/rules.md is stale: run npm run docs');
  });

  it('lists every rule in the index and has a section with both examples for each', () => {
    const doc = renderRulesDoc(allRules);
    for (const r of allRules) {
      assert.ok(doc.includes(`| [${r.meta.id}](#${anchor(r.meta)}) | ${r.meta.name} |`), r.meta.id);
      assert.ok(doc.includes(`\n### ${r.meta.id} ${r.meta.name}\n`), r.meta.id);
    }
    assert.equal(doc.match(/^Fails:$/gm)?.length, allRules.length);
    assert.equal(doc.match(/^Passes:$/gm)?.length, allRules.length);
  });

  it('counts origins: hadolint codes, build checks, own rules', () => {
    const doc = renderRulesDoc([jsonArgs, depsAfterCopy, secretEnv]);
    assert.match(doc, /\| hadolint rules \(`DL` codes\) \| 1 \|/);
    assert.match(doc, /\| Docker build checks \| 2 \|/);
    assert.match(doc, /\| layerwise's own rules \| 1 \|/);
    assert.match(doc, /^3 rules: 1 fixable with `layerwise lint --fix`, 1 off by default/m);
    assert.deepEqual(origins(jsonArgs), ['hadolint', 'buildkit']);
    assert.deepEqual(origins(depsAfterCopy), ['layerwise']);
    assert.match(
      doc,
      /\| `DL3025` \| hadolint \| \[LW1001 json-args-recommended\]\(#lw1001-json-args-recommended\) \|/,
    );
  });

  it('renders one rule with facts, examples and its build context', () => {
    assert.equal(
      renderRuleDoc(depsAfterCopy),
      [
        '### LW2001 deps-after-source-copy',
        '',
        'Dependencies are installed after the source is copied.',
        '',
        'Every code change re-runs the install.',
        '',
        '- Category: cache',
        '- Severity: error',
        '- Fixable: no',
        '- Aliases: none (layerwise only)',
        '',
        'Fails:',
        '',
        '```dockerfile',
        'FROM python:3.12-slim',
        'COPY . .',
        'RUN pip install .',
        '```',
        '',
        'Build context files: `requirements.txt`, `app/main.py`.',
        '',
        'No `.dockerignore`.',
        '',
        'Passes:',
        '',
        '```dockerfile',
        'FROM python:3.12-slim',
        'COPY requirements.txt .',
        'RUN pip install -r requirements.txt',
        'COPY . .',
        '```',
      ].join('\n'),
    );
  });

  it('mentions the settings the examples need', () => {
    const doc = renderRuleDoc({ ...jsonArgs, exampleSettings: { trustedRegistries: ['registry.example'] } });
    assert.match(doc, /The examples are linted with these settings: `trustedRegistries = \["registry.example"\]`\./);
  });

  it('fences examples that contain backticks with a longer fence', () => {
    const doc = renderRuleDoc({ ...jsonArgs, bad: 'FROM a\nRUN echo ```\n' });
    assert.match(doc, /````dockerfile\nFROM a\nRUN echo ```\n````/);
  });
});
