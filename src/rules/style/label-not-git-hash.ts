import { isGitHash } from '../lib/label-formats.js';
import { labelFormatRule } from '../lib/labels.js';

export const rule = labelFormatRule(
  {
    id: 'LW6508',
    name: 'label-not-git-hash',
    category: 'style',
    severity: 'warning',
    summary: 'A label the schema types `hash` does not hold a git commit hash.',
    description:
      "A revision label such as `org.opencontainers.image.revision` ties the image to the commit it was built from, which needs the commit's hash: hexadecimal, 40 digits (SHA-1) or 64 (SHA-256), or an abbreviation of at least 7. A branch or tag name moves and is reported." +
      " Values are read after variables with a known value are substituted; one only the build knows is not checked, and an empty one is LW6504 label-empty's. Differs from hadolint on purpose, which reads values literally and so reports `$VERSION` from a build argument.",
    bad: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.revision="main"\n',
    good: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.revision="2f4c3b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"\n',
    exampleSettings: { labelSchema: { 'org.opencontainers.image.revision': 'hash' } },
    fixable: false,
    aliases: ['DL3055'],
  },
  'hash',
  isGitHash,
  'a git commit hash (7 to 40 hex digits)',
);
