// bench's scenario edits in a temp copy of a fixture: cache keys per scenario, the code change,
// the dependency change with stand-in managers on PATH (shell scripts that record how they were
// called and edit the lock as the real tool would), and --dep-change. The real tools and the
// engine are exercised in test/world/bench-changes.test.ts.
import assert from 'node:assert/strict';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { appendLine, applyChange, cacheKeyFor, type ChangeOptions } from '../../../src/bench/changes.js';
import { CANDIDATES, pipCompileArgs, planAdd } from '../../../src/bench/dep-change.js';
import { copyForBench, type BenchCopy, type BenchImageSource } from '../../../src/bench/workspace.js';
import { UserError } from '../../../src/errors.js';
import { detectProject } from '../../../src/project/index.js';
import type { PythonProject } from '../../../src/project/types.js';
import { findRoot } from '../repo.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-bench-changes-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const fixtures = join(findRoot(), 'test', 'fixtures', 'projects');

/** A copy of a fixture in tmp (the fixture itself stays untouched), with a Dockerfile overlay. */
function setup(name: string): { img: BenchImageSource; copy: BenchCopy; dir: string } {
  const dir = join(mkdtempSync(join(tmp, 'fx-')), name);
  cpSync(join(fixtures, name), dir, { recursive: true });
  const img: BenchImageSource = {
    context: dir,
    dockerfile: join(dir, 'Dockerfile'),
    buildArgs: {},
    project: detectProject(dir),
    overlay: [{ path: 'Dockerfile', content: 'FROM python:3.11-slim\nCOPY . /app\n' }],
  };
  return { img, copy: copyForBench(img), dir };
}

/** A directory holding `name`, a shell script with `body`, to put first on PATH. */
function fakeTool(name: string, body: string): string {
  const bin = mkdtempSync(join(tmp, 'bin-'));
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
  return bin;
}

const base = (extra: Partial<ChangeOptions> = {}): ChangeOptions => ({ runKey: 'run 1/x', ...extra });

describe('applyChange: cache keys', () => {
  it('gives cold a fresh key per repetition and later scenarios the last cold key', async () => {
    const { img, copy } = setup('fastapi-uv');
    try {
      const c1 = await applyChange('cold', copy, img, base(), 1);
      const c2 = await applyChange('cold', copy, img, base(), 2);
      assert.equal(c1.request.cacheKey, 'run-1-x-cold1');
      assert.equal(c2.request.cacheKey, 'run-1-x-cold2');
      const warm = await applyChange('warm', copy, img, base(), 1);
      assert.equal(warm.request.cacheKey, 'run-1-x-cold2');
      assert.equal(warm.change, 'nothing changed');
      // cold builds with --no-cache (steps before the key's ARG too); warm must not.
      assert.equal(c1.request.noCache, true);
      assert.equal(c2.request.noCache, true);
      assert.equal(warm.request.noCache, undefined);
      for (const a of [c1, c2, warm]) {
        assert.equal(a.request.isolateCacheMounts, true, 'same Dockerfile text in every scenario');
        assert.equal(a.request.context, copy.context);
        assert.equal(a.request.dockerfile, copy.dockerfile);
      }
    } finally {
      copy.dispose();
    }
  });

  it('uses the run key when cold did not run', async () => {
    const { img, copy } = setup('fastapi-uv');
    try {
      assert.equal((await applyChange('warm', copy, img, base(), 1)).request.cacheKey, cacheKeyFor('run 1/x'));
      assert.equal(cacheKeyFor('run 1/x'), 'run-1-x');
    } finally {
      copy.dispose();
    }
  });
});

