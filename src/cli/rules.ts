/** `layerwise rules`: the rule list as text or JSON, or one rule's documentation. */
import { UserError } from '../errors.js';
import { allRules } from '../rules/all.js';
import { renderRuleDoc } from '../rules/docs.js';
import { renderRulesText, rulesJson } from '../report/rules-table.js';

export function runRules(rule: string | undefined, opts: { json?: boolean }): number {
  const metas = allRules.map((r) => r.meta);
  if (rule) {
    const key = rule.toLowerCase();
    const hit = metas.find((m) => [m.id, m.name, ...m.aliases].some((k) => k.toLowerCase() === key));
    if (!hit) throw new UserError(`no rule '${rule}'; run 'layerwise rules' for the list`);
    process.stdout.write(opts.json ? `${JSON.stringify(rulesJson([hit])[0], null, 2)}\n` : `${renderRuleDoc(hit)}\n`);
    return 0;
  }
  process.stdout.write(opts.json ? `${JSON.stringify(rulesJson(metas), null, 2)}\n` : renderRulesText(metas));
  return 0;
}
