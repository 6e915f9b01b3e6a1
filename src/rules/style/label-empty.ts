import { labelPairs, labelReport, literalValue } from '../lib/labels.js';
import type { Rule } from '../types.js';

export const rule: Rule = {
  meta: {
    id: 'LW6504',
    name: 'label-empty',
    category: 'style',
    severity: 'warning',
    summary: 'A label the label schema requires is set to an empty value.',
    description:
      'A label of the label schema set to "" (or only spaces) is there but says nothing, which defeats requiring it. ' +
      'Only labels of the schema are checked; a value from a variable counts when the variable has a known value ' +
      '(an ARG default or ENV), and is left alone when only the build knows it. Differs from hadolint on purpose, ' +
      'which reads values literally: `LABEL version=$VERSION` from a build argument is not reported here.',
    bad: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.version=""\n',
    good: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.version="1.4.0"\n',
    exampleSettings: { labelSchema: { 'org.opencontainers.image.version': 'text' } },
    fixable: false,
    aliases: ['DL3051'],
  },
  check(ctx) {
    const schema = ctx.settings.labelSchema;
    for (const p of labelPairs(ctx)) {
      if (!Object.hasOwn(schema, p.key)) continue;
      const value = literalValue(p.pair);
      if (value === undefined || value.trim() !== '') continue;
      ctx.report(labelReport(p, `label \`${p.key}\` is empty; give it a value or drop it`));
    }
  },
};
