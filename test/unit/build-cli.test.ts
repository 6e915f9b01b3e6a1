// `layerwise build` on the command line, through the bundle: bad input is one line and exit 2
// before anything is read or pushed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BUNDLE_BIN, findRoot } from './repo.js';

const dir = mkdtempSync(join(tmpdir(), 'lw-build-cli-'));
cpSync(join(findRoot(), 'test/fixtures/projects/fastapi-uv'), join(dir, 'p'), { recursive: true });
after(() => rmSync(dir, { recursive: true, force: true }));

function build(...args: string[]) {
  const r = spawnSync(process.execPath, [BUNDLE_BIN, 'build', join(dir, 'p'), ...args], { encoding: 'utf8' });
  return { code: r.status, err: r.stderr, out: r.stdout };
}

describe('build: bad input', () => {
  const cases: [string, string[], RegExp][] = [
    ['no output', [], /--tag HOST\/NAME:TAG, --output oci:DIR or archive:FILE, or --load/],
    ['a tag without a tag', ['--tag', '127.0.0.1:5/team/app'], /give HOST\/NAME:TAG/],
    ['an unknown output', ['--output', 'zip:x'], /expected oci:DIR\[:TAG\] or archive:FILE/],
    ['a layer budget engines refuse', ['--load', '--max-layers', '200'], /from 2 to 127/],
    ['a CMD that is not a JSON array of strings', ['--load', '--cmd', '[1, 2]'], /not a JSON array of strings/],
  ];
  for (const [name, args, message] of cases)
    it(name, () => {
      const r = build(...args);
      assert.equal(r.code, 2, r.err);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err, message);
    });
  it('--help teaches: examples, SOURCE_DATE_EPOCH, exit status', () => {
    const r = spawnSync(process.execPath, [BUNDLE_BIN, 'build', '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Examples:/);
    assert.match(r.stdout, /SOURCE_DATE_EPOCH/);
    assert.match(r.stdout, /--platform/);
  });
});
