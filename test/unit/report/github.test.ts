import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeData, escapeProperty, renderGithub } from '../../../src/report/github.js';
import { cleanReport, sampleReport } from './sample.js';

describe('github reporter', () => {
  it('writes one workflow command per finding', () => {
    assert.equal(
      renderGithub(sampleReport(), { color: false }),
      [
        '::notice file=Dockerfile,line=2,col=9,endLine=2,endColumn=13,title=LW5001 secret-in-env::ENV a,b: c%25d%0Anext line',
        '::error file=Dockerfile,line=4,col=1,endLine=5,endColumn=21,title=LW2001 deps-after-source-copy::pip install re-runs on every code change: COPY . . (line 3) comes first; copy requirements first',
        '::warning file=Dockerfile,line=6,col=1,endLine=6,endColumn=25,title=LW1001 json-args-recommended::CMD in shell form runs under /bin/sh; use JSON form: CMD ["uvicorn", "app.main:app"]',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing without findings', () => {
    assert.equal(renderGithub(cleanReport(), { color: false }), '');
  });

  it('escapes as GitHub documents', () => {
    assert.equal(escapeData('50% done\r\nnext: a, b'), '50%25 done%0D%0Anext: a, b');
    assert.equal(escapeProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
    // Order matters: `%` first, so escapes are not escaped twice.
    assert.equal(escapeProperty('%3A'), '%253A');
  });

  it('escapes file paths and notices for info and style', () => {
    const r = sampleReport();
    r.files[0].path = 'C:/odd,dir/Dockerfile';
    r.files[0].findings[0].severity = 'style';
    const lines = renderGithub(r, { color: false }).split('\n');
    assert.match(lines[0], /^::notice file=C%3A\/odd%2Cdir\/Dockerfile,line=2,/);
  });
});
