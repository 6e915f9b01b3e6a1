/**
 * Loading the shell parser (tree-sitter-bash on web-tree-sitter, both WebAssembly) once per
 * process and only when a RUN needs it: `loadShell()` once, asynchronously, then `parseShell`
 * is synchronous. A Dockerfile without a shell-form RUN never pays for it.
 *
 * Measured on Node 20, 2 cores (compile + instantiate + 400 RUN parses, median of runs):
 * - default tiering: ~430 ms, 90-107 MiB. V8 first compiles with its baseline compiler
 *   (Liftoff), then recompiles the hot functions of the 1.36 MB grammar with TurboFan while
 *   we parse, and that recompilation is what the time goes to: it never pays back within one
 *   lint run (Liftoff code already parses a RUN in ~0.1 ms).
 * - `--wasm-lazy-compilation`: ~300-440 ms, same tier-up. `--no-wasm-tier-up`: ~390-430 ms.
 * - `--liftoff-only` around the compile: ~135-150 ms, 65 MiB. Kept.
 * - a code cache on disk: Node has no public API to serialise a compiled WebAssembly.Module,
 *   and Liftoff compiles the grammar in ~10 ms, so there is nothing left for a cache to win.
 * The flag is set only around our synchronous compile calls, so no other WebAssembly (nor any
 * JavaScript) is affected; V8 reads it when a module is compiled, and keeps the module's
 * code baseline-only afterwards (3000 parses after the reset: ~550 ms of process CPU, the same
 * as with the flag left on, against ~1000 ms with default tiering). Worker threads get the compiled modules from the main thread
 * (`shellModules()` / `useShellModules()`): compiled code is shared within a process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Parser } from 'web-tree-sitter';

/** The two compiled WebAssembly modules the shell parser is made of. */
export interface ShellModules {
  /** web-tree-sitter's runtime. */
  runtime: WebAssembly.Module;
  /** The bash grammar. */
  grammar: WebAssembly.Module;
}

/** Thrown by `parseShell` when `loadShell()` has not completed: a programming error, not bad input. */
export class ShellNotLoadedError extends Error {
  constructor() {
    super('the shell parser is not loaded: await loadShell() before parsing a Dockerfile with a RUN');
    this.name = 'ShellNotLoadedError';
  }
}

let modules: ShellModules | undefined;
let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/** Flags the user gave Node themselves: then we neither add ours nor switch theirs off. */
function userSetWasmFlags(): boolean {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  return /--(no-)?(liftoff|wasm-)/.test(given);
}

/** Compiles the WebAssembly in `file` with V8's baseline compiler only (see the top of this file for why). */
function compileBaseline(file: string): WebAssembly.Module {
  const bytes = readFileSync(file) as Uint8Array<ArrayBuffer>;
  if (userSetWasmFlags()) return new WebAssembly.Module(bytes);
  // Required here, not imported: loading node:v8 costs ~2 ms that a lint without RUN need not pay.
  const { setFlagsFromString } = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  setFlagsFromString('--liftoff-only');
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    setFlagsFromString('--no-liftoff-only');
  }
}

/** The compiled modules, compiling them on first call (synchronous; ~20 ms). */
export function shellModules(): ShellModules {
  if (modules) return modules;
  const require = createRequire(import.meta.url);
  const runtimePath = join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm');
  const grammarPath = require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  modules = {
    runtime: compileBaseline(runtimePath),
    grammar: compileBaseline(grammarPath),
  };
  return modules;
}

/** Uses modules compiled elsewhere in this process (a worker gets them from the main thread). */
export function useShellModules(given: ShellModules | undefined): void {
  modules ??= given;
}

/** Makes the shell parser ready; cheap after the first call. */
export function loadShell(): Promise<void> {
  loading ??= (async () => {
    const { runtime, grammar } = shellModules();
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init({
      // Emscripten's hook: instantiate our already compiled runtime instead of fetching and
      // compiling web-tree-sitter.wasm itself.
      instantiateWasm(imports: WebAssembly.Imports, done: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
        done(new WebAssembly.Instance(runtime, imports), runtime);
        return {};
      },
    });
    const p = new Parser();
    p.setLanguage(Language.loadSync(grammar));
    parser = p;
  })();
  return loading;
}

/** The ready parser; throws `ShellNotLoadedError` before `loadShell()` has completed. */
export function shellParser(): Parser {
  if (!parser) throw new ShellNotLoadedError();
  return parser;
}

/**
 * Runs `fn`, which may parse Dockerfiles, loading the shell parser first only if `fn` turns out
 * to need it. `fn` must have no effect before it parses (it is run again after the load). Exact
 * where a text search for RUN could not be: a keyword may be split by escaped newlines.
 */
export async function withShell<T>(fn: () => T): Promise<T> {
  if (parser) return fn();
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ShellNotLoadedError)) throw e;
    await loadShell();
    return fn();
  }
}
