import { suggest } from '../lib/suggest.js';
import { PLATFORM_ARGS, varRefs } from '../lib/variables.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1305',
    name: 'undefined-arg-in-from',
    category: 'correctness',
    severity: 'warning',
    summary: 'FROM uses a variable that no ARG before the first FROM declares.',
    description:
      'Only ARGs declared before the first FROM (and the predefined platform args) can be used in FROM; any other ' +
      'variable is always empty there, even when passed with --build-arg, so the stage silently builds from another image.',
    bad: 'FROM python:${PYTHON_VERSION}-slim\nCMD ["python", "app.py"]\n',
    good: 'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim\nCMD ["python", "app.py"]\n',
    fixable: false,
    aliases: ['UndefinedArgInFrom'],
  },
  check(ctx) {
    const { file } = ctx;
    const declared = new Set<string>(PLATFORM_ARGS);
    for (const arg of file.globalArgs) for (const p of arg.pairs) declared.add(p.key);
    for (const stage of file.stages) {
      const from = stage.from;
      const texts = [from.args[0] ?? '', ...from.flags.filter((f) => f.name === 'platform').map((f) => f.value ?? '')];
      const reported = new Set<string>();
      for (const text of texts) {
        for (const ref of varRefs(text, file.escapeChar)) {
          if (declared.has(ref.name) || reported.has(ref.name)) continue;
          reported.add(ref.name);
          const hint = suggest(ref.name, declared);
          ctx.report({
            line: from.span.start.line,
            column: from.span.start.column,
            message: `FROM argument '${ref.name}' is not declared${hint ? ` (did you mean ${hint}?)` : ''}; declare it with ARG ${ref.name}=<default> before the first FROM`,
          });
        }
      }
    }
  },
};
