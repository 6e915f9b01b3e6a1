import { packageWords } from '../lib/r1-hadolint.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

/** `pkg@1.2.3`, `@scope/pkg@^1`, or a path, tarball, URL or git reference. */
function pinnedOrLocal(spec: string): boolean {
  if (/^[.~/]/.test(spec) || /^(file|git|git\+[a-z]+|https?|github|gitlab|bitbucket|npm):/i.test(spec)) return true;
  if (/\.(tgz|tar\.gz|tar)$/i.test(spec)) return true;
  const at = spec.indexOf('@', 1);
  if (at > 0) return spec.slice(at + 1) !== '' && spec.slice(at + 1).toLowerCase() !== 'latest';
  // `user/repo#commit` GitHub shorthand with a commit-ish.
  return /^[^@/]+\/[^/]+#.+/.test(spec);
}

export const rule: Rule = {
  meta: {
    id: 'LW4105',
    name: 'npm-unpinned',
    category: 'determinism',
    severity: 'warning',
    summary: 'npm install of packages without versions (`pkg` instead of `pkg@1.2.3`).',
    description:
      'An unpinned `npm install pkg` installs the newest release on build day, so rebuilds differ and an upstream ' +
      'release can break the image. Pin versions with `pkg@version`, or install from package-lock.json with `npm ci`.',
    bad: 'FROM node:20-slim\nRUN npm install -g pm2\n',
    good: 'FROM node:20-slim\nRUN npm install -g pm2@5.4.2\n',
    fixable: false,
    aliases: ['DL3016'],
  },
  check(ctx) {
    for (const { op } of packageOperations(ctx.file)) {
      if (op.manager !== 'npm' || op.action !== 'install') continue;
      const loose = packageWords(op).filter((w) => !w.dynamic && !w.value.includes('$') && !pinnedOrLocal(w.value));
      if (!loose.length) continue;
      const names = loose.map((w) => w.value);
      ctx.report({
        line: loose[0].line,
        column: loose[0].column,
        message: `npm install without version pins: ${names.join(', ')}; pin them as ${names[0].replace(/@latest$/i, '')}@<version> or use npm ci with a lock file`,
      });
    }
  },
};
