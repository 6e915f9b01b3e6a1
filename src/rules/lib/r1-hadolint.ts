/**
 * Helpers for the hadolint-intent rules LWx1nn: which stages ship, the words of a package op's
 * packages, mounts that cover a directory, archive names, and where a RUN script ends.
 */
import type { Dockerfile, Instruction, PackageOp, ShellCommand, ShellWord, Stage } from '../../dockerfile/types.js';
import { offsetOf } from '../util.js';

/**
 * The ShellWords of `op.packages`, in order (so rules can tell quoted or dynamic words apart
 * and point at them). Matches the package values as a subsequence of the op's words.
 */
export function packageWords(op: PackageOp): ShellWord[] {
  const out: ShellWord[] = [];
  let k = op.words.length - 1;
  for (let p = op.packages.length - 1; p >= 0; p--) {
    while (k >= 0 && op.words[k].value !== op.packages[p]) k--;
    if (k < 0) break;
    out.unshift(op.words[k]);
    k--;
  }
  return out;
}

function normPath(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') : p;
}

/** True when a RUN mount of one of `types` has its target at `dir` or at a parent of it. */
export function mountCovers(ins: Instruction, dir: string, types: string[] = ['cache', 'tmpfs']): boolean {
  const want = normPath(dir);
  return ins.mounts.some((m) => {
    if (!types.includes(m.type) || !m.target) return false;
    const t = normPath(m.target);
    return want === t || want.startsWith(`${t}/`);
  });
}

/** Archives ADD extracts on its own (tar, optionally gzip/bzip2/xz compressed). */
const TAR = /\.(tar|tgz|tbz2?|txz|tar\.(gz|bz2|xz|zst))$/i;
/** Files ADD treats specially (extracts or decompresses); replacing ADD by COPY changes behaviour. */
const ADD_SPECIAL = /\.(tar|tgz|tbz2?|txz|tlz|gz|bz2|xz|zst|lz4|lzma|z)$/i;

export function isTarArchive(name: string): boolean {
  return TAR.test(name);
}

export function isAddSpecial(name: string): boolean {
  return ADD_SPECIAL.test(name);
}

/** URLs and git references that ADD fetches. */
export function isRemoteSource(src: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(src) || /^git@/.test(src) || /\.git(#.*)?$/.test(src);
}

/** Sources and destination of a COPY/ADD (JSON or shell form); undefined with heredocs. */
export function copyOperands(ins: Instruction): { sources: string[]; dest: string } | undefined {
  if (ins.heredocs.length) return undefined;
  const words = ins.jsonForm && ins.jsonArgs ? ins.jsonArgs : ins.resolvedArgs;
  if (words.length < 2) return undefined;
  return { sources: words.slice(0, -1), dest: words[words.length - 1] };
}

/** The command a `sudo`/`env`-style prefix runs, or the command itself. */
export function effectiveProgram(cmd: ShellCommand): {
  program: string;
  word?: ShellWord;
  rest: ShellWord[];
} {
  if (cmd.program !== 'sudo' && cmd.program !== 'env' && cmd.program !== 'doas')
    return { program: cmd.program, rest: cmd.args };
  const i = cmd.args.findIndex((w) => !w.value.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value));
  if (i < 0) return { program: cmd.program, rest: cmd.args };
  const word = cmd.args[i];
  return { program: word.value.split('/').pop() ?? word.value, word, rest: cmd.args.slice(i + 1) };
}

/** File offset of a command's program name (after leading `VAR=value` assignments), if found. */
export function nameOffset(file: Dockerfile, cmd: ShellCommand): number | undefined {
  const start = offsetOf(file, cmd.line, cmd.column);
  if (file.text.startsWith(cmd.name, start) && !Object.keys(cmd.assignments).length) return start;
  for (const m of cmd.text.matchAll(/(^|\s)(\S+)/g)) {
    if (m[2] === cmd.name) {
      const off = start + (m.index ?? 0) + m[1].length;
      return file.text.startsWith(cmd.name, off) ? off : undefined;
    }
  }
  return undefined;
}

/**
 * Offset right after the last top-level command of a shell-form RUN (no heredoc), when only
 * whitespace, continuations and comments follow it; undefined when appending is not safe there
 * (compound commands, trailing `;`/`&`, redirections, heredocs, JSON form).
 */
export function scriptAppendOffset(file: Dockerfile, ins: Instruction): number | undefined {
  if (ins.jsonForm || ins.heredocs.length || !ins.shell || ins.shell.hasErrors) return undefined;
  const cmds = ins.shell.commands;
  const last = cmds[cmds.length - 1];
  if (!last || last.nested || last.redirects.length) return undefined;
  const start = offsetOf(file, last.line, last.column);
  if (!file.text.startsWith(last.text, start)) return undefined;
  const end = start + last.text.length;
  const rest = file.text.slice(end, ins.span.endOffset);
  const esc = file.escapeChar === '`' ? '`' : '\\\\';
  const tail = new RegExp(`^(?:[ \\t\\r]+|${esc}\\r?\\n|\\r?\\n[ \\t]*#[^\\n]*|#[^\\n]*)*$`);
  return tail.test(rest) ? end : undefined;
}
