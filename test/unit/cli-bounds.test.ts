// Inputs that never end (an endless pipe on stdin, a FIFO, /dev/zero) through the built CLI: it
// must stop reading at the 4 MiB limit by itself, exit 2 with one line, and keep its memory
// bounded. Before, it read until the machine ran out (4-5 GB). Also the other input cases of
// the issue at the CLI: empty files, a misspelt instruction, unknown rule ids in --ignore and
// in configuration files.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';

import { BUNDLE_BIN as BIN, CLEAN_DOCKERFILE } from './repo.js';
/** Generous: Node itself takes ~50 MB; the old code passed 1 GB within seconds. */
const MAX_RSS_MB = 300;
/** The CLI must end by itself well before this; it takes well under a second. */
const DEADLINE_MS = 30_000;

interface Watched {
  code: number | null;
  stderr: string;
  stdout: string;
  /** Peak RSS the CLI process reported for itself on exit (MB); undefined if it never exited. */
  maxRssMb?: number;
  /** Set when the watchdog had to kill it: too slow, or memory past the bound. */
  killed?: string;
}

let dir: string;
let rssHook: string;

/** Current RSS of a live process in MB, from /proc (Linux); undefined elsewhere. */
function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the CLI with a watchdog: killed (and the test failed) when it runs past DEADLINE_MS or
 * its RSS passes MAX_RSS_MB, so a regression cannot eat the machine's memory. A preloaded hook
 * records the process's own peak RSS when it exits.
 */
function runWatched(args: string[], stdin?: ChildProcess): Promise<Watched> {
  const rssFile = join(dir, `rss-${Math.random().toString(36).slice(2)}`);
  const child = spawn(process.execPath, ['--import', pathToFileURL(rssHook).href, BIN, 'lint', ...args], {
    stdio: [stdin?.stdout ?? 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', LAYERWISE_TEST_RSS_FILE: rssFile },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  let killed: string | undefined;
  const kill = (why: string) => {
    killed ??= why;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill(`still running after ${DEADLINE_MS} ms`), DEADLINE_MS);
  const poll = setInterval(() => {
    const mb = rssMb(child.pid!);
    if (mb !== undefined && mb > MAX_RSS_MB) kill(`RSS reached ${Math.round(mb)} MB`);
  }, 50);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      stdin?.kill('SIGKILL');
      const maxRssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : undefined;
      resolve({ code, stdout, stderr, maxRssMb, killed });
    });
  });
}

