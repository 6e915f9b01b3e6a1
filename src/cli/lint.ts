/** `layerwise lint`: read inputs, lint, optionally fix, render, and decide the exit code. */
import { existsSync } from 'node:fs';
import { loadConfig } from '../config/config.js';
import { unknownRuleWarnings } from '../config/rule-refs.js';
import { UserError } from '../errors.js';
import { allRules, type LintTextOptions } from '../lint.js';
import { renderers } from '../report/index.js';
import type { FileReport, LintReport } from '../report/types.js';
import type { RuleFailure } from '../rules/engine.js';
import { type Severity, severityRank } from '../rules/types.js';
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
    settings: { trustedRegistries: config.trustedRegistries },
    disableIgnorePragma: config.disableIgnorePragma,
    buildArgs: opts.buildArg,
  };
  const reports: FileReport[] = [];
  let fixed: { path: string; count: number }[] = [];
  let failures = 0;

  if (!opts.fix) {
    for (const { report, failures: ruleFailures } of await lintFiles(files, base, opts.context)) {
      failures += reportFailures(ruleFailures, report.path);
      reports.push(report);
    }
  } else {
    const { fixFiles } = await import('./lint-fix.js');
    const outcome = await fixFiles(files, base, {
      dryRun: opts.dryRun,
      force: opts.force,
      context: opts.context,
      paths: paths.length ? paths : ['.'],
    });
    for (const f of outcome.failures) failures += reportFailures(f.failures, f.path);
    reports.push(...outcome.reports);
    fixed = outcome.fixed;
  }

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

function input0IsStdin(files: string[]): boolean {
  return files.length === 1 && files[0] === '-';
}
