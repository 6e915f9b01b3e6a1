import type { Rule } from '../types.js';

/** Offset where 1-based `line` starts, counting `\n` only; -1 past the end. */
function lineStart(text: string, line: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return -1;
    off = nl + 1;
  }
  return off;
}

export const rule: Rule = {
  meta: {
    id: 'LW1311',
    name: 'no-empty-continuation',
    category: 'correctness',
    severity: 'warning',
    summary: 'Empty line inside a continued instruction.',
    description:
      'An empty line after a trailing `\\` is silently skipped today, so the instruction goes on past what looks ' +
      'like its end; BuildKit warns that this will become an error. Remove the empty line (or end the instruction). ' +
      'Reported once per instruction, on its last line, as BuildKit does; the message names the empty lines.',
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
      const lines = ins.emptyContinuationLines.filter((l) => !inHeredoc(l) && l >= 2 && l <= file.lines.length);
      if (!lines.length) continue;
      const edits: { start: number; end: number; text: string }[] = [];
      for (const line of lines) {
        // Offsets from the text itself: line endings may be mixed (\r\n and \n).
        const start = lineStart(file.text, line);
        const nl = start < 0 ? -1 : file.text.indexOf('\n', start);
        if (start >= 0 && nl >= 0 && file.text.slice(start, nl).trim() === '')
          edits.push({ start, end: nl + 1, text: '' });
      }
      const which = lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`;
      // One finding per instruction on its last line, where BuildKit reports it.
      ctx.report({
        line: ins.span.end.line,
        column: 1,
        message: `Empty continuation ${which} in ${ins.keyword} (line ${ins.span.start.line}); remove ${lines.length === 1 ? 'it' : 'them'}, it will become an error`,
        fix: edits.length === lines.length ? { description: 'remove the empty lines', edits } : undefined,
      });
    }
  },
};
