/** Command lines as exec-form argument lists. */

/** Splits a command line like a POSIX shell would for simple quoting (no expansions). */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < cmd.length) cur += cmd[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      any = true;
    } else if (/\s/.test(c)) {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else if (c === '\\' && i + 1 < cmd.length) {
      cur += cmd[++i];
    } else cur += c;
  }
  if (cur || any) out.push(cur);
  return out;
}
