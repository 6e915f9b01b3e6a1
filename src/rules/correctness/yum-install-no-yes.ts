import { checkRpmAssumeYes } from '../lib/rpm.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1201',
    name: 'yum-install-no-yes',
    category: 'correctness',
    severity: 'warning',
    summary: 'yum install/update/remove without -y waits for an answer the build cannot give.',
    description:
      'Without -y, yum asks for confirmation; a build has no terminal, so yum reads end-of-input, answers "no" and ' +
      'the step fails. Pass -y (or --assumeyes).',
    bad: 'FROM rockylinux:9\nRUN yum install httpd-2.4.57 && yum clean all\n',
    good: 'FROM rockylinux:9\nRUN yum install -y httpd-2.4.57 && yum clean all\n',
    fixable: true,
    aliases: ['DL3030'],
  },
  check(ctx) {
    checkRpmAssumeYes(ctx, 'yum');
  },
};
