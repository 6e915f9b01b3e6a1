/** Helpers shared by rules: walking instructions and commands, stages, users, edits. */
import { packageOps } from '../dockerfile/packages.js';
import { shippedStages } from '../dockerfile/stages.js';
import type { Dockerfile, Instruction, PackageOp, ShellCommand, Stage } from '../dockerfile/types.js';
import type { TextEdit } from './types.js';

// Stage chains describe the Dockerfile itself: they live in the model; rules keep importing them from here.
export { finalStage, shippedStages, stageChain } from '../dockerfile/stages.js';

const opsCache = new WeakMap<Instruction, PackageOp[]>();

/** Package-manager operations of a RUN (cached per instruction). */
export function opsOf(ins: Instruction): PackageOp[] {
  let ops = opsCache.get(ins);
  if (!ops) {
    ops = packageOps(ins);
    opsCache.set(ins, ops);
  }
  return ops;
}

/** Every instruction with this keyword, the triggers of ONBUILD included. */
export function withTriggers(file: Dockerfile, keyword: string): Instruction[] {
  const out: Instruction[] = [];
  for (const ins of file.instructions) {
    if (ins.keyword === keyword) out.push(ins);
    else if (ins.onbuild?.keyword === keyword) out.push(ins.onbuild);
  }
  return out;
}

/** Every RUN instruction, ONBUILD triggers included. */
export function runInstructions(file: Dockerfile): Instruction[] {
  return withTriggers(file, 'RUN');
}

/** RUN instructions (not ONBUILD triggers) of the stages whose layers ship in the final image. */
export function shippedRuns(file: Dockerfile): Instruction[] {
  const shipped = shippedStages(file);
  return file.instructions.filter((i) => i.keyword === 'RUN' && i.stage !== undefined && shipped.has(i.stage));
}

/** Every (RUN, command) pair, in file order. */
export function* commands(file: Dockerfile): Generator<{ ins: Instruction; cmd: ShellCommand }> {
  for (const ins of runInstructions(file)) for (const cmd of ins.shell?.commands ?? []) yield { ins, cmd };
}

/** Every (RUN, package op) pair, in file order. */
export function* packageOperations(file: Dockerfile): Generator<{ ins: Instruction; op: PackageOp }> {
  for (const ins of runInstructions(file)) for (const op of opsOf(ins)) yield { ins, op };
}

/** Instructions with the given keyword (ONBUILD triggers excluded). */
export function instructionsOf(file: Dockerfile, keyword: string): Instruction[] {
  return file.instructions.filter((i) => i.keyword === keyword);
}

export function stageOf(file: Dockerfile, ins: Instruction): Stage | undefined {
  return ins.stage === undefined ? undefined : file.stages[ins.stage];
}

/** Python package managers whose install/sync puts dependencies into the image. */
export const PYTHON_MANAGERS = new Set(['pip', 'uv-pip', 'uv', 'poetry', 'pdm', 'pipenv', 'conda']);

/** True when the op installs Python dependencies (pip install, uv sync, poetry install, ...). */
export function installsPythonDeps(op: PackageOp): boolean {
  if (!PYTHON_MANAGERS.has(op.manager)) return false;
  if (op.manager === 'conda') return op.action === 'install';
  return op.action === 'install' || op.action === 'sync';
}

/**
 * The user an instruction runs as: the last USER before it in its stage, or in the stages it
 * is built on; `root` when none.
 */
export function userAt(file: Dockerfile, ins: Instruction): string {
  let stage = stageOf(file, ins);
  let limit = ins.index;
  const seen = new Set<number>();
  while (stage && !seen.has(stage.index)) {
    seen.add(stage.index);
    const users = stage.instructions.filter((i) => i.keyword === 'USER' && i.index < limit);
    if (users.length) return (users[users.length - 1].resolvedArgs[0] ?? 'root').split(':')[0];
    if (stage.base.stage === undefined) break;
    stage = file.stages[stage.base.stage];
    limit = Number.POSITIVE_INFINITY;
  }
  return 'root';
}

/** Home directory of a user, as cache paths use it. */
export function homeOf(user: string): string {
  return user === 'root' || user === '0' ? '/root' : `/home/${user}`;
}

/** Value of an ENV variable visible at `ins` in its stage (and base stages), if set. */
export function envAt(file: Dockerfile, ins: Instruction, name: string): string | undefined {
  let stage = stageOf(file, ins);
  let limit = ins.index;
  const seen = new Set<number>();
  while (stage && !seen.has(stage.index)) {
    seen.add(stage.index);
    const envs = stage.instructions.filter((i) => i.keyword === 'ENV' && i.index < limit);
    for (let k = envs.length - 1; k >= 0; k--) {
      const p = envs[k].pairs.find((x) => x.key === name);
      if (p) return p.resolved ?? '';
    }
    if (stage.base.stage === undefined) break;
    stage = file.stages[stage.base.stage];
    limit = Number.POSITIVE_INFINITY;
  }
  return undefined;
}

/** An edit that inserts `text` right after a command word (e.g. after `install`). */
export function insertAfterWord(file: Dockerfile, line: number, column: number, word: string, text: string): TextEdit {
  const offset = offsetOf(file, line, column) + word.length;
  return { start: offset, end: offset, text };
}

/** Offset of a 1-based line/column in the file text. */
export function offsetOf(file: Dockerfile, line: number, column: number): number {
  // Walk the text itself: files may mix \r\n and \n line ends.
  let off = 0;
  for (let i = 1; i < line; i++) {
    const nl = file.text.indexOf('\n', off);
    if (nl < 0) return file.text.length;
    off = nl + 1;
  }
  return off + column - 1;
}

/** The first line of an instruction, shortened for messages. */
export function shortText(ins: Instruction, max = 60): string {
  const one = ins.text
    .split('\n')[0]
    .trim()
    .replace(/\s*\\$/, '');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Every instruction keyword Docker knows; anything else fails the build ("unknown instruction"). */
export const INSTRUCTIONS = [
  'FROM',
  'RUN',
  'CMD',
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'ENV',
  'ADD',
  'COPY',
  'ENTRYPOINT',
  'VOLUME',
  'USER',
  'WORKDIR',
  'ARG',
  'ONBUILD',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'SHELL',
] as const;
const KNOWN = new Set<string>(INSTRUCTIONS);

/**
 * True for an instruction whose keyword Docker does not know (`FRMO`, `RUNN`). A "keyword" made
 * of escape characters only is the parser's reading of a stray line continuation, not a word
 * the writer typed, so it does not count.
 */
export function isUnknownInstruction(file: Dockerfile, ins: Instruction): boolean {
  return !KNOWN.has(ins.keyword) && !isStrayContinuation(file, ins);
}

/** True for the parser's "instruction" made of a line holding only the escape character. */
export function isStrayContinuation(file: Dockerfile, ins: Instruction): boolean {
  return [...ins.rawKeyword].every((c) => c === file.escapeChar);
}
