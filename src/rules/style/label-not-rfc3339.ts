import { isRfc3339 } from '../lib/label-formats.js';
import { labelFormatRule } from '../lib/labels.js';

export const rule = labelFormatRule(
  {
    id: 'LW6506',
    name: 'label-not-rfc3339',
    category: 'style',
    severity: 'warning',
    summary: 'A label the schema types `rfc3339` does not hold an RFC 3339 date-time.',
    description:
      'Time stamps such as `org.opencontainers.image.created` are compared and sorted by tools, which needs one unambiguous format: RFC 3339 (`2024-05-01T12:30:00Z`; a space for the `T` and fractions of a second are allowed; the offset is required). Dates that do not exist (February 30) are reported.' +
      " Values are read after variables with a known value are substituted; one only the build knows is not checked, and an empty one is LW6504 label-empty's. Differs from hadolint on purpose, which reads values literally and so reports `$VERSION` from a build argument.",
    bad: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.created="yesterday"\n',
    good: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.created="2024-05-01T12:30:00Z"\n',
    exampleSettings: { labelSchema: { 'org.opencontainers.image.created': 'rfc3339' } },
    fixable: false,
    aliases: ['DL3053'],
  },
  'rfc3339',
  isRfc3339,
  'an RFC 3339 date-time (2024-05-01T12:30:00Z)',
);
