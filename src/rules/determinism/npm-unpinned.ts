import { packageWords } from '../lib/package-words.js';
import { movingRef, npmGitRef } from '../lib/vcs-refs.js';
import type { Rule } from '../types.js';
import { packageOperations } from '../util.js';

/** `pkg@1.2.3`, `@scope/pkg@^1`, or a path, tarball, URL or git reference. */
function pinnedOrLocal(spec: string): boolean {
  // A git source pins only with a commit-ish that does not move: `#v1.0.2`, `#4f2a9c1`, `#semver:^1.2`.
  const ref = npmGitRef(spec);
  if (ref !== undefined) return !movingRef(ref);
  if (/^[.~/]/.test(spec) || /^(file|git|git\+[a-z]+|https?|github|gitlab|bitbucket|npm):/i.test(spec)) return true;
  if (/\.(tgz|tar\.gz|tar)$/i.test(spec)) return true;
  const at = spec.indexOf('@', 1);
  if (at > 0) return spec.slice(at + 1) !== '' && spec.slice(at + 1).toLowerCase() !== 'latest';
  return false;
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
      'release can break the image. Pin versions with `pkg@version`, or install from package-lock.json with `npm ci`. ' +
      'A git source (`git+ssh://`, `git+https://`, `git+http://`, `git://`, `github:user/repo`, `user/repo`) pins ' +
      'only with a `#commit-ish`; stricter than hadolint on purpose, a branch such as `#main` counts as unpinned. ' +
      '`--` ends the options: the words after it are packages too.',
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
        message:
          npmGitRef(names[0]) !== undefined
            ? `npm install without version pins: ${names.join(', ')}; pin the repository to a tag or commit (${names[0].replace(/#.*$/, '')}#<tag-or-commit>)`
            : `npm install without version pins: ${names.join(', ')}; pin them as ${names[0].replace(/@latest$/i, '')}@<version> or use npm ci with a lock file`,
      });
    }
  },
};
