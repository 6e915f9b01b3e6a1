import type { Rule } from '../types.js';

/** Why a port spec is invalid, or undefined when it is fine (or not checkable). */
function problem(spec: string): string | undefined {
  if (spec.includes('$')) return undefined;
  const port = spec.replace(/\/[A-Za-z]+$/, '');
  // host-ip:host-port:container-port forms are another rule's concern; check the numbers.
  const parts = port.split(':').filter((p) => p !== '' && !/^\d+\.\d+\.\d+\.\d+$/.test(p));
  for (const part of parts) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return `${part} is not a port number`;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 65535 || hi > 65535) return `${m[2] !== undefined && hi > 65535 ? hi : lo} is outside 0-65535`;
    if (hi < lo) return `the range ${part} ends before it starts`;
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'LW1102',
    name: 'expose-invalid-port',
    category: 'correctness',
    severity: 'error',
    summary: 'EXPOSE with a port outside 0-65535.',
    description:
      'Ports are 16-bit numbers: anything above 65535 (alone or in a range) is a typo that makes the build fail or ' +
      'documents a port nothing can listen on.',
    bad: 'FROM python:3.12-slim\nEXPOSE 80000\nCMD ["python", "-m", "http.server", "8000"]\n',
    good: 'FROM python:3.12-slim\nEXPOSE 8000\nCMD ["python", "-m", "http.server", "8000"]\n',
    fixable: false,
    aliases: ['DL3011'],
  },
  check(ctx) {
    for (const ins of ctx.file.instructions) {
      const target = ins.onbuild ?? ins;
      if (target.keyword !== 'EXPOSE') continue;
      for (const spec of target.resolvedArgs) {
        const why = problem(spec);
        if (!why) continue;
        ctx.report({
          line: target.span.start.line,
          column: target.span.start.column,
          message: `EXPOSE ${spec}: ${why}; valid ports are 0-65535`,
        });
      }
    }
  },
};
