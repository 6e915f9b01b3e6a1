/**
 * Build-time variable substitution, as BuildKit's shell lexer does it for Dockerfile
 * instructions: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:+alt}`, `${VAR+alt}`.
 * Unknown variables are left as written, so callers can tell a value is still dynamic.
 */
export type Scope = Map<string, string | undefined>;

const VAR = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export interface Substituted {
  value: string;
  /** True when a variable with no known value remains in the result. */
  dynamic: boolean;
}

export function substitute(text: string, scope: Scope, escapeChar = '\\'): Substituted {
  if (!text.includes('$')) return { value: text, dynamic: false };
  let dynamic = false;
  const value = text.replace(VAR, (match, braced: string, op: string, word: string, bare: string, offset: number) => {
    // An escaped dollar sign stays literal.
    if (offset > 0 && text[offset - 1] === escapeChar) return match;
    const name = braced ?? bare;
    const known = scope.has(name) && scope.get(name) !== undefined;
    const val = scope.get(name);
    if (op === ':-') return known && val !== '' ? (val as string) : substitute(word, scope, escapeChar).value;
    if (op === '-') return known ? (val as string) : substitute(word, scope, escapeChar).value;
    if (op === ':+') return known && val !== '' ? substitute(word, scope, escapeChar).value : '';
    if (op === '+') return known ? substitute(word, scope, escapeChar).value : '';
    if (!known) {
      dynamic = true;
      return match;
    }
    return val as string;
  });
  return { value, dynamic };
}

/** Names of variables referenced in `text` (for "which ARGs does this instruction use"). */
export function referencedVariables(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(VAR)) names.add(m[1] ?? m[4]);
  return [...names];
}

/** Removes one level of shell-style quotes from a Dockerfile word (ENV/ARG/LABEL values). */
export function unquote(value: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < value.length) out += value[++i];
      else out += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\' && i + 1 < value.length) out += value[++i];
    else out += c;
  }
  return out;
}
