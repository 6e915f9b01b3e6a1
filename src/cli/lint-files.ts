/**
 * Linting many files without fixing them, on several threads when there are enough files to pay
 * for a worker's start-up. Results come back in input order; an input error in any
 * thread is reported as if it happened on the main thread.
 */
import { availableParallelism } from 'node:os';
import { shellModules, withShell, type ShellModules } from '../dockerfile/shell-load.js';
import { UserError } from '../errors.js';
import { lintText, type LintTextOptions } from '../lint.js';
import type { FileReport } from '../report/types.js';
import type { RuleFailure } from '../rules/engine.js';
import type { ShellJob } from '../shellcheck/scripts.js';
import { readInput } from './inputs.js';

export interface FileOutcome {
  report: FileReport;
  failures: RuleFailure[];
  /** The file's RUN scripts for ShellCheck, when it runs (checked for all files at once). */
  shellJobs?: ShellJob[];
}

/**
 * Files per thread below which one thread is faster. Measured on the corpus (Node 20, 2 cores):
 * one thread spends ~5.4 ms of CPU a file; a worker ~0.2 s of CPU to start (it loads the lint
 * modules) and ~1.2 ms more a file while its own JIT warms up. So a second thread pays from
 * ~100 files on an idle machine; with the cores already busy (load average 5-6 on 2 cores) it
 * lost at every size from 10 to 403 files.
 */
const MIN_FILES_PER_WORKER = 50;

/**
 * Reads and lints one file (`-` is stdin); loads the shell parser if the file has a RUN. With
 * `shellcheck`, also collects its RUN scripts (the module that does it loads only then).
 */
export async function lintFile(
  path: string,
  base: LintTextOptions,
  contextDir: string | undefined,
  shellcheck = false,
): Promise<FileOutcome> {
  const input = readInput(path);
  const options: LintTextOptions = { ...base, contextDir: contextDir ?? (input.stdin ? 'none' : undefined) };
  const result = await withShell(() => lintText(input.text, path, options));
  const outcome: FileOutcome = {
    report: {
      path: input.path,
      lines: result.file.lines,
      findings: result.findings.map((f) => ({ ...f, file: input.path })),
    },
    failures: result.failures,
  };
  if (shellcheck) {
    const { shellJobs } = await import('../shellcheck/scripts.js');
    outcome.shellJobs = shellJobs(result.file, options);
  }
  return outcome;
}

/** Message between the main thread and a lint worker. */
export type WorkerReply =
  { ok: true; index: number; outcome: FileOutcome } | { ok: false; user: boolean; message: string };

export async function lintFiles(
  paths: string[],
  base: LintTextOptions,
  contextDir: string | undefined,
  shellcheck = false,
): Promise<FileOutcome[]> {
  const extra = Math.min(availableParallelism() - 1, Math.floor(paths.length / MIN_FILES_PER_WORKER) - 1, 3);
  if (extra < 1 || paths.includes('-')) {
    const out: FileOutcome[] = [];
    for (const p of paths) out.push(await lintFile(p, base, contextDir, shellcheck));
    return out;
  }
  const threads = extra + 1;
  // Compiled here once and shared: a worker instantiates these instead of compiling its own.
  // With this many files a RUN is all but certain, so compiling before knowing costs nothing.
  const modules = shellModules();
  // Imported only here: node:worker_threads costs ~2 ms of start-up that one file need not pay.
  const { Worker } = await import('node:worker_threads');
  const results: FileOutcome[] = new Array(paths.length);
  // Interleaved shares keep threads busy for about the same time when files differ in size.
  const share = (t: number) => paths.map((p, i) => ({ p, i })).filter((x) => x.i % threads === t);
  const workers = Array.from({ length: extra }, (_, k) =>
    runWorker(Worker, share(k + 1), base, contextDir, modules, results, shellcheck),
  );
  for (const { p, i } of share(0)) results[i] = await lintFile(p, base, contextDir, shellcheck);
  await Promise.all(workers);
  return results;
}

function runWorker(
  Worker: typeof import('node:worker_threads').Worker,
  items: { p: string; i: number }[],
  base: LintTextOptions,
  contextDir: string | undefined,
  modules: ShellModules,
  results: FileOutcome[],
  shellcheck: boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./lint-worker.js', import.meta.url), {
      workerData: { items, base, contextDir, modules, shellcheck },
    });
    let failed = false;
    worker.on('message', (m: WorkerReply) => {
      if (m.ok) results[m.index] = m.outcome;
      else {
        failed = true;
        reject(m.user ? new UserError(m.message) : new Error(m.message));
      }
    });
    worker.on('error', (e) => {
      failed = true;
      reject(e);
    });
    worker.on('exit', () => {
      if (!failed) resolve();
    });
  });
}