function assertStoppedAtLimit(r: Watched, mentions: RegExp) {
  assert.equal(r.killed, undefined, `the CLI did not stop by itself: ${r.killed}`);
  assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^layerwise: [^\n]+\n$/, `one line on stderr, got ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, mentions);
  assert.ok(r.maxRssMb !== undefined && r.maxRssMb < MAX_RSS_MB, `peak RSS ${r.maxRssMb} MB`);
}

function lint(args: string[], opts: { cwd?: string; input?: string; bin?: string } = {}) {
  const r = spawnSync(process.execPath, [opts.bin ?? BIN, 'lint', ...args], {
    cwd: opts.cwd ?? dir,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CLEAN = CLEAN_DOCKERFILE;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'layerwise-bounds-'));
  rssHook = join(dir, 'rss-hook.mjs');
  writeFileSync(
    rssHook,
    "import { writeFileSync } from 'node:fs';\n" +
      "process.on('exit', () => writeFileSync(process.env.LAYERWISE_TEST_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI: endless input stops at the size limit with exit 2 and bounded memory', () => {
  it("yes 'RUN x' | layerwise lint -", async () => {
    const yes = spawn('yes', ['RUN x'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const r = await runWatched(['-'], yes);
    assertStoppedAtLimit(r, /standard input: more than 4194304 bytes.*limit/);
  });

  it('layerwise lint /dev/zero', { skip: !existsSync('/dev/zero') }, async () => {
    const r = await runWatched(['/dev/zero']);
    assertStoppedAtLimit(r, /\/dev\/zero: binary data/);
  });

  it('a FIFO fed forever', { skip: process.platform === 'win32' }, async () => {
    const fifo = join(dir, 'Dockerfile.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    const writer = spawn('sh', ['-c', 'exec yes "RUN x" > "$0"', fifo], { stdio: 'ignore' });
    const r = await runWatched([fifo]);
    writer.kill('SIGKILL');
    assertStoppedAtLimit(r, /Dockerfile\.fifo: more than 4194304 bytes/);
  });

  it('a stream just under the limit is still read whole', async () => {
    const text = `FROM python:3.12-slim\n${'# filler line of a long comment block\n'.repeat(100_000)}`;
    assert.ok(Buffer.byteLength(text) < 4 * 1024 * 1024);
    const r = lint(['-f', 'json', '-'], { input: text });
    assert.equal(r.stderr, '');
    assert.equal(JSON.parse(r.stdout).files[0].path, '-');
  });
});

describe('CLI: Dockerfiles docker refuses', () => {
  for (const [name, text] of [
    ['an empty file', ''],
    ['a file of comments and directives', '# syntax=docker/dockerfile:1\n# nothing yet\n\n'],
  ] as const) {
    it(`${name} is an error finding, not clean`, () => {
      const sub = mkdtempSync(join(dir, 'empty-'));
      writeFileSync(join(sub, 'Dockerfile'), text);
      const r = lint([join(sub, 'Dockerfile')]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /Dockerfile:1:1 +error +.*docker refuses it.*\[LW1212 empty-dockerfile\]/);
      const stdin = lint(['-f', 'json', '-'], { input: text });
      assert.equal(stdin.code, 1);
      assert.deepEqual(
        JSON.parse(stdin.stdout).findings.map((f: { rule: string }) => f.rule),
        ['LW1212'],
      );
    });
  }

  it('FRMO is an unknown instruction at file:line, with the closest instruction', () => {
    const sub = mkdtempSync(join(dir, 'typo-'));
    writeFileSync(join(sub, 'Dockerfile'), CLEAN.replace('FROM', 'FRMO'));
    const r = lint(['Dockerfile'], { cwd: sub });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Dockerfile:1:1 +error +unknown instruction FRMO: did you mean FROM\? +\[LW1213/m);
    assert.doesNotMatch(r.stdout, /before the first FROM/);
  });
});

describe('CLI: unknown rule ids give one warning line each, and the exit code does not change', () => {
  let project: string;
  before(() => {
    project = join(dir, 'project');
    mkdirSync(join(project, 'app'), { recursive: true });
    writeFileSync(join(project, 'Dockerfile'), CLEAN);
    writeFileSync(join(project, '.dockerignore'), '.git\n');
    writeFileSync(join(project, 'requirements.txt'), 'x==1\n');
    mkdirSync(join(project, '.git'));
  });
  const clean = () => lint(['Dockerfile'], { cwd: project });

  it('without unknown ids: silent and clean', () => {
    const r = clean();
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stderr, '');
  });

  it('--ignore DL9999', () => {
    const r = lint(['--ignore', 'DL9999,LW3204', 'Dockerfile'], { cwd: project });
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stderr, 'layerwise: warning: unknown rule "DL9999" in --ignore (see layerwise rules)\n');
  });

  it('--ignore with a misspelt rule name suggests the right one', () => {
    const r = lint(['--ignore', 'pip-no-cache-dri', 'Dockerfile'], { cwd: project });
    assert.equal(r.code, 0);
    assert.equal(
      r.stderr,
      'layerwise: warning: unknown rule "pip-no-cache-dri" in --ignore; did you mean pip-no-cache-dir? (see layerwise rules)\n',
    );
  });

  it('layerwise.toml ignore and severity', () => {
    writeFileSync(join(project, 'layerwise.toml'), 'ignore = ["LW9999", "LW3204"]\n[severity]\nnot-a-rule = "off"\n');
    try {
      const r = clean();
      assert.equal(r.code, 0);
      assert.equal(
        r.stderr,
        'layerwise: warning: unknown rule "LW9999" in layerwise.toml ignore (see layerwise rules)\n' +
          'layerwise: warning: unknown rule "not-a-rule" in layerwise.toml severity (see layerwise rules)\n',
      );
    } finally {
      rmSync(join(project, 'layerwise.toml'));
    }
  });

  it('pyproject.toml [tool.layerwise]', () => {
    writeFileSync(join(project, 'pyproject.toml'), '[project]\nname = "x"\n[tool.layerwise]\nignore = ["XX1"]\n');
    try {
      const r = clean();
      assert.equal(r.code, 0);
      assert.equal(
        r.stderr,
        'layerwise: warning: unknown rule "XX1" in pyproject.toml [tool.layerwise] ignore (see layerwise rules)\n',
      );
    } finally {
      rmSync(join(project, 'pyproject.toml'));
    }
  });

  it(".hadolint.yaml ignored and override: hadolint's and ShellCheck's own ids are not unknown there", () => {
    writeFileSync(
      join(project, '.hadolint.yaml'),
      'ignored:\n  - DL3008\n  - DL3048\n  - SC2086\n  - DL9999\noverride:\n  error:\n    - DL3O08\n',
    );
    try {
      const r = lint(['Dockerfile'], { cwd: project });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(
        r.stderr,
        'layerwise: warning: unknown rule "DL9999" in .hadolint.yaml ignored (see layerwise rules)\n' +
          'layerwise: warning: unknown rule "DL3O08" in .hadolint.yaml override.error; did you mean DL3008? (see layerwise rules)\n',
      );
    } finally {
      rmSync(join(project, '.hadolint.yaml'));
    }
  });

  it('with findings the exit code stays 1', () => {
    const r = lint(['--ignore', 'DL9999', '-'], { cwd: project, input: 'FROM python\n' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^layerwise: warning: unknown rule "DL9999" in --ignore/);
  });
});
