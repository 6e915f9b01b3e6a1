import type { Instruction } from '../../dockerfile/types.js';
import type { Rule } from '../types.js';

/** Comment lines that are not descriptions: parser directives and linter pragmas. */
const NOT_DESCRIPTION = /^#\s*(?:(?:syntax|escape|check)\s*=|(?:hadolint|layerwise)\b)/i;

export const rule: Rule = {
  meta: {
    id: 'LW6308',
    name: 'invalid-definition-description',
    category: 'style',
    severity: 'info',
    summary: 'Comment right above a named FROM or an ARG that does not start with its name.',
    description:
      '`docker build --call=outline` and `--call=targets` show the comment directly above a stage or ARG as its ' +
      'description when it starts with the name (`# VERSION the release to build`). Start such comments with the name, ' +
      'or separate other comments with an empty line. Experimental in BuildKit, so off by default.',
    bad: '# pick the interpreter\nARG PYTHON_VERSION=3.12\n\n# install the app\nFROM python:${PYTHON_VERSION}-slim AS runtime\nCMD ["python", "app.py"]\n',
    good: '# PYTHON_VERSION selects the interpreter\nARG PYTHON_VERSION=3.12\n\n# runtime runs the app\nFROM python:${PYTHON_VERSION}-slim AS runtime\nCMD ["python", "app.py"]\n',
    fixable: false,
    defaultOff: true,
    aliases: ['InvalidDefinitionDescription'],
  },
  check(ctx) {
    const { file } = ctx;
    const check = (ins: Instruction, names: string[], what: string) => {
      if (!names.length) return;
      const prev = file.lines[ins.span.start.line - 2]?.trim();
      if (!prev?.startsWith('#') || NOT_DESCRIPTION.test(prev)) return;
      const first = prev.replace(/^#\s*/, '').split(/\s+/)[0];
      if (names.includes(first)) return;
      const example = names.length === 1 ? names[0] : '<arg_key>';
      ctx.report({
        // BuildKit reports the FROM/ARG itself, not the comment.
        line: ins.span.start.line,
        column: ins.span.start.column,
        message: `Comment above ${what} is not a description: start it with the name ('# ${example} <description>'), or add an empty line between the comment and the instruction`,
      });
    };
    for (const ins of file.instructions) {
      if (ins.keyword === 'ARG')
        check(
          ins,
          ins.pairs.map((p) => p.key),
          `ARG ${ins.pairs.map((p) => p.key).join(' ')}`,
        );
      else if (ins.keyword === 'FROM') {
        const name = file.stages[ins.stage ?? -1]?.name;
        if (name) check(ins, [name], `stage '${name}'`);
      }
    }
  },
};
