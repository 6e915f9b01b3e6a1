/**
 * "Did you mean" suggestions by edit distance, and case tests for names.
 */

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
