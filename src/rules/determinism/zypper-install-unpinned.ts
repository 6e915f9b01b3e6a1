import { actionWord, operandWords } from '../lib/package-words.js';
import { rpmPinned } from '../lib/rpm.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW4202',
    name: 'zypper-install-unpinned',
    category: 'determinism',
    severity: 'warning',
    summary: 'zypper install of a package without a version installs whatever the repository holds that day.',
    description:
      'Without a version, two builds of the same Dockerfile can install different packages, and a rebuild can ' +
      "break or change behaviour without any change to the file. Pin the version: `zypper -n install '<name>=<version>'`.",
    bad: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl && zypper clean -a\n',
    good: 'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.6.0 && zypper clean -a\n',
    fixable: false,
    aliases: ['DL3037'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'zypper' || op.action !== 'install') continue;
      if (!['install', 'in'].includes(actionWord(op)?.value ?? '')) continue;
      // Patterns and patches (`-t pattern devel_basis`) have no versions to pin.
      const type = op.optionValues['-t'] ?? op.optionValues['--type'] ?? [];
      if (type.some((t) => t !== 'package')) continue;
      const loose = operandWords(op).filter((w) => !rpmPinned(w));
      if (!loose.length) continue;
      const names = loose.map((w) => w.value);
      ctx.report({
        line: loose[0].line,
        column: loose[0].column,
        message: `zypper install without a version for ${names.join(', ')}; pin it as <name>=<version>, e.g. ${names[0]}=1.2.3`,
      });
    }
  },
};
