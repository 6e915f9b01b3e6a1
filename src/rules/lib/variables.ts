/**
 * Variables: references in Dockerfile text, the args BuildKit predefines, and the value a
 * RUN command sees for a variable.
 */
import type { Dockerfile, Instruction, ShellCommand } from '../../dockerfile/types.js';
import { envAt, stageChain, stageOf } from '../util.js';

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

const TRUE = /^(1|true|yes|on|y)$/i;

export function truthy(v: string | undefined): boolean {
  return v !== undefined && TRUE.test(v.trim().replace(/^["']|["']$/g, ''));
}

/**
 * Value of a variable as a command in a RUN sees it: the command's own `VAR=x` prefix, an
 * `export VAR=...` earlier in the script (value unknown: returns '?'), ENV, or an ARG default.
 */
export function varAt(file: Dockerfile, ins: Instruction, name: string, cmd?: ShellCommand): string | undefined {
  if (cmd && name in cmd.assignments) return cmd.assignments[name];
  if (ins.shell) {
    for (const c of ins.shell.commands) {
      if (cmd && (c.line > cmd.line || (c.line === cmd.line && c.column >= cmd.column))) break;
      if (c.program === 'export' || c.program === 'declare') {
        for (const a of c.args) if (a.value.startsWith(`${name}=`)) return a.value.slice(name.length + 1);
      }
    }
    if (!cmd && ins.shell.assigned.includes(name)) return '?';
  }
  const env = envAt(file, ins, name);
  if (env !== undefined) return env;
  const stage = stageOf(file, ins);
  if (!stage) return undefined;
  for (const s of stageChain(file, stage)) {
    const args = s.instructions.filter((i) => i.keyword === 'ARG' && (s !== stage || i.index < ins.index));
    for (let k = args.length - 1; k >= 0; k--) {
      const p = args[k].pairs.find((x) => x.key === name);
      if (p?.resolved !== undefined) return p.resolved;
    }
  }
  return undefined;
}
