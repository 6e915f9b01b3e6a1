import type { Rule } from '../types.js';
import { commands } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW1209',
    name: 'shell-changed-by-symlink',
    category: 'correctness',
    severity: 'warning',
    summary: 'RUN ln -s ... /bin/sh replaces the system shell; use the SHELL instruction instead.',
    description:
      'Relinking /bin/sh changes the shell of every program in the image, not only of the build, and package ' +
      'upgrades may restore it. The SHELL instruction changes the shell for the following RUN instructions only.',
    bad: 'FROM debian:bookworm-slim\nRUN ln -sf /bin/bash /bin/sh\nRUN echo "$BASH_VERSION"\n',
    good: 'FROM debian:bookworm-slim\nSHELL ["/bin/bash", "-c"]\nRUN echo "$BASH_VERSION"\n',
    fixable: false,
    aliases: ['DL4005'],
  },
  check(ctx) {
    for (const { cmd } of commands(ctx.file)) {
      if (cmd.program !== 'ln') continue;
      const opts = cmd.args.filter((a) => a.value.startsWith('-'));
      if (!opts.some((o) => o.value === '--symbolic' || /^-[a-zA-Z]*s/.test(o.value))) continue;
      const paths = cmd.args.filter((a) => !a.value.startsWith('-'));
      const target = paths[paths.length - 1]?.value;
      if (paths.length < 2 || (target !== '/bin/sh' && target !== '/usr/bin/sh')) continue;
      ctx.report({
        line: cmd.line,
        column: cmd.column,
        message: `ln -s ${paths[0].value} ${target} replaces the system shell; use SHELL ["${paths[0].value}", "-c"] instead`,
      });
    }
  },
};
