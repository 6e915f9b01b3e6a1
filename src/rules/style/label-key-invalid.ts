import { labelPairs, labelReport } from '../lib/labels.js';
import type { Rule } from '../types.js';

/** Namespaces Docker reserves for its own labels. */
const RESERVED = ['com.docker.', 'io.docker.', 'org.dockerproject.'];

/** What is wrong with a label key, or undefined when it follows Docker's key format. */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'is empty';
  const ns = RESERVED.find((r) => key.startsWith(r));
  if (ns) return `uses the namespace ${ns}* that Docker reserves for itself`;
  const bad = [...new Set(key.replace(/[a-z0-9.-]/g, ''))];
  if (bad.length)
    return `holds ${bad.map((c) => JSON.stringify(c)).join(', ')}: use lower-case letters, digits, . and -`;
  if (!/^[a-z]/.test(key)) return 'must begin with a lower-case letter';
  if (!/[a-z0-9]$/.test(key)) return 'must end with a lower-case letter or a digit';
  if (/\.\.|--/.test(key)) return 'repeats a separator (.. or --)';
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'LW6501',
    name: 'label-key-invalid',
    category: 'style',
    severity: 'style',
    summary: "A LABEL key breaks Docker's key format or uses a namespace Docker reserves.",
    description:
      'Docker asks label keys to begin with a lower-case letter, end with a lower-case letter or digit, hold only ' +
      'lower-case letters, digits, `.` and `-` without repeating a separator, and to stay out of `com.docker.*`, ' +
      '`io.docker.*` and `org.dockerproject.*`, which Docker keeps for itself. Tools that read labels (registries, ' +
      'scanners, `docker image ls --filter label=`) rely on that; prefix your own keys with a reverse domain you own, ' +
      'like `org.opencontainers.image.*` or `com.example.team`. A key built from a variable is reported too: its `$` ' +
      'is not a key character, and the key cannot be checked.',
    bad: 'FROM python:3.12-slim\nLABEL Maintainer="jane@example.com" com.docker.app=web\n',
    good: 'FROM python:3.12-slim\nLABEL org.opencontainers.image.authors="jane@example.com" com.example.app=web\n',
    fixable: false,
    aliases: ['DL3048'],
  },
  check(ctx) {
    for (const p of labelPairs(ctx)) {
      const problem = keyProblem(p.key);
      if (problem) ctx.report(labelReport(p, `label key ${JSON.stringify(p.key)} ${problem}`));
    }
  },
};
