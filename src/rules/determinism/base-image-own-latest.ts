import type { Stage } from '../../dockerfile/types.js';
import type { Rule } from '../types.js';

/** Registries that host public images; a team's own base can live there too, but only its name tells. */
const PUBLIC_REGISTRIES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'mcr.microsoft.com',
  'quay.io',
  'ghcr.io',
  'gcr.io',
  'public.ecr.aws',
  'registry.k8s.io',
  'cgr.dev',
  'registry.access.redhat.com',
  'registry.redhat.io',
  'nvcr.io',
]);

/** True when the base looks like the project's own image: `...-base`, `.../base`, or a private registry. */
export function isOwnBase(stage: Stage): boolean {
  const b = stage.base;
  if (b.stage !== undefined || b.scratch || b.dynamic) return false;
  const last = b.name.split('/').pop() ?? '';
  // `app-base`, `org/base`, or a bare `base` that no stage defines (a locally built image).
  if (/(^|[-_.])base$/.test(last)) return true;
  return !!b.registry && !PUBLIC_REGISTRIES.has(b.registry.toLowerCase());
}

export function mutableTag(stage: Stage): boolean {
  return !stage.base.digest && (!stage.base.tag || stage.base.tag === 'latest');
}

export const rule: Rule = {
  meta: {
    id: 'LW4403',
    name: 'base-image-own-latest',
    category: 'determinism',
    severity: 'warning',
    summary: "The project's own base image is used by a mutable tag (`...-base:latest`, private registry without tag).",
    description:
      'When the dependency base image is pushed as `latest`, a build picks up whatever was pushed last, the cache cannot ' +
      'tell an old base from a new one, and app images built from the same commit differ. Tag the base by a fingerprint ' +
      'of what it is built from (the lock file) and pass that tag in, so it changes exactly when the dependencies do.',
    bad: 'FROM registry.example.com/shop/app-base:latest\nWORKDIR /app\nCOPY src/ ./src/\nCMD ["python", "-m", "shop"]\n',
    good:
      '# BASE_TAG = first 12 hex digits of sha256(uv.lock), set by CI\nARG BASE_TAG=3f9a1c0e5b7d\n' +
      'FROM registry.example.com/shop/app-base:$BASE_TAG\nWORKDIR /app\nCOPY src/ ./src/\nCMD ["python", "-m", "shop"]\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      if (!isOwnBase(stage) || !mutableTag(stage)) continue;
      const ref = stage.base.resolved;
      const shown = stage.base.tag ? ref : `${ref} (no tag means latest)`;
      const last = stage.base.name.split('/').pop() ?? '';
      const cost = 'builds silently pick up whatever was pushed last, and the same commit gives different images';
      ctx.report({
        line: stage.from.span.start.line,
        message: /(^|[-_.])base$/.test(last)
          ? `FROM ${shown}: your own base image by a mutable tag, so ${cost}; tag the base by a fingerprint of its lock file (e.g. ${stage.base.name}:<sha256(uv.lock)[:12]>) and pass it in with ARG BASE_TAG`
          : `FROM ${shown}: an image from the private registry ${stage.base.registry} by a mutable tag, so ${cost}; pin a version tag or digest (and tag images you build yourself by a fingerprint of their inputs, e.g. the lock file)`,
      });
    }
  },
};
