/**
 * LABEL pairs as the label rules read them, and the shape shared by the rules that check a
 * schema label's value against its type (DL3052-DL3058).
 */
import type { Instruction, KeyValue } from '../../dockerfile/types.js';
import type { LabelType, Report, Rule, RuleContext, RuleMeta } from '../types.js';
import { withTriggers } from '../util.js';

/** One `key=value` of a LABEL instruction (ONBUILD LABEL included). */
export interface LabelPair {
  ins: Instruction;
  pair: KeyValue;
  /** The key as Docker stores it: quotes removed. */
  key: string;
}

/** Every LABEL pair of the file, in order, the triggers of ONBUILD included. */
export function labelPairs(ctx: RuleContext): LabelPair[] {
  return withTriggers(ctx.file, 'LABEL').flatMap((ins) =>
    ins.pairs.map((pair) => ({ ins, pair, key: unquoteKey(pair.key) })),
  );
}

export function unquoteKey(key: string): string {
  return /^(["']).*\1$/s.test(key) ? key.slice(1, -1) : key;
}

/**
 * The value to check: quotes removed and variables resolved. Undefined when a variable stays
 * unknown (a build argument without default): only the build knows that value.
 */
export function literalValue(pair: KeyValue): string | undefined {
  const v = pair.resolved ?? '';
  return /\$(\{|[A-Za-z_])/.test(v) ? undefined : v;
}

/** Where a label finding points: the LABEL instruction's line (as hadolint), at the pair. */
export function labelReport(p: LabelPair, message: string): Report {
  const line = p.ins.span.start.line;
  return { line, column: p.pair.span.start.line === line ? p.pair.span.start.column : 1, message };
}

/**
 * A rule reporting each schema label of `type` whose literal, non-empty value is not of that
 * type. Empty values are LW6504 label-empty's, values built from unknown variables nobody's.
 */
export function labelFormatRule(
  meta: RuleMeta,
  type: LabelType,
  valid: (value: string) => boolean,
  problem: string,
): Rule {
  return {
    meta,
    check(ctx) {
      const schema = ctx.settings.labelSchema;
      for (const p of labelPairs(ctx)) {
        if (!Object.hasOwn(schema, p.key) || schema[p.key] !== type) continue;
        const value = literalValue(p.pair);
        if (value === undefined || value.trim() === '' || valid(value)) continue;
        ctx.report(labelReport(p, `label \`${p.key}\` is not ${problem}: ${JSON.stringify(value)}`));
      }
    },
  };
}
