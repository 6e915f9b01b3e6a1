/**
 * Recognises package-manager operations in parsed RUN commands: which manager, which action,
 * which packages and options. Rules ask this instead of matching command text.
 */
import { ALIASES, MODULE_ACTIONS, SPECS } from './package-managers.js';
import type { Instruction, PackageOp, ShellCommand, ShellWord } from './types.js';

/** Name of the manager a program name stands for (`pip3.11` -> pip), or undefined. */
export function managerOf(program: string): string | undefined {
  if (/^pip(\d+(\.\d+)?)?$/.test(program)) return 'pip';
  return ALIASES[program] ?? (SPECS[program] ? program : undefined);
}

/** Every package-manager operation in a RUN instruction, in script order. */
export function packageOps(ins: Instruction): PackageOp[] {
  const out: PackageOp[] = [];
  for (const c of ins.shell?.commands ?? []) {
    const op = packageOp(c);
    if (op) out.push(op);
  }
  return out;
}

/** Recognises one command, including `python -m pip`, `uv pip`, `sudo`/`env` prefixes, curl/wget. */
export function packageOp(command: ShellCommand): PackageOp | undefined {
  let program = command.program;
  let words = command.args;
  // Prefixes that run another command.
  while ((program === 'sudo' || program === 'env' || program === 'nice' || program === 'time') && words.length) {
    const i = words.findIndex((w) => !w.value.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value));
    if (i < 0) return undefined;
    program = words[i].value.split('/').pop() ?? '';
    words = words.slice(i + 1);
  }
  if (/^python(\d+(\.\d+)?)?$/.test(program)) {
    const m = words.findIndex((w) => w.value === '-m');
    if (m < 0 || !words[m + 1]) return undefined;
    const mod = words[m + 1].value;
    if (mod !== 'pip' && mod !== 'uv' && mod !== 'pipenv' && mod !== 'poetry') return undefined;
    program = mod;
    words = words.slice(m + 2);
  }
  if (program === 'curl' || program === 'wget') {
    const urls = words.filter((w) => /^['"]?(https?|ftp):\/\//.test(w.value)).map((w) => w.value);
    return {
      manager: program,
      action: 'download',
      packages: urls,
      options: optionWords(words),
      optionValues: {},
      words,
      command,
    };
  }
  let manager = managerOf(program);
  if (!manager) return undefined;
  if (manager === 'uv' && words[0]?.value === 'pip') {
    manager = 'uv-pip';
    words = words.slice(1);
  }
  const spec = manager === 'uv-pip' ? { ...SPECS.pip, valued: SPECS.uv.valued } : SPECS[manager];
  const valued = new Set([...spec.valued, ...(spec.globalValued ?? [])]);
  const optionValues: Record<string, string[]> = {};
  const positional: ShellWord[] = [];
  // gem hands what follows `--` to the extension's build (`-- --with-xml2-dir=/usr`): not gems.
  const dashes = words.findIndex((w) => w.value === '--');
  if (dashes >= 0 && manager === 'gem') words = words.slice(0, dashes);
  for (let i = 0; i < words.length; i++) {
    const w = words[i].value;
    // After `--` every word is an operand, even one that starts with `-`.
    if (dashes >= 0 && i >= dashes) {
      if (i > dashes) positional.push(words[i]);
      continue;
    }
    if (w.startsWith('-') && w !== '-') {
      const eq = w.indexOf('=');
      const name = eq > 0 ? w.slice(0, eq) : w;
      if (eq > 0) (optionValues[name] ??= []).push(w.slice(eq + 1));
      else if (valued.has(name) && i + 1 < words.length) (optionValues[name] ??= []).push(words[++i].value);
      // Short options glued to their value: `-rrequirements.txt`.
      else if (/^-[a-zA-Z]./.test(w) && valued.has(w.slice(0, 2)) && !w.startsWith('--')) {
        (optionValues[w.slice(0, 2)] ??= []).push(w.slice(2));
      }
    } else positional.push(words[i]);
  }
  const first = positional[0]?.value ?? '';
  const action =
    spec.actions[first] ?? (manager === 'uv-pip' ? spec.actions[first] : undefined) ?? (first ? 'other' : 'other');
  // `dnf module install nodejs:18`: the module sub-command is the action.
  const dnfModule = manager === 'dnf' && first === 'module';
  const sub =
    first === 'tool' || first === 'pip' || first === 'self' || dnfModule ? positional.slice(2) : positional.slice(1);
  return {
    manager,
    action:
      manager === 'conda' && first === 'env'
        ? `env-${positional[1]?.value ?? ''}`
        : dnfModule
          ? (MODULE_ACTIONS[positional[1]?.value ?? ''] ?? 'other')
          : action,
    packages: sub.map((w) => w.value),
    options: optionWords(words),
    optionValues,
    words,
    command,
  };
}

function optionWords(words: ShellWord[]): string[] {
  const dashes = words.findIndex((w) => w.value === '--');
  return (dashes < 0 ? words : words.slice(0, dashes))
    .filter((w) => w.value.startsWith('-') && w.value !== '-')
    .map((w) => w.value);
}

/** True when the op has any of the given options (exact, or `--opt=value`, or within a short cluster). */
export function hasOption(op: PackageOp, ...names: string[]): boolean {
  return op.options.some((o) => {
    const name = o.includes('=') ? o.slice(0, o.indexOf('=')) : o;
    if (names.includes(name)) return true;
    // `-qy` contains `-y`.
    if (/^-[a-zA-Z]{2,}$/.test(o)) return names.some((n) => /^-[a-zA-Z]$/.test(n) && o.includes(n[1]));
    return false;
  });
}

/**
 * The ShellWords of `op.packages`, in order (so rules can tell quoted or dynamic words apart
 * and point at them). Matches the package values as a subsequence of the op's words.
 */
export function packageWords(op: PackageOp): ShellWord[] {
  const out: ShellWord[] = [];
  let k = op.words.length - 1;
  for (let p = op.packages.length - 1; p >= 0; p--) {
    while (k >= 0 && op.words[k].value !== op.packages[p]) k--;
    if (k < 0) break;
    out.unshift(op.words[k]);
    k--;
  }
  return out;
}
