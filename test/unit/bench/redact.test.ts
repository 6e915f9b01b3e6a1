// Build args as bench results record them: URL credentials stripped, secret-named args masked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSecretArg, redactBuildArgs, stripUserinfo } from '../../../src/bench/redact.js';

describe('redactBuildArgs', () => {
  it('strips userinfo from URLs and masks secret-named args, keeping the rest', () => {
    assert.deepEqual(
      redactBuildArgs({
        UV_INDEX_URL: 'https://ci:s3cr3t@pkgs.example.test/simple/',
        EXTRA: 'a http://tok@h:81/x and https://plain.test/y',
        GITHUB_TOKEN: 'ghp_abc',
        DB_PASSWORD: 'hunter2',
        AWS_SECRET_ACCESS_KEY: 'k',
        apiKey: 'k2',
        PYTHON_VERSION: '3.11',
        MONKEY: 'banana',
      }),
      {
        UV_INDEX_URL: 'https://pkgs.example.test/simple/',
        EXTRA: 'a http://h:81/x and https://plain.test/y',
        GITHUB_TOKEN: '***',
        DB_PASSWORD: '***',
        AWS_SECRET_ACCESS_KEY: '***',
        apiKey: '***',
        PYTHON_VERSION: '3.11',
        MONKEY: 'banana',
      },
    );
  });

  it('names secret args by word, not by substring', () => {
    for (const n of ['TOKEN', 'NPM_TOKEN', 'PIP_PASSWORD', 'SSH_KEY', 'KEY_ID', 'client_secret', 'REGISTRY_AUTH'])
      assert.equal(isSecretArg(n), true, n);
    for (const n of ['MONKEY', 'KEYBOARD_LAYOUT', 'PASSAGE', 'BASE', 'TARGET']) assert.equal(isSecretArg(n), false, n);
    assert.equal(stripUserinfo('no url here'), 'no url here');
  });
});
