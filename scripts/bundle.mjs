// Bundles the CLI into a few files under dist/bundle/: loading ~180 ES modules one by one cost
// the CLI about 200 ms of start-up. tsc has already type-checked and emitted dist/src.
// esbuild-wasm, not esbuild: the native package's per-platform binaries leave npm's lock file
// incomplete on these machines.
import { build } from 'esbuild-wasm';
import { rmSync } from 'node:fs';

const out = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(out, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../dist/src/cli/main.js', import.meta.url).pathname],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: out,
  // The WASM grammar and runtime are loaded from their packages at run time.
  external: ['web-tree-sitter', 'tree-sitter-bash', 'playwright-core'],
  // CommonJS dependencies bundled into ESM still call require().
  banner: { js: "import { createRequire as __lwCreateRequire } from 'node:module'; const require = __lwCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
