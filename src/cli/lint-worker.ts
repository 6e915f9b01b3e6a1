/** Worker thread of `lint`: lints its share of the files and posts each outcome back. */
import { parentPort, workerData } from 'node:worker_threads';
import { useShellModules, type ShellModules } from '../dockerfile/shell-load.js';
import { UserError } from '../errors.js';
import type { LintTextOptions } from '../lint.js';
import { lintFile, type WorkerReply } from './lint-files.js';

const { items, base, contextDir, modules, shellcheck } = workerData as {
  items: { p: string; i: number }[];
  base: LintTextOptions;
  contextDir: string | undefined;
  /** Absent when started by something other than lintFiles: the worker then compiles its own. */
  modules?: ShellModules;
  /** Collect each file's RUN scripts for ShellCheck. */
  shellcheck?: boolean;
};
useShellModules(modules);

for (const { p, i } of items) {
  let reply: WorkerReply;
  try {
    reply = { ok: true, index: i, outcome: await lintFile(p, base, contextDir, shellcheck) };
  } catch (e) {
    reply = { ok: false, user: e instanceof UserError, message: e instanceof Error ? e.message : String(e) };
    parentPort?.postMessage(reply);
    break;
  }
  parentPort?.postMessage(reply);
}
