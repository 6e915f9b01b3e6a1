import { hasOption } from '../../dockerfile/packages.js';
import { packageWords } from '../lib/package-words.js';
import { movingRef, pipVcsRef } from '../lib/vcs-refs.js';
import type { Rule } from '../types.js';
import { envAt, packageOperations } from '../util.js';

/** A requirement that names a version, a local path, an archive, a wheel or a URL. */
function pinnedOrLocal(spec: string): boolean {
  // A VCS URL pins only with an @ref that does not move: `git+https://host/repo.git@v1.0`.
  const ref = pipVcsRef(spec);
  if (ref !== undefined) return !movingRef(ref);
  if (/[=<>]|~=|!=/.test(spec)) return true;
  if (/^[.~/]/.test(spec) || spec.includes('/') || spec.includes('@')) return true;
  return /\.(whl|tar\.gz|tgz|zip|tar\.bz2|tar)$/i.test(spec);
}

export const rule: Rule = {
  meta: {
    id: 'LW4104',
    name: 'pip-unpinned',
    category: 'determinism',
    severity: 'warning',
    summary: 'pip install of packages without versions (`pkg` instead of `pkg==1.2`).',
    description:
      'An unpinned `pip install pkg` takes the newest release on build day: rebuilds differ, an upstream release can ' +
      'break the image, and the layer changes although nothing of yours did. Pin versions, or install from a ' +
      'requirements/lock file or with a constraints file. `pipx install` (and `pipx inject`) is read the same way. ' +
      'A VCS URL (`git+ssh://`, `git+https://`, `git+http://`, hg, svn, bzr) pins only with an `@ref`; stricter than ' +
      'hadolint on purpose, a branch such as `@main` counts as unpinned. `--` ends the options: the words after it ' +
      'are packages too.',
    bad: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir requests\n',
    good: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir requests==2.32.3\n',
    fixable: false,
    aliases: ['DL3013'],
  },
  check(ctx) {
    for (const { ins, op } of packageOperations(ctx.file)) {
      if ((op.manager !== 'pip' && op.manager !== 'uv-pip' && op.manager !== 'pipx') || op.action !== 'install')
        continue;
      // Constraints pin whatever the command line leaves open; --no-index installs local files only.
      if (hasOption(op, '-c', '--constraint', '--no-index', '--build-constraint')) continue;
      if (op.command.assignments.PIP_CONSTRAINT || op.command.assignments.UV_CONSTRAINT) continue;
      if (envAt(ctx.file, ins, 'PIP_CONSTRAINT') || envAt(ctx.file, ins, 'UV_CONSTRAINT')) continue;
      // `pipx inject VENV pkg...`: the first operand names the venv.
      const words =
        op.manager === 'pipx' && op.words.some((w) => w.value === 'inject')
          ? packageWords(op).slice(1)
          : packageWords(op);
      const loose = words.filter((w) => !w.dynamic && !w.value.includes('$') && !pinnedOrLocal(w.value));
      if (!loose.length) continue;
      const names = loose.map((w) => w.value);
      const tool =
        op.manager === 'uv-pip'
          ? 'uv pip install'
          : op.manager === 'pipx'
            ? `pipx ${op.words.find((w) => !w.value.startsWith('-'))?.value ?? 'install'}`
            : 'pip install';
      ctx.report({
        line: loose[0].line,
        column: loose[0].column,
        message:
          pipVcsRef(names[0]) !== undefined
            ? `${tool} without version pins: ${names.join(', ')}; pin the repository to a tag or commit (${names[0].replace(/@[^/@]*$|#.*$/, '').replace(/\/$/, '')}@<tag-or-commit>)`
            : `${tool} without version pins: ${names.join(', ')}; pin them ('${names[0]}==<version>') or install from a requirements/lock file`,
      });
    }
  },
};
