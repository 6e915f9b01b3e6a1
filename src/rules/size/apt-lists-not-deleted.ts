import type { Instruction, ShellCommand } from '../../dockerfile/types.js';
import { mountCovers } from '../lib/mounts.js';
import { scriptAppendOffset } from '../lib/shell-commands.js';
import { shippedStages } from '../util.js';
import type { Rule } from '../types.js';
import { opsOf, runInstructions } from '../util.js';

const CLEANUP = ' && rm -rf /var/lib/apt/lists/*';

/** True when the RUN removes the apt lists after `after` (`rm -rf /var/lib/apt/lists/*` or a parent). */
function removesLists(ins: Instruction, after: ShellCommand): boolean {
  const cmds = ins.shell?.commands ?? [];
  return cmds
    .slice(cmds.indexOf(after) + 1)
    .some(
      (c) =>
        (c.program === 'rm' || c.program === 'find') &&
        c.args.some(
          (a) => /^\/var\/lib\/apt(\/lists)?(\/\*?)?$/.test(a.value) || a.value.startsWith('/var/lib/apt/lists/'),
        ),
    );
}

export const rule: Rule = {
  meta: {
    id: 'LW3101',
    name: 'apt-lists-not-deleted',
    category: 'size',
    severity: 'info',
    summary: 'apt-get update leaves the package lists in the layer.',
    description:
      '`apt-get update` downloads package lists (often 20-50 MB) into /var/lib/apt/lists. Unless the same RUN deletes ' +
      'them, they stay in the image layer forever, and they change with every mirror update, so the layer differs ' +
      'between otherwise identical builds. Remove them in the same RUN, or put them on a cache mount.',
    bad: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12\n',
    good: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12 && rm -rf /var/lib/apt/lists/*\n',
    fixable: true,
    aliases: ['DL3009'],
  },
  check(ctx) {
    const shipped = shippedStages(ctx.file);
    for (const ins of runInstructions(ctx.file)) {
      if (ins.stage === undefined || !shipped.has(ins.stage)) continue;
      const update = opsOf(ins).find((op) => op.manager === 'apt-get' && op.action === 'update');
      if (!update) continue;
      if (mountCovers(ins, '/var/lib/apt/lists') || removesLists(ins, update.command)) continue;
      // Deleting the lists right after a lone update would break the install that a later
      // RUN (or a merge of the two) still needs; only clean up after something was installed.
      const ops = opsOf(ins);
      const installsAfter = ops.some(
        (op) => op.manager === 'apt-get' && op.action === 'install' && ops.indexOf(op) > ops.indexOf(update),
      );
      const at = installsAfter ? scriptAppendOffset(ctx.file, ins) : undefined;
      ctx.report({
        line: update.command.line,
        column: update.command.column,
        message:
          'apt-get update leaves its package lists in the layer; end this RUN with `rm -rf /var/lib/apt/lists/*` (or use a cache mount on /var/lib/apt/lists)',
        fix:
          at === undefined
            ? undefined
            : { description: 'delete the apt lists', edits: [{ start: at, end: at, text: CLEANUP }] },
      });
    }
  },
};
