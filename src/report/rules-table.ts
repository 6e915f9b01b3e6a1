/**
 * `layerwise rules`: every rule as a compact text table, and `layerwise rules --json`, the
 * contract in DESIGN.md (keys are only ever added).
 */
import type { Category, Rule, RuleMeta, Severity } from '../rules/types.js';

export interface RuleJson {
  id: string;
  name: string;
  category: Category;
  severity: Severity;
  fixable: boolean;
  aliases: string[];
  summary: string;
  description: string;
  /** Off unless enabled in configuration. */
  defaultOff: boolean;
}

function metaOf(r: Rule | RuleMeta): RuleMeta {
  return 'meta' in r ? r.meta : r;
}

function sorted(rules: readonly (Rule | RuleMeta)[]): RuleMeta[] {
  return rules.map(metaOf).sort((a, b) => a.id.localeCompare(b.id));
}

export function rulesJson(rules: readonly (Rule | RuleMeta)[]): RuleJson[] {
  return sorted(rules).map((m) => ({
    id: m.id,
    name: m.name,
    category: m.category,
    severity: m.severity,
    fixable: m.fixable,
    aliases: [...m.aliases],
    summary: m.summary,
    description: m.description,
    defaultOff: !!m.defaultOff,
  }));
}

export function renderRulesJson(rules: readonly (Rule | RuleMeta)[]): string {
  return `${JSON.stringify(rulesJson(rules), null, 2)}\n`;
}

/**
 * One line per rule: id, name, category, severity (`(off)` when off by default), a `*` when
 * --fix can fix it, and its aliases in hadolint and Docker build checks.
 */
export function renderRulesText(rules: readonly (Rule | RuleMeta)[]): string {
  const metas = sorted(rules);
  const header = ['ID', 'NAME', 'CATEGORY', 'SEVERITY', 'FIX', 'ALIASES'];
  const rows = metas.map((m) => [
    m.id,
    m.name,
    m.category,
    m.defaultOff ? `${m.severity} (off)` : m.severity,
    m.fixable ? '*' : '',
    m.aliases.join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const fixable = metas.filter((m) => m.fixable).length;
  const off = metas.filter((m) => m.defaultOff).length;
  const footer = `${metas.length} rules, ${fixable} fixable with --fix (*)${off > 0 ? `, ${off} off by default` : ''}`;
  return `${[line(header), ...rows.map(line), '', footer].join('\n')}\n`;
}
