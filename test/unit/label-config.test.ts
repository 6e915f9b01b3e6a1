// The label schema and strict labels as the configuration files give them, and end to end
// through the built CLI: .hadolint.yaml, layerwise.toml and [tool.layerwise].
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, readConfigFile } from '../../src/config/config.js';
import { UserError } from '../../src/errors.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(root, 'dist/bundle/main.js');

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-labels-'));
  mkdirSync(join(dir, '.git'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('label-schema and strict-labels in the configuration', () => {
  it('reads them from .hadolint.yaml, types case-insensitive as hadolint reads them', async () => {
    const dir = project({
      '.hadolint.yaml': 'label-schema:\n  author: text\n  version: SemVer\n  created: rfc3339\nstrict-labels: true\n',
    });
    const cfg = await readConfigFile(join(dir, '.hadolint.yaml'));
    assert.deepEqual(cfg?.labelSchema, { author: 'text', version: 'semver', created: 'rfc3339' });
    assert.equal(cfg?.strictLabels, true);
  });
  it('reads them from layerwise.toml and [tool.layerwise], either spelling', async () => {
    const a = project({
      'layerwise.toml': 'strict-labels = false\n[label-schema]\n"org.opencontainers.image.source" = "url"\n',
    });
    const ca = await readConfigFile(join(a, 'layerwise.toml'));
    assert.deepEqual(ca?.labelSchema, { 'org.opencontainers.image.source': 'url' });
    assert.equal(ca?.strictLabels, false);
    const b = project({
      'pyproject.toml': '[tool.layerwise]\nstrict_labels = true\n[tool.layerwise.label_schema]\nlicense = "spdx"\n',
    });
    const cb = await readConfigFile(join(b, 'pyproject.toml'));
    assert.deepEqual(cb?.labelSchema, { license: 'spdx' });
    assert.equal(cb?.strictLabels, true);
  });
  it("merges hadolint's schema with layerwise's, layerwise winning", async () => {
    const dir = project({
      '.hadolint.yaml': 'label-schema:\n  version: text\n  author: email\nstrict-labels: true\n',
      'layerwise.toml': 'strict-labels = false\n[label-schema]\nversion = "semver"\n',
    });
    const cfg = await loadConfig(dir);
    assert.deepEqual(cfg.labelSchema, { version: 'semver', author: 'email' });
    assert.equal(cfg.strictLabels, false);
  });
  it('rejects an unknown type and a strict-labels that is not a boolean, naming the key', async () => {
    const a = project({ '.hadolint.yaml': 'label-schema:\n  version: number\n' });
    await assert.rejects(
      readConfigFile(join(a, '.hadolint.yaml')),
      (e: Error) =>
        e instanceof UserError && /label-schema\.version' is 'number'; expected one of text, url/.test(e.message),
    );
    const b = project({ 'layerwise.toml': 'strict-labels = "yes"\n' });
    await assert.rejects(
      readConfigFile(join(b, 'layerwise.toml')),
      (e: Error) => e instanceof UserError && /'strict-labels' must be true or false/.test(e.message),
    );
    const c = project({ 'layerwise.toml': 'label-schema = ["version"]\n' });
    await assert.rejects(readConfigFile(join(c, 'layerwise.toml')), UserError);
  });
});

describe('layerwise lint with a label schema (CLI)', () => {
  const df = [
    'FROM python:3.12-slim',
    'LABEL org.opencontainers.image.version="v1" build-host=ci-7',
    'CMD ["python", "--version"]',
    '',
  ].join('\n');
  function lintJson(dir: string, extra: string[] = []) {
    const r = spawnSync(process.execPath, [bin, 'lint', 'Dockerfile', '-f', 'json', ...extra], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { code: r.status, stderr: r.stderr, findings: r.stdout ? JSON.parse(r.stdout).findings : [] };
  }
  const labelFindings = (fs: { rule: string; line: number }[]) =>
    fs.filter((f) => f.rule.startsWith('LW65')).map((f) => `${f.rule}:${f.line}`);

  it('reports missing, superfluous and mistyped labels from .hadolint.yaml', () => {
    const dir = project({
      Dockerfile: df,
      '.hadolint.yaml':
        'label-schema:\n  org.opencontainers.image.version: semver\n  maintainer: email\nstrict-labels: true\n',
    });
    const r = lintJson(dir);
    assert.equal(r.stderr, '');
    assert.deepEqual(labelFindings(r.findings), ['LW6502:1', 'LW6503:2', 'LW6509:2']);
  });
  it('reports them from layerwise.toml, and none without a schema', () => {
    const dir = project({
      Dockerfile: df,
      'layerwise.toml': '[label-schema]\n"org.opencontainers.image.version" = "semver"\n',
    });
    assert.deepEqual(labelFindings(lintJson(dir).findings), ['LW6509:2']);
    assert.deepEqual(labelFindings(lintJson(project({ Dockerfile: df })).findings), []);
  });
  it('takes --require-label and --strict-labels as hadolint does, on top of the config', () => {
    const dir = project({
      Dockerfile: df,
      'layerwise.toml': '[label-schema]\n"org.opencontainers.image.version" = "text"\n',
    });
    const r = lintJson(dir, [
      '--require-label',
      'org.opencontainers.image.version:semver,maintainer',
      '--strict-labels',
    ]);
    assert.equal(r.stderr, '');
    assert.deepEqual(labelFindings(r.findings), ['LW6502:1', 'LW6503:2', 'LW6509:2']);
    const bad = lintJson(dir, ['--require-label', 'version:number']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--require-label version:number: expected NAME:TYPE/);
  });
  it('exits 2 with one line for a bad schema type', () => {
    const dir = project({ Dockerfile: df, '.hadolint.yaml': 'label-schema:\n  version: number\n' });
    const r = lintJson(dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /label-schema\.version/);
  });
});
