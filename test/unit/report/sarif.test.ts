// Validates the SARIF reporter against the official SARIF 2.1.0 JSON schema (draft-04, vendored
// in test/fixtures; see test/fixtures/README.md) with Ajv.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import AjvDraft04 from 'ajv-draft-04';
import { artifactUri, renderSarif } from '../../../src/report/sarif.js';
import { allRules } from '../../../src/rules/all.js';
import { cleanReport, sampleReport } from './sample.js';

const schemaPath = new URL('../../../../test/fixtures/sarif-schema-2.1.0.json', import.meta.url);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));

function validator() {
  // unicodeRegExp off: the schema's `language` pattern is not a valid regular expression in unicode mode.
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  // The formats the schema uses, checked simply (ajv-formats is not needed for this).
  ajv.addFormat('uri', /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/);
  ajv.addFormat('uri-reference', /^[^\s\\]*$/);
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  return ajv.compile(schema);
}

const validate = validator();

function assertValid(log: unknown): void {
  const ok = validate(log);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
}

describe('sarif reporter', () => {
  it('is valid SARIF 2.1.0 for a report with findings', () => {
    const log = JSON.parse(renderSarif(sampleReport(), { color: false }));
    assertValid(log);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
    assert.equal(log.runs.length, 1);
  });

  it('is valid with no findings, and with every real rule as a descriptor', () => {
    const r = cleanReport();
    r.rules = allRules.map((x) => x.meta);
    const log = JSON.parse(renderSarif(r, { color: false }));
    assertValid(log);
    assert.deepEqual(log.runs[0].results, []);
    assert.equal(log.runs[0].tool.driver.rules.length, allRules.length);
  });

  it('the validator does reject broken logs', () => {
    const log = JSON.parse(renderSarif(sampleReport(), { color: false }));
    log.runs[0].results[0].level = 'fatal';
    assert.equal(validate(log), false);
    const log2 = JSON.parse(renderSarif(sampleReport(), { color: false }));
    log2.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(log2), false);
  });

  it('describes the tool and each rule with help and examples', () => {
    const log = JSON.parse(renderSarif(sampleReport(), { color: false }));
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'layerwise');
    assert.equal(driver.version, '0.1.0');
    assert.deepEqual(
      driver.rules.map((r: { id: string }) => r.id),
      ['LW1001', 'LW2001', 'LW5001'],
    );
    const [json, , secret] = driver.rules;
    assert.equal(json.name, 'json-args-recommended');
    assert.equal(json.shortDescription.text, 'CMD/ENTRYPOINT in shell form: the process does not receive signals.');
    assert.match(json.fullDescription.text, /exec\) form/);
    assert.match(json.help.markdown, /```dockerfile\nFROM python:3.12-slim\nCMD uvicorn app.main:app\n```/);
    assert.match(json.help.markdown, /CMD \["uvicorn", "app.main:app"\]/);
    assert.match(json.help.text, /Problem:\nFROM python/);
    assert.deepEqual(json.defaultConfiguration, { enabled: true, level: 'warning' });
    assert.deepEqual(json.properties.aliases, ['JSONArgsRecommended', 'DL3025']);
    assert.equal(json.properties.category, 'correctness');
    assert.ok(json.properties.tags.includes('correctness'));
    assert.deepEqual(secret.defaultConfiguration, { enabled: false, level: 'note' });
    assert.ok(secret.properties.tags.includes('security'));
    assert.equal(secret.properties['security-severity'], '3.0');
  });

  it('maps results: ruleIndex, level, message, relative location, region, fixes', () => {
    const log = JSON.parse(renderSarif(sampleReport(), { color: false }));
    const results = log.runs[0].results;
    assert.deepEqual(
      results.map((r: { ruleId: string; ruleIndex: number; level: string }) => [r.ruleId, r.ruleIndex, r.level]),
      [
        ['LW5001', 2, 'note'],
        ['LW2001', 1, 'error'],
        ['LW1001', 0, 'warning'],
      ],
    );
    const dep = results[1];
    assert.match(dep.message.text, /^pip install re-runs/);
    assert.deepEqual(dep.locations[0].physicalLocation, {
      artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 1, endLine: 5, endColumn: 21 },
    });
    assert.equal(dep.fixes, undefined);
    assert.deepEqual(results[2].fixes, [
      {
        description: { text: 'use exec form' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'Dockerfile', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { charOffset: 100, charLength: 20 },
                insertedContent: { text: ' ["uvicorn", "app.main:app"]' },
              },
            ],
          },
        ],
      },
    ]);
  });

  it('adds a descriptor for a finding whose rule metadata is missing', () => {
    const r = sampleReport();
    r.rules = [];
    const log = JSON.parse(renderSarif(r, { color: false }));
    assertValid(log);
    assert.deepEqual(
      log.runs[0].results.map((x: { ruleIndex: number }) => x.ruleIndex),
      [0, 1, 2],
    );
  });

  it('uses forward-slash relative URIs and escapes unsafe characters', () => {
    assert.deepEqual(artifactUri('./svc/Dockerfile'), { uri: 'svc/Dockerfile', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(artifactUri('svc\\api\\Dockerfile'), {
      uri: 'svc/api/Dockerfile',
      uriBaseId: '%SRCROOT%',
    });
    assert.deepEqual(artifactUri('my app/Dockerfile #1'), {
      uri: 'my%20app/Dockerfile%20%231',
      uriBaseId: '%SRCROOT%',
    });
    assert.deepEqual(artifactUri('/abs/Dockerfile'), { uri: 'file:///abs/Dockerfile' });
    assert.deepEqual(artifactUri('C:\\x\\Dockerfile'), { uri: 'file:///C:/x/Dockerfile' });
    const r = sampleReport();
    r.files[0].path = 'odd dir/Docker file';
    assertValid(JSON.parse(renderSarif(r, { color: false })));
  });

  it('keeps regions well-formed when a finding has an inverted span', () => {
    const r = sampleReport();
    Object.assign(r.files[0].findings[0], { line: 3, column: 5, endLine: 2, endColumn: 1 });
    const log = JSON.parse(renderSarif(r, { color: false }));
    assertValid(log);
    assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.region, {
      startLine: 3,
      startColumn: 5,
      endLine: 3,
      endColumn: 5,
    });
  });
});
