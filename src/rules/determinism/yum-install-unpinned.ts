import { actionWord, packageWords, rpmPinned, rpmTool } from '../lib/r2-helpers.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW4201',
    name: 'yum-install-unpinned',
    category: 'determinism',
    severity: 'warning',
    summary: 'yum install of a package without a version installs whatever the repository holds that day.',
    description:
      'Without a version, two builds of the same Dockerfile can install different packages, and a rebuild can ' +
      'break or change behaviour without any change to the file. Pin the version: `yum install -y <name>-<version>`.',
    bad: 'FROM rockylinux:9\nRUN yum install -y httpd && yum clean all\n',
    good: 'FROM rockylinux:9\nRUN yum install -y httpd-2.4.57 && yum clean all\n',
    fixable: false,
    aliases: ['DL3033'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (rpmTool(op) !== 'yum' || op.action !== 'install') continue;
      if (actionWord(op)?.value !== 'install') continue;
      const loose = packageWords(op).filter((w) => !rpmPinned(w));
      if (!loose.length) continue;
      const names = loose.map((w) => w.value);
      ctx.report({
        line: loose[0].line,
        column: loose[0].column,
        message: `yum install without a version for ${names.join(', ')}; pin it as <name>-<version>, e.g. ${names[0]}-1.2.3`,
      });
    }
  },
};
