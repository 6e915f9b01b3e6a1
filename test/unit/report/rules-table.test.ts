import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderRulesJson, renderRulesText, rulesJson } from '../../../src/report/rules-table.js';
import { allRules } from '../../../src/rules/all.js';
import { depsAfterCopy, jsonArgs, secretEnv } from './sample.js';

describe('rules table', () => {
  it('renders a compact aligned table with a footer', () => {
    assert.equal(
      renderRulesText([secretEnv, jsonArgs, depsAfterCopy]),
      [
        'ID      NAME                    CATEGORY     SEVERITY    FIX  ALIASES',
        'LW1001  json-args-recommended   correctness  warning     *    JSONArgsRecommended, DL3025',
        'LW2001  deps-after-source-copy  cache        error',
        'LW5001  secret-in-env           security     info (off)       SecretsUsedInArgOrEnv',
        '',
        '3 rules, 1 fixable with --fix (*), 1 off by default',
        '',
      ].join('\n'),
    );
  });

  it('rules --json follows the contract', () => {
    const out = JSON.parse(renderRulesJson([secretEnv, jsonArgs]));
    assert.deepEqual(
      out.map((r: { id: string }) => r.id),
      ['LW1001', 'LW5001'],
    );
    assert.deepEqual(out[1], {
      id: 'LW5001',
      name: 'secret-in-env',
      category: 'security',
      severity: 'info',
      fixable: false,
      aliases: ['SecretsUsedInArgOrEnv'],
      summary: 'A secret in ARG or ENV.',
      description: 'Values of ARG and ENV stay in the image history.',
      defaultOff: true,
    });
    assert.equal(out[0].defaultOff, false);
  });

  it('accepts rules or their metadata, and covers every real rule', () => {
    const json = rulesJson(allRules);
    assert.equal(json.length, allRules.length);
    assert.deepEqual(json, rulesJson(allRules.map((r) => r.meta)));
    for (const r of json)
      for (const k of ['id', 'name', 'category', 'severity', 'fixable', 'aliases']) assert.ok(k in r);
    const text = renderRulesText(allRules).split('\n');
    assert.equal(text.length, allRules.length + 4);
  });
});
