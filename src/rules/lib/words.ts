/**
 * Words of an instruction as Docker reads them: BuildKit runs COPY/ADD operands, WORKDIR, USER
 * and `--from` values through its shell-word lexer, so `"/app"` and `/app` are the same path.
 */
import type { Instruction } from '../../dockerfile/types.js';

/**
 * A word with its shell quotes removed (`"/app"` -> `/app`). The parser has already applied the
 * Dockerfile's escapes to instruction words, so backslashes stay (`C:\app`).
 */
export function plainWord(word: string): string {
  let out = '';
  let quote: string | undefined;
  for (const c of word) {
    if (quote ? c === quote : c === '"' || c === "'") quote = quote ? undefined : c;
    else out += c;
  }
  return out;
}

/**
 * Sources and destination of a COPY/ADD with quotes removed (JSON form as parsed); undefined with
 * heredocs or fewer than two operands.
 */
export function plainCopyOperands(ins: Instruction): { sources: string[]; dest: string } | undefined {
  if (ins.heredocs.length) return undefined;
  const words = ins.jsonForm && ins.jsonArgs ? ins.jsonArgs : ins.resolvedArgs.map(plainWord);
  if (words.length < 2) return undefined;
  return { sources: words.slice(0, -1), dest: words[words.length - 1] };
}

/** The value of a `--name=value` flag of the instruction, quotes removed; undefined when absent. */
export function plainFlag(
  ins: Instruction,
  name: string,
): { value: string; flag: Instruction['flags'][number] } | undefined {
  const flag = ins.flags.find((f) => f.name === name);
  const raw = flag?.resolved ?? flag?.value;
  if (!flag || raw === undefined) return undefined;
  return { value: plainWord(raw), flag };
}

/** Absolute on Linux (`/x`) or Windows (`C:\x`, `C:/x`, `\x`). */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:([\\/]|$)/.test(p);
}
