// varRefs finds the variable references BuildKit expands in Dockerfile text. It is one pass over
// the text: an open `${` or many references in one instruction must not rescan the rest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { varRefs } from '../../../src/rules/lib/variables.js';

const names = (text: string, esc?: string) =>
  varRefs(text, esc).map((r) => `${r.name}@${r.offset}${r.modifier ? '+' : ''}`);

describe('varRefs', () => {
  it('finds $X and ${X}, with modifiers', () => {
    const text = 'a $A b ${B} c ${C:-d} ${D#p}';
    const at = (s: string) => text.indexOf(s);
    assert.deepEqual(names(text), [`A@${at('$A')}`, `B@${at('${B')}`, `C@${at('${C')}+`, `D@${at('${D')}+`]);
    assert.deepEqual(varRefs('x ${A:-${B}}')[0].raw, '${A:-${B}');
  });

  it('skips escaped dollars and single-quoted text, not double-quoted', () => {
    assert.deepEqual(names('\\$A $B'), ['B@4']);
    assert.deepEqual(names('\\\\$A'), ['A@2']);
    assert.deepEqual(names('`$A $B', '`'), ['B@4']);
    // 'x'\''y' is the shell idiom for a quote inside single quotes: $C after it is outside them.
    const quoted = `'$A' "$B" 'x'\\''y' $C '$D`;
    assert.deepEqual(names(quoted), [`B@${quoted.indexOf('$B')}`, `C@${quoted.indexOf('$C')}`]);
  });

  it('an open ${ is no reference, and the references after it are still found', () => {
    assert.deepEqual(names('${A ${B $C'), ['C@8']);
    const open = '${X '.repeat(20_000);
    assert.deepEqual(names(`${open}$Y`), [`Y@${open.length}`]);
    // The first `}` after an open `${X` closes it, with everything between as its modifier.
    assert.deepEqual(names('${X $Y ${Z}'), ['X@0+']);
  });

  it('many references in one long text: every one, in order', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `'q' $V${i}`).join(' ');
    const refs = varRefs(text);
    assert.equal(refs.length, 5000);
    assert.equal(refs[4999].name, 'V4999');
  });
});
