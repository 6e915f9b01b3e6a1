// Every rule's documented bad example must trigger it and its good example must not:
// this is each rule's failing and passing test, and it keeps docs/rules.md honest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allRules, lintText } from '../../src/lint.js';
import { loadShell } from '../../src/dockerfile/shell-load.js';

await loadShell();

describe('rule examples', () => {
  it('ids and names are unique and well-formed', () => {
    const ids = new Set<string>();
    const names = new Set<string>();
    for (const r of allRules) {
      assert.match(r.meta.id, /^LW\d{4}$/, r.meta.id);
      assert.match(r.meta.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, r.meta.name);
      assert.ok(!ids.has(r.meta.id), `duplicate id ${r.meta.id}`);
      assert.ok(!names.has(r.meta.name), `duplicate name ${r.meta.name}`);
      ids.add(r.meta.id);
      names.add(r.meta.name);
      assert.ok(r.meta.summary && r.meta.description, `${r.meta.id} needs docs`);
    }
  });
  for (const rule of allRules) {
    it(`${rule.meta.id} ${rule.meta.name}: bad example fails`, () => {
      const res = lintText(rule.meta.bad, 'Dockerfile', {
        example: rule.meta.badContext ?? {},
        settings: rule.meta.exampleSettings,
        enableAll: true,
      });
      assert.deepEqual(res.failures, []);
      const hits = res.findings.filter((f) => f.rule === rule.meta.id);
      assert.ok(
        hits.length > 0,
        `expected ${rule.meta.id} on:\n${rule.meta.bad}\ngot: ${res.findings.map((f) => f.rule).join(', ')}`,
      );
      for (const h of hits) assert.ok(h.line >= 1 && h.line <= res.file.lines.length);
    });
    it(`${rule.meta.id} ${rule.meta.name}: good example passes`, () => {
      const res = lintText(rule.meta.good, 'Dockerfile', {
        example: rule.meta.goodContext ?? { dockerignore: '.git\n' },
        settings: rule.meta.exampleSettings,
        enableAll: true,
      });
      assert.deepEqual(res.failures, []);
      const hits = res.findings.filter((f) => f.rule === rule.meta.id);
      assert.deepEqual(
        hits.map((h) => `${h.line}: ${h.message}`),
        [],
        `unexpected ${rule.meta.id} on:\n${rule.meta.good}`,
      );
    });
  }
});
