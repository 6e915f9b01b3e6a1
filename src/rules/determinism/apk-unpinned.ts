import { packageWords } from '../lib/package-words.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW4106',
    name: 'apk-unpinned',
    category: 'determinism',
    severity: 'warning',
    summary: 'apk add without version pins.',
    description:
      'Without `pkg=version` apk installs whatever the repository has on build day, so rebuilds differ and an ' +
      'upstream update can break the image. Pin exact versions (`pkg=1.2.3-r0`) or at least a version range ' +
      '(`pkg~1.2`).',
    bad: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
    good: 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.12.1-r0\n',
    fixable: false,
    aliases: ['DL3018'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'apk' || op.action !== 'install') continue;
      const loose = packageWords(op).filter((w) => {
        if (w.dynamic || w.value.includes('$')) return false;
        return !/[=<>~]/.test(w.value) && !w.value.endsWith('.apk') && !w.value.includes('/');
      });
      if (!loose.length) continue;
      const names = loose.map((w) => w.value);
      ctx.report({
        line: loose[0].line,
        column: loose[0].column,
        message: `apk add without version pins: ${names.join(', ')}; pin them as ${names[0]}=<version>`,
      });
    }
  },
};
