/**
 * The RUN scripts of a Dockerfile as ShellCheck is given them: each with the shell its stage
 * runs it with (SHELL, or a heredoc's shebang), the ARG and ENV names it can see (so SC2154 stays
 * quiet about them) and the pragmas that suppress findings on it. Plain data: it crosses from a
 * lint worker to the main thread, which checks every file's scripts in one go.
 */
import type { Dockerfile, Instruction } from '../dockerfile/types.js';
import { collectSuppressions } from '../rules/suppress.js';

/** One RUN script, ready for ShellCheck. */
export interface ShellJob {
  /** What ShellCheck reads: HEADER_LINES lines of header, then the script as laid out in the file. */
  text: string;
  /** File line of the script's first line (text line HEADER_LINES + 1); columns are the file's. */
  line: number;
  /** Last file line of the RUN instruction (findings are clamped to it). */
  endLine: number;
  /** ShellCheck dialect: sh, bash, dash or ksh. */
  shell: string;
  /** Rule keys (lower case) that pragmas suppress on this RUN, file-wide ones included. */
  suppressed: string[];
}

/** Lines ShellCheck reads before the script: the dialect directive and the declared names. */
export const HEADER_LINES = 2;

/** Variables Docker passes to every RUN without a declaration (its predefined proxy ARGs). */
const PREDEFINED = ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((n) => [
  n,
  n.toLowerCase(),
]);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The ShellCheck dialect of a shell program (`/bin/bash`, `ash`, `/usr/bin/env bash`), or
 * undefined when ShellCheck cannot read that shell's language (pwsh, cmd, zsh, fish, python).
 */
export function dialectOf(program: string): string | undefined {
  const words = program.trim().split(/\s+/);
  let prog = words[0] ?? '';
  if (/(^|\/)env$/.test(prog)) prog = words.find((w, i) => i > 0 && !w.startsWith('-')) ?? '';
  const base = (prog.split('/').pop() ?? '').toLowerCase();
  if (base === 'sh' || base === 'bash' || base === 'dash' || base === 'ksh') return base;
  if (base === 'mksh' || base === 'ksh93' || base === 'pdksh') return 'ksh';
  // ShellCheck 0.9 has no busybox dialect; ash is closest to dash.
  if (base === 'ash' || base === 'busybox') return 'dash';
  return undefined;
}

interface StageState {
  shell: string | undefined;
  /** ENV names: a stage FROM this one inherits them. */
  env: Set<string>;
  /** ARG names: this stage's only. */
  args: Set<string>;
}

/** hadolint's `# hadolint shell=pwsh` comment: the shell of the RUNs after it (until SHELL or FROM). */
const SHELL_PRAGMA = /^#\s*hadolint\s+shell\s*=\s*(\S+)/i;

/**
 * Every shell-form RUN of `file` (ONBUILD RUN included) as a ShellJob, in file order. The shell
 * is the stage's SHELL (a stage FROM an earlier one inherits it), else a `# hadolint shell=`
 * pragma's, else sh; RUNs in a shell ShellCheck cannot read are left out.
 */
export function shellJobs(file: Dockerfile, opts: { disableIgnorePragma?: boolean } = {}): ShellJob[] {
  // The same suppressions as the lint's own rules, so disable-ignore-pragma holds for SC ids too.
  const suppress = collectSuppressions(file, { inline: !opts.disableIgnorePragma });
  const states: StageState[] = [];
  const jobs: ShellJob[] = [];
  const pragmas = file.comments
    .map((c) => ({ line: c.line, shell: SHELL_PRAGMA.exec(c.text.startsWith('#') ? c.text : `# ${c.text}`)?.[1] }))
    .filter((p): p is { line: number; shell: string } => p.shell !== undefined);
  let nextPragma = 0;
  for (const ins of file.instructions) {
    if (ins.stage === undefined) continue;
    let st = states[ins.stage];
    if (!st) {
      // A stage built FROM an earlier one inherits its SHELL and ENV, not its ARGs.
      const parent = file.stages[ins.stage]?.base.stage;
      const from = parent === undefined ? undefined : states[parent];
      st = { shell: from ? from.shell : 'sh', env: new Set(from?.env), args: new Set() };
      states[ins.stage] = st;
    }
    while (nextPragma < pragmas.length && pragmas[nextPragma].line < ins.span.start.line)
      st.shell = dialectOf(pragmas[nextPragma++].shell);
    const target = ins.keyword === 'ONBUILD' && ins.onbuild ? ins.onbuild : ins;
    if (ins.keyword === 'ARG') for (const p of ins.pairs) st.args.add(p.key);
    else if (ins.keyword === 'ENV') for (const p of ins.pairs) st.env.add(p.key);
    else if (ins.keyword === 'SHELL' && ins.jsonArgs?.length) st.shell = dialectOf(ins.jsonArgs[0]);
    else if (target.keyword === 'RUN' && target.shell) {
      const job = jobFor(target, st, suppress.keysAt(ins.span.start.line), ins.span.end.line);
      if (job) jobs.push(job);
    }
  }
  return jobs;
}

function jobFor(ins: Instruction, st: StageState, suppressed: string[], endLine: number): ShellJob | undefined {
  const script = ins.shell!;
  let shell = st.shell;
  const first = script.text.split('\n', 1)[0];
  // A heredoc body with a shebang runs with that interpreter, whatever SHELL says.
  if (first.startsWith('#!')) shell = dialectOf(first.slice(2));
  if (!shell) return undefined;
  const names = new Set([...PREDEFINED, ...st.env, ...st.args]);
  for (const m of ins.mounts) if (m.type === 'secret' && m.env) names.add(m.env);
  const declared = [...names].filter((n) => NAME.test(n));
  // `export NAME` declares without assigning, so neither SC2154 nor SC2034 fires for it.
  const header = `# shellcheck shell=${shell}\n${declared.length ? `export ${declared.join(' ')}` : ''}\n`;
  // CR before LF would be SC1017 on every line; dropping it keeps every column.
  const body = script.text.replace(/\r\n/g, '\n');
  return { text: header + body, line: script.line, endLine, shell, suppressed };
}
