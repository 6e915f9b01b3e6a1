/** Reads ~/.netrc ($NETRC when set) the way pip (through requests) and uv do: machine, login, password, default. */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface NetrcCredential {
  login: string;
  password: string;
}

/** The login and password the netrc file gives `host` (its `default` entry otherwise), or undefined. */
export function netrcCredentials(
  host: string,
  file = process.env.NETRC ?? join(homedir(), '.netrc'),
): NetrcCredential | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // Tokens, except the bodies of macros (`macdef NAME` up to the next blank line), which hold no credentials.
  const tokens: string[] = [];
  let inMacro = false;
  for (const line of text.split(/\r?\n/)) {
    if (inMacro) {
      if (!line.trim()) inMacro = false;
      continue;
    }
    if (line.trimStart().startsWith('#')) continue;
    const words = line.split(/\s+/).filter(Boolean);
    const macro = words.indexOf('macdef');
    if (macro >= 0) {
      tokens.push(...words.slice(0, macro));
      inMacro = true;
    } else tokens.push(...words);
  }
  type Entry = { machine: string | null; login: string; password: string };
  let current: Entry | undefined;
  const entries: Entry[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'machine' || t === 'default') {
      current = { machine: t === 'machine' ? (tokens[++i] ?? '') : null, login: '', password: '' };
      entries.push(current);
    } else if (current && t === 'login') current.login = tokens[++i] ?? '';
    else if (current && t === 'password') current.password = tokens[++i] ?? '';
    else if (current && t === 'account') i++;
  }
  const hit = entries.find((e) => e.machine === host) ?? entries.find((e) => e.machine === null);
  return hit ? { login: hit.login, password: hit.password } : undefined;
}
