import type { Rule } from '../types.js';
import { offsetOf } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW1311',
    name: 'no-empty-continuation',
    category: 'correctness',
    severity: 'warning',
    summary: 'Empty line inside a continued instruction.',
    description:
      'An empty line after a trailing `\\` is silently skipped today, so the instruction goes on past what looks ' +
      'like its end; BuildKit warns that this will become an error. Remove the empty line (or end the instruction).',
    bad: 'FROM debian:bookworm-slim\nRUN apt-get update && \\\n\n    apt-get install -y --no-install-recommends curl && \\\n    rm -rf /var/lib/apt/lists/*\n',
    good: 'FROM debian:bookworm-slim\nRUN apt-get update && \\\n    apt-get install -y --no-install-recommends curl && \\\n    rm -rf /var/lib/apt/lists/*\n',
    fixable: true,
    aliases: ['NoEmptyContinuation'],
  },
  check(ctx) {
    const { file } = ctx;
    for (const ins of file.instructions) {
      if (!ins.emptyContinuationLines.length) continue;
      // Lines inside heredoc bodies belong to the heredoc, not to the Dockerfile's continuation.
      const inHeredoc = (line: number) =>
        ins.heredocs.some((h) => line >= h.line && line < h.line + h.content.split('\n').length);
      for (const line of ins.emptyContinuationLines) {
        if (inHeredoc(line) || line < 2 || line > file.lines.length) continue;
        const start = offsetOf(file, line, 1);
        const lineText = file.lines[line - 1];
        const crlf = file.text.slice(start + lineText.length, start + lineText.length + 2) === '\r\n';
        ctx.report({
          line,
          column: 1,
          message: `Empty continuation line in ${ins.keyword} (line ${ins.span.start.line}); remove it, it will become an error`,
          fix: {
            description: 'remove the empty line',
            edits: [{ start, end: start + lineText.length + (crlf ? 2 : 1), text: '' }],
          },
        });
      }
    }
  },
};
