import type { Rule } from '../types.js';
import { suggest } from '../lib/suggest.js';
import { INSTRUCTIONS, isUnknownInstruction } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW1213',
    name: 'unknown-instruction',
    category: 'correctness',
    severity: 'error',
    summary: 'An instruction Docker does not know, usually a misspelt keyword (FRMO, RUNN, COPPY).',
    description:
      'Docker stops the build at the first unknown instruction ("unknown instruction: FRMO"), so nothing after a ' +
      'typo runs. Correct the keyword; the message names the closest one.',
    bad: 'FRMO python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n',
    good: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    for (const top of file.instructions) {
      // An ONBUILD trigger is parsed when a child image builds FROM this one: a typo there breaks that build.
      for (const ins of top.onbuild ? [top, top.onbuild] : [top]) {
        if (!isUnknownInstruction(file, ins)) continue;
        const near = suggest(ins.keyword, INSTRUCTIONS);
        ctx.report({
          line: ins.keywordSpan.start.line,
          column: ins.keywordSpan.start.column,
          endLine: ins.keywordSpan.end.line,
          endColumn: ins.keywordSpan.end.column,
          message: `unknown instruction ${ins.rawKeyword}${near ? `: did you mean ${near}?` : '; Docker stops the build here'}`,
        });
      }
    }
  },
};
