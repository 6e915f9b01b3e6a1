/**
 * The shape of a parity row: one documented example of a hadolint rule or a Docker build check,
 * written for this project from the rule's documentation (never from hadolint's tests, which are
 * GPL), and the lines where the other tool reports it.
 */
import type { ExampleContext, RuleSettings } from '../../../../src/rules/types.js';

export interface ParityCase {
  /** hadolint code (`DL3008`) or build check name (`JSONArgsRecommended`). */
  alias: string;
  kind: 'bad' | 'good';
  text: string;
  /** Lines the other tool reports (its instruction's first line); empty for a good example. */
  lines: number[];
  context?: ExampleContext;
  settings?: Partial<RuleSettings>;
  /** Set when layerwise disagrees on purpose: the reason, printed with the figure. */
  differs?: string;
}

type Extra = Pick<ParityCase, 'context' | 'settings' | 'differs'>;

/** A documented "problematic" example; `lines` where the other tool reports it. */
export function bad(alias: string, text: string, lines: number | number[], extra: Extra = {}): ParityCase {
  return { alias, kind: 'bad', text: `${text}\n`, lines: typeof lines === 'number' ? [lines] : lines, ...extra };
}

/** A documented "correct" example: the rule must stay quiet. */
export function good(alias: string, text: string, extra: Extra = {}): ParityCase {
  return { alias, kind: 'good', text: `${text}\n`, lines: [], ...extra };
}
