import type { PackageOp } from '../../dockerfile/types.js';
import { missingCleanups } from '../lib/cache-cleanup.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW3202',
    name: 'zypper-no-clean',
    category: 'size',
    severity: 'warning',
    summary: 'zypper install without `zypper clean` in the same RUN leaves the package cache in the layer.',
    description:
      'zypper keeps repository metadata and packages under /var/cache/zypp; unless the same RUN runs `zypper clean -a` ' +
      '(or `zypper cc -a`) they stay in the image. Clean up in the same RUN, or use a cache mount on /var/cache/zypp.',
    bad: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0\n',
    good: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean -a\n',
    fixable: false,
    aliases: ['DL3036'],
  },
  check(ctx) {
    const spec = {
      fills: (op: PackageOp) => op.manager === 'zypper' && ['install', 'upgrade', 'update'].includes(op.action),
      cleans: (op: PackageOp) => op.manager === 'zypper' && op.action === 'clean',
      dirs: () => ['/var/cache/zypp'],
    };
    for (const { op } of missingCleanups(ctx.file, spec)) {
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message:
          'zypper without `zypper clean` in the same RUN leaves its cache in the layer; append `&& zypper clean -a`',
      });
    }
  },
};
