import type { BuildContext } from '../../dockerfile/context.js';
import { plainWord } from '../lib/words.js';
import type { Rule } from '../types.js';

/** A COPY/ADD source as a context-relative path, or undefined when it is not a plain context path. */
function contextPath(src: string): string | undefined {
  if (!src || src.includes('$') || src.startsWith('<<')) return undefined;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(src) || src.startsWith('git@')) return undefined;
  let p = src.replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\/\.$/, '');
  if (!p || p === '.') return undefined;
  return p;
}

/**
 * True when a directory `path` still brings files into the context although the directory itself
 * matches an exclusion (`*` then `!src/app.py`): COPY of it works, so it is not reported.
 */
function partlyIncluded(path: string, context: BuildContext): boolean {
  const prefix = `${path}/`;
  const reincludes = context.ignorePatterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1).replace(/^\/+/, ''));
  if (!reincludes.length) return false;
  if (reincludes.some((p) => p.startsWith(prefix))) return true;
  // `name.ext` is taken for a file: nothing beneath it can be re-included.
  if (/(^|\/)[^./][^/]*\.[A-Za-z0-9]{1,8}$/.test(path)) return false;
  // `!**/*.toml`: would a file of that shape under `path` be kept?
  for (const p of reincludes) {
    if (!p.startsWith('**/')) continue;
    const probe = `${prefix}${p
      .slice(3)
      .replace(/\*\*\/?/g, '')
      .replace(/[*?]/g, 'x')
      .replace(/\[[^\]]*\]/g, 'x')}`;
    if (!context.isIgnored(probe)) return true;
  }
  return context.files().some((f) => f.startsWith(prefix));
}

export const rule: Rule = {
  meta: {
    id: 'LW1309',
    name: 'copy-ignored-file',
    category: 'correctness',
    severity: 'warning',
    summary: 'COPY/ADD of a path that .dockerignore excludes from the build context.',
    description:
      'Files excluded by .dockerignore never reach the builder, so copying one fails with "not found" (or copies ' +
      'nothing from a pattern). Either stop copying it or re-include it in .dockerignore with a `!path` line.',
    bad: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nCOPY config/settings.toml config/\nRUN pip install --no-cache-dir -r requirements.txt\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nCOPY config/settings.toml config/\nRUN pip install --no-cache-dir -r requirements.txt\n',
    badContext: { dockerignore: '.git\nconfig/\n', files: ['requirements.txt', 'config/settings.toml'] },
    goodContext: {
      dockerignore: '.git\nconfig/\n!config/settings.toml\n',
      files: ['requirements.txt', 'config/settings.toml'],
    },
    fixable: false,
    aliases: ['CopyIgnoredFile'],
  },
  check(ctx) {
    const { file, context } = ctx;
    if (!context.exists || !context.ignorePatterns.length) return;
    for (const ins of file.instructions) {
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
      if (ins.flags.some((f) => f.name === 'from')) continue;
      const words = ins.jsonForm
        ? (ins.jsonArgs ?? [])
        : ins.resolvedArgs.slice(0, ins.heredocs.length ? 0 : undefined).map(plainWord);
      if (ins.heredocs.length) continue;
      const sources = words.slice(0, -1);
      for (const src of sources) {
        const path = contextPath(src);
        if (!path || !context.isIgnored(path) || partlyIncluded(path, context)) continue;
        ctx.report({
          line: ins.span.start.line,
          column: ins.span.start.column,
          message: `${ins.keyword} source '${src}' is excluded by .dockerignore, so it is not in the build context; remove it from ${ins.keyword} or re-include it with '!${path}' in .dockerignore`,
        });
      }
    }
  },
};
