import { isSpdxExpression } from '../lib/label-formats.js';
import { labelFormatRule } from '../lib/labels.js';

export const rule = labelFormatRule(
  {
    id: 'LW6507',
    name: 'label-not-spdx',
    category: 'style',
    severity: 'warning',
    summary: 'A label the schema types `spdx` does not hold an SPDX license expression.',
    description:
      'License scanners read `org.opencontainers.image.licenses` as an SPDX license expression: identifiers from the SPDX License List (`MIT`, `Apache-2.0`, matched case-insensitively), `LicenseRef-...`, `+`, `WITH` an exception, `AND`, `OR` and parentheses. A free-text license (`Apache 2`) is not detected by them.' +
      " Values are read after variables with a known value are substituted; one only the build knows is not checked, and an empty one is LW6504 label-empty's. Differs from hadolint on purpose, which reads values literally and so reports `$VERSION` from a build argument.",
    bad: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.licenses="Apache License 2"\n',
    good: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.licenses="Apache-2.0 OR MIT"\n',
    exampleSettings: { labelSchema: { 'org.opencontainers.image.licenses': 'spdx' } },
    fixable: false,
    aliases: ['DL3054'],
  },
  'spdx',
  isSpdxExpression,
  'an SPDX license expression (MIT, Apache-2.0 OR MIT)',
);
