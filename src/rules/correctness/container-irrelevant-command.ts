import { effectiveProgram } from '../lib/shell-commands.js';
import type { Rule } from '../types.js';
import { commands } from '../util.js';

/** Commands that do nothing useful while an image builds, with what to do instead. */
const HINTS: Record<string, string> = {
  ssh: 'for private repositories use RUN --mount=type=ssh with git, otherwise COPY what you need',
  vim: 'nobody can type into a build; edit files with sed or COPY the finished file',
  vi: 'nobody can type into a build; edit files with sed or COPY the finished file',
  nano: 'nobody can type into a build; edit files with sed or COPY the finished file',
  shutdown: 'a build step cannot shut the host down; remove it',
  reboot: 'a build step cannot reboot the host; remove it',
  service: 'processes started in RUN stop when the step ends; start them from CMD/ENTRYPOINT',
  systemctl: 'there is no init system in a build step; start the process from CMD/ENTRYPOINT',
  ps: 'it only shows the build step itself; remove it',
  free: 'it only shows the build machine; remove it',
  top: 'it is interactive and shows only the build step; remove it',
  kill: 'processes of a build step end with the step anyway; remove it',
  mount: 'mounts do not persist past the step; use RUN --mount',
  ifconfig: 'network settings do not persist into the image; configure networking at run time',
};

/** The hadolint list: programs that make no sense while building an image. */
const REPORTED = new Set(['ssh', 'vim', 'shutdown', 'service', 'ps', 'free', 'top', 'kill', 'mount', 'ifconfig']);

export const rule: Rule = {
  meta: {
    id: 'LW1101',
    name: 'container-irrelevant-command',
    category: 'correctness',
    severity: 'info',
    summary: 'RUN uses a command that makes no sense in a container build (ssh, vim, service, ps, kill, ...).',
    description:
      'A RUN step is a short-lived, non-interactive process: services it starts die when the step ends, editors wait for ' +
      'input nobody can give, and process or system inspection only sees the build step. Such commands are leftovers ' +
      'from interactive sessions and either do nothing or hang the build.',
    bad: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends nginx=1.22.1-9+deb12u1 && rm -rf /var/lib/apt/lists/*\nRUN service nginx start\nCMD ["nginx", "-g", "daemon off;"]\n',
    good: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends nginx=1.22.1-9+deb12u1 && rm -rf /var/lib/apt/lists/*\nCMD ["nginx", "-g", "daemon off;"]\n',
    fixable: false,
    aliases: ['DL3001'],
  },
  check(ctx) {
    for (const { cmd } of commands(ctx.file)) {
      const { program } = effectiveProgram(cmd);
      if (!REPORTED.has(program)) continue;
      ctx.report({
        line: cmd.line,
        column: cmd.column,
        message: `\`${program}\` makes no sense in a container build: ${HINTS[program]}`,
      });
    }
  },
};
