/**
 * Runs rules over a parsed Dockerfile: applies suppressions and configuration, isolates rule
 * failures (a bug in one rule must not hide the others' findings), sorts findings.
 */
import type { BuildContext } from '../dockerfile/context.js';
import type { Dockerfile } from '../dockerfile/types.js';
import { collectSuppressions } from './suppress.js';
import type { Finding, Rule, RuleSettings, Severity } from './types.js';

export interface LintOptions {
  /** Rule ids, names or aliases to skip. */
  ignore?: string[];
  /** Severity per rule id, name or alias; 'off' disables. */
  severity?: Record<string, Severity | 'off'>;
  settings?: Partial<RuleSettings>;
  /** Run rules that are off by default too (their documented examples are tested this way). */
  enableAll?: boolean;
  /**
   * Inline `# hadolint ignore=` / `# layerwise ignore=` comments suppress nothing (hadolint's
   * `disable-ignore-pragma`), so CI applies every rule; BuildKit's `# check=skip=` still counts.
   */
  disableIgnorePragma?: boolean;
}

/** Internal error of a rule, reported once instead of a crash. */
export interface RuleFailure {
  rule: string;
  error: string;
}

export interface LintResult {
  findings: Finding[];
  failures: RuleFailure[];
}

/** Lints one parsed Dockerfile with `rules`. Pure: no IO beyond what `context` does lazily. */
export function lintModel(
  file: Dockerfile,
  context: BuildContext,
  rules: Rule[],
  options: LintOptions = {},
): LintResult {
  const suppress = collectSuppressions(file, { inline: !options.disableIgnorePragma });
  const ignore = new Set((options.ignore ?? []).map((s) => s.toLowerCase()));
  const overrides = new Map(Object.entries(options.severity ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const settings: RuleSettings = {
    trustedRegistries: [],
    labelSchema: {},
    strictLabels: false,
    ...options.settings,
  };
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  const lineCount = Math.max(1, file.lines.length);

  for (const rule of rules) {
    const { keys, isBuildCheck } = ruleKeys(rule);
    if (keys.some((k) => ignore.has(k))) continue;
    let severity: Severity | 'off' = rule.meta.defaultOff ? 'off' : rule.meta.severity;
    for (const k of keys) {
      const o = overrides.get(k);
      if (o) severity = o;
    }
    if (options.enableAll && severity === 'off' && !overrides.has(rule.meta.id.toLowerCase()))
      severity = rule.meta.severity;
    if (severity === 'off') continue;
    if (suppress.skipAllChecks && isBuildCheck) continue;
    const sev = severity;
    try {
      rule.check({
        file,
        context,
        settings,
        report(r) {
          const line = clamp(r.line, 1, lineCount);
          if (suppress.isSuppressed(keys, line)) return;
          findings.push({
            rule: rule.meta.id,
            name: rule.meta.name,
            file: file.path,
            line,
            column: Math.max(1, r.column ?? 1),
            endLine: clamp(r.endLine ?? line, line, lineCount),
            endColumn: Math.max(1, r.endColumn ?? (file.lines[line - 1]?.length ?? 0) + 1),
            category: rule.meta.category,
            severity: sev,
            message: r.message,
            fixable: rule.meta.fixable && !!r.fix,
            fix: r.fix,
          });
        },
      });
    } catch (e) {
      failures.push({ rule: rule.meta.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  // Rule ids are ASCII: compared by code unit, as localeCompare would start ICU's collator (~19 ms).
  findings.sort((a, b) => a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  return { findings, failures };
}

const keyCache = new WeakMap<Rule, { keys: string[]; isBuildCheck: boolean }>();

/** Lower-case names a rule answers to in configuration and pragmas, computed once per rule. */
function ruleKeys(rule: Rule): { keys: string[]; isBuildCheck: boolean } {
  let k = keyCache.get(rule);
  if (!k) {
    k = {
      keys: [rule.meta.id, rule.meta.name, ...rule.meta.aliases].map((x) => x.toLowerCase()),
      isBuildCheck: rule.meta.aliases.some((a) => /^[A-Z][a-z]/.test(a) && !/^DL\d/.test(a)),
    };
    keyCache.set(rule, k);
  }
  return k;
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.trunc(n))) : lo;
}
