// The lint command end to end: the built CLI in a child process, on files in a temp directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CLEAN_DOCKERFILE } from './repo.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'dist/bundle/main.js');

function run(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? root,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const CLEAN = CLEAN_DOCKERFILE;

describe('layerwise lint (CLI)', () => {
  it('the bundled example fails with findings that name the cause and the fix', () => {
    const r = run(['lint', 'examples/python-app']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /examples\/python-app\/Dockerfile:\d+:\d+/);
    assert.match(r.stdout, /LW2001 deps-after-source-copy/);
    assert.match(r.stdout, /re-runs on every code change/);
    assert.equal(r.stderr, '');
  });

  it('is quiet and exits 0 on a clean Dockerfile', () => {
    const dir = tempProject({
      Dockerfile: CLEAN,
      '.dockerignore': '.git\n.venv\n__pycache__\n',
      'requirements.txt': 'x==1\n',
    });
    const r = run(['lint', dir, '--failure-threshold', 'warning']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0, r.stdout);
  });

  it('json output follows the contract', () => {
    const r = run(['lint', '--format', 'json', 'examples/python-app/Dockerfile']);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.findings.length > 0);
    for (const f of doc.findings) {
      for (const k of ['rule', 'file', 'line', 'column', 'category', 'severity', 'message']) assert.ok(k in f, k);
      assert.equal(typeof f.line, 'number');
    }
  });

  it('many files are linted on several threads with the same results, in input order', async () => {
    const { lintText } = await import('../../src/lint.js');
    await (await import('../../src/dockerfile/shell-load.js')).loadShell();
    // ShellCheck off: the library's lintText, the reference here, does not run it.
    const r = run(['lint', 'test/corpus', '-f', 'json', '--failure-threshold', 'none', '--shellcheck', 'off']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.ok(doc.files.length >= 300);
    const paths = doc.files.map((f: { path: string }) => f.path);
    const { findDockerfiles } = await import('../../src/cli/inputs.js');
    assert.deepEqual(paths, findDockerfiles(['test/corpus']));
    for (const path of paths.filter((_: string, i: number) => i % 25 === 0)) {
      const text = readFileSync(join(root, path), 'utf8');
      const expected = lintText(text, path).findings.map((f) => `${f.rule}:${f.line}:${f.column}`);
      const got = doc.findings
        .filter((f: { file: string }) => f.file === path)
        .map((f: { rule: string; line: number; column: number }) => `${f.rule}:${f.line}:${f.column}`);
      assert.deepEqual(got, expected, path);
    }
  });

  it('reads standard input', () => {
    const r = run(['lint', '-', '--format', 'json'], { input: 'FROM python:latest\nCMD python app.py\n' });
    const doc = JSON.parse(r.stdout);
    assert.deepEqual([...new Set(doc.findings.map((f: { rule: string }) => f.rule))].sort(), ['LW1001', 'LW4102']);
    assert.equal(doc.findings[0].file, '-');
  });

  it('usage errors exit 2 with one line', () => {
    const r = run(['lint', '--format', 'xml', 'Dockerfile']);
    assert.equal(r.code, 2);
    const r2 = run(['lint', '/nonexistent/Dockerfile']);
    assert.equal(r2.code, 2);
    assert.equal(r2.stderr.trim().split('\n').length, 1);
    assert.match(r2.stderr, /no such file/);
  });

  it('--fix fixes, keeps comments, and a second --fix changes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerwise-fix-'));
    cpSync(join(root, 'examples/python-app'), dir, { recursive: true });
    const before = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    const dry = run(['lint', '--fix', '--dry-run', dir]);
    assert.match(dry.stdout, /^--- a\//m);
    assert.match(dry.stdout, /\+CMD \["uvicorn"/);
    assert.equal(readFileSync(join(dir, 'Dockerfile'), 'utf8'), before, 'dry run writes nothing');

    run(['lint', '--fix', dir]);
    const after = readFileSync(join(dir, 'Dockerfile'), 'utf8');
    assert.notEqual(after, before);
    assert.match(after, /^# A first Dockerfile/m, 'comments are kept');
    assert.match(after, /--no-install-recommends/);
    assert.match(after, /CMD \["uvicorn", "app.main:app"/);
    // Fixes combine into a Dockerfile that still works: the lists go after the install.
    const rm = after.indexOf('rm -rf /var/lib/apt/lists/*');
    assert.ok(rm > after.indexOf('apt-get install'), after);
    assert.ok(after.indexOf('apt-get update') < after.indexOf('apt-get install'), after);
    const again = run(['lint', '--fix', '--dry-run', dir]);
    assert.equal(again.stdout.includes('--- a/'), false, `second fix would change:\n${again.stdout}`);
  });

  it('honours layerwise.toml, [tool.layerwise] and .hadolint.yaml', () => {
    const df = 'FROM python:latest\nCMD ["python"]\n';
    const a = tempProject({ Dockerfile: df, 'layerwise.toml': 'ignore = ["image-latest-tag"]\n' });
    assert.equal(run(['lint', 'Dockerfile', '-f', 'json'], { cwd: a }).stdout.includes('LW4102'), false);
    const b = tempProject({
      Dockerfile: df,
      'pyproject.toml': '[tool.layerwise]\n[tool.layerwise.severity]\nLW4102 = "error"\n',
    });
    const rb = JSON.parse(run(['lint', 'Dockerfile', '-f', 'json'], { cwd: b }).stdout);
    assert.equal(rb.findings.find((f: { rule: string }) => f.rule === 'LW4102').severity, 'error');
    const c = tempProject({ Dockerfile: df, '.hadolint.yaml': 'ignored:\n  - DL3007\nfailure-threshold: error\n' });
    const rc = run(['lint', 'Dockerfile', '-f', 'json'], { cwd: c });
    assert.equal(rc.stdout.includes('LW4102'), false);
    const d = tempProject({ Dockerfile: df, 'layerwise.toml': 'failure-threshold = "loud"\n' });
    const rd = run(['lint', 'Dockerfile'], { cwd: d });
    assert.equal(rd.code, 2);
    assert.match(rd.stderr, /failure-threshold.*expected one of/);
  });

  it('honours inline suppressions (layerwise, hadolint, check=skip)', () => {
    const df = `# check=skip=JSONArgsRecommended
# hadolint ignore=DL3007
FROM python:latest
# layerwise ignore=LW3001
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
CMD python app.py
`;
    const r = JSON.parse(run(['lint', '-', '-f', 'json'], { input: df }).stdout);
    const rules = r.findings.map((f: { rule: string }) => f.rule);
    for (const gone of ['LW4102', 'LW3001', 'LW1001']) assert.ok(!rules.includes(gone), `${gone} should be suppressed`);
  });

  it('creates a missing .dockerignore only with --fix and never overwrites one', () => {
    const dir = tempProject({
      Dockerfile: 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
      'main.py': '',
    });
    const dry = run(['lint', '--fix', '--dry-run', dir]);
    assert.match(dry.stdout, /\+\+\+ b\/.*\.dockerignore/);
    assert.equal(existsSync(join(dir, '.dockerignore')), false, 'dry run creates nothing');
    run(['lint', '--fix', dir]);
    assert.match(readFileSync(join(dir, '.dockerignore'), 'utf8'), /^\.git$/m);
    writeFileSync(join(dir, '.dockerignore'), 'mine\n');
    run(['lint', '--fix', dir]);
    assert.equal(readFileSync(join(dir, '.dockerignore'), 'utf8'), 'mine\n');
  });

  it('rules --json lists every rule with the contract fields', () => {
    const r = run(['rules', '--json']);
    const rules = JSON.parse(r.stdout);
    assert.ok(rules.length >= 3);
    for (const rule of rules)
      for (const k of ['id', 'name', 'category', 'severity', 'fixable', 'aliases']) assert.ok(k in rule, k);
    const one = run(['rules', 'DL3015']);
    assert.equal(one.code, 0);
    assert.match(one.stdout, /no-install-recommends/);
  });
});
