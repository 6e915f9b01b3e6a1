import { actionWord, insertAfterAction, rpmAssumesYes, rpmTool } from '../lib/r2-helpers.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

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
    for (const { op } of packageOperations(ctx.file)) {
      if (rpmTool(op) !== 'yum') continue;
      if (!['install', 'upgrade', 'remove'].includes(op.action) || rpmAssumesYes(op)) continue;
      const action = actionWord(op)?.value ?? op.action;
      const edit = insertAfterAction(ctx.file, op, ' -y');
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message: `yum ${action} without -y fails in a non-interactive build; add -y`,
        fix: edit ? { description: 'add -y', edits: [edit] } : undefined,
      });
    }
  },
};
