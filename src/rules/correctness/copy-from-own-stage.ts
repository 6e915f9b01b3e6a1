import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1106',
    name: 'copy-from-own-stage',
    category: 'correctness',
    severity: 'error',
    summary: 'COPY --from refers to the stage it is in.',
    description:
      'A stage cannot copy from itself: while it builds, its own result does not exist yet, so the build fails (or, ' +
      'for a name that is also an image, copies from that image instead). Copy from an earlier stage, or use a ' +
      'plain COPY or RUN within the stage.',
    bad: 'FROM python:3.12-slim AS app\nRUN pip wheel --no-cache-dir --wheel-dir /wheels requests==2.32.3\nCOPY --from=app /wheels /opt/wheels\n',
    good: 'FROM python:3.12-slim AS wheels\nRUN pip wheel --no-cache-dir --wheel-dir /wheels requests==2.32.3\n\nFROM python:3.12-slim AS app\nCOPY --from=wheels /wheels /opt/wheels\n',
    fixable: false,
    aliases: ['DL3023'],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'COPY') continue;
        const flag = ins.flags.find((f) => f.name === 'from');
        const ref = flag?.resolved ?? flag?.value;
        if (!flag || !ref) continue;
        const own = /^\d+$/.test(ref) ? Number(ref) === stage.index : stage.name?.toLowerCase() === ref.toLowerCase();
        if (!own) continue;
        ctx.report({
          line: flag.span.start.line,
          column: flag.span.start.column,
          message: `COPY --from=${ref} refers to its own stage, which does not exist until it is built; copy from an earlier stage instead`,
        });
      }
    }
  },
};
