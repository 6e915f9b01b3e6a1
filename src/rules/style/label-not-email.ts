import { isEmail } from '../lib/label-formats.js';
import { labelFormatRule } from '../lib/labels.js';

export const rule = labelFormatRule(
  {
    id: 'LW6510',
    name: 'label-not-email',
    category: 'style',
    severity: 'warning',
    summary: 'A label the schema types `email` does not hold an e-mail address.',
    description:
      'A contact label must reach someone: an RFC 5322 address (`jane@example.com`), or one with a display name (`Jane Doe <jane@example.com>`, which MAINTAINER fixes write). Differs from hadolint on purpose in accepting the display-name form.' +
      " Values are read after variables with a known value are substituted; one only the build knows is not checked, and an empty one is LW6504 label-empty's. Differs from hadolint on purpose, which reads values literally and so reports `$VERSION` from a build argument.",
    bad: 'FROM python:3.12-slim\nLABEL maintainer="Jane Doe"\n',
    good: 'FROM python:3.12-slim\nLABEL maintainer="jane@example.com"\n',
    exampleSettings: { labelSchema: { maintainer: 'email' } },
    fixable: false,
    aliases: ['DL3058'],
  },
  'email',
  isEmail,
  'a valid e-mail address (RFC 5322)',
);
