import { actionWord } from '../lib/package-words.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW4205',
    name: 'zypper-dist-upgrade',
    category: 'determinism',
    severity: 'warning',
    summary: '`zypper dist-upgrade` in a build upgrades the whole distribution to whatever the repositories hold.',
    description:
      'A distribution upgrade in a Dockerfile makes the image depend on the day it was built and can move it to a ' +
      'new release. Pick a newer base image instead, and install only the packages you need.',
    bad: 'FROM opensuse/tumbleweed\nRUN zypper -n dist-upgrade && zypper clean -a\n',
    good: 'FROM opensuse/tumbleweed:20240601\nRUN zypper -n install curl=8.8.0 && zypper clean -a\n',
    fixable: false,
    aliases: ['DL3035'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'zypper') continue;
      const w = actionWord(op);
      if (w?.value !== 'dist-upgrade' && w?.value !== 'dup') continue;
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message: `zypper ${w.value} upgrades the whole distribution at build time; use a newer base image and install specific packages instead`,
      });
    }
  },
};
