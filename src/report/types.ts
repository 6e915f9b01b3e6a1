import type { Finding, RuleMeta, Severity } from '../rules/types.js';

/** One linted file as reporters see it. */
export interface FileReport {
  /** Path as given on the command line (or `-` for stdin), `/`-separated. */
  path: string;
  /** File text lines, for code frames. */
  lines: string[];
  findings: Finding[];
}

/** Input of every lint reporter: plain data, no model objects. */
export interface LintReport {
  files: FileReport[];
  /** Metadata of every rule that ran (for SARIF rule descriptors and help text). */
  rules: RuleMeta[];
  /** Findings at or above this severity make the exit code 1; 'none' never fails. */
  failureThreshold: Severity | 'none';
  /** Files whose fixes were applied by --fix, and how many fixes each. */
  fixed?: { path: string; count: number }[];
  /** --fix --dry-run: `fixed` lists what would be fixed; nothing was written. */
  dryRun?: boolean;
  toolVersion: string;
}

export interface RenderOptions {
  /** Use ANSI colour (only on a TTY and without NO_COLOR; decided by the CLI). */
  color: boolean;
}

export type Renderer = (report: LintReport, options: RenderOptions) => string;
