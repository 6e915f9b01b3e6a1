import type { Rule } from '../types.js';
import { runInstructions } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW6310',
    name: 'cd-then-commands',
    category: 'style',
    severity: 'info',
    summary: '`cd DIR && ...` inside a RUN: WORKDIR says where the build works, for every later instruction too.',
    description:
      'A `cd` at the start of a chain works, but the directory is hidden inside one script: the next RUN, COPY or ' +
      'CMD starts elsewhere again, and readers must find every `cd` to know where a command runs. WORKDIR states it ' +
      "once. With LW1110 (cd-instead-of-workdir, a `cd` that has no effect at all) this is hadolint's DL3003; " +
      'hadolint calls every `cd` a warning, here the working one is style (info), and a `cd` inside a subshell ' +
      '(`(cd x && make)`) is left alone: it is scoped on purpose.',
    bad: 'FROM python:3.12-slim\nCOPY . /src\nRUN cd /src && pip install --no-cache-dir .\n',
    good: 'FROM python:3.12-slim\nWORKDIR /src\nCOPY . .\nRUN pip install --no-cache-dir .\n',
    fixable: false,
    aliases: ['DL3003'],
  },
  check(ctx) {
    for (const ins of runInstructions(ctx.file)) {
      const cmds = ins.shell?.commands ?? [];
      const last = cmds[cmds.length - 1];
      for (const cmd of cmds) {
        // The last top-level `cd` has no effect at all: that is LW1110's finding.
        if (cmd.program !== 'cd' || cmd.nested || cmd === last || cmd.pipelineLength > 1) continue;
        const dir = cmd.args.find((a) => a.value !== '--')?.value ?? '~';
        ctx.report({
          line: cmd.line,
          column: cmd.column,
          message: `\`cd ${dir}\` sets the directory for the rest of this RUN only; use WORKDIR ${dir} before it`,
        });
        break;
      }
    }
  },
};
