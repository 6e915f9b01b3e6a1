import { RPM_INSTALL_VERBS, rpmOperands, rpmPinned, rpmTool, rpmVerbWords } from '../lib/rpm.js';
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
      'break or change behaviour without any change to the file. Pin the version: `yum install -y <name>-<version>`. The install commands under all their names are read (`install`, `localinstall`, `install-n`, ...), and `yum module install` asks for a stream (`nodejs:18`).',
    bad: 'FROM rockylinux:9\nRUN yum install -y httpd && yum clean all\n',
    good: 'FROM rockylinux:9\nRUN yum install -y httpd-2.4.57 && yum clean all\n',
    fixable: false,
    aliases: ['DL3033'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (rpmTool(op) !== 'yum' || op.action !== 'install') continue;
      const verb = rpmVerbWords(op)
        .map((w) => w.value)
        .join(' ');
      if (!RPM_INSTALL_VERBS.has(verb)) continue;
      const module = verb === 'module install';
      const loose = rpmOperands(op).filter((w) => !rpmPinned(w, module));
      if (!loose.length) continue;
      const names = loose.map((w) => w.value);
      ctx.report({
        line: loose[0].line,
        column: loose[0].column,
        message: module
          ? `${'yum'} module install without a stream for ${names.join(', ')}; pin it as <module>:<stream>, e.g. ${names[0]}:18`
          : `${'yum'} ${verb} without a version for ${names.join(', ')}; pin it as <name>-<version>, e.g. ${names[0]}-1.2.3`,
      });
    }
  },
};
