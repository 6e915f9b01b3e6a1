import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintJson, renderJson } from '../../../src/report/json.js';
import { cleanReport, sampleReport } from './sample.js';

// The keys DESIGN.md promises (`rule`, `file`, `line`, `column`, `category`, `severity`,
// `message`) plus the documented ones in docs/json-output.md. Adding keys is fine; removing or
// renaming one breaks users and must fail here.
const FINDING_KEYS = [
  'rule',
  'name',
  'file',
  'line',
  'column',
  'endLine',
  'endColumn',
  'category',
  'severity',
  'message',
  'fixable',
];
const SUMMARY_KEYS = [
  'problems',
  'errors',
  'warnings',
  'infos',
  'styles',
  'files',
  'filesWithProblems',
  'fixable',
  'fixed',
  'failureThreshold',
  'failed',
];

describe('json reporter', () => {
  it('renders the contract: version, tool, files, findings, summary', () => {
    const out = JSON.parse(renderJson(sampleReport(), { color: false }));
    assert.deepEqual(Object.keys(out), ['version', 'tool', 'files', 'findings', 'summary']);
    assert.equal(out.version, 1);
    assert.deepEqual(out.tool, { name: 'layerwise', version: '0.1.0' });
    assert.deepEqual(out.files, [
      { path: 'Dockerfile', problems: 3, fixed: 0 },
      { path: 'worker/Dockerfile', problems: 0, fixed: 0 },
    ]);
    assert.equal(out.findings.length, 3);
    for (const f of out.findings) {
      for (const k of FINDING_KEYS) assert.ok(k in f, `finding lacks ${k}`);
      assert.equal(typeof f.line, 'number');
      assert.equal(typeof f.column, 'number');
      assert.ok(['error', 'warning', 'info', 'style'].includes(f.severity));
    }
    assert.deepEqual(out.findings[2], {
      rule: 'LW1001',
      name: 'json-args-recommended',
      file: 'Dockerfile',
      line: 6,
      column: 1,
      endLine: 6,
      endColumn: 25,
      category: 'correctness',
      severity: 'warning',
      message: 'CMD in shell form runs under /bin/sh; use JSON form: CMD ["uvicorn", "app.main:app"]',
      fixable: true,
      fix: { description: 'use exec form' },
    });
    assert.deepEqual(Object.keys(out.summary), SUMMARY_KEYS);
    assert.deepEqual(out.summary, {
      problems: 3,
      errors: 1,
      warnings: 1,
      infos: 1,
      styles: 0,
      files: 2,
      filesWithProblems: 1,
      fixable: 1,
      fixed: 0,
      failureThreshold: 'warning',
      failed: true,
    });
  });

  it('is valid JSON ending with a newline, also with no findings', () => {
    const text = renderJson(cleanReport(), { color: false });
    assert.ok(text.endsWith('}\n'));
    const out = JSON.parse(text);
    assert.deepEqual(out.findings, []);
    assert.equal(out.summary.problems, 0);
    assert.equal(out.summary.failed, false);
  });

  it('failed follows the failure threshold, and fixed counts --fix', () => {
    const r = sampleReport();
    r.failureThreshold = 'error';
    assert.equal(lintJson(r).summary.failed, true);
    r.files[0].findings = r.files[0].findings.filter((f) => f.severity !== 'error');
    assert.equal(lintJson(r).summary.failed, false);
    r.failureThreshold = 'none';
    r.files[0].findings[0].severity = 'error';
    assert.equal(lintJson(r).summary.failed, false);
    r.fixed = [{ path: 'Dockerfile', count: 4 }];
    assert.equal(lintJson(r).summary.fixed, 4);
    assert.equal(lintJson(r).files[0].fixed, 4);
  });

  it('uses the file path of the file report', () => {
    const r = sampleReport();
    r.files[0].path = 'svc/Dockerfile';
    assert.ok(lintJson(r).findings.every((f) => f.file === 'svc/Dockerfile'));
  });
});
