import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayLine, renderText, summaryLine } from '../../../src/report/text.js';
import type { LintReport } from '../../../src/report/types.js';
import { cleanReport, jsonArgs, sampleReport } from './sample.js';

const plain = { color: false };
const ESC = String.fromCharCode(27);

describe('text reporter', () => {
  it('prints each finding with a code frame, grouped per file, then a summary', () => {
    assert.equal(
      renderText(sampleReport(), plain),
      [
        'Dockerfile:2:9  info  ENV a,b: c%d',
        '  next line  [LW5001 secret-in-env]',
        '    1 | FROM python:3.12-slim',
        '  > 2 | WORKDIR /app',
        '      |         ^^^^',
        '    3 | COPY . .',
        '',
        'Dockerfile:4:1  error  pip install re-runs on every code change: COPY . . (line 3) comes first; copy requirements first  [LW2001 deps-after-source-copy]',
        '    3 | COPY . .',
        '  > 4 | RUN pip install \\',
        '      | ^^^^^^^^^^^^^^^^^',
        '  > 5 |     --no-cache-dir .',
        '      |     ^^^^^^^^^^^^^^^^',
        '    6 | CMD uvicorn app.main:app',
        '',
        'Dockerfile:6:1  warning  CMD in shell form runs under /bin/sh; use JSON form: CMD ["uvicorn", "app.main:app"]  [LW1001 json-args-recommended]',
        '    5 |     --no-cache-dir .',
        '  > 6 | CMD uvicorn app.main:app',
        '      | ^^^^^^^^^^^^^^^^^^^^^^^^',
        '',
        '3 problems (1 error, 1 warning, 1 info) in 1 file, 1 fixable with --fix',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing at all when there are no findings', () => {
    assert.equal(renderText(cleanReport(), plain), '');
    assert.equal(renderText(cleanReport(), { color: true }), '');
  });

  it('says what --fix fixed, even when nothing is left', () => {
    const r = cleanReport();
    r.fixed = [{ path: 'Dockerfile', count: 2 }];
    assert.equal(renderText(r, plain), 'fixed 2 problems in Dockerfile\n');
  });

  it('separates findings and files by a blank line and counts files with problems', () => {
    const r = sampleReport();
    const second = { ...r.files[0], path: 'svc/Dockerfile', findings: [r.files[0].findings[2]] };
    r.files.push(second);
    const out = renderText(r, plain).split('\n');
    const at = out.indexOf(
      'svc/Dockerfile:6:1  warning  CMD in shell form runs under /bin/sh; use JSON form: CMD ["uvicorn", "app.main:app"]  [LW1001 json-args-recommended]',
    );
    assert.ok(at > 0);
    assert.equal(out[at - 1], '');
    assert.equal(out.at(-2), '4 problems (1 error, 2 warnings, 1 info) in 2 files, 2 fixable with --fix');
  });

  it('singular summary and no fixable part when nothing is fixable', () => {
    const r = sampleReport();
    r.files[0].findings = [r.files[0].findings[1]];
    assert.equal(summaryLine(r), '1 problem (1 error) in 1 file');
  });

  it('colours only when asked', () => {
    const r = sampleReport();
    assert.ok(!renderText(r, plain).includes(ESC));
    const coloured = renderText(r, { color: true });
    assert.ok(coloured.includes(`${ESC}[31merror${ESC}[39m`));
    assert.ok(coloured.includes(`${ESC}[33mwarning${ESC}[39m`));
    // Without the escapes it is the plain output.
    assert.equal(coloured.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), ''), renderText(r, plain));
  });

  it('shortens long spans, expands tabs and neutralises control characters', () => {
    const lines = ['FROM alpine', 'RUN a \\', '  b \\', '  c \\', '  d \\', '  e \\', '  f', `CMD\tx${ESC}[31m`];
    const r: LintReport = {
      files: [
        {
          path: 'D',
          lines,
          findings: [
            {
              rule: 'LW1',
              name: 'n',
              file: 'D',
              line: 2,
              column: 1,
              endLine: 7,
              endColumn: 4,
              category: 'style',
              severity: 'style',
              message: 'm',
              fixable: false,
            },
            {
              rule: 'LW2',
              name: 'n',
              file: 'D',
              line: 8,
              column: 5,
              endLine: 8,
              endColumn: 6,
              category: 'style',
              severity: 'style',
              message: 'm',
              fixable: false,
            },
          ],
        },
      ],
      rules: [],
      failureThreshold: 'none',
      toolVersion: '0',
    };
    const out = renderText(r, plain).split('\n');
    assert.deepEqual(out.slice(0, 12), [
      'D:2:1  style  m  [LW1 n]',
      '    1 | FROM alpine',
      '  > 2 | RUN a \\',
      '      | ^^^^^^^',
      '  > 3 |   b \\',
      '      |   ^^^',
      '      ...',
      '  > 6 |   e \\',
      '      |   ^^^',
      '  > 7 |   f',
      '      |   ^',
      '    8 | CMD x?[31m',
    ]);
    assert.deepEqual(out.slice(13, 17), [
      'D:8:5  style  m  [LW2 n]',
      '    7 |   f',
      '  > 8 | CMD x?[31m',
      '      |     ^',
    ]);
    assert.equal(out.at(-2), '2 problems (2 style) in 1 file');
    assert.equal(displayLine('\tx'), '    x');
  });

  it('survives findings outside the file and empty files (stdin)', () => {
    const r = cleanReport();
    r.files[0].lines = [];
    r.files[0].findings = [
      {
        rule: jsonArgs.id,
        name: jsonArgs.name,
        file: '-',
        line: 3,
        column: 1,
        endLine: 3,
        endColumn: 1,
        category: 'correctness',
        severity: 'error',
        message: 'm',
        fixable: false,
      },
    ];
    assert.equal(
      renderText(r, plain),
      'Dockerfile:3:1  error  m  [LW1001 json-args-recommended]\n\n1 problem (1 error) in 1 file\n',
    );
  });
});
