/**
 * `layerwise lint --format json`: the machine-readable contract documented in docs/json-output.md.
 * Keys are only ever added, never renamed or removed; `version` changes if that ever must happen.
 */
import { type Category, type Severity, severityRank } from '../rules/types.js';
import type { LintReport, Renderer } from './types.js';

/** Version of this JSON format (not of the tool). */
export const JSON_FORMAT_VERSION = 1;

export interface JsonFinding {
  rule: string;
  name: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  category: Category;
  severity: Severity;
  message: string;
  fixable: boolean;
  /** What --fix would do, when the finding is fixable. */
  fix?: { description: string };
}

export interface JsonFile {
  path: string;
  problems: number;
  /** Fixes --fix applied to this file (0 without --fix). */
  fixed: number;
}

export interface JsonSummary {
  problems: number;
  errors: number;
  warnings: number;
  infos: number;
  styles: number;
  /** Files linted (with or without findings). */
  files: number;
  filesWithProblems: number;
  fixable: number;
  fixed: number;
  failureThreshold: Severity | 'none';
  /** True when some finding is at or above the failure threshold: the exit code is 1. */
  failed: boolean;
}

export interface JsonLintOutput {
  version: number;
  tool: { name: 'layerwise'; version: string };
  files: JsonFile[];
  findings: JsonFinding[];
  summary: JsonSummary;
}

export function lintJson(report: LintReport): JsonLintOutput {
  const fixedBy = new Map((report.fixed ?? []).map((f) => [f.path, f.count]));
  const findings: JsonFinding[] = report.files.flatMap((file) =>
    file.findings.map((f) => {
      const out: JsonFinding = {
        rule: f.rule,
        name: f.name,
        file: file.path,
        line: f.line,
        column: f.column,
        endLine: f.endLine,
        endColumn: f.endColumn,
        category: f.category,
        severity: f.severity,
        message: f.message,
        fixable: f.fixable,
      };
      if (f.fixable && f.fix) out.fix = { description: f.fix.description };
      return out;
    }),
  );
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const threshold = severityRank(report.failureThreshold);
  return {
    version: JSON_FORMAT_VERSION,
    tool: { name: 'layerwise', version: report.toolVersion },
    files: report.files.map((f) => ({
      path: f.path,
      problems: f.findings.length,
      fixed: fixedBy.get(f.path) ?? 0,
    })),
    findings,
    summary: {
      problems: findings.length,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
      styles: count('style'),
      files: report.files.length,
      filesWithProblems: report.files.filter((f) => f.findings.length > 0).length,
      fixable: findings.filter((f) => f.fixable).length,
      fixed: [...fixedBy.values()].reduce((a, b) => a + b, 0),
      failureThreshold: report.failureThreshold,
      failed: findings.some((f) => severityRank(f.severity) >= threshold),
    },
  };
}

export const renderJson: Renderer = (report) => `${JSON.stringify(lintJson(report), null, 2)}\n`;
