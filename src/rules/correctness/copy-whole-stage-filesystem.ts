import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1208',
    name: 'copy-whole-stage-filesystem',
    category: 'correctness',
    severity: 'warning',
    summary: 'COPY --from=<stage> / copies the whole file system of the other stage.',
    description:
      'Copying `/` from another stage brings its whole OS along (package databases, caches, /etc), duplicating ' +
      'what the base image already has and overwriting its files. Copy only the directories you need, such as the ' +
      'virtualenv and the application.',
    bad: 'FROM python:3.12-slim AS build\nRUN python -m venv /opt/venv\nFROM python:3.12-slim\nCOPY --from=build / /\n',
    good: 'FROM python:3.12-slim AS build\nRUN python -m venv /opt/venv\nFROM python:3.12-slim\nCOPY --from=build /opt/venv /opt/venv\n',
    fixable: false,
    aliases: ['DL3067'],
  },
  check(ctx) {
    for (const ins of ctx.file.instructions) {
      if (ins.keyword !== 'COPY') continue;
      const from = ins.flags.find((f) => f.name === 'from');
      if (!from) continue;
      const args = ins.jsonForm ? (ins.jsonArgs ?? []) : ins.resolvedArgs;
      const sources = args.slice(0, -1).map((a) => a.replace(/^["']|["']$/g, ''));
      if (!sources.some((s) => /^\/+(\.|\*)?\/*$/.test(s))) continue;
      ctx.report({
        line: ins.span.start.line,
        column: ins.span.start.column,
        message: `COPY --from=${from.value ?? ''} / copies that stage's entire file system; copy only the paths you need (e.g. the venv and the app)`,
      });
    }
  },
};
