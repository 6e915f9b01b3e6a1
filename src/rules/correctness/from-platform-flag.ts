import type { Rule } from '../types.js';

/** The cross-compilation idiom: run build tools natively, whatever the target platform. */
const BUILD_PLATFORM = /^\$(BUILDPLATFORM|\{BUILDPLATFORM\})$/;

export const rule: Rule = {
  meta: {
    id: 'LW1108',
    name: 'from-platform-flag',
    category: 'correctness',
    severity: 'warning',
    summary: 'FROM --platform pins a stage to one platform.',
    description:
      'A fixed --platform on FROM makes the stage ignore the platform the build asks for: multi-platform builds ' +
      'produce images for the wrong architecture or run under emulation. Choose the platform with ' +
      '`docker build --platform`. `FROM --platform=$BUILDPLATFORM` for a cross-compiling build stage is the exception.',
    bad: 'FROM --platform=linux/amd64 python:3.12-slim\nCMD ["python", "--version"]\n',
    good: 'FROM python:3.12-slim\nCMD ["python", "--version"]\n',
    fixable: false,
    aliases: ['DL3029'],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const flag = stage.from.flags.find((f) => f.name === 'platform');
      if (!flag) continue;
      const value = (flag.value ?? '').trim();
      if (BUILD_PLATFORM.test(value)) continue;
      ctx.report({
        line: flag.span.start.line,
        column: flag.span.start.column,
        message: `FROM --platform=${value} pins this stage to one platform; drop it and pass --platform to docker build (only --platform=$BUILDPLATFORM for cross-compiling stages is fine)`,
      });
    }
  },
};
