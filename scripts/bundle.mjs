// Bundles the CLI into a few files under dist/bundle/: loading ~180 ES modules one by one cost
// the CLI about 200 ms of start-up. tsc has already type-checked and emitted dist/src.
// esbuild-wasm, not esbuild: the native package's per-platform binaries leave npm's lock file
// incomplete on these machines.
import { build } from 'esbuild-wasm';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';

const out = new URL('../dist/bundle', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));

/** The package name of a bare specifier ('yaml', '@scope/x/sub' -> '@scope/x'); undefined for paths. */
function packageName(spec) {
  if (spec.startsWith('.') || spec.startsWith('/')) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const isBuiltin = (spec) => spec.startsWith('node:') || builtinModules.includes(spec);

// With splitting, esbuild turns a lazily imported CommonJS package into a chunk whose only export
// is `default`, so `const { parse } = await import('yaml')` got undefined ("parse2 is not a
// function", esbuild issues 3245 and 4377). A package imported lazily is therefore left to Node,
// which resolves it from the installed dependencies with its own CommonJS interop, exactly as in
// dist/src. Static imports of the same package stay bundled.
const lazyPackagesExternal = {
  name: 'lazy-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== 'dynamic-import' || isBuiltin(args.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

// Built beside and swapped in, so a CLI started meanwhile never sees half a bundle.
const tmp = `${out}.${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
const result = await build({
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
  plugins: [lazyPackagesExternal],
  // CommonJS dependencies bundled into ESM still call require().
  banner: {
    js: "import { createRequire as __lwCreateRequire } from 'node:module'; const require = __lwCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  metafile: true,
});

// Whatever the bundle leaves to run time must be installed with the package: a devDependency
// left external works in this repository and fails for every user.
const missing = new Set();
for (const output of Object.values(result.metafile.outputs)) {
  for (const imp of output.imports) {
    if (!imp.external || isBuiltin(imp.path)) continue;
    const name = packageName(imp.path);
    if (name !== undefined && !dependencies.has(name)) missing.add(name);
  }
}
if (missing.size > 0) {
  rmSync(tmp, { recursive: true, force: true });
  console.error(`bundle: imports packages that are not in package.json "dependencies": ${[...missing].join(', ')}`);
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);
