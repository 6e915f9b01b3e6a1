import type { Instruction } from '../../dockerfile/types.js';
import { argTokens } from '../lib/instruction-tokens.js';
import type { Fix, Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW6305',
    name: 'legacy-key-value-format',
    category: 'style',
    severity: 'warning',
    summary: 'ENV or LABEL in the legacy `key value` form instead of `key=value`.',
    description:
      'The space-separated form sets one variable to the whole rest of the line, spaces included, which surprises ' +
      'readers (`ENV A 1 B 2` sets A to "1 B 2"). It is deprecated; `key=value` is unambiguous and allows several pairs.',
    bad: 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED 1\nCMD ["python", "app.py"]\n',
    good: 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\nCMD ["python", "app.py"]\n',
    fixable: true,
    aliases: ['LegacyKeyValueFormat'],
  },
  check(ctx) {
    const { file } = ctx;
    for (const outer of file.instructions) {
      const ins: Instruction | undefined =
        outer.keyword === 'ENV' || outer.keyword === 'LABEL'
          ? outer
          : outer.onbuild && ['ENV', 'LABEL'].includes(outer.onbuild.keyword)
            ? outer.onbuild
            : undefined;
      if (!ins || ins.args.length < 2 || ins.args[0].includes('=')) continue;
      const toks = argTokens(file, ins);
      const keyTok = toks[0];
      let fix: Fix | undefined;
      let suggestion = '';
      if (keyTok && toks.length >= 2) {
        const value = file.text.slice(keyTok.end, ins.span.endOffset).trim();
        const oneLine = !value.includes('\n');
        let newValue: string | undefined;
        if (oneLine && /^"[^"\\]*"$/.test(value)) newValue = value;
        else if (oneLine && /^'[^'\\]*'$/.test(value)) newValue = value;
        else if (oneLine && !/["'\\`]/.test(value)) newValue = /\s/.test(value) ? `"${value}"` : value;
        if (newValue !== undefined) {
          const text = `${keyTok.text}=${newValue}`;
          suggestion = `: ${ins.rawKeyword} ${text}`;
          fix = {
            description: 'use key=value',
            edits: [
              {
                start: keyTok.start,
                end: keyTok.start + file.text.slice(keyTok.start, ins.span.endOffset).trimEnd().length,
                text,
              },
            ],
          };
        }
      }
      ctx.report({
        line: ins.span.start.line,
        column: ins.span.start.column,
        message: `"${ins.keyword} key=value" should be used instead of legacy "${ins.keyword} key value" format${suggestion}`,
        fix,
      });
    }
  },
};
