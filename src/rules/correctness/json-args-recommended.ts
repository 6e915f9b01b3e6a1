import type { Rule } from '../types.js';

/** Builds the exec form of a simple shell-form command, or undefined when a shell is really needed. */
export function execForm(args: string): string | undefined {
  const text = args.trim();
  if (!text || /[|&;<>()$`*?~\\"'{}\n]/.test(text)) return undefined;
  return JSON.stringify(text.split(/\s+/)).replace(/","/g, '", "');
}

export const rule: Rule = {
  meta: {
    id: 'LW1001',
    name: 'json-args-recommended',
    category: 'correctness',
    severity: 'warning',
    summary: 'CMD/ENTRYPOINT in shell form: the process does not receive signals.',
    description:
      'In shell form, Docker runs the command as `/bin/sh -c "..."`; the shell becomes PID 1 and does not forward ' +
      'SIGTERM, so `docker stop` waits 10 seconds and kills the app without a graceful shutdown. Use the JSON (exec) form.',
    bad: 'FROM python:3.12-slim\nCMD uvicorn app.main:app --host 0.0.0.0\n',
    good: 'FROM python:3.12-slim\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0"]\n',
    fixable: true,
    aliases: ['JSONArgsRecommended', 'DL3025'],
  },
  check(ctx) {
    for (const ins of ctx.file.instructions) {
      if (ins.keyword !== 'CMD' && ins.keyword !== 'ENTRYPOINT') continue;
      if (ins.jsonForm || !ins.argsText.trim()) continue;
      // A custom SHELL makes shell form an explicit choice.
      const stage = ins.stage === undefined ? undefined : ctx.file.stages[ins.stage];
      if (stage?.instructions.some((i) => i.keyword === 'SHELL' && i.index < ins.index)) continue;
      const json = execForm(ins.argsText);
      ctx.report({
        line: ins.span.start.line,
        column: ins.span.start.column,
        message: `${ins.keyword} in shell form runs under /bin/sh, which does not pass signals on; use JSON form${json ? `: ${ins.rawKeyword} ${json}` : ''}`,
        fix: json
          ? {
              description: 'use exec form',
              edits: [{ start: ins.keywordSpan.endOffset, end: ins.span.endOffset, text: ` ${json}` }],
            }
          : undefined,
      });
    }
  },
};
