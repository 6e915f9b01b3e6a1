// docs/audit-json.md documents every field of the audit's JSON: each field declared in the
// interfaces of src/audit/types.ts appears in the document as `name` (or `parent.name`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe('docs/audit-json.md', () => {
  it('names every field of the AuditResult model', () => {
    const types = readFileSync(join(root, 'src/audit/types.ts'), 'utf8');
    const doc = readFileSync(join(root, 'docs/audit-json.md'), 'utf8');
    const fields = new Set<string>();
    for (const [, name, body] of types.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
      // What discovery returns is not part of the output.
      if (name === 'DiscoverResult' || name === 'AuditTarget') continue;
      for (const [, field] of body.matchAll(/^\s+(\w+)\??:/gm)) fields.add(field);
    }
    assert.ok(fields.size > 40, `${fields.size} fields found`);
    const missing = [...fields].filter((f) => !new RegExp('`([\\w.]+\\.)?' + f + '[`.]').test(doc));
    assert.deepEqual(missing, []);
  });
});
