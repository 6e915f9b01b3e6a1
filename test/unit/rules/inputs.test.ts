// Dockerfiles docker refuses before building anything: empty or instruction-less files (LW1212)
// and misspelt instruction keywords (LW1213). Each case passed as clean before these rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintText } from '../../../src/lint.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

function lint(text: string) {
  const res = lintText(text, 'Dockerfile', { example: { dockerignore: '.git\n' } });
  assert.deepEqual(res.failures, []);
  return res.findings;
}

describe('empty-dockerfile (LW1212)', () => {
  const cases: [string, string, RegExp][] = [
    ['an empty file', '', /cannot be empty/],
    ['only whitespace', ' \n\t\n\n', /no instructions/],
    ['only comments', '# just a note\n# another\n', /no instructions/],
    ['only parser directives', '# syntax=docker/dockerfile:1\n# escape=`\n', /no instructions/],
    ['a lone line continuation', '\\\n', /no instructions/],
    ['CRLF blank lines', '\r\n\r\n', /no instructions/],
  ];
  for (const [name, text, message] of cases) {
    it(`${name}: one error on line 1 and nothing else`, () => {
      const findings = lint(text);
      assert.deepEqual(
        findings.map((f) => [f.rule, f.severity, f.line]),
        [['LW1212', 'error', 1]],
      );
      assert.match(findings[0].message, message);
    });
  }
  it('a file with an instruction is not empty, even a misspelt one', () => {
    assert.deepEqual(
      lint('# c\nFROM python:3.12-slim\n').filter((f) => f.rule === 'LW1212'),
      [],
    );
    assert.deepEqual(
      lint('FRMO python:3.12-slim\n').filter((f) => f.rule === 'LW1212'),
      [],
    );
  });
});

describe('unknown-instruction (LW1213)', () => {
  it('FRMO is reported at its keyword with the closest instruction, and nothing else', () => {
    const findings = lint('FRMO python:3.12-slim\nRUN echo hi\n');
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity, f.line, f.column, f.endColumn, f.message]),
      [['LW1213', 'error', 1, 1, 5, 'unknown instruction FRMO: did you mean FROM?']],
    );
  });
  it('typos after FROM, in lower case and in ONBUILD triggers', () => {
    const findings = lint('FROM python:3.12-slim\nRUNN echo hi\ncopyy a b\nONBUILD WORKDIRR /app\n').filter(
      (f) => f.rule === 'LW1213',
    );
    assert.deepEqual(
      findings.map((f) => [f.line, f.column, f.message]),
      [
        [2, 1, 'unknown instruction RUNN: did you mean RUN?'],
        [3, 1, 'unknown instruction copyy: did you mean COPY?'],
        [4, 9, 'unknown instruction WORKDIRR: did you mean WORKDIR?'],
      ],
    );
  });
  it('a word close to no instruction gets no suggestion', () => {
    const [f] = lint('FROM python:3.12-slim\nBANANA split\n').filter((x) => x.rule === 'LW1213');
    assert.equal(f.message, 'unknown instruction BANANA; Docker stops the build here');
  });
  it('an unknown instruction before FROM is not also "before the first FROM"', () => {
    const ids = lint('BANANA split\nFROM python:3.12-slim\n').map((f) => f.rule);
    assert.ok(ids.includes('LW1213'));
    assert.ok(!ids.includes('LW1207'), ids.join(','));
  });
  it('every known instruction, in any case, is not reported', () => {
    const text =
      'ARG V=1\nfrom python:3.12-slim AS base\nRun echo\nCMD ["a"]\nLABEL a=b\nMAINTAINER x\nEXPOSE 80\nENV A=1\n' +
      'ADD a /a\nCOPY b /b\nENTRYPOINT ["x"]\nVOLUME /v\nUSER 1000\nWORKDIR /w\nONBUILD RUN x\nSTOPSIGNAL SIGTERM\n' +
      'HEALTHCHECK NONE\nSHELL ["/bin/sh", "-c"]\n';
    assert.deepEqual(
      lint(text).filter((f) => f.rule === 'LW1213'),
      [],
    );
  });
});
