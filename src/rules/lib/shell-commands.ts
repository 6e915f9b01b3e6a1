/**
 * Commands of a RUN script in the file: the program a `sudo`/`env` prefix runs, offsets of
 * names and words, where the script starts and where text can be appended to it.
 */
import type { Dockerfile, Instruction, ShellCommand, ShellWord } from '../../dockerfile/types.js';
import { offsetOf } from '../util.js';

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

/** Offset where the shell script of a RUN starts (after keyword, flags and blank continuations). */
export function scriptStart(file: Dockerfile, ins: Instruction): number {
  let off = ins.flags.length ? ins.flags[ins.flags.length - 1].span.endOffset : ins.keywordSpan.endOffset;
  const text = file.text;
  const esc = file.escapeChar;
  for (;;) {
    const c = text[off];
    if (c === ' ' || c === '\t') off++;
    else if (c === esc && (text[off + 1] === '\n' || (text[off + 1] === '\r' && text[off + 2] === '\n')))
      off += text[off + 1] === '\n' ? 2 : 3;
    else break;
  }
  return off;
}

/** Offset of a shell word in the file. */
export function wordOffset(file: Dockerfile, w: ShellWord): number {
  return offsetOf(file, w.line, w.column);
}

/** Lines of an instruction's command for a finding: the command's own line. */
export function cmdPos(cmd: ShellCommand): { line: number; column: number } {
  return { line: cmd.line, column: cmd.column };
}
