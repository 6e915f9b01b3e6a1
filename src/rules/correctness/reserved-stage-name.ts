import type { Rule } from '../types.js';

const RESERVED = new Set(['scratch', 'context']);

export const rule: Rule = {
  meta: {
    id: 'LW1302',
    name: 'reserved-stage-name',
    category: 'correctness',
    severity: 'warning',
    summary: 'Stage named with a reserved word (`scratch`, `context`).',
    description:
      '`scratch` is the empty base image and `context` names the build context in `COPY --from`/`--build-context`; a ' +
      'stage with either name makes references to it ambiguous, and BuildKit reports it.',
    bad: 'FROM python:3.12-slim AS scratch\nRUN pip wheel --wheel-dir /wheels requests\n\nFROM python:3.12-slim\nCOPY --from=scratch /wheels /wheels\n',
    good: 'FROM python:3.12-slim AS wheels\nRUN pip wheel --wheel-dir /wheels requests\n\nFROM python:3.12-slim\nCOPY --from=wheels /wheels /wheels\n',
    fixable: false,
    aliases: ['ReservedStageName', 'DL3063'],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      if (!stage.name || !RESERVED.has(stage.name.toLowerCase())) continue;
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message: `'${stage.name}' is reserved and should not be used as a stage name; choose another name`,
      });
    }
  },
};
