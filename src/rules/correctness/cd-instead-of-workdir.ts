import type { Rule } from '../types.js';
import { runInstructions } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW1110',
    name: 'cd-instead-of-workdir',
    category: 'correctness',
    severity: 'warning',
    summary: 'A RUN that ends with `cd DIR` (or is only `cd DIR`): the directory change is lost; use WORKDIR.',
    description:
      'Every RUN starts a new shell, so a `cd` lasts only until the end of its own RUN. `RUN cd /app` on its own, or a ' +
      '`cd` as the last command of a script, changes nothing for the following instructions, which then run ' +
      'somewhere else. WORKDIR sets the directory for every following instruction. A `cd` followed by the commands ' +
      'it serves, or inside a subshell, is fine.',
    bad: 'FROM python:3.12-slim\nCOPY . /app\nRUN cd /app\nRUN pip install --no-cache-dir .\nCMD ["python", "-m", "app"]\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["python", "-m", "app"]\n',
    fixable: false,
    aliases: ['DL3003'],
  },
  check(ctx) {
    for (const ins of runInstructions(ctx.file)) {
      const cmds = ins.shell?.commands ?? [];
      const last = cmds[cmds.length - 1];
      if (!last || last.program !== 'cd' || last.nested || last.pipelineLength > 1) continue;
      const target = last.args.find((a) => a.value !== '--');
      const dir = target?.value ?? '~';
      const alone = cmds.length === 1;
      ctx.report({
        line: last.line,
        column: last.column,
        message: `\`cd ${dir}\` ${alone ? 'is the whole RUN and' : 'is the last command, so it'} has no effect: the next instruction starts in the old directory again; use WORKDIR ${dir}`,
      });
    }
  },
};
