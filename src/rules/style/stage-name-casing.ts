import { argTokens } from '../lib/instruction-tokens.js';
import type { Rule, TextEdit } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW6301',
    name: 'stage-name-casing',
    category: 'style',
    severity: 'style',
    summary: 'Stage name with upper-case letters.',
    description:
      'BuildKit lower-cases stage names and matches references to them case-insensitively, so `AS Builder` and ' +
      '`--from=builder` are the same stage; writing every name in lower case keeps names and references readable and consistent.',
    bad:
      'FROM python:3.12-slim AS Builder\nRUN pip wheel --wheel-dir /wheels requests\n\n' +
      'FROM python:3.12-slim\nCOPY --from=Builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\n',
    good:
      'FROM python:3.12-slim AS builder\nRUN pip wheel --wheel-dir /wheels requests\n\n' +
      'FROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\nRUN pip install --no-cache-dir /wheels/*\n',
    fixable: true,
    aliases: ['StageNameCasing'],
  },
  check(ctx) {
    const { file } = ctx;
    for (const stage of file.stages) {
      const name = stage.name;
      if (!name || name === name.toLowerCase()) continue;
      const lower = name.toLowerCase();
      const edits: TextEdit[] = [];
      const nameTok = argTokens(file, stage.from).find(
        (t, i, all) => i > 0 && all[i - 1].text.toUpperCase() === 'AS' && t.text === name,
      );
      if (nameTok) edits.push({ start: nameTok.start, end: nameTok.end, text: lower });
      // References to the stage: FROM <name>, COPY --from=<name>, RUN --mount=...,from=<name>.
      for (const later of file.stages) {
        if (later.index <= stage.index) continue;
        for (const ins of later.instructions) {
          if (
            ins.keyword === 'FROM' &&
            later.base.stage === stage.index &&
            ins.args[0]?.toLowerCase() === lower &&
            ins.args[0] !== lower
          ) {
            const tok = argTokens(file, ins)[0];
            if (tok && tok.text === ins.args[0]) edits.push({ start: tok.start, end: tok.end, text: lower });
          }
          for (const f of ins.flags) {
            const flagText = file.text.slice(f.span.startOffset, f.span.endOffset);
            const re =
              f.name === 'from' ? /^(--from=)([^\s]+)$/i : f.name === 'mount' ? /((?:^|,)from=)([^,\s]+)/i : undefined;
            const m = re ? re.exec(flagText) : null;
            if (!m || m[2].toLowerCase() !== lower || m[2] === lower) continue;
            if (f.name === 'from' && ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
            const at = f.span.startOffset + (m.index ?? 0) + m[1].length;
            edits.push({ start: at, end: at + m[2].length, text: lower });
          }
        }
      }
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message: `Stage name '${name}' should be lowercase; rename it to '${lower}' here and where it is referenced`,
        fix: nameTok ? { description: `rename stage to '${lower}'`, edits } : undefined,
      });
    }
  },
};
