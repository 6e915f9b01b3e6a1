import type { Instruction } from '../../dockerfile/types.js';
import { labelPairs } from '../lib/labels.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW6503',
    name: 'label-superfluous',
    category: 'style',
    severity: 'info',
    summary: 'With strict labels, a LABEL sets a label the label schema does not name.',
    description:
      'With `strict-labels = true` only the labels of the label schema may be set: extra labels can leak ' +
      'information (host names, user names, internal URLs), confuse the tools that read labels, or break a labelling ' +
      'standard the images must follow. Without a schema every label is superfluous. One finding per LABEL ' +
      'instruction, naming the extra keys.',
    bad: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.version="1.4.0" build-host="ci-runner-7"\n',
    good: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.version="1.4.0"\n',
    exampleSettings: { labelSchema: { 'org.opencontainers.image.version': 'semver' }, strictLabels: true },
    fixable: false,
    aliases: ['DL3050'],
  },
  check(ctx) {
    if (!ctx.settings.strictLabels) return;
    const schema = ctx.settings.labelSchema;
    const extra = new Map<Instruction, string[]>();
    for (const p of labelPairs(ctx)) {
      if (Object.hasOwn(schema, p.key)) continue;
      extra.set(p.ins, [...(extra.get(p.ins) ?? []), p.key]);
    }
    for (const [ins, keys] of extra) {
      const list = keys.map((k) => `\`${k}\``).join(', ');
      ctx.report({
        line: ins.span.start.line,
        column: ins.span.start.column,
        message: `superfluous label${keys.length > 1 ? 's' : ''} ${list}: strict labels allow only the label schema's (${Object.keys(schema).join(', ') || 'none configured'})`,
      });
    }
  },
};
