import { stageChain } from '../util.js';
import type { Rule } from '../types.js';
import { finalStage } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW1210',
    name: 'missing-healthcheck',
    category: 'correctness',
    severity: 'info',
    summary: 'The final stage has no HEALTHCHECK.',
    description:
      'Without a HEALTHCHECK, Docker and Compose only know whether the process runs, not whether it serves; a hung ' +
      'server stays "up". Add a HEALTHCHECK (or `HEALTHCHECK NONE` to say the orchestrator checks health). Off by ' +
      'default: Kubernetes ignores HEALTHCHECK and uses its own probes.',
    bad: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "http.server", "8000"]\n',
    good:
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n' +
      'HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen(\'http://localhost:8000/\')"]\n' +
      'CMD ["python", "-m", "http.server", "8000"]\n',
    fixable: false,
    defaultOff: true,
    aliases: ['DL3057'],
  },
  check(ctx) {
    const last = finalStage(ctx.file);
    if (!last) return;
    const chain = stageChain(ctx.file, last);
    if (chain.some((s) => s.instructions.some((i) => i.keyword === 'HEALTHCHECK'))) return;
    ctx.report({
      line: last.from.span.start.line,
      column: last.from.span.start.column,
      message:
        'the final stage has no HEALTHCHECK; add one (e.g. HEALTHCHECK CMD curl -f http://localhost:8000/health) or HEALTHCHECK NONE',
    });
  },
};
