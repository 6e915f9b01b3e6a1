import { isAbsolutePath, plainWord } from '../lib/words.js';
import type { Rule } from '../types.js';
import { stageChain } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW6309',
    name: 'workdir-not-absolute',
    category: 'style',
    severity: 'info',
    summary: 'Relative WORKDIR after an absolute one: the reader must replay every WORKDIR to know where it is.',
    description:
      'A relative WORKDIR is joined to the previous working directory. After an absolute WORKDIR that is well defined, but the ' +
      'path now depends on every WORKDIR above it, and moving or editing one silently moves the others. Spell out the ' +
      'absolute path. With LW1303 (workdir-relative-path, the relative WORKDIR that depends on the base image) this is ' +
      "hadolint's DL3000, which flags every relative WORKDIR; hadolint calls it an error, here it is style (info), " +
      'because the result is deterministic.',
    bad: 'FROM python:3.12-slim\nWORKDIR /srv\nWORKDIR app\nCOPY . .\nCMD ["python", "main.py"]\n',
    good: 'FROM python:3.12-slim\nWORKDIR /srv/app\nCOPY . .\nCMD ["python", "main.py"]\n',
    fixable: false,
    aliases: ['DL3000'],
  },
  check(ctx) {
    const { file } = ctx;
    for (const stage of file.stages) {
      // An absolute WORKDIR earlier in this stage or in a stage it is built FROM.
      let absolute = stageChain(file, stage)
        .slice(1)
        .some((s) =>
          s.instructions.some((i) => i.keyword === 'WORKDIR' && isAbsolutePath(plainWord(i.resolvedArgs[0] ?? ''))),
        );
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'WORKDIR') continue;
        const raw = plainWord(ins.args[0] ?? '');
        const path = plainWord(ins.resolvedArgs[0] ?? '');
        if (!path) continue;
        if (isAbsolutePath(path)) {
          absolute = true;
          continue;
        }
        // Before any absolute WORKDIR the finding is LW1303's; a variable may hold an absolute path.
        if (!absolute || path.includes('$') || raw.startsWith('$')) continue;
        ctx.report({
          line: ins.span.start.line,
          column: ins.span.start.column,
          message: `Relative WORKDIR '${raw}' continues the previous WORKDIR; write the absolute path it stands for`,
        });
      }
    }
  },
};
