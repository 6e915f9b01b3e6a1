/**
 * `lint --fix`: fixes every input to a fixed point, writes all the files at once (or none, see
 * fix-write.ts), then lints the results against the disk as it now is, so the findings shown
 * are those of the fixed files (a `.dockerignore` the fixes created counts as present).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { withShell } from '../dockerfile/shell-load.js';
import { lintText, type LintTextOptions } from '../lint.js';
import type { FileReport } from '../report/types.js';
import type { RuleFailure } from '../rules/engine.js';
import { fixToFixedPoint } from '../rules/fix.js';
import { lintRoots, writeFixes, type Creation, type Replacement } from './fix-write.js';
import { readInput } from './inputs.js';

export interface FixRunOptions {
  dryRun?: boolean;
  force?: boolean;
  context?: string;
  /** Paths as given on the command line: what written files must resolve into. */
  paths: string[];
  /** The ShellCheck binary to run on the fixed files' RUN scripts, if any. */
  shellcheck?: string;
}

export interface FixRunResult {
  reports: FileReport[];
  failures: { failures: RuleFailure[]; path: string }[];
  /** Per file, how many fixes were (or with --dry-run would be) applied. */
  fixed: { path: string; count: number }[];
}

/** Fixes `files`; the diff (--dry-run) or fixed standard input goes to standard output. */
export async function fixFiles(files: string[], base: LintTextOptions, opts: FixRunOptions): Promise<FixRunResult> {
  const fixed: FixRunResult['fixed'] = [];
  const replacements: Replacement[] = [];
  const creations: Creation[] = [];
  const relint: { path: string; shown: string; text: string; options: LintTextOptions }[] = [];
  for (const path of files) {
    const input = readInput(path);
    const options: LintTextOptions = { ...base, contextDir: opts.context ?? (input.stdin ? 'none' : undefined) };
    const outcome = await withShell(() => fixToFixedPoint(input.text, (t) => lintText(t, path, options).findings));
    const created = input.stdin ? [] : outcome.createFiles;
    const changed = outcome.text !== input.text;
    if (changed || created.length) {
      const contextDir = resolve(opts.context ?? dirname(path));
      if (opts.dryRun) process.stdout.write(await patch(input.path, input.text, outcome.text, contextDir, created));
      else if (input.stdin) process.stdout.write(outcome.text);
      else {
        if (changed) replacements.push({ path, text: outcome.text });
        for (const c of created) creations.push({ contextDir, rel: c.path, content: c.content });
      }
      fixed.push({ path: input.path, count: outcome.applied });
    }
    relint.push({ path, shown: input.path, text: opts.dryRun ? input.text : outcome.text, options });
  }
  // Only after every input was read and fixed, so an error midway leaves nothing half done.
  if (!opts.dryRun) writeFixes(replacements, creations, { roots: lintRoots(opts.paths), force: opts.force });

  const reports: FileReport[] = [];
  const failures: FixRunResult['failures'] = [];
  const shellTargets: import('../shellcheck/check.js').ShellcheckTarget[] = [];
  for (const r of relint) {
    const result = await withShell(() => lintText(r.text, r.path, r.options));
    if (result.failures.length) failures.push({ failures: result.failures, path: r.shown });
    const report: FileReport = {
      path: r.shown,
      lines: result.file.lines,
      findings: result.findings.map((f) => ({ ...f, file: r.shown })),
    };
    reports.push(report);
    if (opts.shellcheck) {
      const { shellJobs } = await import('../shellcheck/scripts.js');
      shellTargets.push({ report, shellJobs: shellJobs(result.file, r.options) });
    }
  }
  if (opts.shellcheck) {
    const { checkShellScripts } = await import('../shellcheck/check.js');
    await checkShellScripts(opts.shellcheck, shellTargets, base);
  }
  return { reports, failures, fixed };
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
