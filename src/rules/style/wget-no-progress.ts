import type { Rule } from '../types.js';
import { offsetOf, packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW6203',
    name: 'wget-no-progress',
    category: 'style',
    severity: 'info',
    summary: 'wget without --progress or -q fills the build log with a progress bar.',
    description:
      'Without a terminal, wget prints a progress line every few kilobytes, so large downloads bloat the build log ' +
      'by thousands of lines. Pass `--progress=dot:giga` (GNU wget) or `-q`/`-nv`.',
    bad: 'FROM debian:bookworm-slim\nRUN wget -O /tmp/tool.tgz https://example.com/tool-1.2.3.tgz\n',
    good: 'FROM debian:bookworm-slim\nRUN wget --progress=dot:giga -O /tmp/tool.tgz https://example.com/tool-1.2.3.tgz\n',
    fixable: false,
    aliases: ['DL3047'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'wget') continue;
      if (!op.words.some((w) => !w.value.startsWith('-'))) continue;
      const quiet = op.options.some((o) => {
        const name = o.includes('=') ? o.slice(0, o.indexOf('=')) : o;
        if (
          [
            '--progress',
            '--quiet',
            '-nv',
            '--no-verbose',
            '--output-file',
            '-o',
            '--append-output',
            '-a',
            '--show-progress',
          ].includes(name)
        )
          return name !== '--show-progress';
        // Short clusters such as `-qO-`: q before any option that takes a value.
        return !o.startsWith('--') && /^-[a-zA-Z]*q/.test(o);
      });
      // Logging to a file or to nowhere: `2>/dev/null`, `2>wget.log`.
      const redirected = op.command.redirects.some((r) =>
        /^(2>|&>)/.test(ctx.file.text.slice(offsetOf(ctx.file, r.line, r.column)).trimStart()),
      );
      if (quiet || redirected) continue;
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message: 'wget without --progress or -q floods the build log; add --progress=dot:giga (GNU wget) or -q',
      });
    }
  },
};
