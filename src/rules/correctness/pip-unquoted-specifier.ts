import type { ShellWord } from '../../dockerfile/types.js';
import type { Rule } from '../types.js';
import { offsetOf, packageOperations } from '../util.js';

/** Managers whose arguments are requirement specifiers. */
const MANAGERS = new Set(['pip', 'uv-pip', 'uv', 'poetry', 'pdm', 'pipenv', 'conda']);
const VERSIONISH = /^=?[0-9*]/;
const PKG = /^[A-Za-z0-9][A-Za-z0-9._\-[\],]*$/;

export const rule: Rule = {
  meta: {
    id: 'LW1401',
    name: 'pip-unquoted-specifier',
    category: 'correctness',
    severity: 'error',
    summary:
      'An unquoted `pkg>=1` is a shell redirection: the package is installed unpinned and a file `=1` is written.',
    description:
      'The shell reads `>` and `<` in `pip install flask>=2.0` as redirections: pip gets plain `flask` (any version) and ' +
      'its output goes into a file named `=2.0`; `pkg<2` fails with "No such file". Quote every specifier with a comparison.',
    bad: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask>=3.0 gunicorn==22.0.0\n',
    good: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir "flask>=3.0" gunicorn==22.0.0\n',
    fixable: true,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    for (const { op } of packageOperations(file)) {
      if (!MANAGERS.has(op.manager)) continue;
      const cmd = op.command;
      for (const r of cmd.redirects) {
        if (r.operator !== '>' && r.operator !== '<' && r.operator !== '>>') continue;
        if (!VERSIONISH.test(r.target)) continue;
        // The word the redirection is glued to: `flask>=3.0` is word `flask` ending where `>` starts.
        const word = cmd.args.find((w) => w.line === r.line && w.column + w.raw.length === r.column);
        const spec = word ? `${word.value}${r.operator}${r.target}` : `${r.operator}${r.target}`;
        const effect =
          r.operator === '<'
            ? `the shell reads input from a file named "${r.target}" (the build fails or the bound is dropped)`
            : `the shell writes pip's output to a file named "${r.target}" and installs ${word?.value ?? 'the package'} unpinned`;
        ctx.report({
          line: r.line,
          column: word?.column ?? r.column,
          message: `unquoted specifier ${spec}: ${effect}; quote it: "${spec}"`,
          fix:
            word && PKG.test(word.value)
              ? quoteFix(file.text, offsetOf(file, word.line, word.column), word, r.operator, r.target)
              : undefined,
        });
      }
    }
  },
};

function quoteFix(text: string, start: number, word: ShellWord, operator: string, target: string) {
  const original = `${word.raw}${operator}${target}`;
  if (text.slice(start, start + original.length) !== original) return undefined;
  return {
    description: `quote ${original}`,
    edits: [{ start, end: start + original.length, text: `"${original}"` }],
  };
}
