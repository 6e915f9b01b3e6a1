/** `layerwise lint`: read inputs, lint, optionally fix, render, and decide the exit code. */
import { existsSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { unknownRuleWarnings } from '../config/rule-refs.js';
import { UserError } from '../errors.js';
import { allRules, type LintTextOptions } from '../lint.js';
import { renderers } from '../report/index.js';
import type { FileReport, LintReport } from '../report/types.js';
import type { RuleFailure } from '../rules/engine.js';
import { LABEL_TYPES } from '../rules/lib/label-formats.js';
import { type LabelType, type Severity, severityRank } from '../rules/types.js';
import { HOW_TO_GET, resolveShellcheck, type ShellcheckMode } from '../shellcheck/locate.js';
import { findDockerfiles } from './inputs.js';
import { lintFiles } from './lint-files.js';
import { VERSION } from '../version.js';

export interface LintCliOptions {
  format: string;
  failureThreshold?: Severity | 'none';
  ignore: string[];
  fix?: boolean;
  dryRun?: boolean;
  /** With --fix: write read-only files too. */
  force?: boolean;
  context?: string;
  buildArg: Record<string, string>;
  config?: string;
  color: boolean;
  /** `name:type` entries of --require-label. */
  requireLabel?: string[];
  strictLabels?: boolean;
  /** Run ShellCheck on RUN scripts: off, auto (when found; the default), on (required). */
  shellcheck?: ShellcheckMode;
  shellcheckPath?: string;
}

/** --require-label entries as a label schema; a bad entry is a UserError naming it. */
function requiredLabels(entries: string[]): Record<string, LabelType> {
  const out: Record<string, LabelType> = {};
  for (const e of entries) {
    const colon = e.lastIndexOf(':');
    const name = colon < 0 ? e : e.slice(0, colon);
    const type = (colon < 0 ? 'text' : e.slice(colon + 1).toLowerCase()) as LabelType;
    if (!name || !LABEL_TYPES.includes(type))
      throw new UserError(`--require-label ${e}: expected NAME:TYPE with TYPE one of ${LABEL_TYPES.join(', ')}`);
    out[name] = type;
  }
  return out;
}

export async function runLint(paths: string[], opts: LintCliOptions): Promise<number> {
  if (opts.dryRun && !opts.fix) throw new UserError('--dry-run only makes sense with --fix');
  if (opts.context && !existsSync(opts.context)) throw new UserError(`--context ${opts.context}: no such directory`);
  if (opts.force && !opts.fix) throw new UserError('--force only makes sense with --fix');
  const config = await loadConfig(process.cwd(), opts.config);
  const refs = [...config.ruleRefs, ...opts.ignore.map((rule) => ({ rule, where: '--ignore', hadolint: false }))];
  for (const w of unknownRuleWarnings(refs, allRules)) process.stderr.write(`layerwise: ${w}\n`);
  const files = findDockerfiles(paths.length ? paths : ['.']);
  const base: LintTextOptions = {
    ignore: [...config.ignore, ...opts.ignore],
    severity: config.severity,
    settings: {
      trustedRegistries: config.trustedRegistries,
      labelSchema: { ...config.labelSchema, ...requiredLabels(opts.requireLabel ?? []) },
      strictLabels: opts.strictLabels ?? config.strictLabels ?? false,
    },
    disableIgnorePragma: config.disableIgnorePragma,
    buildArgs: opts.buildArg,
  };
  const shellcheckMode = opts.shellcheck ?? config.shellcheck ?? 'auto';
  const shellcheck = resolveShellcheck(shellcheckMode, opts.shellcheckPath ?? config.shellcheckPath);
  const reports: FileReport[] = [];
  let fixed: { path: string; count: number }[] = [];
  let failures = 0;

  if (!opts.fix) {
    const outcomes = await lintFiles(files, base, opts.context, !!shellcheck);
    for (const { report, failures: ruleFailures } of outcomes) {
      failures += reportFailures(ruleFailures, report.path);
      reports.push(report);
    }
    if (shellcheck) {
      const { checkShellScripts } = await import('../shellcheck/check.js');
      await checkShellScripts(shellcheck, outcomes, base);
    }
  } else {
    const { fixFiles } = await import('./lint-fix.js');
    const outcome = await fixFiles(files, base, {
      dryRun: opts.dryRun,
      force: opts.force,
      context: opts.context,
      paths: paths.length ? paths : ['.'],
      shellcheck,
    });
    for (const f of outcome.failures) failures += reportFailures(f.failures, f.path);
    reports.push(...outcome.reports);
    fixed = outcome.fixed;
  }

  // The hint is for a person: said when auto was asked for, or on a terminal. Scripts and CI
  // logs that never mentioned ShellCheck stay as quiet as before (see docs/testing.md).
  const askedAuto = (opts.shellcheck ?? config.shellcheck) === 'auto';
  if (!shellcheck && shellcheckMode === 'auto' && (askedAuto || process.stderr.isTTY) && reports.some(hasRun))
    process.stderr.write(
      `layerwise: info: no shellcheck found, so RUN scripts were not checked; to check them, ${HOW_TO_GET} (--shellcheck=off silences this)\n`,
    );
  const threshold: Severity | 'none' = opts.failureThreshold ?? config.failureThreshold ?? 'warning';
  const report: LintReport = {
    files: reports,
    rules: allRules.map((r) => r.meta),
    failureThreshold: threshold,
    fixed,
    dryRun: opts.fix && opts.dryRun ? true : undefined,
    toolVersion: VERSION,
  };
  const render = renderers[opts.format];
  if (!render) throw new UserError(`unknown format ${opts.format}`);
  if (!(opts.fix && input0IsStdin(files) && !opts.dryRun)) {
    const out = render(report, { color: opts.color && !!process.stdout.isTTY && !process.env.NO_COLOR });
    if (out) process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
  }
  if (failures) return 2;
  const failing = reports.some((r) => r.findings.some((f) => severityRank(f.severity) >= severityRank(threshold)));
  return failing ? 1 : 0;
}

function reportFailures(failures: RuleFailure[], path: string): number {
  for (const f of failures)
    process.stderr.write(`layerwise: rule ${f.rule} failed on ${path}: ${f.error} (please report this)\n`);
  return failures.length;
}

/** A RUN (or ONBUILD RUN) keyword starts a line: a cheap over-estimate of "has a RUN script". */
function hasRun(report: FileReport): boolean {
  return report.lines.some((l) => /^\s*(ONBUILD\s+)?RUN\b/i.test(l));
}

function input0IsStdin(files: string[]): boolean {
  return files.length === 1 && files[0] === '-';
}
