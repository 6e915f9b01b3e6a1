import type { Instruction } from '../../dockerfile/types.js';
import { copyOperands, isRemoteSource, isTarArchive } from '../lib/r1-hadolint.js';
import type { Rule } from '../types.js';

/** True when a `tar` invocation extracts (`-x`, `xzf`, `--extract`, `--get`). */
function tarExtracts(args: string[]): boolean {
  return args.some((a) => {
    if (a === '--extract' || a === '--get') return true;
    if (a.startsWith('--')) return false;
    return /^-?[A-Za-z]*x[A-Za-z]*$/.test(a) && (a.startsWith('-') || a === args[0]);
  });
}

function basename(p: string): string {
  return p.replace(/\/+$/, '').split('/').pop() ?? p;
}

export const rule: Rule = {
  meta: {
    id: 'LW3103',
    name: 'copy-archive-then-extract',
    category: 'size',
    severity: 'info',
    summary: 'COPY of a tar archive that a later RUN extracts: ADD extracts it without keeping the archive.',
    description:
      'COPY puts the archive itself into a layer; extracting it in a later RUN adds the files in another layer, and ' +
      'deleting the archive afterwards cannot shrink the first one. `ADD archive.tar.gz /dest/` extracts a local tar ' +
      'archive in one step and stores only the extracted files.',
    bad: 'FROM debian:bookworm-slim\nCOPY vendor.tar.gz /tmp/\nRUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm /tmp/vendor.tar.gz\n',
    good: 'FROM debian:bookworm-slim\nADD vendor.tar.gz /opt/\n',
    fixable: false,
    aliases: ['DL3010'],
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const copies: { ins: Instruction; archive: string }[] = [];
      for (const ins of stage.instructions) {
        if (ins.keyword === 'COPY' && !ins.flags.some((f) => f.name === 'from')) {
          const ops = copyOperands(ins);
          for (const src of ops?.sources ?? []) {
            if (!isRemoteSource(src) && !src.includes('$') && isTarArchive(src))
              copies.push({ ins, archive: basename(src) });
          }
          continue;
        }
        if (ins.keyword !== 'RUN' || !copies.length) continue;
        for (const cmd of ins.shell?.commands ?? []) {
          if (cmd.program !== 'tar') continue;
          const args = cmd.args.map((a) => a.value);
          if (!tarExtracts(args)) continue;
          const names = new Set(args.map(basename));
          for (let k = copies.length - 1; k >= 0; k--) {
            const c = copies[k];
            if (!names.has(c.archive)) continue;
            copies.splice(k, 1);
            ctx.report({
              line: c.ins.span.start.line,
              column: c.ins.span.start.column,
              message: `${c.archive} is copied and then extracted by tar on line ${cmd.line}; the archive stays in this layer. Use ADD ${c.archive} <dir>/ to extract it in one step`,
            });
          }
        }
      }
    }
  },
};
