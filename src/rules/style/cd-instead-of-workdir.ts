import type { Rule } from '../types.js';
import { runInstructions } from '../util.js';

/** Scratch directories people `cd` into for throw-away work; WORKDIR would be the wrong advice. */
const SCRATCH = /^\/(tmp|var\/tmp|dev\/shm)(\/|$)/;

export const rule: Rule = {
  meta: {
    id: 'LW6101',
    name: 'cd-instead-of-workdir',
    category: 'style',
    severity: 'warning',
    summary: 'RUN starts with `cd DIR` to switch directories; use WORKDIR.',
    description:
      'A `cd` in RUN lasts only for that step, so later steps silently run somewhere else, and a RUN that is only ' +
      '`cd` does nothing at all. WORKDIR sets the directory for every following instruction and creates it when ' +
      'missing. A `cd` inside a subshell or in the middle of a script, serving the next command, is fine.',
    bad: 'FROM python:3.12-slim\nCOPY . /app\nRUN cd /app && pip install --no-cache-dir .\nCMD ["python", "-m", "app"]\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\nCMD ["python", "-m", "app"]\n',
    fixable: false,
    aliases: ['DL3003'],
  },
  check(ctx) {
    for (const ins of runInstructions(ctx.file)) {
      const cmds = ins.shell?.commands ?? [];
      cmds.forEach((cmd, i) => {
        if (cmd.program !== 'cd' || cmd.nested || cmd.pipelineLength > 1) return;
        const target = cmd.args.find((a) => a.value !== '--');
        const dir = target?.value ?? '~';
        if (i === cmds.length - 1) {
          ctx.report({
            line: cmd.line,
            column: cmd.column,
            message: `\`cd ${dir}\` has no effect: the directory is forgotten when the RUN ends; use WORKDIR ${dir} to change directory for later instructions`,
          });
          return;
        }
        // A first command that switches to a fixed absolute directory is what WORKDIR is for.
        if (i !== 0 || !target || target.dynamic || target.value.includes('$')) return;
        if (!dir.startsWith('/') || SCRATCH.test(dir)) return;
        ctx.report({
          line: cmd.line,
          column: cmd.column,
          message: `RUN starts with \`cd ${dir}\`; use WORKDIR ${dir} so later instructions run there too`,
        });
      });
    }
  },
};
