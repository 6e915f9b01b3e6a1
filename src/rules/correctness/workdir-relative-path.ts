import { isAbsolutePath as isAbsolute, plainWord } from '../lib/words.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1303',
    name: 'workdir-relative-path',
    category: 'correctness',
    severity: 'warning',
    summary: 'Relative WORKDIR with no absolute WORKDIR before it in the stage.',
    description:
      "A relative WORKDIR is resolved against the base image's working directory, which the Dockerfile does not " +
      'control: if the base image changes it, files land somewhere else. Use an absolute path, or set one first. ' +
      "hadolint's DL3000 also flags a relative WORKDIR after an absolute one; LW6309 (workdir-not-absolute) covers " +
      'that half, so each relative WORKDIR is reported once.',
    bad: 'FROM python:3.12-slim\nWORKDIR app\nCOPY . .\nCMD ["python", "main.py"]\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "main.py"]\n',
    fixable: false,
    aliases: ['WorkdirRelativePath', 'DL3000'],
  },
  check(ctx) {
    const { file } = ctx;
    // Whether each stage has set an absolute WORKDIR by its end (inherited by stages built on it).
    const absoluteAtEnd: boolean[] = [];
    for (const stage of file.stages) {
      let absolute = stage.base.stage !== undefined ? (absoluteAtEnd[stage.base.stage] ?? false) : false;
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'WORKDIR') continue;
        const path = plainWord(ins.resolvedArgs[0] ?? '');
        const raw = plainWord(ins.args[0] ?? '');
        if (!path) continue;
        if (isAbsolute(path)) {
          absolute = true;
          continue;
        }
        // A path from a variable (`$HOME/app`) may well be absolute; it cannot be judged here.
        if (path.includes('$') || raw.startsWith('$')) continue;
        if (absolute) continue;
        ctx.report({
          line: ins.span.start.line,
          column: ins.span.start.column,
          message: `Relative WORKDIR '${raw}' depends on the base image's working directory; use an absolute path such as '/${path.replace(/^\.\/?/, '')}'`,
        });
      }
      absoluteAtEnd[stage.index] = absolute;
    }
  },
};
