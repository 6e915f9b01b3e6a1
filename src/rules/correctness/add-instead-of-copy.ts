import { isAddSpecial, isRemoteSource } from '../lib/add-sources.js';
import { plainCopyOperands } from '../lib/words.js';
import type { Rule } from '../types.js';
import { withTriggers } from '../util.js';

/** Flags only ADD understands: replacing the keyword would break the instruction. */
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);

export const rule: Rule = {
  meta: {
    id: 'LW1109',
    name: 'add-instead-of-copy',
    category: 'correctness',
    severity: 'error',
    summary: 'ADD of local files or directories: use COPY.',
    description:
      'ADD also downloads URLs and silently unpacks local tar archives, so a reader cannot tell what it does without ' +
      'looking at the files; a file that later becomes an archive changes the image. COPY only copies. Keep ADD for ' +
      'what needs it (remote sources, extracting archives).',
    bad: 'FROM python:3.12-slim\nWORKDIR /app\nADD requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nADD src/ ./src/\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY src/ ./src/\n',
    fixable: true,
    aliases: ['DL3020'],
  },
  check(ctx) {
    for (const ins of withTriggers(ctx.file, 'ADD')) {
      const ops = plainCopyOperands(ins);
      if (!ops) continue;
      // Sources we cannot see (variables, globs) may be URLs or archives. ADD does not unpack archives
      // inside a copied directory, only a source that is itself an archive.
      if (ops.sources.some((s) => /[$*?[]/.test(s) || isRemoteSource(s) || isAddSpecial(s))) continue;
      const keyword = ins.rawKeyword;
      const replacement = keyword === keyword.toLowerCase() ? 'copy' : keyword === 'Add' ? 'Copy' : 'COPY';
      const safe = !ins.flags.some((f) => ADD_ONLY_FLAGS.has(f.name));
      ctx.report({
        line: ins.keywordSpan.start.line,
        column: ins.keywordSpan.start.column,
        message: `ADD of local ${ops.sources.length > 1 ? 'files' : ops.sources[0]}: use COPY, which only copies (ADD also fetches URLs and unpacks archives)`,
        fix: safe
          ? {
              description: 'use COPY',
              edits: [{ start: ins.keywordSpan.startOffset, end: ins.keywordSpan.endOffset, text: replacement }],
            }
          : undefined,
      });
    }
  },
};
