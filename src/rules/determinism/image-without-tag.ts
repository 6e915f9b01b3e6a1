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
      // A stage of that name that is not earlier: FROM cannot build on it, so Docker pulls an image.
      const same = ctx.file.stages.find(
        (s) => s.index >= stage.index && s.name?.toLowerCase() === base.resolved.toLowerCase(),
      );
      if (same) {
        ctx.report({
          line: stage.from.span.start.line,
          column: stage.from.span.start.column,
          message: `FROM ${base.resolved} does not refer to the stage ${same.name} (${same.index === stage.index ? 'a stage cannot build on itself' : `defined later, on line ${same.from.span.start.line}`}), so Docker pulls an untagged image called ${base.resolved}; build on an earlier stage or name an image with a tag`,
        });
        continue;
      }
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message: `FROM ${base.resolved} has no tag${via}, so it means whatever latest is at build time; pin a version tag, e.g. ${base.name}:<version>`,
      });
    }
  },
};
