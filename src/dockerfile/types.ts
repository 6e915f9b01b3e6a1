/**
 * The Dockerfile model: what every analysis (rules, change simulator, init's self-check) reads.
 * Built once per file by `parseDockerfile`; plain data, no parser objects leak out.
 * Lines and columns are 1-based, as editors and SARIF count them.
 */

export interface Position {
  line: number;
  column: number;
}

export interface Span {
  start: Position;
  end: Position;
  /** Offsets into the file text, for autofix edits. */
  startOffset: number;
  endOffset: number;
}

export interface Flag {
  /** Lower-case flag name without dashes, e.g. `mount`, `from`, `chown`. */
  name: string;
  /** Raw value (after `=`), or undefined for a bare `--link`. */
  value: string | undefined;
  /** Value with build args and env substituted where they are known. */
  resolved: string | undefined;
  span: Span;
}

/** One `--mount=...` of a RUN instruction, parsed into its key/value options. */
export interface Mount {
  type: 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh' | string;
  target?: string;
  source?: string;
  from?: string;
  id?: string;
  sharing?: string;
  readonly: boolean;
  required?: boolean;
  mode?: string;
  uid?: string;
  gid?: string;
  env?: string;
  /** Every key as written (`dst` and `destination` are normalised to `target`). */
  options: Record<string, string>;
  flag: Flag;
}

export interface Heredoc {
  /** Delimiter word without quotes and `-`, e.g. `EOF`. */
  name: string;
  /** Destination for COPY/ADD heredocs or the command line that consumes it for RUN. */
  content: string;
  /** First line of the body. */
  line: number;
  quoted: boolean;
}

export interface ShellWord {
  /** The word with quotes removed where it is a plain literal; expansions are kept as written. */
  value: string;
  /** The word as written. */
  raw: string;
  /** True when the word contains quotes (so `a>=1` is safe) */
  quoted: boolean;
  /** True when the value contains `$` expansions or globs we did not resolve. */
  dynamic: boolean;
  line: number;
  column: number;
}

export interface ShellRedirect {
  operator: string;
  target: string;
  line: number;
  column: number;
}

/** One simple command inside a RUN script, e.g. `apt-get install -y curl`. */
export interface ShellCommand {
  /** Program name as written (`pip3`, `/usr/bin/apt-get`, `python`). */
  name: string;
  /** Basename of the program, e.g. `apt-get` for `/usr/bin/apt-get`. */
  program: string;
  args: ShellWord[];
  /** Leading `VAR=value` assignments of this command. */
  assignments: Record<string, string>;
  redirects: ShellRedirect[];
  /** Index of the pipeline this command belongs to within the script, and its position in it. */
  pipeline: number;
  pipelinePosition: number;
  pipelineLength: number;
  /** Operator that joins this command to the previous one: `&&`, `||`, `;`, `|`, or '' for the first. */
  connector: string;
  /** True when inside a subshell, function, if/for/while body or command substitution. */
  nested: boolean;
  line: number;
  column: number;
  /** Source text of the command. */
  text: string;
}

export interface ShellScript {
  /** The script, laid out as in the file: its first line is padded to the column it starts at. */
  text: string;
  /** File line of the script's first line. */
  line: number;
  commands: ShellCommand[];
  /** True when the script uses `set -o pipefail` (or `set -euo pipefail` forms) before pipes. */
  setsPipefail: boolean;
  /** Parse errors (the tree-sitter parser is error tolerant; these are hints, not failures). */
  hasErrors: boolean;
  /** Variables assigned by the script itself, e.g. by `export X=1`. */
  assigned: string[];
}

/** Package-manager operation recognised in a RUN script (see src/dockerfile/packages.ts). */
export interface PackageOp {
  manager: string;
  /** install, update, upgrade, remove, clean, sync, lock, venv, other */
  action: string;
  packages: string[];
  /** Option words (starting with `-`) as written, with `=value` when given that way. */
  options: string[];
  /** Values of options that take one, by option name (`-r` -> [requirements.txt]). */
  optionValues: Record<string, string[]>;
  /** Words after the manager name (and `-m pip` / `pip` for `uv pip`), as parsed. */
  words: import('./types.js').ShellWord[];
  command: ShellCommand;
}

