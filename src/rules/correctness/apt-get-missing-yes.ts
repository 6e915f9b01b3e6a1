import { hasOption } from '../../dockerfile/packages.js';
import type { PackageOp } from '../../dockerfile/types.js';
import type { Rule } from '../types.js';
import { commands, insertAfterWord, packageOperations } from '../util.js';

/** -y, --yes, --assume-yes, -qq (implies yes), -q=2 / --quiet=2, or APT::Get::Assume-Yes. */
function nonInteractive(op: PackageOp): boolean {
  if (hasOption(op, '-y', '--yes', '--assume-yes')) return true;
  if (op.options.some((o) => /^-[a-zA-Z]*q[a-zA-Z]*q/.test(o) && !o.startsWith('--'))) return true;
  if (op.options.some((o) => /^(-q|--quiet)=2$/.test(o))) return true;
  if (op.options.filter((o) => o === '-q' || o === '--quiet').length >= 2) return true;
  return op.words.some((w) => /APT::Get::Assume-Yes=("?)(true|1|yes)/i.test(w.value));
}

export const rule: Rule = {
  meta: {
    id: 'LW1103',
    name: 'apt-get-missing-yes',
    category: 'correctness',
    severity: 'warning',
    summary: 'apt-get install without -y: the build stops at the confirmation prompt.',
    description:
      'apt-get asks "Do you want to continue?" before installing anything beyond the named packages; a build has no ' +
      'terminal to answer it, so the step aborts. Pass -y (or --yes, --assume-yes, -qq).',
    bad: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install --no-install-recommends curl=7.88.1-10+deb12u12 && rm -rf /var/lib/apt/lists/*\n',
    good: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12 && rm -rf /var/lib/apt/lists/*\n',
    fixable: true,
    aliases: ['DL3014'],
  },
  check(ctx) {
    // `yes | apt-get install ...` answers the prompt too.
    const fedByYes = new Set<number>();
    for (const { cmd } of commands(ctx.file))
      if (cmd.program === 'yes' && cmd.pipelinePosition === 0) fedByYes.add(cmd.pipeline);
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'apt-get' || op.action !== 'install') continue;
      if (nonInteractive(op)) continue;
      const cmd = op.command;
      if (cmd.pipelinePosition > 0 && fedByYes.has(cmd.pipeline)) continue;
      const word = op.words.find((w) => w.value === 'install' || w.value === 'build-dep');
      ctx.report({
        line: cmd.line,
        column: cmd.column,
        message: `${cmd.program} ${word?.value ?? 'install'} without -y waits for a confirmation nobody can give; add -y`,
        fix: word
          ? {
              description: 'add -y',
              edits: [insertAfterWord(ctx.file, word.line, word.column, word.raw, ' -y')],
            }
          : undefined,
      });
    }
  },
};
