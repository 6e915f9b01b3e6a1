// Bundles the CLI into a few files under dist/bundle/: loading ~180 ES modules one by one cost
// the CLI about 200 ms of start-up. tsc has already type-checked and emitted dist/src.
// esbuild-wasm, not esbuild: the native package's per-platform binaries leave npm's lock file
// incomplete on these machines.
import { build } from 'esbuild-wasm';
import { renameSync, rmSync } from 'node:fs';

const out = new URL('../dist/bundle', import.meta.url).pathname;
// Built beside and swapped in, so a CLI started meanwhile never sees half a bundle.
const tmp = `${out}.${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
await build({
  entryPoints: {
    main: new URL('../dist/src/cli/main.js', import.meta.url).pathname,
    // Started by `lint` as a worker thread (new URL('./lint-worker.js', import.meta.url)).
    'lint-worker': new URL('../dist/src/cli/lint-worker.js', import.meta.url).pathname,
  },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: tmp,
  // The WASM grammar and runtime are loaded from their packages at run time.
  external: ['web-tree-sitter', 'tree-sitter-bash', 'playwright-core'],
  // CommonJS dependencies bundled into ESM still call require().
  banner: { js: "import { createRequire as __lwCreateRequire } from 'node:module'; const require = __lwCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);
