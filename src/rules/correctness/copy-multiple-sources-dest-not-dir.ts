import { plainCopyOperands } from '../lib/words.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1104',
    name: 'copy-multiple-sources-dest-not-dir',
    category: 'correctness',
    severity: 'error',
    summary: 'COPY with several sources to a destination that does not end with `/`.',
    description:
      'When COPY (or ADD) has more than one source, the destination must be a directory, written with a trailing ' +
      '`/`; otherwise the build fails. Add the slash.',
    bad: 'FROM python:3.12-slim\nCOPY pyproject.toml uv.lock /app\n',
    good: 'FROM python:3.12-slim\nCOPY pyproject.toml uv.lock /app/\n',
    fixable: false,
    aliases: ['DL3021'],
  },
  check(ctx) {
    for (const ins of ctx.file.instructions) {
      const target = ins.onbuild ?? ins;
      if (target.keyword !== 'COPY' && target.keyword !== 'ADD') continue;
      const ops = plainCopyOperands(target);
      if (!ops || ops.sources.length < 2) continue;
      const dest = ops.dest;
      if (dest.endsWith('/') || dest.includes('$') || (ctx.file.escapeChar === '`' && dest.endsWith('\\'))) continue;
      ctx.report({
        line: target.span.start.line,
        column: target.span.start.column,
        message: `${target.keyword} with ${ops.sources.length} sources needs a directory destination ending in /; write ${dest}/`,
      });
    }
  },
};
