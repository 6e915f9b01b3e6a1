/** `layerwise lint`: read inputs, lint, optionally fix, render, and decide the exit code. */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { loadConfig } from '../config/config.js';
import { UserError } from '../errors.js';
import { allRules, lintText, type LintTextOptions } from '../lint.js';
import { renderers } from '../report/index.js';
import type { FileReport, LintReport } from '../report/types.js';
import type { RuleFailure } from '../rules/engine.js';
import { fixToFixedPoint } from '../rules/fix.js';
import { type Severity, severityRank } from '../rules/types.js';
import { findDockerfiles, readInput } from './inputs.js';
import { lintFiles } from './lint-files.js';
import { VERSION } from '../version.js';

export interface LintCliOptions {
  format: string;
  failureThreshold?: Severity | 'none';
  ignore: string[];
  fix?: boolean;
  dryRun?: boolean;
  context?: string;
  buildArg: Record<string, string>;
  config?: string;
  color: boolean;
}

export async function runLint(paths: string[], opts: LintCliOptions): Promise<number> {
  if (opts.dryRun && !opts.fix) throw new UserError('--dry-run only makes sense with --fix');
  if (opts.context && !existsSync(opts.context)) throw new UserError(`--context ${opts.context}: no such directory`);
  const config = await loadConfig(process.cwd(), opts.config);
  const files = findDockerfiles(paths.length ? paths : ['.']);
  const base: LintTextOptions = {
    ignore: [...config.ignore, ...opts.ignore],
    severity: config.severity,
    settings: { trustedRegistries: config.trustedRegistries },
    buildArgs: opts.buildArg,
  };
  const reports: FileReport[] = [];
  const fixed: { path: string; count: number }[] = [];
  const pendingWrites: (() => void)[] = [];
  let failures = 0;

  if (!opts.fix) {
    for (const { report, failures: ruleFailures } of await lintFiles(files, base, opts.context)) {
      failures += reportFailures(ruleFailures, report.path);
      reports.push(report);
    }
  }
  for (const path of opts.fix ? files : []) {
    const input = readInput(path);
    const options: LintTextOptions = { ...base, contextDir: opts.context ?? (input.stdin ? 'none' : undefined) };
    let text = input.text;
    const outcome = fixToFixedPoint(text, (t) => lintText(t, path, options).findings);
    const creations = outcome.createFiles.filter((c) => !input.stdin);
    if (outcome.text !== text || creations.length) {
      const contextDir = resolve(opts.context ?? dirname(path));
      if (opts.dryRun) process.stdout.write(await patch(input.path, text, outcome.text, contextDir, creations));
      else if (input.stdin) process.stdout.write(outcome.text);
      else {
        const target = path;
        const newText = outcome.text;
        if (newText !== text) pendingWrites.push(() => atomicWrite(target, newText));
        for (const c of creations) pendingWrites.push(() => createNew(contextDir, c.path, c.content));
      }
      fixed.push({ path: input.path, count: outcome.applied });
      if (!opts.dryRun) text = outcome.text;
    }
    const result = lintText(text, path, options);
    failures += reportFailures(result.failures, input.path);
    reports.push({
      path: input.path,
      lines: result.file.lines,
      findings: result.findings.map((f) => ({ ...f, file: input.path })),
    });
  }
  // Write only after every input was read and linted, so an error midway leaves nothing half done.
  for (const w of pendingWrites) w();

  const threshold: Severity | 'none' = opts.failureThreshold ?? config.failureThreshold ?? 'warning';
  const report: LintReport = {
    files: reports,
    rules: allRules.map((r) => r.meta),
    failureThreshold: threshold,
    fixed,
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

async function patch(
  path: string,
  before: string,
  after: string,
  contextDir: string,
  creations: { path: string; content: string }[],
): Promise<string> {
  const { createTwoFilesPatch } = await import('diff');
  let out =
    before === after ? '' : createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: 3 });
  for (const c of creations) {
    const target = join(contextDir, c.path);
    if (existsSync(target)) continue;
    const shown = relative(process.cwd(), target) || c.path;
    out += createTwoFilesPatch('/dev/null', `b/${shown}`, '', c.content, '', '', { context: 3 });
  }
  return out;
}

/** Writes through a temporary file and rename, so a crash never leaves half a Dockerfile. */
function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.layerwise-${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Creates a file a fix asks for, inside the build context only, and never over an existing one. */
function createNew(contextDir: string, rel: string, content: string): void {
  const target = resolve(contextDir, rel);
  const inside = relative(contextDir, target);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new UserError(`refusing to write ${rel} outside the build context`);
  if (existsSync(target)) return;
  writeFileSync(target, content, { flag: 'wx' });
}
