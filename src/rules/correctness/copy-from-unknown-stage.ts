import { plainFlag } from '../lib/words.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1105',
    name: 'copy-from-unknown-stage',
    category: 'correctness',
    severity: 'warning',
    summary: 'COPY --from names no earlier stage, so Docker pulls an image by that name.',
    description:
      '`COPY --from=NAME` copies from the earlier stage called NAME; when there is none (a typo, or the stage is ' +
      'defined later), Docker silently treats NAME as an image on Docker Hub and pulls it. Name the stage with ' +
      '`FROM ... AS NAME` before the COPY, or write a full image reference with a tag.',
    bad: 'FROM python:3.12-slim AS build\nRUN pip wheel --no-cache-dir --wheel-dir /wheels requests==2.32.3\n\nFROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\n',
    good: 'FROM python:3.12-slim AS builder\nRUN pip wheel --no-cache-dir --wheel-dir /wheels requests==2.32.3\n\nFROM python:3.12-slim\nCOPY --from=builder /wheels /wheels\n',
    fixable: false,
    aliases: ['DL3022'],
  },
  check(ctx) {
    const stages = ctx.file.stages;
    for (const stage of stages) {
      for (const ins of stage.instructions) {
        if (ins.keyword !== 'COPY') continue;
        const from = plainFlag(ins, 'from');
        if (!from || !from.value || from.value.includes('$')) continue;
        const { flag, value: ref } = from;
        // An image reference is allowed: it has a tag, digest or path.
        if (/[:/@]/.test(ref)) continue;
        const lower = ref.toLowerCase();
        if (/^\d+$/.test(ref)) {
          if (Number(ref) < stage.index) continue;
        } else {
          if (stages.some((s) => s.index < stage.index && s.name?.toLowerCase() === lower)) continue;
          // Referring to the stage itself is LW1106's business.
          if (stage.name?.toLowerCase() === lower) continue;
        }
        if (Number(ref) === stage.index) continue;
        const later = stages.find(
          (s) => s.index > stage.index && (s.name?.toLowerCase() === lower || String(s.index) === ref),
        );
        const known = stages.filter((s) => s.index < stage.index && s.name).map((s) => s.name);
        ctx.report({
          line: flag.span.start.line,
          column: flag.span.start.column,
          message: later
            ? `COPY --from=${ref} refers to a stage defined later (line ${later.from.span.start.line}); move that stage before this one`
            : `COPY --from=${ref} matches no earlier stage, so Docker would pull an image named ${ref}; ${known.length ? `refer to an earlier stage (${known.join(', ')})` : `name a stage with FROM ... AS ${ref}`} or write a full image reference with a tag`,
        });
      }
    }
  },
};
