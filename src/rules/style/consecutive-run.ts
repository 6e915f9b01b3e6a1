import type { Dockerfile, Instruction } from '../../dockerfile/types.js';
import { scriptStart } from '../lib/shell-commands.js';
import type { Fix, Rule } from '../types.js';

/** Commands whose effect on the shell (directory, variables, options) would leak into a merged script. */
const STATEFUL = new Set([
  'cd',
  'pushd',
  'popd',
  'export',
  'set',
  'source',
  '.',
  'unset',
  'umask',
  'alias',
  'shopt',
  'trap',
  'exec',
  'eval',
  'declare',
  'typeset',
  'local',
  'readonly',
  'ulimit',
  'exit',
  'return',
  'shift',
]);

function mountKey(ins: Instruction): string {
  return ins.flags
    .map((f) => `${f.name}=${f.resolved ?? f.value ?? ''}`)
    .sort()
    .join(' ');
}

/** True when a shell-form RUN runs more than one top-level command (`a && b`, `a; b`, `a | b`). */
function chained(ins: Instruction): boolean {
  if (ins.jsonForm) return false;
  return (ins.shell?.commands.filter((c) => !c.nested).length ?? 0) > 1;
}

export const rule: Rule = {
  meta: {
    id: 'LW6202',
    name: 'consecutive-run',
    category: 'style',
    severity: 'info',
    summary: 'Consecutive RUN instructions that could be one.',
    description:
      'Each RUN makes a layer and a cache entry; adjacent RUNs with the same mounts usually belong together, and ' +
      'files deleted in a later RUN still ship in the earlier layer. Join them with `&&`, unless you split them on ' +
      'purpose to cache a slow step. Comments between them do not separate them; different mounts do, and so does a ' +
      'RUN that already chains commands (`a && b`): that split looks deliberate.',
    bad: 'FROM debian:bookworm-slim\nRUN groupadd -r app\nRUN useradd -r -g app app\n',
    good: 'FROM debian:bookworm-slim\nRUN groupadd -r app \\\n    && useradd -r -g app app\n',
    fixable: true,
    aliases: ['DL3059'],
  },
  check(ctx) {
    const file = ctx.file;
    for (const stage of file.stages) {
      const list = stage.instructions;
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1];
        const ins = list[i];
        if (prev.keyword !== 'RUN' || ins.keyword !== 'RUN') continue;
        if (mountKey(prev) !== mountKey(ins)) continue;
        // A RUN that already chains commands was split from its neighbour on purpose (hadolint's reading too).
        if (chained(prev) || chained(ins)) continue;
        ctx.report({
          line: ins.span.start.line,
          column: ins.span.start.column,
          message: `RUN directly after the RUN on line ${prev.span.start.line}; join them with \`&&\` into one layer unless the split is for caching`,
          fix: mergeFix(file, prev, ins),
        });
      }
    }
  },
};

/** Joins two simple shell-form RUNs on adjacent lines when that cannot change what they do. */
function mergeFix(file: Dockerfile, prev: Instruction, ins: Instruction): Fix | undefined {
  if (
    prev.jsonForm ||
    ins.jsonForm ||
    prev.flags.length ||
    ins.flags.length ||
    prev.heredocs.length ||
    ins.heredocs.length
  )
    return undefined;
  if (!prev.shell || !ins.shell || prev.shell.hasErrors || ins.shell.hasErrors) return undefined;
  if (ins.span.start.line !== prev.span.end.line + 1 || ins.span.start.column !== 1) return undefined;
  const esc = file.escapeChar;
  const prevText = file.text.slice(prev.span.startOffset, prev.span.endOffset);
  const lastLine = prevText.split('\n').pop() ?? '';
  // A trailing shell comment would swallow the joined command; a trailing operator would change the grammar.
  if (lastLine.includes('#') || /[;&|\\`]\s*$/.test(prevText) || prevText.includes('\r')) return undefined;
  // The first script must not leave state (directory, variables, options) the second would inherit.
  if (prev.shell.commands.some((c) => STATEFUL.has(c.program) || (c.name === '' && Object.keys(c.assignments).length)))
    return undefined;
  if (prev.shell.assigned.length) return undefined;
  // The second must be one `&&` chain, so that a failure of the first still stops it.
  if (ins.shell.commands.some((c) => c.connector === '||' || c.connector === ';' || c.connector === '&'))
    return undefined;
  const start = scriptStart(file, ins);
  if (file.text.slice(ins.keywordSpan.endOffset, start).includes('\n')) return undefined;
  return {
    description: 'merge into the previous RUN',
    edits: [
      {
        start: prev.span.endOffset - (prevText.length - prevText.trimEnd().length),
        end: start,
        text: ` ${esc}\n    && `,
      },
    ],
  };
}
