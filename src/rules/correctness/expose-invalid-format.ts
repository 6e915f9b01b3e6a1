import { argTokens } from '../lib/instruction-tokens.js';
import type { Rule } from '../types.js';
import { withTriggers } from '../util.js';

/** The port spec with variable references taken out, so `${PORT:-80}` is not read as a mapping. */
function withoutVars(s: string): string {
  return s.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, '0');
}

export const rule: Rule = {
  meta: {
    id: 'LW1310',
    name: 'expose-invalid-format',
    category: 'correctness',
    severity: 'warning',
    summary: 'EXPOSE with an IP address or a host-port mapping (`8000:8000`).',
    description:
      'EXPOSE only documents which container ports the application listens on; host ports and addresses are chosen ' +
      'when the container runs (`docker run -p`, compose `ports:`). Docker ignores the host part today and BuildKit says ' +
      'this will become an error.',
    bad: 'FROM python:3.12-slim\nEXPOSE 8000:8000\nCMD ["python", "-m", "http.server", "8000"]\n',
    good: 'FROM python:3.12-slim\nEXPOSE 8000\nCMD ["python", "-m", "http.server", "8000"]\n',
    fixable: true,
    aliases: ['ExposeInvalidFormat'],
  },
  check(ctx) {
    for (const e of withTriggers(ctx.file, 'EXPOSE')) {
      const toks = argTokens(ctx.file, e);
      for (const tok of toks) {
        const plain = withoutVars(tok.text);
        if (!plain.includes(':')) continue;
        const raw = tok.text;
        // Docker keeps the container port: the part after the last ':' (protocol included).
        const lastColon = raw.lastIndexOf(':');
        const container = raw.slice(lastColon + 1);
        const safe = !raw.includes('$') && /^\d+(-\d+)?(\/[A-Za-z]+)?$/.test(container);
        ctx.report({
          line: e.span.start.line,
          column: e.span.start.column,
          message: `EXPOSE should not define an IP address or host-port mapping, found '${raw}'; expose only the container port${safe ? ` (${container})` : ''} and publish it with -p at run time`,
          fix: safe
            ? {
                description: `expose ${container}`,
                edits: [{ start: tok.start, end: tok.end, text: container }],
              }
            : undefined,
        });
      }
    }
  },
};
