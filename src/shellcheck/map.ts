/**
 * ShellCheck's `--format=json1` comments turned into layerwise findings: positions moved from the
 * script ShellCheck read back to the Dockerfile, levels to severities and categories, and
 * configuration and pragmas applied the way they are to layerwise's own rules.
 */
import type { Category, Finding, Severity } from '../rules/types.js';
import { HEADER_LINES, type ShellJob } from './scripts.js';

/** One entry of `shellcheck --format=json1`'s `comments` (columns count a tab as one). */
export interface ShellcheckComment {
  file: string;
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  level: string;
  code: number;
  message: string;
}

/** Name of every ShellCheck finding; `--ignore shellcheck` turns them all off. */
export const SHELLCHECK_NAME = 'shellcheck';

/** How configuration reaches ShellCheck findings (the lint options, as lower-case keys). */
export interface ShellcheckFilter {
  ignore: Set<string>;
  severity: Map<string, Severity | 'off'>;
}

export function shellcheckFilter(ignore: string[] = [], severity: Record<string, Severity | 'off'> = {}) {
  return {
    ignore: new Set(ignore.map((s) => s.toLowerCase())),
    severity: new Map(Object.entries(severity).map(([k, v]) => [k.toLowerCase(), v])),
  };
}

const SEVERITY: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'info', style: 'style' };

/** error and warning are bugs in the script; info and style are how it is written. */
export function categoryOf(level: string): Category {
  return level === 'error' || level === 'warning' ? 'correctness' : 'style';
}

/** The findings of `comments` on `job`, in the Dockerfile at `path` (whose lines are `lines`). */
export function toFindings(
  job: ShellJob,
  comments: ShellcheckComment[],
  path: string,
  lines: string[],
  filter: ShellcheckFilter,
): Finding[] {
  const out: Finding[] = [];
  const suppressed = new Set(job.suppressed);
  for (const c of comments) {
    const rule = `SC${String(c.code).padStart(4, '0')}`;
    const keys = [rule.toLowerCase(), SHELLCHECK_NAME];
    if (keys.some((k) => filter.ignore.has(k) || suppressed.has(k))) continue;
    // A comment on the header (it should not happen: the header is a directive and an export).
    if (c.line <= HEADER_LINES) continue;
    let severity: Severity | 'off' = SEVERITY[c.level] ?? 'info';
    for (const k of [SHELLCHECK_NAME, rule.toLowerCase()]) severity = filter.severity.get(k) ?? severity;
    if (severity === 'off') continue;
    const line = fileLine(job, c.line);
    const endLine = Math.max(line, fileLine(job, c.endLine || c.line));
    const column = Math.max(1, c.column);
    let endColumn = Math.max(1, c.endColumn || (lines[endLine - 1]?.length ?? 0) + 1);
    if (endLine === line && endColumn < column) endColumn = column;
    out.push({
      rule,
      name: SHELLCHECK_NAME,
      file: path,
      line,
      column,
      endLine,
      endColumn,
      category: categoryOf(c.level),
      severity,
      message: c.message,
      fixable: false,
    });
  }
  return out;
}

function fileLine(job: ShellJob, scriptLine: number): number {
  return Math.min(job.endLine, Math.max(job.line, job.line + scriptLine - HEADER_LINES - 1));
}
