import type { Instruction } from '../../dockerfile/types.js';
import type { Rule } from '../types.js';

const SINGLE = ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'];

export const rule: Rule = {
  meta: {
    id: 'LW1304',
    name: 'multiple-instructions-disallowed',
    category: 'correctness',
    severity: 'warning',
    summary: 'More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage; only the last one counts.',
    description:
      'An image has one CMD, one ENTRYPOINT and one HEALTHCHECK: each new one replaces the previous, so earlier ones in ' +
      'the same stage are dead code that misleads readers. Keep only the one that should apply. Like BuildKit, the ' +
      'earlier (ignored) instruction is reported; hadolint (DL4003, DL4004, DL3012) reports the later one.',
    bad: 'FROM python:3.12-slim\nCOPY app.py .\nCMD ["python", "-V"]\nCMD ["python", "app.py"]\n',
    good: 'FROM python:3.12-slim\nCOPY app.py .\nCMD ["python", "app.py"]\n',
    fixable: false,
    aliases: ['MultipleInstructionsDisallowed', 'DL4003', 'DL4004', 'DL3012'],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const last = new Map<string, Instruction>();
      for (const ins of stage.instructions) if (SINGLE.includes(ins.keyword)) last.set(ins.keyword, ins);
      for (const ins of stage.instructions) {
        const winner = last.get(ins.keyword);
        if (!winner || winner === ins) continue;
        ctx.report({
          line: ins.span.start.line,
          column: ins.span.start.column,
          message: `Multiple ${ins.keyword} instructions in one stage: this one is overridden by line ${winner.span.start.line}; remove it`,
        });
      }
    }
  },
};
