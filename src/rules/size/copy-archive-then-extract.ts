import type { Dockerfile, Instruction, ShellCommand, Stage } from '../../dockerfile/types.js';
import { isRemoteSource, isTarArchive } from '../lib/add-sources.js';
import { copyOperands } from '../lib/instruction-tokens.js';
import { effectiveProgram } from '../lib/shell-commands.js';
import { absPath, workdirAt } from '../lib/users.js';
import type { Rule } from '../types.js';

/** True when a `tar` invocation extracts (`-x`, `xzf`, `--extract`, `--get`). */
function tarExtracts(args: string[]): boolean {
  return args.some((a) => {
    if (a === '--extract' || a === '--get') return true;
    if (a.startsWith('--')) return false;
    // `-xzf`, `-xf/tmp/a.tar` (value glued on), or the old style `xzf` as the first word.
    return /^-[A-Za-z]*x/.test(a) || (a === args[0] && /^[A-Za-z]*x[A-Za-z]*$/.test(a));
  });
}

function basename(p: string): string {
  return p.replace(/\/+$/, '').split('/').pop() ?? p;
}

/** A copied archive: where COPY put it in the image (one or two readings of the destination). */
interface Copied {
  ins: Instruction;
  archive: string;
  paths: string[];
}

/** In-image paths of a COPY's tar sources: `dest/name`, or `dest` itself when it renames one file. */
function copiedArchives(file: Dockerfile, ins: Instruction): Copied[] {
  if (ins.keyword !== 'COPY' || ins.flags.some((f) => f.name === 'from')) return [];
  const ops = copyOperands(ins);
  if (!ops) return [];
  const dest = absPath(workdirAt(file, ins), ops.dest);
  const intoDir = ops.dest.endsWith('/') || ops.dest === '.' || ops.sources.length > 1;
  return ops.sources
    .filter((src) => !isRemoteSource(src) && !src.includes('$') && isTarArchive(src))
    .map((src) => ({
      ins,
      archive: basename(src),
      paths: intoDir ? [`${dest}/${basename(src)}`] : [dest, `${dest}/${basename(src)}`],
    }));
}

/** Words that may name the archive tar reads: operands, `--file=X`, `-fX`, and its standard input. */
function tarInputs(cmd: ShellCommand, rest: string[], before: ShellCommand | undefined): string[] {
  const out = rest.map((a) => a.replace(/^--file=/, '').replace(/^-[A-Za-z]*f(?=[^A-Za-z-])/, ''));
  for (const r of cmd.redirects) if (r.operator === '<') out.push(r.target);
  // `gunzip -c app.tar.gz | tar -x`: the archive comes down the pipe.
  if (before && cmd.pipelinePosition > 0) out.push(...before.args.map((a) => a.value));
  return out;
}

/** The stages whose RUNs see files of `stage`: itself and every stage built FROM it. */
function descendants(file: Dockerfile, stage: Stage): Stage[] {
  const out = [stage];
  for (const s of file.stages) if (s.base.stage !== undefined && out.some((o) => o.index === s.base.stage)) out.push(s);
  return out;
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
      'archive in one step and stores only the extracted files. The archive is followed where COPY put it (a ' +
      'relative destination under WORKDIR, a renamed file) into later RUNs of the stage and of the stages built ' +
      'FROM it, and found as tar reads it: `-f`, `--file=`, `tar xzf`, `sudo tar`, `tar -x < archive` and ' +
      '`gunzip -c archive | tar -x`.',
    bad: 'FROM debian:bookworm-slim\nCOPY vendor.tar.gz /tmp/\nRUN tar -xzf /tmp/vendor.tar.gz -C /opt && rm /tmp/vendor.tar.gz\n',
    good: 'FROM debian:bookworm-slim\nADD vendor.tar.gz /opt/\n',
    fixable: false,
    aliases: ['DL3010'],
  },
  check(ctx) {
    const file = ctx.file;
    const reported = new Set<Copied>();
    for (const stage of file.stages) {
      const copies = stage.instructions.flatMap((i) => copiedArchives(file, i));
      if (!copies.length) continue;
      const runs = descendants(file, stage).flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN'));
      for (const ins of runs) {
        const cmds = ins.shell?.commands ?? [];
        const dir = workdirAt(file, ins);
        cmds.forEach((cmd, k) => {
          const { program, rest } = effectiveProgram(cmd);
          const args = rest.map((a) => a.value);
          if (program !== 'tar' || !tarExtracts(args)) return;
          const inputs = tarInputs(cmd, args, cmds[k - 1]);
          for (const c of copies) {
            if (reported.has(c) || ins.index < c.ins.index) continue;
            const hit = inputs.some((w) => c.paths.includes(absPath(dir, w)) || basename(w) === c.archive);
            if (!hit) continue;
            reported.add(c);
            ctx.report({
              line: c.ins.span.start.line,
              column: c.ins.span.start.column,
              message: `${c.archive} is copied and then extracted by tar on line ${cmd.line}; the archive stays in this layer. Use ADD ${c.archive} <dir>/ to extract it in one step`,
            });
          }
        });
      }
    }
  },
};