describe('applyChange: code-change', () => {
  it("appends a line to the app's module, another each repetition, and moves its mtime", async () => {
    const { img, copy, dir } = setup('fastapi-uv');
    const userFile = readFileSync(join(dir, 'src/shop_api/main.py'), 'utf8');
    try {
      const file = join(copy.context, 'src/shop_api/main.py');
      const size0 = statSync(file).size;
      const a = await applyChange('code-change', copy, img, base(), 1);
      assert.equal(a.change, 'appended a line to src/shop_api/main.py');
      const size1 = statSync(file).size;
      assert.ok(size1 > size0);
      assert.ok(statSync(file).mtimeMs > Date.now() - 100);
      await applyChange('code-change', copy, img, base(), 2);
      const text = readFileSync(file, 'utf8');
      assert.ok(text.endsWith('# layerwise bench code-change 1\n# layerwise bench code-change 2\n'));
      assert.equal(readFileSync(join(dir, 'src/shop_api/main.py'), 'utf8'), userFile, 'user file untouched');
    } finally {
      copy.dispose();
    }
  });

  it('takes --touch, and refuses a file the build does not see, a missing one, or one outside', async () => {
    const { img, copy, dir } = setup('fastapi-uv');
    writeFileSync(join(dir, 'notes.md'), 'x');
    try {
      const a = await applyChange('code-change', copy, img, base({ touch: './README.md' }), 1);
      assert.equal(a.change, 'appended a line to README.md');
      assert.match(readFileSync(join(copy.context, 'README.md'), 'utf8'), /<!-- layerwise bench code-change 1 -->\n$/);
      await assert.rejects(applyChange('code-change', copy, img, base({ touch: 'nope.py' }), 1), /no such file/);
      await assert.rejects(
        applyChange('code-change', copy, img, base({ touch: '../x.py' }), 1),
        /relative to the build/,
      );
    } finally {
      copy.dispose();
    }
    // A file present in the context but left out by .dockerignore.
    const ctx = mkdtempSync(join(tmp, 'ign-'));
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\n');
    writeFileSync(join(ctx, '.dockerignore'), 'secret.py\n');
    writeFileSync(join(ctx, 'secret.py'), 'x\n');
    const img2: BenchImageSource = { context: ctx, dockerfile: join(ctx, 'Dockerfile'), buildArgs: {}, project: null };
    const copy2 = copyForBench(img2);
    try {
      await assert.rejects(applyChange('code-change', copy2, img2, base({ touch: 'secret.py' }), 1), /\.dockerignore/);
      await assert.rejects(applyChange('code-change', copy2, img2, base(), 1), /--touch FILE/);
    } finally {
      copy2.dispose();
    }
  });

  it('writes comments in the syntax of the file', () => {
    const d = mkdtempSync(join(tmp, 'lines-'));
    for (const f of ['a.js', 'b', 'c.py']) writeFileSync(join(d, f), 'x');
    appendLine(d, 'a.js', 3);
    appendLine(d, 'b', 1);
    appendLine(d, 'c.py', 1);
    assert.equal(readFileSync(join(d, 'a.js'), 'utf8'), 'x\n// layerwise bench code-change 3\n');
    assert.equal(readFileSync(join(d, 'b'), 'utf8'), 'x\nlayerwise bench code-change 1\n');
    assert.equal(readFileSync(join(d, 'c.py'), 'utf8'), 'x\n# layerwise bench code-change 1\n');
  });
});

/** A uv stand-in: records its arguments, directory and index; adds the package to uv.lock; leaves a .venv behind. */
const FAKE_UV = `
echo "$@" > "$LOG"; pwd >> "$LOG"; echo "index=$UV_DEFAULT_INDEX" >> "$LOG"
for last; do :; done
printf '\\n[[package]]\\nname = "%s"\\nversion = "9.9.9"\\nsource = { registry = "http://127.0.0.1:3141/simple/" }\\n' "$last" >> uv.lock
mkdir -p .venv
`;

