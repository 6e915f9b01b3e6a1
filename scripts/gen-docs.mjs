// Writes docs/rules.md from the rule metadata (run after `npm run build`: `npm run docs`).
// With --check, writes nothing and exits 1 when docs/rules.md is stale.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const { allRules } = await import('../dist/src/rules/all.js');
const { renderRulesDoc } = await import('../dist/src/rules/docs.js');

const target = new URL('../docs/rules.md', import.meta.url);
const text = renderRulesDoc(allRules);
const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('docs/rules.md is stale: run npm run docs');
    process.exit(1);
  }
} else if (current !== text) {
  writeFileSync(target, text);
  console.log(`docs/rules.md: ${allRules.length} rules`);
} else {
  console.log(`docs/rules.md is up to date (${allRules.length} rules)`);
}
