import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import {
  dockerignoreLine,
  findAssetDirs,
  gitIgnoredPaths,
  heuristicIgnoredPaths,
  ignoredPaths,
  inGitTree,
} from '../../../src/project/assets.js';

function scratch(files: Record<string, string>): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lw-assets-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function gitInit(dir: string): void {
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...a], {
      cwd: dir,
      stdio: 'ignore',
    });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'x');
}

describe('asset directories', () => {
  it('named ones at any depth in the app, top-level ones without Python as data; tests, docs and caches never', () => {
    const s = scratch({
      'app.py': 'x = 1\n',
      'shop/__init__.py': '',
      'shop/templates/shop/item.html': '<p>',
      'shop/static/shop/app.js': '1',
      'shop/tests/test_x.py': '',
      'shop/tests/templates/t.html': '',
      'static/site.css': 'body{}',
      'templates/base.html': '<html>',
      'data/items.csv': 'a,b',
      'locale/fr/LC_MESSAGES/django.po': '',
      'stuff/big.bin': 'x',
      'docs/index.md': '#',
      'scripts/seed.py': '',
      'node_modules/x/static/a.js': '',
      '.cache/static/x': '',
    });
    try {
      const found = findAssetDirs(s.dir).map((a) => `${a.kind}:${a.path}`);
      assert.deepEqual(found.sort(), [
        'data:data',
        'data:locale',
        'data:stuff',
        'static:shop/static',
        'static:static',
        'templates:shop/templates',
        'templates:templates',
      ]);
      const stuff = findAssetDirs(s.dir).find((a) => a.path === 'stuff');
      assert.equal(stuff?.evidence, 'stuff/ (no Python files)');
    } finally {
      s.done();
    }
  });

  it('a directory the skip test names (ignored by git) is no asset layer', () => {
    const s = scratch({ 'app.py': '', 'staticfiles/a.css': '', 'static/b.css': '' });
    try {
      assert.deepEqual(
        findAssetDirs(s.dir, (r) => r === 'staticfiles').map((a) => a.path),
        ['static'],
      );
    } finally {
      s.done();
    }
  });
});

describe('ignored paths', () => {
  it('git: untracked ignored paths, directories collapsed, with the .gitignore line; environments and caches left to the fixed list', () => {
    const s = scratch({
      '.gitignore': '# local\n.venv/\n__pycache__/\ndata/search-index.json\nbuild-cache/\n*.log\n',
      'app.py': '',
      'data/items.csv': 'a',
      'data/search-index.json': '{"index": {}}',
      'build-cache/a/b.bin': 'xxxx',
      '.venv/bin/python': '',
      'pkg/__pycache__/m.pyc': '',
      'server.log': 'x',
      'new_module.py': '',
    });
    try {
      gitInit(s.dir);
      writeFileSync(join(s.dir, 'untracked_new.py'), 'x = 1\n');
      const got = gitIgnoredPaths(s.dir);
      assert.deepEqual(got, [
        { path: 'build-cache/', bytes: 4, evidence: '.gitignore:5' },
        { path: 'data/search-index.json', bytes: 13, evidence: '.gitignore:4' },
      ]);
      assert.equal(inGitTree(s.dir), true);
    } finally {
      s.done();
    }
  });

  it('git, run in a subfolder: the evidence names the .gitignore from there', () => {
    const s = scratch({ '.gitignore': 'db.sqlite\n', 'svc/app.py': '', 'svc/db.sqlite': 'x' });
    try {
      gitInit(s.dir);
      assert.deepEqual(gitIgnoredPaths(join(s.dir, 'svc')), [
        { path: 'db.sqlite', bytes: 1, evidence: '../.gitignore:1' },
      ]);
    } finally {
      s.done();
    }
  });

  it("no git: the project's .gitignore files decide (negation and nested files included), with their line", () => {
    const s = scratch({
      '.gitignore': '# generated\ndata/index.json\nstaticfiles/\n*.out\n!keep.out\n',
      'app.py': '',
      'data/index.json': '{}',
      'data/seed.json': '{}',
      'staticfiles/site.css': '',
      'debug.out': '',
      'keep.out': '',
      'sub/.gitignore': 'generated/\n',
      'sub/generated/a.txt': '',
      'sub/mod.py': '',
    });
    try {
      assert.equal(gitIgnoredPaths(s.dir), undefined);
      assert.deepEqual(
        heuristicIgnoredPaths(s.dir)
          .map((i) => [i.path, i.evidence])
          .sort(),
        [
          ['data/index.json', 'no git: .gitignore:2'],
          ['debug.out', 'no git: .gitignore:4'],
          ['staticfiles/', 'no git: .gitignore:3'],
          ['sub/generated/', 'no git: sub/.gitignore:1'],
        ],
      );
    } finally {
      s.done();
    }
  });

  it('no git: undefined from git; databases by extension and very large files instead', () => {
    const s = scratch({ 'app.py': '', 'var/app.db': 'x', 'var/dump.sql': 'x', 'model/weights.py': '' });
    try {
      truncateSync(join(s.dir, 'var', 'dump.sql'), 17 * 1024 * 1024);
      assert.equal(gitIgnoredPaths(s.dir), undefined);
      const h = heuristicIgnoredPaths(s.dir);
      assert.deepEqual(
        h.map((i) => [i.path, i.evidence]),
        [
          ['var/app.db', 'no git: a database or dump file, by extension'],
          ['var/dump.sql', 'no git: 17 MB'],
        ],
      );
      assert.deepEqual(ignoredPaths(s.dir), h);
    } finally {
      s.done();
    }
  });

  it('a path becomes a .dockerignore line that matches only it', () => {
    assert.equal(dockerignoreLine('data/cache/'), 'data/cache');
    assert.equal(dockerignoreLine('data/[draft]*.json'), 'data/\\[draft\\]\\*.json');
  });
});

describe('detectProject: layers and ignored paths of a git checkout', () => {
  it('a requirements app: asset layers, the index git ignores, the lock kept even when ignored', async () => {
    const { detectProject } = await import('../../../src/project/index.js');
    const s = scratch({
      '.gitignore': 'requirements.txt\nsearch/index.bin\n',
      'requirements.txt': 'flask==3.0.0\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'templates/a.html': '',
      'search/build.py': '',
      'search/index.bin': 'xx',
    });
    try {
      gitInit(s.dir);
      const p = detectProject(s.dir);
      assert.deepEqual(p.ignored, [{ path: 'search/index.bin', bytes: 2, evidence: '.gitignore:2' }]);
      assert.deepEqual(
        p.assets?.map((a) => a.path),
        ['templates'],
      );
      const ignored = p.detections.find((d) => d.topic === 'ignored');
      assert.deepEqual(ignored, {
        topic: 'ignored',
        value: 'search/index.bin (2 B)',
        evidence: '.gitignore:2',
        confidence: 'high',
      });
    } finally {
      s.done();
    }
  });
});
