/**
 * Applies autofixes. Edits from different findings may touch the same text, so each pass applies
 * the non-overlapping ones and lints again, until nothing changes (a fixed point), which also
 * makes a second `--fix` a no-op.
 */
import type { Finding, TextEdit } from './types.js';

export interface FixOutcome {
  text: string;
  /** Number of fixes applied over all passes. */
  applied: number;
  /** Files to create (paths relative to the build context), first fix wins per path. */
  createFiles: { path: string; content: string }[];
}

/** Applies the non-overlapping edits of `findings` to `text` once. */
export function applyFixesOnce(
  text: string,
  findings: Finding[],
): { text: string; applied: number; createFiles: FixOutcome['createFiles'] } {
  const chosen: TextEdit[] = [];
  const createFiles: FixOutcome['createFiles'] = [];
  let applied = 0;
  for (const f of findings) {
    if (!f.fix) continue;
    const edits = [...f.fix.edits].sort((a, b) => a.start - b.start);
    const valid = edits.every((e) => e.start >= 0 && e.end >= e.start && e.end <= text.length);
    const clashes = edits.some((e) => chosen.some((c) => overlaps(c, e)));
    if (!valid || clashes) continue;
    chosen.push(...edits);
    for (const c of f.fix.createFiles ?? []) if (!createFiles.some((x) => x.path === c.path)) createFiles.push(c);
    applied++;
  }
  chosen.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of chosen) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return { text: out, applied, createFiles };
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  // Two insertions at one point clash too: their order would be arbitrary.
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

/** Lints and fixes repeatedly until a fixed point (at most `maxPasses`). */
export function fixToFixedPoint(text: string, lint: (text: string) => Finding[], maxPasses = 10): FixOutcome {
  let current = text;
  let edited = 0;
  const createFiles: FixOutcome['createFiles'] = [];
  for (let pass = 0; pass < maxPasses; pass++) {
    const res = applyFixesOnce(current, lint(current));
    for (const c of res.createFiles) if (!createFiles.some((x) => x.path === c.path)) createFiles.push(c);
    if (res.text === current) break;
    edited += res.applied;
    current = res.text;
  }
  return { text: current, applied: edited + createFiles.length, createFiles };
}
