import type { Rule } from '../types.js';
import { isOwnBase, mutableTag } from './base-image-own-latest.js';

export const rule: Rule = {
  meta: {
    id: 'LW4404',
    name: 'base-image-not-digest-pinned',
    category: 'determinism',
    severity: 'info',
    summary: 'An external base image is not pinned by digest.',
    description:
      'Tags such as python:3.12-slim are rebuilt upstream every few weeks. Each rebuild gives every image built on it ' +
      'new layers to pull and makes old builds unreproducible. Pinning `@sha256:` makes base updates explicit changes ' +
      'that a bot (Renovate, Dependabot) proposes and CI tests.',
    bad: 'FROM python:3.12-slim\nCMD ["python", "-c", "print(1)"]\n',
    good: 'FROM python:3.12-slim@sha256:2b0079146a74e23bf4ae8f6a28e1b484c6292f6fb904cbb51825b4a19812fcd8\nCMD ["python", "-c", "print(1)"]\n',
    fixable: false,
    defaultOff: true,
    aliases: [],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const b = stage.base;
      if (b.stage !== undefined || b.scratch || b.dynamic || b.digest) continue;
      // The project's own base by a mutable tag is base-image-own-latest's finding.
      if (isOwnBase(stage) && mutableTag(stage)) continue;
      ctx.report({
        line: stage.from.span.start.line,
        message: `FROM ${b.resolved} is not pinned by digest: each upstream rebuild of the tag changes the image and its layers without a Dockerfile change; pin it as ${b.resolved}@sha256:<digest> and let Renovate or Dependabot propose updates`,
      });
    }
  },
};
