import { isSemver } from '../lib/label-formats.js';
import { labelFormatRule } from '../lib/labels.js';

export const rule = labelFormatRule(
  {
    id: 'LW6509',
    name: 'label-not-semver',
    category: 'style',
    severity: 'warning',
    summary: 'A label the schema types `semver` does not hold a semantic version.',
    description:
      'A version label read by release tooling must be a Semantic Versioning 2.0.0 version: `MAJOR.MINOR.PATCH`, optionally `-pre.release` and `+build` parts, no leading zeros and no `v` prefix.' +
      " Values are read after variables with a known value are substituted; one only the build knows is not checked, and an empty one is LW6504 label-empty's. Differs from hadolint on purpose, which reads values literally and so reports `$VERSION` from a build argument.",
    bad: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.version="v1.4"\n',
    good: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.version="1.4.0-rc.1"\n',
    exampleSettings: { labelSchema: { 'org.opencontainers.image.version': 'semver' } },
    fixable: false,
    aliases: ['DL3056'],
  },
  'semver',
  isSemver,
  'a semantic version (1.4.0, 1.4.0-rc.1)',
);
