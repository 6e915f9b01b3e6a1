import type { Rule } from '../types.js';

/** Names of one architecture as they appear in stage names. */
const ARCH_ALIASES: Record<string, string[]> = {
  amd64: ['amd64', 'x86_64', 'x86-64', 'x64'],
  arm64: ['arm64', 'aarch64'],
  arm: ['arm', 'armhf', 'armv7', 'armv6'],
  '386': ['386', 'i386', 'x86'],
};

export const rule: Rule = {
  meta: {
    id: 'LW1308',
    name: 'from-platform-flag-const-disallowed',
    category: 'correctness',
    severity: 'warning',
    summary: 'FROM --platform with a constant value such as linux/amd64.',
    description:
      'A constant platform pins the stage to one architecture, so the Dockerfile cannot build a multi-platform image and ' +
      'runs under emulation elsewhere. Leave --platform out (and pass it on the command line) or use $BUILDPLATFORM; ' +
      'a stage whose name names the platform (e.g. `build_amd64`) is meant to be platform-specific and is not reported.',
    bad: 'FROM --platform=linux/amd64 python:3.12-slim AS app\nCMD ["python", "app.py"]\n',
    good: 'FROM python:3.12-slim AS app\nCMD ["python", "app.py"]\n',
    fixable: false,
    aliases: ['FromPlatformFlagConstDisallowed'],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const flag = stage.from.flags.find((f) => f.name === 'platform');
      const value = flag?.value;
      if (!flag || !value || value.includes('$')) continue;
      const name = (stage.name ?? '').toLowerCase();
      if (name) {
        const [os = '', arch = '', variant = ''] = value.toLowerCase().split('/');
        const words = [os, variant, ...(ARCH_ALIASES[arch] ?? [arch])].filter((w) => w.length > 0);
        if (words.some((w) => name.includes(w))) continue;
      }
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message: `FROM --platform flag should not use constant value "${value}"; remove it (build with --platform) or use $BUILDPLATFORM`,
      });
    }
  },
};
