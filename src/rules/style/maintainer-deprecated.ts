import type { Rule } from '../types.js';

/** A double-quoted Dockerfile word holding `value` literally. */
function quote(value: string): string {
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

export const rule: Rule = {
  meta: {
    id: 'LW6307',
    name: 'maintainer-deprecated',
    category: 'style',
    severity: 'warning',
    summary: 'MAINTAINER is deprecated; use a label.',
    description:
      'MAINTAINER fills a legacy image field that tools no longer read. The standard place for the author is the ' +
      '`org.opencontainers.image.authors` label, which registries and scanners show.',
    bad: 'FROM python:3.12-slim\nMAINTAINER Jane Doe <jane@example.com>\nCMD ["python", "app.py"]\n',
    good: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"\nCMD ["python", "app.py"]\n',
    fixable: true,
    aliases: ['MaintainerDeprecated', 'DL4000'],
  },
  check(ctx) {
    for (const ins of ctx.file.instructions) {
      if (ins.keyword !== 'MAINTAINER') continue;
      const who = ins.argsText.replace(/\s+/g, ' ').trim();
      const label = `LABEL org.opencontainers.image.authors=${quote(who)}`;
      ctx.report({
        line: ins.span.start.line,
        column: ins.span.start.column,
        message: `MAINTAINER is deprecated; use ${label}`,
        fix:
          who && !ins.text.includes('\n')
            ? {
                description: 'replace with a LABEL',
                edits: [{ start: ins.span.startOffset, end: ins.span.endOffset, text: label }],
              }
            : undefined,
      });
    }
  },
};
