// docs/bench-json.md documents every field of bench's JSON: each field declared in the interfaces
// of src/bench/types.ts that a result holds appears in the document as `name` (or `parent.name`),
// and its example is a result this version reads, holding every one of those fields.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { invalidResult } from '../../../src/bench/history.js';
import { checkThresholds, parseFailOn } from '../../../src/bench/fail-on.js';
import type { BenchResult } from '../../../src/bench/types.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const doc = readFileSync(join(root, 'docs/bench-json.md'), 'utf8');

/** Field names of the interfaces a BenchResult is made of, nested object types included. */
function declaredFields(): Set<string> {
  const types = readFileSync(join(root, 'src/bench/types.ts'), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const fields = new Set<string>();
  for (const [, name, body] of types.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    // One build of --repeat: the output holds its figures through ScenarioResult, not itself.
    if (name === 'BenchRun') continue;
    for (const [, field] of body.matchAll(/(\w+)\??:/g)) fields.add(field);
  }
  return fields;
}

function exampleResult(): BenchResult {
  const m = /## Example[\s\S]*?```json\n([\s\S]*?)\n```/.exec(doc);
  assert.ok(m, 'the example block');
  return JSON.parse(m[1]) as BenchResult;
}

function keysOf(x: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(x)) for (const v of x) keysOf(v, out);
  else if (x && typeof x === 'object')
    for (const [k, v] of Object.entries(x)) {
      // Keys of buildArgs are the user's, not fields.
      if (k !== 'buildArgs') keysOf(v, out);
      out.add(k);
    }
  return out;
}

describe('docs/bench-json.md', () => {
  it('names every field of the BenchResult model', () => {
    const fields = declaredFields();
    assert.ok(fields.size > 45, `${fields.size} fields found`);
    const missing = [...fields].filter((f) => !new RegExp('`([\\w.]+\\.)?' + f + '[`.]').test(doc));
    assert.deepEqual(missing, []);
  });

  it('gives an example that is a valid result holding every field', () => {
    const r = exampleResult();
    assert.equal(invalidResult(r), null);
    const missing = [...declaredFields()].filter((f) => !keysOf(r).has(f));
    // The example gives no --target, is no compose project, and could check every rule.
    assert.deepEqual(missing, ['target', 'services', 'unchecked']);
  });

  it("gives the checks' reasons as --fail-on writes them for the example's figures", () => {
    const r = exampleResult();
    const baseline: BenchResult = JSON.parse(JSON.stringify(r));
    baseline.scenarios[0].time.median_s = 1.16;
    const checks = checkThresholds(
      parseFailOn(r.verdict!.checks.map((k) => k.rule)),
      { ...r, verdict: undefined },
      baseline,
    );
    assert.deepEqual(checks, r.verdict!.checks);
  });
});
