import type { Rule } from '../types.js';

/** Docker Hub's names for itself. */
const HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

function allowed(registry: string, trusted: string[]): boolean {
  const reg = registry.toLowerCase();
  return trusted.some((t) => {
    const want = t.toLowerCase().trim();
    if (want === reg || (HUB.has(want) && HUB.has(reg))) return true;
    // `*.example.com` and `*` wildcards.
    if (want.includes('*')) {
      const re = new RegExp(`^${want.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
      return re.test(reg);
    }
    return false;
  });
}

export const rule: Rule = {
  meta: {
    id: 'LW5103',
    name: 'untrusted-registry',
    category: 'security',
    severity: 'error',
    summary: 'FROM an image from a registry that is not in the trusted list.',
    description:
      'When a project restricts base images to trusted registries (trustedRegistries in the configuration), an image ' +
      'from anywhere else bypasses the review and scanning those registries provide. Images without a registry ' +
      'host come from docker.io. The rule is silent when no trusted registries are configured.',
    bad: 'FROM quay.io/someone/python:3.12-slim\nCMD ["python", "--version"]\n',
    good: 'FROM registry.example.com/base/python:3.12-slim\nCMD ["python", "--version"]\n',
    exampleSettings: { trustedRegistries: ['registry.example.com'] },
    fixable: false,
    aliases: ['DL3026'],
  },
  check(ctx) {
    const trusted = ctx.settings.trustedRegistries;
    if (!trusted.length) return;
    for (const stage of ctx.file.stages) {
      const base = stage.base;
      if (base.scratch || base.stage !== undefined || base.dynamic || base.resolved.includes('$')) continue;
      const registry = base.registry ?? 'docker.io';
      if (allowed(registry, trusted)) continue;
      ctx.report({
        line: stage.from.span.start.line,
        column: stage.from.span.start.column,
        message: `FROM ${base.resolved} comes from ${registry}, which is not a trusted registry (${trusted.join(', ')}); use an image from a trusted registry`,
      });
    }
  },
};
