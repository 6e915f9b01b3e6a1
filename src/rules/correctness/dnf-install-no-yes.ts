import { checkRpmAssumeYes } from '../lib/rpm.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1203',
    name: 'dnf-install-no-yes',
    category: 'correctness',
    severity: 'warning',
    summary: 'dnf install/upgrade/remove without -y waits for an answer the build cannot give.',
    description:
      'Without -y, dnf (and tdnf) ask for confirmation; a build has no terminal, so the answer is "no" and the step ' +
      'fails. Pass -y (or --assumeyes). microdnf never prompts, so it is not reported. Every name of those commands counts: `in`, `up`, `upgrade-minimal`, `distro-sync`, `rm`, `autoremove`, `module install`, ...',
    bad: 'FROM fedora:40\nRUN dnf install python3-3.12.3 && dnf clean all\n',
    good: 'FROM fedora:40\nRUN dnf install -y python3-3.12.3 && dnf clean all\n',
    fixable: true,
    aliases: ['DL3038'],
  },
  check(ctx) {
    checkRpmAssumeYes(ctx, 'dnf');
  },
};
