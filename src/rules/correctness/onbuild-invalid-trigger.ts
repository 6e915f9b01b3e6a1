import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1204',
    name: 'onbuild-invalid-trigger',
    category: 'correctness',
    severity: 'error',
    summary: 'ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER.',
    description:
      'Docker refuses `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`: the image builds, but every image ' +
      'built FROM it fails. Remove the trigger or make it a plain instruction.',
    bad: 'FROM python:3.12-slim\nONBUILD FROM python:3.12-slim\nONBUILD COPY requirements.txt /app/\n',
    good: 'FROM python:3.12-slim\nONBUILD COPY requirements.txt /app/\n',
    fixable: false,
    aliases: ['DL3043'],
  },
  check(ctx) {
    for (const ins of ctx.file.instructions) {
      if (ins.keyword !== 'ONBUILD') continue;
      const trigger = ins.onbuild?.keyword ?? (ins.args[0] ?? '').toUpperCase();
      if (trigger !== 'ONBUILD' && trigger !== 'FROM' && trigger !== 'MAINTAINER') continue;
      ctx.report({
        line: ins.span.start.line,
        column: ins.span.start.column,
        message: `ONBUILD ${trigger} is not allowed: images built FROM this one fail; remove the ${trigger} trigger`,
      });
    }
  },
};
