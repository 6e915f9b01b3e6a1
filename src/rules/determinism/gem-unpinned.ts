import { hasOption } from '../../dockerfile/packages.js';
import { packageWords } from '../lib/package-words.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW4107',
    name: 'gem-unpinned',
    category: 'determinism',
    severity: 'warning',
    summary: 'gem install without a version (`gem` instead of `gem:1.2`).',
    description:
      'An unpinned `gem install` takes the newest release on build day, so rebuilds differ and an upstream release ' +
      'can break the image. Pin with `gem:version` or `-v version`, or install from a Gemfile.lock with bundler.',
    bad: 'FROM ruby:3.3-slim\nRUN gem install bundler\n',
    good: 'FROM ruby:3.3-slim\nRUN gem install bundler:2.5.22\n',
    fixable: false,
    aliases: ['DL3028'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'gem' || op.action !== 'install') continue;
      if (hasOption(op, '-v', '--version')) continue;
      const loose = packageWords(op).filter(
        (w) =>
          !w.dynamic &&
          !w.value.includes('$') &&
          !w.value.includes(':') &&
          !/\.gem$/.test(w.value) &&
          !w.value.includes('/'),
      );
      if (!loose.length) continue;
      const names = loose.map((w) => w.value);
      ctx.report({
        line: loose[0].line,
        column: loose[0].column,
        message: `gem install without versions: ${names.join(', ')}; pin them as ${names[0]}:<version> or use -v <version>`,
      });
    }
  },
};
