import { argTokens } from '../lib/instruction-tokens.js';
import type { Rule } from '../types.js';
import { withTriggers } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW6304',
    name: 'expose-proto-casing',
    category: 'style',
    severity: 'style',
    summary: 'EXPOSE protocol written in upper case (`80/TCP`).',
    description:
      'The protocol of an EXPOSE port is `tcp`, `udp` or `sctp` in lower case; Docker accepts other casings today, ' +
      "but BuildKit's ExposeProtoCasing check reports them and tools reading the image config expect lower case.",
    bad: 'FROM python:3.12-slim\nEXPOSE 8000/TCP\nCMD ["python", "-m", "http.server", "8000"]\n',
    good: 'FROM python:3.12-slim\nEXPOSE 8000/tcp\nCMD ["python", "-m", "http.server", "8000"]\n',
    fixable: true,
    aliases: ['ExposeProtoCasing'],
  },
  check(ctx) {
    for (const e of withTriggers(ctx.file, 'EXPOSE')) {
      const toks = argTokens(ctx.file, e);
      for (const tok of toks) {
        const slash = tok.text.lastIndexOf('/');
        if (slash < 0) continue;
        const proto = tok.text.slice(slash + 1);
        if (!/^[A-Za-z]+$/.test(proto) || proto === proto.toLowerCase()) continue;
        const want = proto.toLowerCase();
        ctx.report({
          line: e.span.start.line,
          column: e.span.start.column,
          message: `Protocol '${proto}' in EXPOSE ${tok.text} should be lowercase; write '${tok.text.slice(0, slash)}/${want}'`,
          fix: {
            description: `write '/${want}'`,
            edits: [{ start: tok.start + slash + 1, end: tok.end, text: want }],
          },
        });
      }
    }
  },
};