describe('applyChange: dependency-change', () => {
  it("adds the first candidate the lock lacks with the project's manager, and cleans up after it", async () => {
    const { img, copy, dir } = setup('fastapi-uv');
    const log = join(tmp, 'uv.log');
    const bin = fakeTool('uv', FAKE_UV);
    const opts = base({ indexUrl: 'http://idx/simple/', env: { PATH: `${bin}:${process.env.PATH}`, LOG: log } });
    try {
      const a = await applyChange('dependency-change', copy, img, opts, 1);
      assert.equal(a.change, `added ${CANDIDATES[0]} 9.9.9 to uv.lock with uv`);
      const [args, cwd, index] = readFileSync(log, 'utf8').trim().split('\n');
      assert.equal(args, `add --no-sync ${CANDIDATES[0]}`);
      assert.equal(cwd, copy.context);
      assert.equal(index, 'index=', "the project's own index wins over the one given");
      assert.ok(!existsSync(join(copy.context, '.venv')), "the tool's venv is no part of the change");
      assert.doesNotMatch(readFileSync(join(dir, 'uv.lock'), 'utf8'), /9\.9\.9/, "the user's lock is untouched");
      // The next repetition adds another package on top.
      const b = await applyChange('dependency-change', copy, img, opts, 2);
      assert.notEqual(b.change, a.change);
      assert.match(b.change, /^added \S+ 9\.9\.9 to uv\.lock with uv$/);
      // A project naming no index of its own gets the one given.
      const pyproject = join(copy.context, 'pyproject.toml');
      writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace(/\[\[tool\.uv\.index\]\][^[]*/, ''));
      await applyChange('dependency-change', copy, img, opts, 3);
      assert.equal(readFileSync(log, 'utf8').trim().split('\n')[2], 'index=http://idx/simple/');
    } finally {
      copy.dispose();
    }
  });

  it('names --dep-change when the manager is missing, fails, or leaves the lock alone', async () => {
    const { img, copy, dir } = setup('fastapi-uv');
    const empty = mkdtempSync(join(tmp, 'empty-'));
    try {
      await assert.rejects(
        applyChange('dependency-change', copy, img, base({ env: { PATH: empty } }), 1),
        (e: Error) => e instanceof UserError && /needs uv .*--dep-change/.test(e.message),
      );
      const failing = fakeTool(
        'uv',
        'echo junk >> uv.lock; echo junk >> pyproject.toml; mkdir .venv; echo "no such package on the index" >&2; exit 1',
      );
      await assert.rejects(
        applyChange('dependency-change', copy, img, base({ env: { PATH: failing } }), 1),
        /exited 1: no such package on the index/,
      );
      // The failed change is undone in the copy.
      for (const f of ['uv.lock', 'pyproject.toml'])
        assert.equal(readFileSync(join(copy.context, f), 'utf8'), readFileSync(join(dir, f), 'utf8'), f);
      assert.ok(!existsSync(join(copy.context, '.venv')));
      const idle = fakeTool('uv', 'exit 0');
      await assert.rejects(
        applyChange('dependency-change', copy, img, base({ env: { PATH: idle } }), 1),
        /left uv\.lock unchanged.*--dep-change/,
      );
    } finally {
      copy.dispose();
    }
  });

  it('runs --dep-change with sh -c in the copy', async () => {
    const { img, copy, dir } = setup('fastapi-uv');
    try {
      const a = await applyChange('dependency-change', copy, img, base({ depChange: 'echo "# bumped" >> uv.lock' }), 1);
      assert.equal(a.change, `ran --dep-change 'echo "# bumped" >> uv.lock'`);
      assert.match(readFileSync(join(copy.context, 'uv.lock'), 'utf8'), /# bumped\n$/);
      assert.doesNotMatch(readFileSync(join(dir, 'uv.lock'), 'utf8'), /# bumped/);
      await assert.rejects(applyChange('dependency-change', copy, img, base({ depChange: 'exit 3' }), 1), /exited 3/);
    } finally {
      copy.dispose();
    }
  });

  it("compiles pip-tools projects with the lock header's own options, the .in file edited first", async () => {
    const { img, copy } = setup('flask-piptools');
    const log = join(tmp, 'pc.log');
    const bin = fakeTool('pip-compile', `echo "$@" > "$LOG"; echo 'six==1.17.0' >> requirements.txt`);
    try {
      const a = await applyChange(
        'dependency-change',
        copy,
        img,
        base({ indexUrl: 'http://other/simple/', env: { PATH: `${bin}:${process.env.PATH}`, LOG: log } }),
        1,
      );
      assert.equal(a.change, 'added six 1.17.0 to requirements.txt with pip-compile');
      assert.match(readFileSync(join(copy.context, 'requirements.in'), 'utf8'), /\nsix\n$/);
      assert.equal(
        readFileSync(log, 'utf8').trim(),
        '-q --generate-hashes --index-url=http://127.0.0.1:3141/simple/ --no-emit-find-links --output-file=requirements.txt --strip-extras requirements.in',
      );
    } finally {
      copy.dispose();
    }
  });

  it('says when there is no project to change a dependency of', async () => {
    const ctx = mkdtempSync(join(tmp, 'noproj-'));
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM scratch\n');
    const img: BenchImageSource = { context: ctx, dockerfile: join(ctx, 'Dockerfile'), buildArgs: {}, project: null };
    const copy = copyForBench(img);
    try {
      await assert.rejects(applyChange('dependency-change', copy, img, base(), 1), /no Python project.*--dep-change/);
    } finally {
      copy.dispose();
    }
  });
});

describe('planAdd and pipCompileArgs', () => {
  const project = (over: Partial<PythonProject>): PythonProject => ({
    ...detectProject(join(fixtures, 'fastapi-uv')),
    ...over,
  });

  it('uses each manager the way it adds without installing', () => {
    const d = mkdtempSync(join(tmp, 'plan-'));
    assert.deepEqual(planAdd(project({ manager: 'poetry' }), d, 'six', undefined), {
      tool: 'poetry',
      args: ['add', '--lock', 'six'],
    });
    assert.deepEqual(planAdd(project({ manager: 'pdm' }), d, 'six', undefined), {
      tool: 'pdm',
      args: ['add', '--no-sync', 'six'],
    });
    writeFileSync(join(d, 'Pipfile'), '[[source]]\nurl = "x"\n\n[packages]\nflask = "*"\n\n[dev-packages]\n');
    const pipenv = planAdd(project({ manager: 'pipenv' }), d, 'six', undefined);
    assert.deepEqual([pipenv.tool, pipenv.args], ['pipenv', ['lock']]);
    pipenv.edit!();
    assert.equal(
      readFileSync(join(d, 'Pipfile'), 'utf8'),
      '[[source]]\nurl = "x"\n\n[packages]\nsix = "*"\nflask = "*"\n\n[dev-packages]\n',
    );
    writeFileSync(join(d, 'requirements.txt'), 'flask==3.0\n');
    const pip = planAdd(project({ manager: 'pip', lockFile: 'requirements.txt', hashes: false }), d, 'six', undefined);
    pip.edit!();
    assert.equal(readFileSync(join(d, 'requirements.txt'), 'utf8'), 'flask==3.0\nsix\n');
    assert.throws(
      () => planAdd(project({ manager: 'pip', lockFile: 'requirements.txt', hashes: true }), d, 'six', undefined),
      /--dep-change/,
    );
    mkdirSync(join(d, 'sub'));
    assert.throws(
      () => planAdd(project({ manager: 'pip-tools', lockFile: 'sub/reqs.txt' }), d, 'six', undefined),
      /sub\/reqs\.in/,
    );
  });

  it('reads the recorded pip-compile command, its index kept, and adds the index given where none is recorded', () => {
    const lock =
      '#\n#    pip-compile --generate-hashes --index-url=http://a/simple/ --output-file=r.txt r.in\n#\nx==1\n';
    assert.deepEqual(pipCompileArgs(lock, 'r.txt', 'r.in', true, 'http://b/'), [
      '-q',
      '--generate-hashes',
      '--index-url=http://a/simple/',
      '--output-file=r.txt',
      'r.in',
    ]);
    assert.deepEqual(pipCompileArgs('x==1\n', 'r.txt', 'r.in', false, 'http://b/'), [
      '-q',
      '--no-emit-find-links',
      '--output-file=r.txt',
      'r.in',
      '--index-url=http://b/',
    ]);
    assert.deepEqual(
      pipCompileArgs('#    pip-compile --index-url http://a/ r.in\n', 'r.txt', 'r.in', false, 'http://b/'),
      ['-q', '--index-url', 'http://a/', 'r.in'],
    );
  });
});
