import type { Rule } from '../types.js';
import { isStrayContinuation } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW1212',
    name: 'empty-dockerfile',
    category: 'correctness',
    severity: 'error',
    summary: 'The Dockerfile has no instructions (empty, or only comments, blank lines and parser directives).',
    description:
      'Docker refuses to build it: an empty file fails with "the Dockerfile cannot be empty" and one holding only ' +
      'comments or directives with "file with no instructions". Usually the wrong file was named, or it was ' +
      'truncated; write the build steps, starting with FROM.',
    bad: '# syntax=docker/dockerfile:1\n# TODO: build the app image\n',
    good: '# syntax=docker/dockerfile:1\nFROM python:3.12-slim\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    // An unknown instruction still makes the file non-empty to Docker (it fails on that instead,
    // reported by unknown-instruction); a stray line continuation does not.
    if (file.instructions.some((i) => !isStrayContinuation(file, i))) return;
    const empty = file.text === '';
    ctx.report({
      line: 1,
      column: 1,
      message: empty
        ? 'the Dockerfile is empty: docker refuses it ("the Dockerfile cannot be empty"); write its instructions, starting with FROM'
        : 'no instructions, only comments, blank lines or parser directives: docker refuses it ("file with no instructions"); add the build steps, starting with FROM',
    });
  },
};
