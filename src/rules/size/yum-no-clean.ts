import { missingCleanups } from '../lib/cache-cleanup.js';
import { RPM_CACHE_DIRS, rpmTool } from '../lib/rpm.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW3201',
    name: 'yum-no-clean',
    category: 'size',
    severity: 'warning',
    summary: 'yum install without `yum clean all` in the same RUN leaves the package cache in the layer.',
    description:
      'yum keeps repository metadata and downloaded packages under /var/cache/yum; unless the same RUN runs ' +
      '`yum clean all` they stay in the image, often 100 MB or more. Clean up in the same RUN, or use a cache mount ' +
      'on /var/cache/yum.',
    bad: 'FROM centos:7\nRUN yum install -y httpd-2.4.6\n',
    good: 'FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n',
    fixable: false,
    aliases: ['DL3032'],
  },
  check(ctx) {
    const spec = {
      fills: (op: Parameters<typeof rpmTool>[0]) =>
        rpmTool(op) === 'yum' && (op.action === 'install' || op.action === 'upgrade'),
      cleans: (op: Parameters<typeof rpmTool>[0]) =>
        op.manager === 'dnf' && op.action === 'clean' && op.packages.includes('all'),
      dirs: () => RPM_CACHE_DIRS,
    };
    for (const { op } of missingCleanups(ctx.file, spec)) {
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message:
          'yum install without `yum clean all` in the same RUN leaves its cache in the layer; append `&& yum clean all`',
      });
    }
  },
};
