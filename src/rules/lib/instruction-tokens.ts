/**
 * Words of an instruction as written, with their offsets in the file, and COPY/ADD operands.
 */
import type { Dockerfile, Instruction } from '../../dockerfile/types.js';

/** Sources and destination of a COPY/ADD (JSON or shell form); undefined with heredocs. */
export function copyOperands(ins: Instruction): { sources: string[]; dest: string } | undefined {
  if (ins.heredocs.length) return undefined;
  const words = ins.jsonForm && ins.jsonArgs ? ins.jsonArgs : ins.resolvedArgs;
  if (words.length < 2) return undefined;
  return { sources: words.slice(0, -1), dest: words[words.length - 1] };
}

export interface Token {
  text: string;
  /** Offsets into the file text. */
  start: number;
  end: number;
}

/**
 * Whitespace-separated words of an instruction as written (keyword and flags included), with
 * their offsets in the file. Line continuations count as whitespace; quotes keep spaces inside
 * one word.
 */
export function tokensOf(file: Dockerfile, ins: Instruction): Token[] {
  const text = ins.text;
  const base = ins.span.startOffset;
  const esc = file.escapeChar;
  const out: Token[] = [];
  let i = 0;
  let cur = '';
  let start = -1;
  let quote: string | undefined;
  const flush = (end: number) => {
    if (start >= 0) out.push({ text: cur, start: base + start, end: base + end });
    cur = '';
    start = -1;
  };
  while (i < text.length) {
    const c = text[i];
    if (!quote && c === esc) {
      // Escape + optional spaces + newline is a continuation: whitespace.
      let j = i + 1;
      while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
      if (j >= text.length || text[j] === '\n') {
        flush(i);
        i = j + 1;
        continue;
      }
      if (start < 0) start = i;
      cur += c + (text[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (!quote && (c === ' ' || c === '\t' || c === '\n' || c === '\r')) {
      flush(i);
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    cur += c;
    i++;
  }
  flush(text.length);
  return out;
}

/** Tokens after the keyword and the leading `--flag` words. */
export function argTokens(file: Dockerfile, ins: Instruction): Token[] {
  const toks = tokensOf(file, ins).slice(1);
  let n = 0;
  while (n < toks.length && /^--[A-Za-z-]+(=|$)/.test(toks[n].text)) n++;
  return toks.slice(n);
}

/** True when a COPY/ADD instruction copies from another stage or image. */
export function copiesFromStage(ins: Instruction): boolean {
  return ins.flags.some((f) => f.name === 'from');
}
