import { hasOption } from '../../dockerfile/packages.js';
import { mountCovers } from '../lib/mounts.js';
import { shippedStages } from '../util.js';
import type { Rule } from '../types.js';
import { insertAfterWord, packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW3102',
    name: 'apk-add-without-no-cache',
    category: 'size',
    severity: 'info',
    summary: 'apk add without --no-cache leaves the package index in the layer.',
    description:
      'Without --no-cache, apk stores the repository index under /var/cache/apk, adding a few megabytes to the layer ' +
      'that change with every index update. `apk add --no-cache` fetches a fresh index and keeps nothing, so ' +
      '`apk update` and `rm -rf /var/cache/apk/*` become unnecessary.',
    bad: 'FROM alpine:3.20\nRUN apk update && apk add curl=8.12.1-r0\n',
    good: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.12.1-r0\n',
    fixable: true,
    aliases: ['DL3019'],
  },
  check(ctx) {
    const shipped = shippedStages(ctx.file);
    for (const { ins, op } of packageOperations(ctx.file)) {
      if (op.manager !== 'apk' || op.action !== 'install') continue;
      if (ins.stage === undefined || !shipped.has(ins.stage)) continue;
      if (hasOption(op, '--no-cache')) continue;
      if (mountCovers(ins, '/var/cache/apk') || mountCovers(ins, '/etc/apk/cache')) continue;
      // An explicit cleanup of the cache in the same RUN keeps the layer clean too.
      const cmds = ins.shell?.commands ?? [];
      const cleaned = cmds
        .slice(cmds.indexOf(op.command) + 1)
        .some((c) => c.program === 'rm' && c.args.some((a) => a.value.startsWith('/var/cache/apk')));
      if (cleaned) continue;
      const add = op.words.find((w) => w.value === 'add');
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message:
          'apk add without --no-cache keeps the package index in the layer; use `apk add --no-cache` (no apk update or cache cleanup needed)',
        fix: add
          ? {
              description: 'add --no-cache',
              edits: [insertAfterWord(ctx.file, add.line, add.column, add.raw, ' --no-cache')],
            }
          : undefined,
      });
    }
  },
};
