import { tokensOf } from '../lib/instruction-tokens.js';
import { plainWord } from '../lib/words.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW6306',
    name: 'redundant-target-platform',
    category: 'style',
    severity: 'info',
    summary: 'FROM --platform=$TARGETPLATFORM, which is already the default.',
    description:
      'A stage is built for the target platform unless told otherwise, so `--platform=$TARGETPLATFORM` adds nothing ' +
      'but noise; remove it (keep `--platform=$BUILDPLATFORM` where a stage should run natively for cross-compiling).',
    bad: 'FROM --platform=$TARGETPLATFORM python:3.12-slim\nCMD ["python", "app.py"]\n',
    good: 'FROM python:3.12-slim\nCMD ["python", "app.py"]\n',
    fixable: true,
    aliases: ['RedundantTargetPlatform', 'DL3065'],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const flag = stage.from.flags.find((f) => f.name === 'platform');
      // BuildKit expands the flag as a shell word: quotes do not change it.
      const value = plainWord(flag?.value ?? '');
      if (!flag || (value !== '$TARGETPLATFORM' && value !== '${TARGETPLATFORM}')) continue;
      const toks = tokensOf(ctx.file, stage.from);
      const next = toks.find((t) => t.start >= flag.span.endOffset);
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message: `Setting platform to predefined ${value} in FROM is redundant as this is the default behavior; remove --platform`,
        fix: next
          ? {
              description: 'remove --platform',
              edits: [{ start: flag.span.startOffset, end: next.start, text: '' }],
            }
          : undefined,
      });
    }
  },
};
