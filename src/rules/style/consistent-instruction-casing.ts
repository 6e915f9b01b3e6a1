import type { Instruction } from '../../dockerfile/types.js';
import { isLower, isUpper } from '../lib/suggest.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW6303',
    name: 'consistent-instruction-casing',
    category: 'style',
    severity: 'style',
    summary: 'Instruction keyword cased differently from the rest of the file.',
    description:
      'Instructions are case-insensitive, but a file that mixes `RUN` and `run` (or `Run`) is harder to scan. ' +
      "BuildKit's ConsistentInstructionCasing check asks for the casing most instructions in the file already use.",
    bad: 'FROM python:3.12-slim\nWORKDIR /app\ncopy . .\nCMD ["python", "app.py"]\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
    fixable: true,
    aliases: ['ConsistentInstructionCasing'],
  },
  check(ctx) {
    const all: Instruction[] = [];
    for (const ins of ctx.file.instructions) {
      all.push(ins);
      if (ins.onbuild) all.push(ins.onbuild);
    }
    let lower = 0;
    let upper = 0;
    for (const ins of all) {
      if (!/^[A-Za-z]+$/.test(ins.rawKeyword)) continue;
      if (isUpper(ins.rawKeyword)) upper++;
      else if (isLower(ins.rawKeyword)) lower++;
    }
    const wantLower = lower > upper;
    const casing = wantLower ? 'lowercase' : 'uppercase';
    for (const ins of all) {
      const kw = ins.rawKeyword;
      if (!/^[A-Za-z]+$/.test(kw)) continue;
      const want = wantLower ? kw.toLowerCase() : kw.toUpperCase();
      if (kw === want) continue;
      ctx.report({
        line: ins.keywordSpan.start.line,
        column: ins.keywordSpan.start.column,
        message: `Instruction '${kw}' should match the casing of the majority of instructions (${casing}); write '${want}'`,
        fix: {
          description: `write '${want}'`,
          edits: [{ start: ins.keywordSpan.startOffset, end: ins.keywordSpan.endOffset, text: want }],
        },
      });
    }
  },
};
