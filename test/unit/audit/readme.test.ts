// The README's main-job example is what `layerwise audit examples/python-app` prints for a
// newcomer (no engine, no pip or uv cache): every line of the README's block, but the closing
// `…`, appears in the output, in order.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'lw-readme-home-'));
after(() => rmSync(home, { recursive: true, force: true }));

describe('README', () => {
  it('shows what `npx layerwise audit examples/python-app` prints', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const command = '```sh\nnpm ci && npx layerwise audit examples/python-app\n```\n';
    const start = readme.indexOf(command);
    assert.ok(start >= 0, 'the main-job command');
    // The next code block after the command is its output.
    const open = readme.indexOf('\n```\n', start + command.length) + 5;
    const shown = readme.slice(open, readme.indexOf('\n```', open));
    assert.match(shown, /a deploy after/);
    const r = spawnSync(process.execPath, [join(root, 'dist/bundle/main.js'), 'audit', 'examples/python-app'], {
      cwd: root,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CACHE_HOME: join(home, '.cache'),
        DOCKER_HOST: 'unix:///nonexistent/docker.sock',
        NO_COLOR: '1',
      },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.split('\n');
    let at = 0;
    for (const line of shown.split('\n').filter((l) => l.trim() !== '…')) {
      const found = out.indexOf(line, at);
      assert.ok(found >= 0, `README line not in the output (in order):\n${line}\n--- output:\n${r.stdout}`);
      at = found + 1;
    }
  });
});
