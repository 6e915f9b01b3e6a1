import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1301',
    name: 'duplicate-stage-name',
    category: 'correctness',
    severity: 'error',
    summary: 'Two stages with the same name.',
    description:
      'Stage names are case-insensitive and must be unique: BuildKit refuses a Dockerfile with `AS build` twice, ' +
      'and a reference like `COPY --from=build` could not say which stage it means.',
    bad:
      'FROM python:3.12-slim AS build\nRUN pip wheel --wheel-dir /wheels requests\n\n' +
      'FROM node:22-slim AS build\nRUN npm --version\n\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n',
    good:
      'FROM python:3.12-slim AS build\nRUN pip wheel --wheel-dir /wheels requests\n\n' +
      'FROM node:22-slim AS assets\nRUN npm --version\n\nFROM python:3.12-slim\nCOPY --from=build /wheels /wheels\n',
    fixable: false,
    aliases: ['DuplicateStageName', 'DL3024'],
  },
  check(ctx) {
    const seen = new Map<string, number>();
    for (const stage of ctx.file.stages) {
      if (!stage.name) continue;
      const key = stage.name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, stage.from.span.start.line);
        continue;
      }
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message: `Duplicate stage name '${stage.name}' (first defined on line ${first}); stage names must be unique, rename this one`,
      });
    }
  },
};
