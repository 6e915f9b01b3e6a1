import type { Rule } from '../types.js';
import { commands } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW5102',
    name: 'sudo-in-run',
    category: 'security',
    severity: 'error',
    summary: 'RUN uses sudo.',
    description:
      'sudo behaves unpredictably in a build: it needs a TTY or a sudoers entry, changes the environment and keeps ' +
      'the image dependent on sudo being installed. Steps run as root unless USER says otherwise, so switch with ' +
      'USER, and use gosu or su-exec if a process must drop privileges at run time.',
    bad: 'FROM debian:bookworm-slim\nRUN useradd --create-home app\nUSER app\nRUN sudo mkdir -p /srv/data\n',
    good: 'FROM debian:bookworm-slim\nRUN useradd --create-home app && mkdir -p /srv/data && chown app /srv/data\nUSER app\n',
    fixable: false,
    aliases: ['DL3004'],
  },
  check(ctx) {
    for (const { cmd } of commands(ctx.file)) {
      if (cmd.program !== 'sudo') continue;
      ctx.report({
        line: cmd.line,
        column: cmd.column,
        message:
          'do not use sudo in RUN: run the step as root with USER root (and switch back after), or use gosu/su-exec at run time',
      });
    }
  },
};
