import { isUrl } from '../lib/label-formats.js';
import { labelFormatRule } from '../lib/labels.js';

export const rule = labelFormatRule(
  {
    id: 'LW6505',
    name: 'label-not-url',
    category: 'style',
    severity: 'warning',
    summary: 'A label the schema types `url` does not hold an absolute URL.',
    description:
      'Tools follow labels such as `org.opencontainers.image.source` and `.documentation` as links; a relative path or a bare host name is not one. The value must be an absolute URI (RFC 3986): a scheme, and for http(s) a host, with no spaces.' +
      " Values are read after variables with a known value are substituted; one only the build knows is not checked, and an empty one is LW6504 label-empty's. Differs from hadolint on purpose, which reads values literally and so reports `$VERSION` from a build argument.",
    bad: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.source="github.com/example/app"\n',
    good: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.source="https://github.com/example/app"\n',
    exampleSettings: { labelSchema: { 'org.opencontainers.image.source': 'url' } },
    fixable: false,
    aliases: ['DL3052'],
  },
  'url',
  isUrl,
  'a valid absolute URL (scheme://host/...)',
);
