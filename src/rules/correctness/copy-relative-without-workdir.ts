import { earlierInChain } from '../lib/stage-chains.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1206',
    name: 'copy-relative-without-workdir',
    category: 'correctness',
    severity: 'warning',
    summary:
      "COPY to a relative destination before any WORKDIR: the files land relative to the base image's directory.",
    description:
      'A relative COPY destination is resolved against the working directory, which is `/` unless the base image ' +
      'or the stage sets one; `COPY . .` then scatters the project over the root file system. Set WORKDIR first, ' +
      'or copy to an absolute path.',
    bad: 'FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n',
    fixable: false,
    aliases: ['DL3045'],
  },
  check(ctx) {
    const file = ctx.file;
    for (const ins of file.instructions) {
      if (ins.keyword !== 'COPY' || ins.stage === undefined) continue;
      // With heredocs the destination is the last word of the first line: `COPY <<EOF /app/x.txt`.
      const first = ins.heredocs.length ? ins.argsText.split('\n')[0].trim().split(/\s+/) : undefined;
      const list = first ?? (ins.jsonForm ? (ins.jsonArgs ?? []) : ins.resolvedArgs);
      const dest = list[list.length - 1];
      if (dest === undefined || list.length < 2 || dest.startsWith('<<')) continue;
      const d = dest.replace(/^["']|["']$/g, '');
      // Absolute (POSIX or Windows) or still holding an unresolved variable.
      if (d.startsWith('/') || /^[A-Za-z]:[\\/]/.test(d) || d.startsWith('\\') || d.includes('$')) continue;
      if (earlierInChain(file, ins, 'WORKDIR').length) continue;
      ctx.report({
        line: ins.span.start.line,
        column: ins.span.start.column,
        message: `COPY to relative destination '${d}' with no WORKDIR set in the stage; add WORKDIR (e.g. WORKDIR /app) before it or use an absolute path`,
      });
    }
  },
};
