import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW4102',
    name: 'image-latest-tag',
    category: 'determinism',
    severity: 'warning',
    summary: 'FROM an image tagged `latest`.',
    description:
      '`latest` is a moving tag: every upstream release changes what it points to, so rebuilds pull a new base, ' +
      'invalidate every cached layer and may break without any change of yours. Pin a release tag (and a digest ' +
      'for full reproducibility).',
    bad: 'FROM python:latest\nCOPY app.py /app/app.py\nCMD ["python", "/app/app.py"]\n',
    good: 'FROM python:3.12-slim\nCOPY app.py /app/app.py\nCMD ["python", "/app/app.py"]\n',
    fixable: false,
    aliases: ['DL3007'],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const base = stage.base;
      if (base.scratch || base.stage !== undefined || base.digest) continue;
      if (base.tag?.toLowerCase() !== 'latest') continue;
      const via = base.raw !== base.resolved ? ` (${base.raw} resolves to ${base.resolved})` : '';
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message: `FROM ${base.resolved} uses the moving latest tag${via}; pin a release tag, e.g. ${base.name}:<version>`,
      });
    }
  },
};
