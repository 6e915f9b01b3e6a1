import { hasOption } from '../../dockerfile/packages.js';
import { actionWord, managerWord } from '../lib/package-words.js';
import { wordOffset } from '../lib/shell-commands.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW1202',
    name: 'zypper-non-interactive',
    category: 'correctness',
    severity: 'warning',
    summary: 'zypper install/remove/update without -n (--non-interactive) waits for an answer.',
    description:
      'zypper asks for confirmation before changing packages; a build has no terminal to answer, so the step hangs ' +
      'or fails. Run `zypper -n ...` (or pass -y / --no-confirm to the sub-command).',
    bad: 'FROM opensuse/leap:15.6\nRUN zypper install curl=8.6.0 && zypper clean -a\n',
    good: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean -a\n',
    fixable: true,
    aliases: ['DL3034'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'zypper') continue;
      if (!['install', 'remove', 'upgrade'].includes(op.action)) continue;
      if (hasOption(op, '-n', '--non-interactive', '-y', '--no-confirm')) continue;
      const w = managerWord(op);
      const off = w ? wordOffset(ctx.file, w) + w.raw.length : -1;
      const ok = w && ctx.file.text.slice(off - w.raw.length, off) === w.raw;
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message: `zypper ${actionWord(op)?.value ?? op.action} without -n (--non-interactive) waits for confirmation; use \`zypper -n ${actionWord(op)?.value ?? op.action}\``,
        fix: ok ? { description: 'add -n', edits: [{ start: off, end: off, text: ' -n' }] } : undefined,
      });
    }
  },
};
