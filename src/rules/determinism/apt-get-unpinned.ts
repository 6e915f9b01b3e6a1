import { packageWords } from '../lib/package-words.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW4103',
    name: 'apt-get-unpinned',
    category: 'determinism',
    severity: 'warning',
    summary: 'apt-get install without version pins.',
    description:
      'Without `pkg=version` apt installs whatever the mirror has on build day, so two builds of the same ' +
      'Dockerfile can differ and an upstream update can break the image. Pin versions (or a release with ' +
      '`pkg/release`) for packages your application depends on.',
    bad: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
    good: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12 && rm -rf /var/lib/apt/lists/*\n',
    fixable: false,
    aliases: ['DL3008'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'apt-get' || op.action !== 'install') continue;
      if (op.words.some((w) => w.value === 'build-dep')) continue;
      const loose = packageWords(op).filter((w) => {
        if (w.dynamic || w.value.includes('$')) return false;
        const v = w.value;
        return !v.includes('=') && !v.includes('/') && !v.endsWith('.deb');
      });
      if (!loose.length) continue;
      const names = loose.map((w) => w.value);
      ctx.report({
        line: loose[0].line,
        column: loose[0].column,
        message: `apt-get install without version pins: ${names.join(', ')}; pin them as ${names[0]}=<version>`,
      });
    }
  },
};
