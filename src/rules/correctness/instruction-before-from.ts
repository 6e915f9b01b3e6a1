import { suggest } from '../lib/suggest.js';
import type { Rule } from '../types.js';
import { INSTRUCTIONS, isStrayContinuation, isUnknownInstruction } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW1207',
    name: 'instruction-before-from',
    category: 'correctness',
    severity: 'error',
    summary: 'A Dockerfile must begin with FROM (only ARG, comments and parser directives may come first).',
    description:
      'Docker rejects any instruction other than ARG before the first FROM: there is no image yet to run it in. ' +
      'Move the instruction into a stage, after FROM.',
    bad: 'LABEL org.opencontainers.image.source="https://example.com/app"\nFROM python:3.12-slim\n',
    good: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.source="https://example.com/app"\n',
    fixable: false,
    aliases: ['DL3061'],
  },
  check(ctx) {
    for (const ins of ctx.file.instructions) {
      if (ins.stage !== undefined) break;
      if (ins.keyword === 'ARG' || ins.keyword === 'FROM' || isStrayContinuation(ctx.file, ins)) continue;
      // unknown-instruction reports these; a misspelt FROM (`FRMO`) was meant to start the
      // stage, so what follows it is not "before FROM" to the writer either.
      if (isUnknownInstruction(ctx.file, ins)) {
        if (suggest(ins.keyword, INSTRUCTIONS) === 'FROM') break;
        continue;
      }
      ctx.report({
        line: ins.span.start.line,
        column: ins.span.start.column,
        message: `${ins.keyword} before the first FROM is invalid; only ARG may precede FROM. Move it after FROM`,
      });
    }
  },
};
