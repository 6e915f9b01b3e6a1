import type { Rule } from '../types.js';
import { hasOption } from '../../dockerfile/packages.js';
import { insertAfterWord, packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW3001',
    name: 'apt-no-install-recommends',
    category: 'size',
    severity: 'info',
    summary: 'apt-get install without --no-install-recommends pulls in recommended packages.',
    description:
      'apt installs "recommended" packages by default, which often adds tens of megabytes the application never uses. ' +
      'Pass --no-install-recommends and list what you need.',
    bad: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
    good: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
    fixable: true,
    aliases: ['DL3015'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'apt-get' || op.action !== 'install') continue;
      if (hasOption(op, '--no-install-recommends')) continue;
      if (
        op.options.some((o) => /APT::Install-Recommends/i.test(o)) ||
        op.words.some((w) => /Install-Recommends=("?)(false|0)/i.test(w.value))
      )
        continue;
      const installWord = op.words.find((w) => w.value === 'install');
      const cmd = op.command;
      ctx.report({
        line: cmd.line,
        column: cmd.column,
        message: 'apt-get install without --no-install-recommends; add it to skip recommended packages',
        fix: installWord
          ? {
              description: 'add --no-install-recommends',
              edits: [
                insertAfterWord(
                  ctx.file,
                  installWord.line,
                  installWord.column,
                  installWord.raw,
                  ' --no-install-recommends',
                ),
              ],
            }
          : undefined,
      });
    }
  },
};
