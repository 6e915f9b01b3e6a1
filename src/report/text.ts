/**
 * The human reporter: findings grouped per file, each with a code frame, then one summary line.
 * Prints nothing at all when there is nothing to say, so scripts and CI logs stay quiet.
 *
 *   Dockerfile:2:1  warning  CMD in shell form runs under /bin/sh ...  [LW1001 json-args-recommended]
 *       1 | FROM python:3.12-slim
 *     > 2 | CMD uvicorn app.main:app
 *         | ^^^^^^^^^^^^^^^^^^^^^^^^
 *
 *   1 problem (1 warning) in 1 file, 1 fixable with --fix
 */
import pc from 'picocolors';
import type { Finding, Severity } from '../rules/types.js';
import type { FileReport, LintReport, Renderer } from './types.js';

type Colors = ReturnType<typeof pc.createColors>;

/** Lines of context shown above and below the lines a finding spans. */
const CONTEXT = 1;
/** Spans longer than this show their first and last lines only. */
const MAX_SPAN_LINES = 4;
const TAB_WIDTH = 4;

export const renderText: Renderer = (report, options) => {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  for (const file of report.files) {
    if (file.findings.length === 0) continue;
    for (const f of file.findings) {
      // A blank line between findings: each one is a short paragraph with its code frame.
      if (out.length > 0) out.push('');
      out.push(findingLine(file.path, f, c));
      out.push(...codeFrame(file, f, c));
    }
  }
  const fixedLine = renderFixed(report);
  const summary = summaryLine(report);
  if (out.length > 0 && (fixedLine || summary)) out.push('');
  if (fixedLine) out.push(fixedLine);
  if (summary) out.push(c.bold(summary));
  return out.length > 0 ? `${out.join('\n')}\n` : '';
};

function severityColor(s: Severity, c: Colors): (t: string) => string {
  switch (s) {
    case 'error':
      return c.red;
    case 'warning':
      return c.yellow;
    case 'info':
      return c.cyan;
    default:
      return c.magenta;
  }
}

function findingLine(path: string, f: Finding, c: Colors): string {
  const sev = severityColor(f.severity, c);
  return `${c.bold(`${path}:${f.line}:${f.column}`)}  ${sev(f.severity)}  ${f.message.replace(/\r?\n/g, '\n  ')}  ${c.dim(`[${f.rule} ${f.name}]`)}`;
}

/** Shows the finding's lines with `>` in the gutter and a caret underline, plus context lines. */
export function codeFrame(file: FileReport, f: Finding, c: Colors): string[] {
  const total = file.lines.length;
  if (total === 0 || f.line < 1 || f.line > total) return [];
  const first = f.line;
  const last = Math.min(Math.max(f.endLine, first), total);
  const shown: (number | 'gap')[] = [];
  for (let n = Math.max(1, first - CONTEXT); n <= Math.min(total, last + CONTEXT); n++) {
    const long = last - first + 1 > MAX_SPAN_LINES;
    if (long && n >= first + 2 && n <= last - 2) {
      if (n === first + 2) shown.push('gap');
      continue;
    }
    shown.push(n);
  }
  const width = String(Math.min(total, last + CONTEXT)).length;
  const sev = severityColor(f.severity, c);
  const out: string[] = [];
  for (const n of shown) {
    if (n === 'gap') {
      out.push(c.dim(`    ${' '.repeat(width)} ...`));
      continue;
    }
    const raw = file.lines[n - 1] ?? '';
    const text = displayLine(raw);
    const marked = n >= first && n <= last;
    const gutter = `${marked ? '>' : ' '} ${String(n).padStart(width)} |`;
    out.push(`  ${marked ? sev(gutter) : c.dim(gutter)}${text ? ` ${marked ? text : c.dim(text)}` : ''}`);
    if (!marked) continue;
    const underline = underlineFor(raw, n, f);
    if (underline) out.push(`  ${c.dim(`  ${' '.repeat(width)} |`)} ${sev(underline)}`);
  }
  return out;
}

/** Caret underline of the part of line `n` the finding covers (columns are 1-based, end exclusive). */
function underlineFor(raw: string, n: number, f: Finding): string {
  const startCol = n === f.line ? f.column : firstNonSpace(raw);
  let endCol = n === f.endLine || f.endLine < f.line ? f.endColumn : raw.length + 1;
  if (n === f.line && f.endLine <= f.line && endCol <= startCol) endCol = startCol + 1;
  const from = displayWidth(raw, Math.min(startCol, raw.length + 1) - 1);
  const to = displayWidth(raw, Math.min(Math.max(endCol, startCol + 1), raw.length + 1) - 1);
  const length = Math.max(1, to - from);
  if (n !== f.line && raw.trim() === '') return '';
  return `${' '.repeat(from)}${'^'.repeat(length)}`;
}

function firstNonSpace(line: string): number {
  const m = /\S/.exec(line);
  return m ? m.index + 1 : 1;
}

/** Width on screen of the first `chars` characters of a line once tabs are expanded. */
function displayWidth(line: string, chars: number): number {
  let w = 0;
  for (let i = 0; i < chars; i++) w += line[i] === '\t' ? TAB_WIDTH - (w % TAB_WIDTH) : 1;
  return w + Math.max(0, chars - line.length);
}

/** Expands tabs and makes control characters visible, so a hostile file cannot drive the terminal. */
export function displayLine(line: string): string {
  let out = '';
  for (const ch of line.replace(/\r$/, '')) {
    if (ch === '\t') out += ' '.repeat(TAB_WIDTH - (out.length % TAB_WIDTH));
    else if (isControl(ch.charCodeAt(0))) out += '?';
    else out += ch;
  }
  return out;
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** `3 problems (1 error, 2 warnings) in 1 file, 2 fixable with --fix`, or '' with no findings. */
export function summaryLine(report: LintReport): string {
  const all = report.files.flatMap((f) => f.findings);
  if (all.length === 0) return '';
  const count = (s: Severity) => all.filter((f) => f.severity === s).length;
  const parts = [
    [count('error'), 'error', 'errors'],
    [count('warning'), 'warning', 'warnings'],
    [count('info'), 'info', 'infos'],
    [count('style'), 'style', 'style'],
  ] as const;
  const bySeverity = parts.filter(([n]) => n > 0).map(([n, one, many]) => plural(n, one, many));
  const files = report.files.filter((f) => f.findings.length > 0).length;
  const fixable = all.filter((f) => f.fixable).length;
  return `${plural(all.length, 'problem')} (${bySeverity.join(', ')}) in ${plural(files, 'file')}${
    fixable > 0 ? `, ${fixable} fixable with --fix` : ''
  }`;
}

function renderFixed(report: LintReport): string {
  const fixed = (report.fixed ?? []).filter((f) => f.count > 0);
  if (fixed.length === 0) return '';
  const count = fixed.reduce((n, f) => n + f.count, 0);
  const where = fixed.length === 1 ? fixed[0].path : plural(fixed.length, 'file');
  return `${report.dryRun ? 'would fix' : 'fixed'} ${plural(count, 'problem')} in ${where}`;
}