export type InstructionKind =
  | 'FROM'
  | 'RUN'
  | 'CMD'
  | 'LABEL'
  | 'MAINTAINER'
  | 'EXPOSE'
  | 'ENV'
  | 'ADD'
  | 'COPY'
  | 'ENTRYPOINT'
  | 'VOLUME'
  | 'USER'
  | 'WORKDIR'
  | 'ARG'
  | 'ONBUILD'
  | 'STOPSIGNAL'
  | 'HEALTHCHECK'
  | 'SHELL'
  | string;

export interface KeyValue {
  key: string;
  value: string | undefined;
  /** Value with quotes removed and variables substituted where known. */
  resolved: string | undefined;
  span: Span;
}

export interface Instruction {
  /** Position in `Dockerfile.instructions`. */
  index: number;
  /** Upper-case keyword. */
  keyword: InstructionKind;
  /** Keyword as written (for casing rules). */
  rawKeyword: string;
  span: Span;
  /** Span of the keyword alone. */
  keywordSpan: Span;
  /** Whole instruction text as written, continuations included. */
  text: string;
  /** Argument text after the flags, continuations joined with the escape char removed. */
  argsText: string;
  /** Argument words after the flags (shell-ish split, quotes kept). */
  args: string[];
  /** Argument words after variable substitution where values are known. */
  resolvedArgs: string[];
  flags: Flag[];
  /** True for JSON (exec) form: RUN/CMD/ENTRYPOINT/SHELL/COPY/ADD/VOLUME written as `["a","b"]`. */
  jsonForm: boolean;
  /** Parsed JSON array for exec form (undefined when not JSON or invalid JSON). */
  jsonArgs?: string[];
  /** Set when the argument looks like JSON but is not valid JSON (e.g. single quotes). */
  invalidJson?: boolean;
  heredocs: Heredoc[];
  /** Stage this instruction belongs to; undefined for global ARGs before the first FROM. */
  stage: number | undefined;
  /** ENV/LABEL/ARG pairs. */
  pairs: KeyValue[];
  /** For RUN (shell form, heredoc bodies included): the parsed script. */
  shell?: ShellScript;
  /** For RUN: parsed mounts. */
  mounts: Mount[];
  /** For ONBUILD: the wrapped instruction. */
  onbuild?: Instruction;
  /** Lines that are empty inside a continuation (BuildKit NoEmptyContinuation). */
  emptyContinuationLines: number[];
}

export interface BaseImage {
  /** As written in FROM. */
  raw: string;
  /** After global ARG substitution. */
  resolved: string;
  /** Name of an earlier stage when FROM refers to one (case-insensitive match). */
  stage?: number;
  scratch: boolean;
  /** registry/name part without tag and digest, e.g. `python`, `ghcr.io/x/y`. */
  name: string;
  tag?: string;
  digest?: string;
  registry?: string;
  /** True when the reference still contains unresolved `$` variables. */
  dynamic: boolean;
  platform?: string;
}

export interface Stage {
  index: number;
  /** Name as written after AS. */
  name?: string;
  base: BaseImage;
  from: Instruction;
  /** Instructions of the stage, FROM included. */
  instructions: Instruction[];
  /** Stages this one reads from: FROM, COPY --from, RUN --mount=from. */
  dependsOn: number[];
  /** True when the final stage (the default build target) depends on this stage. */
  reachable: boolean;
}

export interface Comment {
  line: number;
  text: string;
  span: Span;
}

export interface Dockerfile {
  path: string;
  text: string;
  lines: string[];
  directives: { syntax?: string; escape: string; check?: string; [name: string]: string | undefined };
  escapeChar: string;
  /** Every instruction in order, global ARGs and FROMs included. */
  instructions: Instruction[];
  /** ARG instructions before the first FROM. */
  globalArgs: Instruction[];
  stages: Stage[];
  comments: Comment[];
  /** Parse problems that are not findings of any rule (e.g. unknown instruction). */
  problems: { line: number; message: string }[];
}
