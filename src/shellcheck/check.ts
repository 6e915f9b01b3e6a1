/**
 * ShellCheck over the RUN scripts of every linted file at once: one batch of processes for the
 * whole lint (see run.ts), its findings merged into each file's report in line order.
 */
import type { Dockerfile } from '../dockerfile/types.js';
import type { FileReport } from '../report/types.js';
import type { Finding, Severity } from '../rules/types.js';
import { shellcheckFilter, toFindings } from './map.js';
import { runShellcheck } from './run.js';
import { shellJobs, type ShellJob } from './scripts.js';

/** A linted file and its RUN scripts (undefined: none collected). */
export interface ShellcheckTarget {
  report: FileReport;
  shellJobs?: ShellJob[];
}

/**
 * Runs `binary` on the scripts of `targets` and adds its findings to their reports, with the
 * lint's `ignore` and `severity` configuration applied. Returns how many findings were added.
 */
export async function checkShellScripts(
  binary: string,
  targets: ShellcheckTarget[],
  config: { ignore?: string[]; severity?: Record<string, Severity | 'off'> },
): Promise<number> {
  const jobs = targets.flatMap((t, file) => (t.shellJobs ?? []).map((job) => ({ job, file })));
  const comments = await runShellcheck(
    binary,
    jobs.map((j) => j.job.text),
  );
  const filter = shellcheckFilter(config.ignore, config.severity);
  let added = 0;
  const touched = new Set<number>();
  jobs.forEach(({ job, file }, i) => {
    if (comments[i].length === 0) return;
    const report = targets[file].report;
    const found = toFindings(job, comments[i], report.path, report.lines, filter);
    report.findings.push(...found);
    added += found.length;
    touched.add(file);
  });
  for (const file of touched)
    targets[file].report.findings.sort(
      (a, b) => a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
    );
  return added;
}

/**
 * Library entry: ShellCheck's findings on the RUN scripts of one parsed Dockerfile, with the
 * same mapping, pragmas and configuration as `layerwise lint`. `binary`: the ShellCheck to run
 * (see shellcheckOnPath).
 */
export async function shellcheckDockerfile(
  file: Dockerfile,
  binary: string,
  config: { ignore?: string[]; severity?: Record<string, Severity | 'off'> } = {},
): Promise<Finding[]> {
  const report: FileReport = { path: file.path, lines: file.lines, findings: [] };
  await checkShellScripts(binary, [{ report, shellJobs: shellJobs(file) }], config);
  return report.findings;
}
