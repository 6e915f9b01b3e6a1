import type { PackageOp } from '../../dockerfile/types.js';
import { missingCleanups } from '../lib/cache-cleanup.js';
import { managerProgram } from '../lib/package-words.js';
import { RPM_CACHE_DIRS, rpmTool, rpmVerbWords } from '../lib/rpm.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW3203',
    name: 'dnf-no-clean',
    category: 'size',
    severity: 'warning',
    summary: 'dnf/microdnf install without `dnf clean all` in the same RUN leaves the package cache in the layer.',
    description:
      'dnf and microdnf keep repository metadata and packages under /var/cache; unless the same RUN runs ' +
      '`dnf clean all` (`microdnf clean all`) they stay in the image, often 100 MB or more. Clean up in the same ' +
      'RUN, or use a cache mount on /var/cache/dnf. Upgrades under every name (`up`, `upgrade-minimal`, `distro-sync`, ...) and `dnf module install` fill the cache too.',
    bad: 'FROM fedora:40\nRUN dnf install -y python3-3.12.3\n',
    good: 'FROM fedora:40\nRUN dnf install -y python3-3.12.3 && dnf clean all\n',
    fixable: false,
    aliases: ['DL3040'],
  },
  check(ctx) {
    const spec = {
      fills: (op: PackageOp) => {
        const t = rpmTool(op);
        return (t === 'dnf' || t === 'microdnf') && (op.action === 'install' || op.action === 'upgrade');
      },
      cleans: (op: PackageOp) => op.manager === 'dnf' && op.action === 'clean' && op.packages.includes('all'),
      dirs: () => RPM_CACHE_DIRS,
    };
    for (const { op } of missingCleanups(ctx.file, spec)) {
      const tool = managerProgram(op);
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message: `${tool} ${rpmVerbWords(op)
          .map((w) => w.value)
          .join(
            ' ',
          )} without \`${tool} clean all\` in the same RUN leaves its cache in the layer; append \`&& ${tool} clean all\``,
      });
    }
  },
};
