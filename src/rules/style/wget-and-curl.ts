import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW6204',
    name: 'wget-and-curl',
    category: 'style',
    severity: 'warning',
    summary: 'The same stage downloads with both wget and curl; one tool is enough.',
    description:
      'Using both tools means installing and maintaining both in the image, and two sets of flags for retries and ' +
      'failure handling. Pick one (curl is already in most Python base images).',
    bad:
      'FROM debian:bookworm-slim\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a-1.0.tgz\n' +
      'RUN wget -q -O /tmp/b.tgz https://example.com/b-1.0.tgz\n',
    good:
      'FROM debian:bookworm-slim\nRUN curl -fsSLo /tmp/a.tgz https://example.com/a-1.0.tgz\n' +
      'RUN curl -fsSLo /tmp/b.tgz https://example.com/b-1.0.tgz\n',
    fixable: false,
    aliases: ['DL4001'],
  },
  check(ctx) {
    // Per stage: different stages may well build on images that ship different tools.
    const first = new Map<string, { line: number; column: number; tool: string }>();
    const reported = new Set<number | undefined>();
    for (const { ins, op } of packageOperations(ctx.file)) {
      if (op.manager !== 'curl' && op.manager !== 'wget') continue;
      const key = `${ins.stage}:${op.manager}`;
      if (!first.has(key)) first.set(key, { line: op.command.line, column: op.command.column, tool: op.manager });
      const other = first.get(`${ins.stage}:${op.manager === 'curl' ? 'wget' : 'curl'}`);
      if (!other || reported.has(ins.stage)) continue;
      reported.add(ins.stage);
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message: `${op.manager} is used here and ${other.tool} on line ${other.line} of the same stage; use one download tool`,
      });
    }
  },
};
