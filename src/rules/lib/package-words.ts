/**
 * The words of a package op: which word names the manager, its sub-command, its operands and
 * the words of the packages it installs.
 */
import type { Dockerfile, Instruction, PackageOp, ShellWord } from '../../dockerfile/types.js';
import { opsOf } from '../util.js';
import { wordOffset } from './shell-commands.js';

export { hasOption, packageWords } from '../../dockerfile/packages.js';

/** The word naming the program of a package op (`yum` in `sudo yum install`), as written. */
export function managerWord(op: PackageOp): ShellWord | undefined {
  const args = op.command.args;
  const i = args.length - op.words.length - 1;
  if (i >= 0) return args[i];
  const c = op.command;
  return { value: c.name, raw: c.name, quoted: false, dynamic: false, line: c.line, column: c.column };
}

/** Basename of the program of a package op: `yum`, `dnf`, `microdnf`, `pip3`, ... */
export function managerProgram(op: PackageOp): string {
  const w = managerWord(op);
  const name = w ? w.value : op.command.program;
  return name.split('/').pop() ?? name;
}

/** The first positional word of an op (its sub-command, e.g. `install`). */
export function actionWord(op: PackageOp): ShellWord | undefined {
  return positionalWords(op)[0];
}

/** Index of the op's command within the RUN's commands. */
export function commandIndex(ins: Instruction, op: PackageOp): number {
  return (ins.shell?.commands ?? []).indexOf(op.command);
}

/** True when an op of the RUN after `afterIndex` matches `pred`. */
export function opAfter(ins: Instruction, afterIndex: number, pred: (op: PackageOp) => boolean): boolean {
  return opsOf(ins).some((o) => commandIndex(ins, o) > afterIndex && pred(o));
}

/** Positional words after the sub-command: the packages of an install. */
export function operandWords(op: PackageOp): ShellWord[] {
  return positionalWords(op).slice(1);
}

/** Positional words of an op (not options, not values of options). */
export function positionalWords(op: PackageOp): ShellWord[] {
  const out: ShellWord[] = [];
  const valued = new Map<string, string[]>(Object.entries(op.optionValues).map(([k, v]) => [k, [...v]]));
  const dashes = op.words.findIndex((w) => w.value === '--');
  for (let i = 0; i < op.words.length; i++) {
    const w = op.words[i].value;
    // `--` ends the options: what follows are operands (gem's build flags are cut off in the model).
    if (dashes >= 0 && i >= dashes) {
      if (i > dashes) out.push(op.words[i]);
      continue;
    }
    if (w.startsWith('-') && w !== '-') {
      if (w.includes('=')) continue;
      const vals = valued.get(w);
      if (vals?.length && i + 1 < op.words.length && vals[0] === op.words[i + 1].value) {
        vals.shift();
        i++;
      }
      continue;
    }
    out.push(op.words[i]);
  }
  return out;
}

/** The edit inserting ` text` after the op's sub-command word (or after the program word). */
export function insertAfterAction(
  file: Dockerfile,
  op: PackageOp,
  text: string,
): { start: number; end: number; text: string } | undefined {
  const w = actionWord(op) ?? managerWord(op);
  if (!w) return undefined;
  const off = wordOffset(file, w) + w.raw.length;
  if (file.text.slice(off - w.raw.length, off) !== w.raw) return undefined;
  return { start: off, end: off, text };
}
