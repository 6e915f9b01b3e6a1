// bench edits never write through a symlink of the copy that leads out of it: a context whose
// pyproject.toml (or app file) is a link into the user's tree gets a real copy of the file in the
// bench copy, the user's file stays as it was; a dangling link out is refused with one line.
import assert from 'node:assert/strict';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyChange } from '../../../src/bench/changes.js';
import { copyForBench, type BenchImageSource } from '../../../src/bench/workspace.js';
import { UserError } from '../../../src/errors.js';
import { detectProject } from '../../../src/project/index.js';
import { findRoot } from '../repo.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-bench-links-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A fake user tree (`user/`) and a context whose pyproject.toml and main.py link into it. */
function setup(): { img: BenchImageSource; user: string } {
  const root = mkdtempSync(join(tmp, 'case-'));
  const user = join(root, 'user');
  const ctx = join(root, 'ctx');
  cpSync(join(findRoot(), 'test', 'fixtures', 'projects', 'fastapi-uv'), ctx, { recursive: true });
  mkdirSync(user);
  writeFileSync(join(user, 'pyproject.toml'), readFileSync(join(ctx, 'pyproject.toml')));
  writeFileSync(join(user, 'main.py'), 'print("user")\n');
  rmSync(join(ctx, 'pyproject.toml'));
  symlinkSync(join(user, 'pyproject.toml'), join(ctx, 'pyproject.toml'));
  symlinkSync(join(user, 'main.py'), join(ctx, 'linked.py'));
  const img: BenchImageSource = {
    context: ctx,
    dockerfile: join(ctx, 'Dockerfile'),
    buildArgs: {},
    project: detectProject(ctx),
    overlay: [{ path: 'Dockerfile', content: 'FROM python:3.11-slim\nCOPY . /app\n' }],
  };
  return { img, user };
}

describe('bench edits and symlinks out of the copy', () => {
  it('dependency-change edits a real copy of a pyproject.toml linked into the user tree', async () => {
    const { img, user } = setup();
    const before = readFileSync(join(user, 'pyproject.toml'), 'utf8');
    const copy = copyForBench(img);
    try {
      assert.ok(lstatSync(join(copy.context, 'pyproject.toml')).isSymbolicLink(), 'the copy holds the link as is');
      await applyChange(
        'dependency-change',
        copy,
        img,
        { runKey: 'k', depChange: 'echo "# edited" >> pyproject.toml' },
        1,
      );
      assert.equal(readFileSync(join(user, 'pyproject.toml'), 'utf8'), before, "the user's file is untouched");
      assert.ok(lstatSync(join(copy.context, 'pyproject.toml')).isFile());
      assert.equal(readFileSync(join(copy.context, 'pyproject.toml'), 'utf8'), `${before}# edited\n`);
    } finally {
      copy.dispose();
    }
  });

  it('code-change appends to a real copy of a --touch file linked out of the copy', async () => {
    const { img, user } = setup();
    const copy = copyForBench(img);
    try {
      const a = await applyChange('code-change', copy, img, { runKey: 'k', touch: 'linked.py' }, 1);
      assert.equal(a.change, 'appended a line to linked.py');
      assert.equal(readFileSync(join(user, 'main.py'), 'utf8'), 'print("user")\n');
      assert.match(readFileSync(join(copy.context, 'linked.py'), 'utf8'), /^print\("user"\)\n# layerwise bench/);
    } finally {
      copy.dispose();
    }
  });

  it('refuses a dangling link out of the copy with one line', async () => {
    const { img, user } = setup();
    const copy = copyForBench(img);
    try {
      rmSync(join(user, 'pyproject.toml'));
      await assert.rejects(
        applyChange('dependency-change', copy, img, { runKey: 'k', depChange: 'true' }, 1),
        (e: unknown) =>
          e instanceof UserError &&
          /pyproject\.toml is a symlink to .* does not exist/.test(e.message) &&
          !e.message.includes('\n'),
      );
    } finally {
      copy.dispose();
    }
  });
});
