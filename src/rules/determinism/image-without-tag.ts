import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW4101',
    name: 'image-without-tag',
    category: 'determinism',
    severity: 'warning',
    summary: 'FROM an image without a tag: the build takes whatever `latest` is today.',
    description:
      'Without a tag Docker pulls `latest`, which moves with every upstream release: the same Dockerfile builds a ' +
      'different image next week, and the base layers (and every layer on top) change without any change of yours. ' +
      'Name a version tag, ideally with a digest.',
    bad: 'FROM python\nCOPY app.py /app/app.py\nCMD ["python", "/app/app.py"]\n',
    good: 'FROM python:3.12-slim\nCOPY app.py /app/app.py\nCMD ["python", "/app/app.py"]\n',
    fixable: false,
    aliases: ['DL3006'],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const base = stage.base;
      if (base.scratch || base.stage !== undefined || base.dynamic || base.digest || base.tag) continue;
      if (!base.resolved || base.resolved.includes('$')) continue;
      const via = base.raw !== base.resolved ? ` (${base.raw} resolves to ${base.resolved})` : '';
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message: `FROM ${base.resolved} has no tag${via}, so it means whatever latest is at build time; pin a version tag, e.g. ${base.name}:<version>`,
      });
    }
  },
};
