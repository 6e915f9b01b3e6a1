/**
 * Inline suppressions:
 * - `# layerwise ignore=RULE[,RULE]` silences the next instruction;
 *   `# layerwise ignore-stage=...` the rest of the stage; `# layerwise ignore-file=...` the file.
 * - `# hadolint ignore=DL3008` (next instruction) and `# hadolint global ignore=...` (file).
 * - BuildKit's `# check=skip=A,B` directive (file; `skip=all` silences every build-check alias).
 * RULE may be a layerwise id, a rule name, or any alias (DL code, build check name).
 */
import type { Dockerfile } from '../dockerfile/types.js';

export interface Suppressions {
  /** True when findings of the rule with these keys at `line` are suppressed. */
  isSuppressed(keys: string[], line: number): boolean;
  /** `# check=skip=all` was given. */
  skipAllChecks: boolean;
  /** Every key (lower case) suppressed at `line`, file-wide ones included (for ShellCheck's SC ids). */
  keysAt(line: number): string[];
}

const LAYERWISE = /^#\s*layerwise\s+(ignore|ignore-stage|ignore-file)\s*=\s*([\w,\s-]+)/i;
const HADOLINT = /^#\s*hadolint\s+(global\s+)?ignore\s*=\s*([\w,\s-]+)/i;

/** `inline: false` leaves out the comment pragmas (`disable-ignore-pragma`); the check directive stays. */
export function collectSuppressions(file: Dockerfile, opts: { inline?: boolean } = {}): Suppressions {
  const fileWide = new Set<string>();
  const ranges: { from: number; to: number; keys: Set<string> }[] = [];
  let skipAllChecks = false;
  const check = file.directives.check;
  if (check) {
    for (const part of check.split(';')) {
      const [k, v] = part.split('=', 2).map((s) => s.trim());
      if (k?.toLowerCase() === 'skip' && v !== undefined) {
        const rest = part.slice(part.indexOf('=') + 1);
        for (const name of rest.split(',').map((s) => s.trim().toLowerCase())) {
          if (name === 'all') skipAllChecks = true;
          else if (name) fileWide.add(name);
        }
      }
    }
  }
  const lines = opts.inline === false ? [] : file.lines;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].trim();
    if (!text.startsWith('#')) continue;
    const lw = LAYERWISE.exec(text);
    const hl = HADOLINT.exec(text);
    if (!lw && !hl) continue;
    const keys = new Set(
      (lw ? lw[2] : (hl as RegExpExecArray)[2])
        .split(/[,\s]+/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    );
    const scope = lw ? lw[1].toLowerCase() : hl![1] ? 'ignore-file' : 'ignore';
    if (scope === 'ignore-file') {
      for (const k of keys) fileWide.add(k);
      continue;
    }
    const line = i + 1;
    const next = file.instructions.find((ins) => ins.span.start.line > line);
    if (!next) continue;
    if (scope === 'ignore') ranges.push({ from: next.span.start.line, to: next.span.end.line, keys });
    else {
      const stage = next.stage === undefined ? undefined : file.stages[next.stage];
      const last = stage?.instructions[stage.instructions.length - 1] ?? next;
      ranges.push({ from: next.span.start.line, to: last.span.end.line, keys });
    }
  }
  return {
    skipAllChecks,
    isSuppressed(keys, line) {
      const lower = keys.map((k) => k.toLowerCase());
      if (lower.some((k) => fileWide.has(k))) return true;
      return ranges.some((r) => line >= r.from && line <= r.to && lower.some((k) => r.keys.has(k)));
    },
    keysAt(line) {
      const out = new Set(fileWide);
      for (const r of ranges) if (line >= r.from && line <= r.to) for (const k of r.keys) out.add(k);
      return [...out];
    },
  };
}
