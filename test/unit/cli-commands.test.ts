// The command line itself, through the built CLI in a child process: every command's help has
// working examples, optional option values never take the argument after them, and main.ts only
// registers commands.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildImage, writeDockerArchive, writeOciLayout } from './image/builder.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(root, 'dist/bundle/main.js');
const tmp = mkdtempSync(join(tmpdir(), 'lw-cli-commands-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], opts: { cwd?: string; env?: Record<string, string>; bin?: string } = {}) {
  const r = spawnSync(process.execPath, [opts.bin ?? BIN, ...args], {
    cwd: opts.cwd ?? root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LAYERWISE_CACHE: 'off', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineError(r: ReturnType<typeof run>, mentions: RegExp) {
  assert.equal(r.code, 2, `exit code (stdout: ${r.stdout}, stderr: ${r.stderr})`);
  assert.match(r.stderr, /^layerwise: [^\n]+\n$/, `one line on stderr, got ${JSON.stringify(r.stderr)}`);
  assert.match(r.stderr, mentions);
}

/** The subcommands `layerwise --help` lists (so commands added later are checked too). */
function subcommands(): string[] {
  const help = run(['--help']);
  assert.equal(help.code, 0, help.stderr);
  const section = help.stdout.slice(help.stdout.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z][a-z-]*) /gm)].map((m) => m[1]).filter((c) => c !== 'help');
}

// An image that wastes 40 kB (a file replaced by the next layer): efficiency well below 0.9.
const image = buildImage({
  layers: [
    { createdBy: 'ADD rootfs /', files: [{ path: 'usr/bin/python3', content: Buffer.alloc(40000, 7) }] },
    { createdBy: 'RUN x', files: [{ path: 'usr/bin/python3', content: 'small' }] },
  ],
});
const OCI = `oci:${join(tmp, 'oci')}`;
writeOciLayout(join(tmp, 'oci'), image);
const ARCHIVE = `archive:${join(tmp, 'image.tar')}`;
writeDockerArchive(join(tmp, 'image.tar'), image, { format: 'oci', repoTag: 'app:1' });

describe('CLI help: every command has working examples', () => {
  const commands = subcommands();

  it('lists the commands', () => {
    for (const c of ['audit', 'lint', 'init', 'rules', 'inspect', 'diff']) assert.ok(commands.includes(c), c);
  });

  for (const command of commands) {
    it(`${command} --help exits 0 with an Examples section of real options`, () => {
      const r = run([command, '--help']);
      assert.equal(r.code, 0, r.stderr);
      const at = r.stdout.indexOf('\nExamples:\n');
      assert.ok(at > 0, `no Examples section in:\n${r.stdout}`);
      const options = r.stdout.slice(0, at);
      const lines = r.stdout
        .slice(at)
        .split('\n')
        .filter((l) => l.includes(`layerwise ${command}`));
      assert.ok(lines.length > 0, `no 'layerwise ${command}' example`);
      for (const line of lines) {
        // Every option an example uses is one the command has (a renamed option breaks its example).
        for (const [, flag] of line.matchAll(/\s(--?[a-z][a-z-]*)/g)) {
          assert.match(
            options,
            new RegExp(`(^|[ ,])${flag}\\b`, 'm'),
            `${line}: ${flag} is not an option of ${command}`,
          );
        }
      }
    });
  }
});

describe('CLI: an option with an optional value never takes the argument after it', () => {
  const project = join(root, 'test/fixtures/projects/fastapi-uv');
  const elsewhere = mkdtempSync(join(tmp, 'cwd-'));

  it('init --healthcheck DIR: DIR is the project, the path is the default one', () => {
    const r = run(['init', '--healthcheck', project, '--dry-run'], { cwd: elsewhere });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /fastapi-uv\/Dockerfile <==/);
    assert.match(r.stdout, /^HEALTHCHECK /m);
    assert.match(r.stdout, /urlopen\('http:\/\/127\.0\.0\.1:8000\/health'/);
  });

  it('init --healthcheck=PATH sets the path; --healthcheck= is a one-line error', () => {
    const r = run(['init', project, '--healthcheck=/healthz', '--dry-run'], { cwd: elsewhere });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /urlopen\('http:\/\/127\.0\.0\.1:8000\/healthz'/);
    assertOneLineError(run(['init', project, '--healthcheck=', '--dry-run'], { cwd: elsewhere }), /--healthcheck=/);
  });

  it('the old forms --healthcheck PATH and --dive-ci FILE REF say where the value goes now', () => {
    assertOneLineError(
      run(['init', '--healthcheck', '/healthz', '--dry-run'], { cwd: elsewhere }),
      /^layerwise: \/healthz: no such directory \(a health path goes after =: --healthcheck=\/healthz\)/,
    );
    assertOneLineError(run(['inspect', '--dive-ci', 'ci.yaml', OCI]), /a dive CI file goes after =: --dive-ci=FILE/);
    assertOneLineError(
      run(['inspect', OCI, 'extra']),
      /^layerwise: inspect: expected one image reference, got oci:.* extra\n$/,
    );
  });

  it('init --cmd --healthcheck: the value of an option that needs one is kept as typed', () => {
    const r = run(['init', project, '--cmd', '--healthcheck', '--dry-run'], { cwd: elsewhere });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^CMD \["--healthcheck"\]/m);
  });

  for (const ref of [OCI, ARCHIVE]) {
    it(`inspect --dive-ci ${ref.split(':')[0]}:...: the image is the ref, the rules come from ./.dive-ci`, () => {
      const cwd = mkdtempSync(join(tmp, 'dive-'));
      // No .dive-ci here: the error is about the rules file, not a missing image reference.
      assertOneLineError(run(['inspect', '--dive-ci', ref], { cwd }), /\.dive-ci: cannot read the dive CI file/);
      assertOneLineError(run(['inspect', `--dive-ci=${join(cwd, 'ci.yaml')}`, ref], { cwd }), /ci\.yaml: cannot read/);
    });
  }

  it('inspect --dive-ci REF and --dive-ci=FILE apply the rules to REF', () => {
    const cwd = mkdtempSync(join(tmp, 'dive-'));
    writeFileSync(join(cwd, '.dive-ci'), 'rules:\n  lowestEfficiency: 0.9\n  highestWastedBytes: disabled\n');
    writeFileSync(
      join(cwd, 'lenient.yaml'),
      'rules:\n  lowestEfficiency: disabled\n  highestWastedBytes: 1MB\n  highestUserWastedPercent: disabled\n',
    );
    const strict = run(['inspect', '--dive-ci', OCI], { cwd });
    assert.equal(strict.code, 1, strict.stderr);
    assert.match(strict.stdout, /FAIL +lowestEfficiency: 0.9/);
    const lenient = run(['inspect', '--dive-ci=lenient.yaml', ARCHIVE], { cwd });
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.match(lenient.stdout, /ok +highestWastedBytes: 1MB/);
  });

  it('diff --host REF: REF is NEW, compared with the engine in DOCKER_HOST', () => {
    const env = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    // NEW is opened first, then the engine is asked what it holds.
    assertOneLineError(run(['diff', '--host', 'oci:/nonexistent/image'], { env }), /\/nonexistent\/image/);
    assertOneLineError(run(['diff', '--host', OCI], { env }), /Docker engine at \/nonexistent\/docker\.sock/);
    assertOneLineError(
      run(['diff', '--host=unix:///nonexistent/other.sock', OCI], { env }),
      /Docker engine at \/nonexistent\/other\.sock/,
    );
  });

  it('diff --host ENGINE NEW (the value without =) says how to write it', () => {
    assertOneLineError(
      run(['diff', '--host', 'unix:///run/x.sock', OCI]),
      /give the engine as --host=unix:\/\/\/run\/x\.sock/,
    );
  });
});

describe('CLI source: main.ts registers, each command file declares', () => {
  const cli = join(root, 'src/cli');

  it('main.ts declares no options', () => {
    const main = readFileSync(join(cli, 'main.ts'), 'utf8');
    assert.doesNotMatch(main, /\.(option|addOption|requiredOption|argument|addArgument|addHelpText)\(/);
  });

  it('command files load nothing heavy before their command runs', () => {
    const files = readdirSync(cli).filter((f) => f.endsWith('-command.ts'));
    assert.ok(files.length >= 5, files.join());
    for (const f of [...files, 'options.ts']) {
      const text = readFileSync(join(cli, f), 'utf8');
      for (const [, what, from] of text.matchAll(/^import (type )?[^;]*? from '([^']+)';/gm)) {
        if (what) continue; // erased at compile time
        assert.ok(['commander', './options.js', '../errors.js'].includes(from), `${f} imports ${from}`);
      }
    }
  });
});
