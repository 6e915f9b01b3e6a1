// Helpers for tests of the package as users get it: pack the built project, install the tarball
// into an empty project, run commands with an environment free of this repository's npm context.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root (the tests run from dist/test/unit). */
export const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The environment for child npm/npx: without the variables `npm test` exports about this
 * repository (its package, its prefix, the running lifecycle), so the child npm works on the temp
 * project only.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$|config_call$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (no shell); a failure to start or a time-out throws. */
export function sh(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }): Run {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? childEnv(),
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Packs the built project without rebuilding it; returns the tarball's path and its file list. */
export function packProject(dest: string): { tarball: string; files: string[] } {
  const r = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], { cwd: root });
  assert.equal(r.code, 0, r.stderr);
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(dest, info.filename), files: info.files.map((f) => f.path) };
}

/** Installs a tarball into a new empty project under `dir`; returns the project's directory. */
export function installTarball(dir: string, tarball: string): string {
  const proj = join(dir, 'project');
  mkdirSync(proj, { recursive: true });
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'empty-project', private: true }) + '\n');
  const r = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: proj });
  assert.equal(r.code, 0, `npm install of the tarball failed:\n${r.stdout}\n${r.stderr}`);
  return proj;
}

// `const { a, b: c } = await import("spec")` is how esbuild prints every lazy import of this
// code base; any other form fails the check below until the check learns it, so that a lazy
// import is never left unchecked.
const LAZY = /const \{([^}]*)\} = await import\("([^"]+)"\)/g;

/**
 * Every `import()` in a bundle directory: the file it is in, the specifier and the names the
 * code takes from it. Throws on an `import(` it cannot read.
 */
export function lazyImports(bundleDir: string): { file: string; spec: string; names: string[] }[] {
  const out: { file: string; spec: string; names: string[] }[] = [];
  for (const file of readdirSync(bundleDir).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(bundleDir, file), 'utf8');
    const all = text.split('import(').length - 1;
    const found = [...text.matchAll(LAZY)];
    assert.equal(found.length, all, `${file}: an import() in a form this check does not know`);
    for (const m of found) {
      const names = m[1]
        .split(',')
        .map((n) => n.split(':')[0].trim())
        .filter(Boolean);
      out.push({ file, spec: m[2], names });
    }
  }
  return out;
}

/**
 * Imports every lazy import target the way its chunk would and returns the names that came back
 * undefined, as `file: spec -> name`. The check runs in a copy of the bundle beside it (so
 * relative and package specifiers resolve as they do for the chunks, and the bundle itself,
 * which `npm pack` may be reading meanwhile, gets no extra file).
 */
export function checkLazyImports(bundleDir: string): { count: number; undefinedNames: string[] } {
  const sites = lazyImports(bundleDir);
  const copy = join(dirname(bundleDir), `.lazy-check-${process.pid}`);
  cpSync(bundleDir, copy, { recursive: true });
  const script = join(copy, 'check.mjs');
  writeFileSync(
    script,
    `const sites = ${JSON.stringify(sites)};
const bad = [];
for (const s of sites) {
  const m = await import(s.spec);
  for (const n of s.names) if (m[n] === undefined) bad.push(\`\${s.file}: \${s.spec} -> \${n}\`);
}
console.log(JSON.stringify(bad));
`,
  );
  try {
    const r = sh(process.execPath, [script], { cwd: copy });
    assert.equal(r.code, 0, r.stderr);
    return { count: sites.length, undefinedNames: JSON.parse(r.stdout) as string[] };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
