import type { Rule } from '../types.js';

/**
 * The platform the build runs on or asks for, as one variable: `$BUILDPLATFORM` (the
 * cross-compilation idiom: build tools run natively) or `$TARGETPLATFORM`, braced or with a
 * default (`${BUILDPLATFORM:-linux/amd64}`), quoted or not.
 */
const BUILD_PLATFORM = /^\$(?:(?:BUILD|TARGET)PLATFORM|\{(?:BUILD|TARGET)PLATFORM(?::?[-+=?][^}]*)?\})$/;

function unquote(v: string): string {
  return /^(["']).*\1$/s.test(v) ? v.slice(1, -1) : v;
}

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
      '`docker build --platform`. `FROM --platform=$BUILDPLATFORM` for a cross-compiling build stage is the exception, ' +
      'in every spelling (`"$BUILDPLATFORM"`, `${BUILDPLATFORM}`, `${BUILDPLATFORM:-linux/amd64}`), and so is ' +
      '`$TARGETPLATFORM`, which LW6306 redundant-target-platform reports as redundant instead.',
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
      if (BUILD_PLATFORM.test(unquote(value))) continue;
      ctx.report({
        line: flag.span.start.line,
        column: flag.span.start.column,
        message: `FROM --platform=${value} pins this stage to one platform; drop it and pass --platform to docker build (only --platform=$BUILDPLATFORM for cross-compiling stages is fine)`,
      });
    }
  },
};
