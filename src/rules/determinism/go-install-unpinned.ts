import { actionWord, packageWords } from '../lib/r2-helpers.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW4204',
    name: 'go-install-unpinned',
    category: 'determinism',
    severity: 'warning',
    summary: '`go install <module>` without `@<version>` builds whatever version it resolves that day.',
    description:
      'A remote `go install` without a version (or with `@latest`) resolves the newest release at build time, so ' +
      'rebuilds of the same Dockerfile install different tools. Pin it: `go install example.com/tool@v1.2.3`.',
    bad: 'FROM golang:1.22-bookworm\nRUN go install github.com/go-delve/delve/cmd/dlv\n',
    good: 'FROM golang:1.22-bookworm\nRUN go install github.com/go-delve/delve/cmd/dlv@v1.22.1\n',
    fixable: false,
    aliases: ['DL3062'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'go' || actionWord(op)?.value !== 'install') continue;
      for (const w of packageWords(op)) {
        const v = w.value;
        if (w.dynamic || v.includes('$')) continue;
        // Local packages (`.`, `./cmd/...`, `/src/x`) and the standard library need no version.
        const path = v.split('@')[0];
        if (path.startsWith('.') || path.startsWith('/') || !path.split('/')[0].includes('.')) continue;
        const at = v.indexOf('@');
        const version = at < 0 ? '' : v.slice(at + 1);
        if (version && version !== 'latest' && version !== 'master' && version !== 'main') continue;
        ctx.report({
          line: w.line,
          column: w.column,
          message: version
            ? `go install ${v} follows a moving @${version}; pin a release: ${path}@v1.2.3`
            : `go install ${v} without @version; pin a release: ${path}@v1.2.3`,
        });
      }
    }
  },
};
