import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPOSE_FILES, lineAt } from '../../../src/project/files.js';

describe('files: line numbers and compose names', () => {
  it('lineAt: the line of an offset, or of the first match of a RegExp', () => {
    const text = '[project]\nname = "x"\n\n[tool.uv.workspace]\n  members = ["a"]\n';
    assert.equal(lineAt(text, 0), 1);
    assert.equal(lineAt(text, text.indexOf('members')), 5);
    assert.equal(lineAt(text, /^[ \t]*members[ \t]*=/m), 5);
    assert.equal(lineAt(text, /^\[tool\.uv\.workspace\]/m), 4);
    assert.equal(lineAt(text, /^nope/m), undefined);
    assert.equal(lineAt(undefined, /x/), undefined);
    // A global RegExp is not stateful here: the same answer twice.
    const g = /name/g;
    assert.equal(lineAt(text, g), 2);
    assert.equal(lineAt(text, g), 2);
  });

  it('COMPOSE_FILES: the default names, compose.yaml first', () => {
    assert.deepEqual(COMPOSE_FILES, ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']);
  });
});
