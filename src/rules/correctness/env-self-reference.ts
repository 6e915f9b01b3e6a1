import type { Dockerfile, Instruction } from '../../dockerfile/types.js';
import type { Rule } from '../types.js';
import { stageChain, stageOf } from '../util.js';

/** Names set by ARG or ENV before `ins`: in its stage, the stages it is built FROM, and global ARGs. */
function definedBefore(file: Dockerfile, ins: Instruction): Set<string> {
  const out = new Set<string>();
  const add = (i: Instruction) => {
    if (i.keyword === 'ARG' || i.keyword === 'ENV') for (const p of i.pairs) out.add(p.key);
  };
  file.globalArgs.forEach(add);
  for (const s of stageChain(file, stageOf(file, ins))) for (const i of s.instructions) if (i.index < ins.index) add(i);
  return out;
}

/** Names of `$VAR` / `${VAR...}` references in an ENV value as written (single quotes and `\$` excluded). */
function references(raw: string, escapeChar: string): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  let single = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === escapeChar && !single) {
      i++;
      continue;
    }
    if (c === "'") single = !single;
    if (c !== '$' || single) continue;
    const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/.exec(raw.slice(i, i + 256));
    if (m) out.push({ name: m[1] ?? m[2], at: i });
  }
  return out;
}

export const rule: Rule = {
  meta: {
    id: 'LW1205',
    name: 'env-self-reference',
    category: 'correctness',
    severity: 'error',
    summary: 'ENV refers to a variable that the same ENV instruction defines; it gets the old value.',
    description:
      'Within one ENV instruction, `$VAR` is replaced by the value VAR had before the instruction, not the one set ' +
      'earlier on the same line, so `ENV APP_HOME=/app APP_BIN=$APP_HOME/bin` sets APP_BIN to `/bin`. Split it into ' +
      'two ENV instructions. A name already set by an earlier ARG or ENV is not reported: its old value may be meant.',
    bad: 'FROM python:3.12-slim\nENV APP_HOME=/app APP_BIN=$APP_HOME/bin\n',
    good: 'FROM python:3.12-slim\nENV APP_HOME=/app\nENV APP_BIN=$APP_HOME/bin\n',
    fixable: false,
    aliases: ['DL3044'],
  },
  check(ctx) {
    for (const top of ctx.file.instructions) {
      const ins = top.keyword === 'ONBUILD' ? top.onbuild : top;
      if (ins?.keyword !== 'ENV' || ins.pairs.length < 2) continue;
      const defined = new Set<string>();
      const before = definedBefore(ctx.file, top);
      for (const p of ins.pairs) {
        // A pair's reference to its own name (`PATH=/x:$PATH`) means the old value on purpose.
        // The value as written (quotes and escapes kept): `KEY=value`, or `KEY value` in the legacy form.
        const text = ctx.file.text.slice(p.span.startOffset, p.span.endOffset);
        const raw = text.slice(p.key.length).replace(/^[=\s]/, '');
        for (const r of references(raw, ctx.file.escapeChar)) {
          // A name set before this ENV has a value the writer may mean on purpose (hadolint's reading too).
          if (r.name === p.key || !defined.has(r.name) || before.has(r.name)) continue;
          ctx.report({
            line: p.span.start.line,
            column: p.span.start.column,
            message: `ENV ${p.key} refers to $${r.name}, which this same ENV sets; it gets ${r.name}'s previous value. Move ${p.key} to its own ENV instruction after this one`,
          });
          break;
        }
        defined.add(p.key);
      }
    }
  },
};
