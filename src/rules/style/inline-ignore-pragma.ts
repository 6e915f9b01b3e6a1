import type { Rule } from '../types.js';

const PRAGMA = /^#\s*(hadolint|layerwise)\s+(ignore|ignore-stage)\s*=/i;

export const rule: Rule = {
  meta: {
    id: 'LW6201',
    name: 'inline-ignore-pragma',
    category: 'style',
    severity: 'info',
    summary: 'Inline `# hadolint ignore=` / `# layerwise ignore=` pragma hides findings next to the code.',
    description:
      'Teams that want every exception reviewed in one place keep suppressions in the configuration file instead of ' +
      'inline comments, which are easy to add and forget. Off by default. With `disable-ignore-pragma = true` in the ' +
      'configuration (or in `.hadolint.yaml`) such comments suppress nothing; enable this rule to also flag them.',
    bad: 'FROM python:3.12-slim\n# hadolint ignore=DL3042\nRUN pip install --no-cache-dir flask==3.0.3\n',
    good: 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0.3\n',
    fixable: false,
    defaultOff: true,
    aliases: ['DL1001'],
  },
  check(ctx) {
    for (const c of ctx.file.comments) {
      const text = ctx.file.lines[c.line - 1]?.trim() ?? '';
      const m = PRAGMA.exec(text);
      if (!m) continue;
      ctx.report({
        line: c.line,
        column: c.span.start.column,
        message: `inline \`# ${m[1].toLowerCase()} ${m[2].toLowerCase()}=\` pragma; move the suppression to the configuration file`,
      });
    }
  },
};
