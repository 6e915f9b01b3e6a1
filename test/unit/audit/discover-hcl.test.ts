import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exprText, HclError, parseHcl, type HclExpr } from '../../../src/audit/discover-hcl.js';

const attr = (text: string, name = 'a'): HclExpr => {
  const a = parseHcl(text).attrs.find((x) => x.name === name);
  assert.ok(a, `attribute ${name}`);
  return a.expr;
};

describe('HCL subset', () => {
  it('reads blocks with quoted and bare labels, attributes and their lines', () => {
    const body = parseHcl('# top\ntarget "app" {\n  context = "."\n}\n\nvariable TAG { default = "x" }\nx = 1\n');
    assert.deepEqual(
      body.blocks.map((b) => [b.type, b.labels, b.line]),
      [
        ['target', ['app'], 2],
        ['variable', ['TAG'], 6],
      ],
    );
    assert.deepEqual(body.blocks[0].body.attrs, [{ name: 'context', expr: { t: 'lit', v: '.' }, line: 3 }]);
    assert.deepEqual(body.blocks[1].body.attrs[0].expr, { t: 'lit', v: 'x' });
    assert.deepEqual(body.attrs, [{ name: 'x', expr: { t: 'lit', v: 1 }, line: 7 }]);
  });

  it('skips #, // and /* */ comments, also inside lists and objects', () => {
    const e = attr('a = [ # first\n  "x", // second\n  /* third */ "y",\n]\n');
    assert.deepEqual(e, {
      t: 'list',
      items: [
        { t: 'lit', v: 'x' },
        { t: 'lit', v: 'y' },
      ],
    });
  });

  it('splits strings into literal and ${} parts; $${ is a literal', () => {
    assert.deepEqual(attr('a = "${REG}/api:${TAG}-x"'), {
      t: 'tmpl',
      parts: [{ t: 'ref', path: ['REG'] }, '/api:', { t: 'ref', path: ['TAG'] }, '-x'],
    });
    assert.deepEqual(attr('a = "cost $${NOT} \\"q\\""'), { t: 'lit', v: 'cost ${NOT} "q"' });
  });

  it('reads objects with = or :, newline or comma separated, quoted keys', () => {
    const e = attr('a = {\n  A = "1"\n  "b.c" : 2, d = true\n  e = null\n}');
    assert.deepEqual(e, {
      t: 'obj',
      entries: [
        ['A', { t: 'lit', v: '1' }],
        ['b.c', { t: 'lit', v: 2 }],
        ['d', { t: 'lit', v: true }],
        ['e', { t: 'lit', v: null }],
      ],
    });
  });

  it('keeps calls, operators and conditionals as raw text, not guessed', () => {
    assert.deepEqual(attr('a = lower("X")\nb = 1'), { t: 'raw', text: 'lower("X")' });
    assert.deepEqual(attr('a = TAG == "" ? "latest" : TAG\n'), { t: 'raw', text: 'TAG == "" ? "latest" : TAG' });
    const list = attr('a = ["x", join(",", ["y", "z"])]');
    assert.equal(list.t, 'list');
    assert.deepEqual(list.t === 'list' && list.items[1], { t: 'raw', text: 'join(",", ["y", "z"])' });
    assert.deepEqual(attr('a = "v${upper(X)}"'), { t: 'tmpl', parts: ['v', { t: 'raw', text: 'upper(X)' }] });
  });

  it('reads references with dots and heredocs (<<- strips the indent)', () => {
    assert.deepEqual(attr('a = target.base.tags'), { t: 'ref', path: ['target', 'base', 'tags'] });
    assert.deepEqual(attr('a = <<-EOT\n    FROM x\n      RUN y\n    EOT\nb = 2'), { t: 'lit', v: 'FROM x\n  RUN y\n' });
  });

  it('writes expressions back as text for messages', () => {
    assert.equal(exprText(attr('a = "${A}-b"')), '${A}-b');
    assert.equal(exprText(attr('a = ["x", y]')), '[x, y]');
  });

  it('reports syntax errors with their line', () => {
    const cases: [string, number, RegExp][] = [
      ['target "a" {\n  context = "x\n}', 2, /string is not closed/],
      ['target "a" {\n  context = "."\n', 3, /block is not closed/],
      ['\n\n}', 3, /unexpected \}/],
      ['a = [1, 2\nb = 3', 2, /expected , or \] in a list/],
      ['/* never closed', 1, /unterminated/],
      ['a = 1\n= 2', 2, /unexpected "="/],
      ['target "a" {\n  context = "x" }}', 2, /unexpected \}/],
    ];
    for (const [text, line, msg] of cases) {
      assert.throws(
        () => parseHcl(text),
        (e: unknown) => e instanceof HclError && e.line === line && msg.test(e.message),
        JSON.stringify(text),
      );
    }
  });
});
