import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIgnored, parseDockerignore } from '../../../src/dockerfile/dockerignore.js';

const ig = (patterns: string, path: string) => isIgnored(parseDockerignore(patterns), path);

describe('.dockerignore matching (Docker semantics)', () => {
  it('matches a directory and everything below it', () => {
    assert.equal(ig('.git', '.git'), true);
    assert.equal(ig('.git', '.git/HEAD'), true);
    assert.equal(ig('.git', 'src/.git'), false, 'patterns are rooted at the context');
  });
  it('single star does not cross directories, double star does', () => {
    assert.equal(ig('*.pyc', 'a.pyc'), true);
    assert.equal(ig('*.pyc', 'pkg/a.pyc'), false);
    assert.equal(ig('**/*.pyc', 'pkg/sub/a.pyc'), true);
    assert.equal(ig('**/*.pyc', 'a.pyc'), true);
    assert.equal(ig('**/__pycache__', 'a/b/__pycache__/x.pyc'), true);
  });
  it('last match wins and ! re-includes', () => {
    assert.equal(ig('*.md\n!README.md', 'README.md'), false);
    assert.equal(ig('*.md\n!README.md', 'CHANGES.md'), true);
    assert.equal(ig('!README.md\n*.md', 'README.md'), true);
  });
  it('deny by default with exceptions', () => {
    const p = '*\n!src\n!pyproject.toml\n!uv.lock';
    assert.equal(ig(p, 'src/app/main.py'), false);
    assert.equal(ig(p, 'uv.lock'), false);
    assert.equal(ig(p, 'tests/test_x.py'), true);
    assert.equal(ig(p, '.git/config'), true);
  });
  it('cleans leading slashes, ./ and trailing slashes; skips comments', () => {
    assert.equal(ig('/build/', 'build/x'), true);
    assert.equal(ig('./dist', 'dist'), true);
    assert.equal(ig('# .git\n', '.git'), false);
  });
  it('? and character classes stay within one segment', () => {
    assert.equal(ig('file?.txt', 'file1.txt'), true);
    assert.equal(ig('file?.txt', 'file/.txt'), false);
    assert.equal(ig('[ab].txt', 'b.txt'), true);
    assert.equal(ig('[ab].txt', 'c.txt'), false);
  });
});
