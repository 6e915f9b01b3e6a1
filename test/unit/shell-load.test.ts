// The shell parser (two WebAssembly modules) is compiled only when a RUN needs it, and once per
// process: lint workers instantiate the main thread's compiled modules instead of compiling.
// Counted, not timed: a preload records every WebAssembly compile in every thread of the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

import { BUNDLE_BIN as BIN, CLEAN_DOCKERFILE, findRoot } from './repo.js';

let dir: string;
let preload: string;
let log: string;

// Appends one line per compile (a WebAssembly.Module constructed from bytes, WebAssembly.compile,
// or WebAssembly.instantiate given bytes); workers run the preload too.
const PRELOAD = `const fs = require('node:fs');
const W = WebAssembly, log = process.env.WASM_LOG;
const note = (how) => fs.appendFileSync(log, how + '\\n');
W.Module = new Proxy(W.Module, { construct(t, a) { note('Module'); return new t(...a); } });
const compile = W.compile; W.compile = (...a) => { note('compile'); return compile(...a); };
const inst = W.instantiate;
W.instantiate = (src, ...a) => { if (!(src instanceof W.Module)) note('instantiate'); return inst(src, ...a); };
`;

function lintCounting(args: string[]): { status: number | null; stderr: string; compiles: string[] } {
  rmSync(log, { force: true });
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--require', preload, BIN, 'lint', ...args, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', WASM_LOG: log },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stderr: r.stderr, compiles: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'layerwise-shell-load-'));
  preload = join(dir, 'count-wasm.cjs');
  log = join(dir, 'wasm.log');
  writeFileSync(preload, PRELOAD);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('shell parser loading', () => {
  it('a Dockerfile without a RUN compiles no WebAssembly', () => {
    const d = join(dir, 'norun');
    mkdirSync(d);
    writeFileSync(join(d, 'Dockerfile'), 'FROM python:3.12-slim\nCOPY app.py /app/\nCMD ["python", "/app/app.py"]\n');
    const r = lintCounting([join(d, 'Dockerfile')]);
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    assert.deepEqual(r.compiles, []);
  });

  it('a Dockerfile with a RUN compiles the runtime and the grammar once each', () => {
    const d = join(dir, 'run');
    mkdirSync(d);
    writeFileSync(join(d, 'Dockerfile'), 'FROM python:3.12-slim\nRUN apt-get install curl\n');
    const r = lintCounting([join(d, 'Dockerfile')]);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.compiles.length, 2, r.compiles.join(','));
  });

  it('a RUN keyword split by an escaped newline still gets its shell parsed', () => {
    const d = join(dir, 'split');
    mkdirSync(d);
    // apt-get install without -y is a finding only the shell analysis can make.
    writeFileSync(join(d, 'Dockerfile'), 'FROM debian:12\nR\\\nUN apt-get install curl\n');
    const r = spawnSync(process.execPath, [BIN, 'lint', join(d, 'Dockerfile'), '--format', 'json'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 1, r.stderr);
    const names = JSON.parse(r.stdout).findings.map((f: { name: string }) => f.name);
    assert.ok(names.includes('apt-get-missing-yes'), `findings: ${names.join(',')}`);
  });

  it('many files on several threads still compile the shell parser once in the process', () => {
    const d = join(dir, 'many');
    mkdirSync(d);
    // Enough files for lint to start workers wherever there is more than one CPU.
    for (let i = 0; i < 200; i++) writeFileSync(join(d, `${i}.Dockerfile`), CLEAN_DOCKERFILE);
    const r = lintCounting([d]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.compiles.length, 2, r.compiles.join(','));
  });

  it('parseDockerfile asks for loadShell() only when a RUN needs the shell', () => {
    const src = pathToFileURL(join(findRoot(), 'dist', 'src', 'dockerfile')).href;
    const script = `
      const { parseDockerfile } = await import('${src}/parse.js');
      const { ShellNotLoadedError, withShell } = await import('${src}/shell-load.js');
      const noRun = parseDockerfile('FROM a\\nCMD ["x"]\\n', 'Dockerfile');
      let error;
      try { parseDockerfile('FROM a\\nRUN echo hi\\n', 'Dockerfile'); } catch (e) { error = e; }
      const withRun = await withShell(() => parseDockerfile('FROM a\\nRUN echo hi\\n', 'Dockerfile'));
      console.log(JSON.stringify({
        noRun: noRun.instructions.length,
        notLoaded: error instanceof ShellNotLoadedError,
        command: withRun.instructions[1].shell.commands[0].name,
      }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { noRun: 2, notLoaded: true, command: 'echo' });
  });
});
