/** `layerwise rules`: options, help and examples; the work is in rules.ts, loaded when the command runs. */
import type { Command } from 'commander';
import { examples } from './options.js';

/** Adds `rules` to the program. */
export function rulesCommand(program: Command): void {
  const cmd = program
    .command('rules')
    .description('list every rule with its id, category, severity and aliases')
    .option('--json', 'print the list as JSON (id, name, category, severity, fixable, aliases, ...)')
    .argument('[rule]', 'show the documentation of one rule (id, name or alias)');
  examples(cmd, [
    ['layerwise rules', 'every rule: id, category, severity, aliases'],
    ['layerwise rules LW2001', "one rule's documentation, with examples"],
    ['layerwise rules DL3008', 'a rule by its hadolint alias (or by name: apt-get-unpinned)'],
    ['layerwise rules --json', 'the list for tools'],
  ]);
  cmd.action(async (rule: string | undefined, opts: { json?: boolean }) => {
    const { runRules } = await import('./rules.js');
    process.exitCode = runRules(rule, opts);
  });
}
