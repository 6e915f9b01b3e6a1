/**
 * Rule names in `--ignore` and configuration that match no rule. Such an entry does nothing, and
 * a typo (`DL3OO8`, `apt-get-unpined`) would otherwise silently keep reporting what the user
 * meant to turn off, so each one is a warning (never an error: the lint itself is unaffected).
 */
import { suggest } from '../rules/lib/suggest.js';
import type { Rule } from '../rules/types.js';
import type { RuleRef } from './config.js';

/**
 * hadolint's own rules (DL1001, DL3000-DL3062, DL4000-DL4006) and ShellCheck's (SCxxxx). A
 * `.hadolint.yaml` is read by hadolint too, so naming one layerwise lacks there is not a mistake.
 */
const HADOLINT_ID = /^(DL1001|DL30[0-5]\d|DL306[0-2]|DL400[0-6]|SC\d{4})$/i;

/** ShellCheck's findings (SC1000-SC9999, or all of them by name): lint reports them when it runs ShellCheck. */
const SHELLCHECK_ID = /^(SC\d{4}|shellcheck)$/i;

/** One message (without the `layerwise: ` prefix) per entry that names no rule, in order. */
export function unknownRuleWarnings(refs: RuleRef[], rules: readonly Rule[]): string[] {
  const names = rules.flatMap((r) => [r.meta.id, r.meta.name, ...r.meta.aliases]);
  const known = new Set(names.map((n) => n.toLowerCase()));
  const out: string[] = [];
  const seen = new Set<string>();
  for (const ref of refs) {
    if (known.has(ref.rule.toLowerCase()) || SHELLCHECK_ID.test(ref.rule)) continue;
    if (ref.hadolint && HADOLINT_ID.test(ref.rule)) continue;
    const key = `${ref.rule}\0${ref.where}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const near = suggest(ref.rule, names);
    out.push(
      `warning: unknown rule ${JSON.stringify(ref.rule)} in ${ref.where}${near ? `; did you mean ${near}?` : ''} (see layerwise rules)`,
    );
  }
  return out;
}
