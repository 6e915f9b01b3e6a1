// The bench copy of a context: what .dockerignore leaves out stays out, the Dockerfile is always
// there (inside the copy, or beside it when the user's lies outside the context), overlays win,
// the user's tree is only read, and dispose removes it all.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { copyForBench, inCopy, type BenchImageSource } from '../../../src/bench/workspace.js';
import { UserError } from '../../../src/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-bench-ws-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmp, 'ctx-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} ${createHash('sha256').update(readFileSync(p)).digest('hex')} ${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

const img = (context: string, more: Partial<BenchImageSource> = {}): BenchImageSource => ({
  context,
  dockerfile: join(context, 'Dockerfile'),
  buildArgs: {},
  project: null,
  ...more,
});

describe('copyForBench', () => {
  it('copies what the build sees, keeps the Dockerfile even when ignored, and leaves the user tree alone', () => {
    const ctx = tree({
      Dockerfile: 'FROM scratch\nCOPY . /\n',
      '.dockerignore': 'Dockerfile\nnode_modules\n*.log\n',
      'src/app.py': 'print(1)\n',
      'node_modules/x/index.js': 'x',
      'debug.log': 'log',
    });
    const before = snapshot(ctx);
    const copy = copyForBench(img(ctx));
    try {
      assert.equal(copy.dockerfile, join(copy.context, 'Dockerfile'));
      assert.equal(readFileSync(copy.dockerfile, 'utf8'), 'FROM scratch\nCOPY . /\n');
      assert.equal(readFileSync(join(copy.context, 'src/app.py'), 'utf8'), 'print(1)\n');
      assert.ok(existsSync(join(copy.context, '.dockerignore')));
      assert.ok(!existsSync(join(copy.context, 'node_modules')));
      assert.ok(!existsSync(join(copy.context, 'debug.log')));
      assert.equal(inCopy(copy, img(ctx), join(ctx, 'src')), join(copy.context, 'src'));
      assert.equal(inCopy(copy, img(ctx), tmp), undefined);
    } finally {
      copy.dispose();
    }
    assert.ok(!existsSync(dirname(copy.context)), 'dispose removes the temp dir');
    assert.deepEqual(snapshot(ctx), before);
  });

  it('puts a Dockerfile from outside the context beside the copy, with its own .dockerignore deciding', () => {
    const ctx = tree({ 'a.txt': 'a', 'b.txt': 'b', '.dockerignore': 'a.txt\n' });
    const dfDir = tree({ 'app.Dockerfile': 'FROM scratch\n', 'app.Dockerfile.dockerignore': 'b.txt\n' });
    const copy = copyForBench(img(ctx, { dockerfile: join(dfDir, 'app.Dockerfile') }));
    try {
      assert.ok(!copy.dockerfile.startsWith(copy.context + '/'));
      assert.equal(readFileSync(copy.dockerfile, 'utf8'), 'FROM scratch\n');
      assert.equal(readFileSync(`${copy.dockerfile}.dockerignore`, 'utf8'), 'b.txt\n');
      assert.ok(existsSync(join(copy.context, 'a.txt')), "the context's .dockerignore does not apply");
      assert.ok(!existsSync(join(copy.context, 'b.txt')));
    } finally {
      copy.dispose();
    }
  });

  it("lays overlays over the copy; an overlay's .dockerignore decides what is copied", () => {
    const ctx = tree({
      Dockerfile: 'FROM old\n',
      'Dockerfile.dockerignore': 'nothing\n',
      '.dockerignore': 'keep.txt\n',
      'keep.txt': 'k',
      'drop.txt': 'd',
    });
    const before = snapshot(ctx);
    const copy = copyForBench(
      img(ctx, {
        overlay: [
          { path: 'Dockerfile', content: 'FROM new\n' },
          { path: '.dockerignore', content: 'drop.txt\n' },
          { path: join(ctx, 'conf/extra.txt'), content: 'extra' },
        ],
      }),
    );
    try {
      assert.equal(readFileSync(copy.dockerfile, 'utf8'), 'FROM new\n');
      assert.equal(readFileSync(join(copy.context, '.dockerignore'), 'utf8'), 'drop.txt\n');
      assert.ok(existsSync(join(copy.context, 'keep.txt')));
      assert.ok(!existsSync(join(copy.context, 'drop.txt')));
      assert.equal(readFileSync(join(copy.context, 'conf/extra.txt'), 'utf8'), 'extra');
      assert.ok(
        !existsSync(`${copy.dockerfile}.dockerignore`),
        "the user's Dockerfile.dockerignore does not go with init's",
      );
    } finally {
      copy.dispose();
    }
    assert.deepEqual(snapshot(ctx), before);
  });

  it('takes an overlay Dockerfile where the user has none (--against init)', () => {
    const ctx = tree({ 'app.py': 'x' });
    const copy = copyForBench(img(ctx, { overlay: [{ path: 'Dockerfile', content: 'FROM init\n' }] }));
    try {
      assert.equal(readFileSync(copy.dockerfile, 'utf8'), 'FROM init\n');
      assert.ok(!existsSync(join(ctx, 'Dockerfile')));
    } finally {
      copy.dispose();
    }
  });

  it('refuses a missing context or Dockerfile and an overlay outside the context', () => {
    const ctx = tree({ 'app.py': 'x' });
    assert.throws(() => copyForBench(img(join(tmp, 'nope'))), UserError);
    assert.throws(() => copyForBench(img(ctx)), /Dockerfile .* does not exist/);
    assert.throws(
      () =>
        copyForBench(
          img(ctx, {
            overlay: [
              { path: '../evil', content: 'x' },
              { path: 'Dockerfile', content: '' },
            ],
          }),
        ),
      /outside the build context/,
    );
  });
});
