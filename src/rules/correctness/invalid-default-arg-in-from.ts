import { type Scope, substitute, unquote } from '../../dockerfile/vars.js';
import { isValidImageRef } from '../lib/image-refs.js';
import { PLATFORM_SAMPLE, varRefs } from '../lib/variables.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW1307',
    name: 'invalid-default-arg-in-from',
    category: 'correctness',
    severity: 'warning',
    summary: "FROM's image reference is empty or invalid with the ARGs' default values.",
    description:
      'A build should work without --build-arg. When an ARG used in FROM has no default (or a default that leaves ' +
      '`python:` or an empty name), a plain `docker build` fails with an invalid reference; give the ARG a default.',
    bad: 'ARG PYTHON_VERSION\nFROM python:${PYTHON_VERSION}\nCMD ["python", "app.py"]\n',
    good: 'ARG PYTHON_VERSION=3.12-slim\nFROM python:${PYTHON_VERSION}\nCMD ["python", "app.py"]\n',
    fixable: false,
    aliases: ['InvalidDefaultArgInFrom'],
  },
  check(ctx) {
    const { file } = ctx;
    const scope: Scope = new Map(Object.entries(PLATFORM_SAMPLE));
    for (const arg of file.globalArgs) {
      for (const p of arg.pairs) {
        scope.set(p.key, p.value === undefined ? '' : substitute(unquote(p.value), scope, file.escapeChar).value);
      }
    }
    const stageNames = new Set(file.stages.map((s) => s.name?.toLowerCase()).filter((n): n is string => !!n));
    for (const stage of file.stages) {
      const raw = stage.from.args[0];
      if (!raw) continue;
      const refs = varRefs(raw, file.escapeChar);
      // Undeclared variables are UndefinedArgInFrom's finding.
      if (!refs.length || refs.some((r) => !scope.has(r.name))) continue;
      const value = substitute(raw, scope, file.escapeChar).value;
      if (value.includes('$')) continue;
      if (value.toLowerCase() === 'scratch' || stageNames.has(value.toLowerCase()) || isValidImageRef(value)) continue;
      const empty = refs.filter((r) => scope.get(r.name) === '').map((r) => r.name);
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message:
          `Using ARG for FROM ${raw} with default value results in ${value ? `an invalid base image name '${value}'` : 'an empty base image name'}` +
          `; give ${empty.length ? empty.join(', ') : 'the ARG'} a default value`,
      });
    }
  },
};
