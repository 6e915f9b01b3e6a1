/**
 * Helpers for the rules that mirror Docker's build checks (LWx3nn): words of an instruction with
 * their offsets, variable references, the args BuildKit predefines, image-reference syntax and
 * "did you mean" suggestions.
 */
import type { Dockerfile, Instruction } from '../../dockerfile/types.js';

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

export interface VarRef {
  name: string;
  /** `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}`, `${X:?e}`, `${X?e}`, `${X#p}`, ...: the writer expects it may be unset. */
  modifier: boolean;
  /** Offset of the `$` in the text searched. */
  offset: number;
  raw: string;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * Variable references in Dockerfile text (not in shell scripts); `\$` (escape char) is literal.
 * One pass: a regex with `\{NAME[^}]*\}` rescans to the end for every `${` left open, and a
 * quote scan from the start for every match made a 76 KB fuzz input take 11 s.
 */
export function varRefs(text: string, escapeChar = '\\'): VarRef[] {
  if (!text.includes('$')) return [];
  const out: VarRef[] = [];
  const quotes = quoteScanner(text);
  // The first `}` at or after a position; positions only grow, so one search serves many `${`.
  let close: number | undefined;
  const closeFrom = (from: number): number => {
    if (close === undefined || (close !== -1 && close < from)) close = text.indexOf('}', from);
    return close;
  };
  for (let at = text.indexOf('$'); at >= 0;) {
    let end = -1;
    let name: string | undefined;
    let modifier = '';
    if (text[at + 1] === '{') {
      NAME.lastIndex = at + 2;
      const m = NAME.exec(text);
      if (m) {
        const brace = closeFrom(at + 2 + m[0].length);
        if (brace >= 0) {
          name = m[0];
          modifier = text.slice(at + 2 + m[0].length, brace);
          end = brace + 1;
        }
      }
    } else {
      NAME.lastIndex = at + 1;
      const m = NAME.exec(text);
      if (m) {
        name = m[0];
        end = at + 1 + m[0].length;
      }
    }
    if (name === undefined) {
      at = text.indexOf('$', at + 1);
      continue;
    }
    // Single-quoted text is not expanded by BuildKit's word lexer.
    if (!escaped(text, at, escapeChar) && !quotes.insideSingle(at))
      out.push({ name, modifier: modifier !== '', offset: at, raw: text.slice(at, end) });
    at = text.indexOf('$', end);
  }
  return out;
}

function escaped(text: string, offset: number, esc: string): boolean {
  let n = 0;
  for (let i = offset - 1; i >= 0 && text[i] === esc; i--) n++;
  return n % 2 === 1;
}

/** Whether an offset is inside single quotes, asked for growing offsets: one scan in all. */
function quoteScanner(text: string): { insideSingle(offset: number): boolean } {
  let i = 0;
  let inSingle = false;
  let inDouble = false;
  return {
    insideSingle(offset: number): boolean {
      for (; i < offset; i++) {
        const c = text[i];
        if (c === '\\' && !inSingle) {
          i++;
          continue;
        }
        if (c === "'" && !inDouble) inSingle = !inSingle;
        else if (c === '"' && !inSingle) inDouble = !inDouble;
      }
      return inSingle;
    },
  };
}

/** Args BuildKit defines for every build without an ARG (platform args in the global scope). */
export const PLATFORM_ARGS = [
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
];

/** Predefined args usable without a declaration (proxies, BuildKit settings, platform args). */
export const PREDEFINED_ARGS = new Set([
  ...PLATFORM_ARGS,
  'TARGETSTAGE',
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
  'BUILDKIT_INLINE_CACHE',
  'BUILDKIT_MULTI_PLATFORM',
  'BUILDKIT_SANDBOX_HOSTNAME',
  'BUILDKIT_CONTEXT_KEEP_GIT_DIR',
  'BUILDKIT_SYNTAX',
  'SOURCE_DATE_EPOCH',
]);

/** Plausible values of the platform args, to check what a FROM line becomes at build time. */
export const PLATFORM_SAMPLE: Record<string, string> = {
  TARGETPLATFORM: 'linux/amd64',
  TARGETOS: 'linux',
  TARGETARCH: 'amd64',
  TARGETVARIANT: '',
  BUILDPLATFORM: 'linux/amd64',
  BUILDOS: 'linux',
  BUILDARCH: 'amd64',
  BUILDVARIANT: '',
};

const COMPONENT = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*';
const DOMAIN =
  '(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:]+\\])(?::[0-9]+)?';
const REFERENCE = new RegExp(
  `^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,})?$`,
);

/** True when `ref` is a syntactically valid image reference (Docker's reference grammar). */
export function isValidImageRef(ref: string): boolean {
  if (!ref || ref.length > 512) return false;
  return REFERENCE.test(ref);
}

/** Edit distance counting an adjacent transposition as one edit (PAHT -> PATH); stops past `max`. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The closest name among `candidates`: a case-only difference, or at most one edit per five
 * characters (so `PAHT` suggests `PATH` but `API_KEY` does not suggest `GPG_KEY`).
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  const limit = Math.max(1, Math.floor(name.length / 5));
  let bestD = limit + 1;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase(), limit);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** True when the text is all lower case (ignoring non-letters) / all upper case. */
export const isLower = (s: string): boolean => s === s.toLowerCase();
export const isUpper = (s: string): boolean => s === s.toUpperCase();
