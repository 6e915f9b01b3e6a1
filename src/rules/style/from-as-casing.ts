import { argTokens } from '../lib/instruction-tokens.js';
import { isLower, isUpper } from '../lib/suggest.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW6302',
    name: 'from-as-casing',
    category: 'style',
    severity: 'style',
    summary: "The 'AS' keyword of FROM is cased differently from 'FROM'.",
    description:
      "Docker accepts `FROM image as name`, but mixing cases (`FROM ... as`, `from ... AS`) reads as a typo; BuildKit's " +
      'FromAsCasing check asks for the same casing as the FROM keyword.',
    bad: 'FROM python:3.12-slim as build\nRUN pip wheel --wheel-dir /wheels requests\n',
    good: 'FROM python:3.12-slim AS build\nRUN pip wheel --wheel-dir /wheels requests\n',
    fixable: true,
    aliases: ['FromAsCasing'],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const from = stage.from;
      const toks = argTokens(ctx.file, from);
      const asTok = toks[1];
      if (asTok?.text.toUpperCase() !== 'AS' || toks.length < 3) continue;
      const kw = from.rawKeyword;
      let want: string | undefined;
      if (isUpper(kw) && !isUpper(asTok.text)) want = 'AS';
      else if (isLower(kw) && !isLower(asTok.text)) want = 'as';
      if (!want) continue;
      ctx.report({
        line: from.span.start.line,
        column: from.span.start.column,
        message: `'${asTok.text}' and '${kw}' keywords' casing do not match; write '${kw} ... ${want}'`,
        fix: { description: `write '${want}'`, edits: [{ start: asTok.start, end: asTok.end, text: want }] },
      });
    }
  },
};
