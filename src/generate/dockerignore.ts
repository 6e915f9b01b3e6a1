/**
 * .dockerignore: deny by default where the layout makes that safe (a src/ layout or a workspace,
 * with nothing else at the top that the app could need at run time); otherwise a deny list of
 * what never belongs in a build context.
 */
import { join } from 'node:path';
import { dockerignoreLine } from '../project/assets.js';
import { isDir, listDir } from '../project/files.js';
import type { PythonProject } from '../project/types.js';

const ALWAYS = [
  '**/__pycache__',
  '**/*.py[cod]',
  '**/.pytest_cache',
  '**/.mypy_cache',
  '**/.ruff_cache',
  '**/*.egg-info',
];

const DENY = [
  '# Version control, environments, caches and build output: never needed by the build.',
  '.git',
  '.hg',
  '.venv',
  'venv',
  '.tox',
  '.nox',
  'node_modules',
  'build',
  'dist',
  '.idea',
  '.vscode',
  '.coverage',
  'htmlcov',
  '# Secrets stay out of the context (use build secrets).',
  '.env',
  '.env.*',
  '*.pem',
  '*.key',
  '.netrc',
  '# Container files: changing them must not invalidate the code layers.',
  'Dockerfile*',
  '*.Dockerfile',
  '.dockerignore',
  'compose*.y*ml',
  'docker-compose*.y*ml',
  '.github',
  '# Local data.',
  '*.sqlite3',
  '*.log',
];

/** Top-level directories that a deny-by-default list may leave out without breaking the app. */
const SAFE_TOP = new Set([
  'src',
  'tests',
  'test',
  'docs',
  'doc',
  '.git',
  '.github',
  '.venv',
  'venv',
  'scripts',
  'examples',
  'benchmarks',
  'node_modules',
  'build',
  'dist',
  '.tox',
  '.nox',
  '.idea',
  '.vscode',
  'htmlcov',
]);

export function denyByDefaultIsSafe(p: PythonProject): boolean {
  // A uv workspace's image holds only its members, installed: what else sits at the root (a
  // frontend, docs, infrastructure) is never needed, and only slows and invalidates the build.
  if (p.workspace) return true;
  if (p.layout === 'flat') return false;
  return listDir(p.dir).every((n) => !isDir(join(p.dir, n)) || SAFE_TOP.has(n) || n.startsWith('.'));
}

/** Why .git is in the context of a project whose wheel contents come from git. */
function gitNote(p: PythonProject): string[] {
  return [
    `# .git stays in the context: ${p.vcsFileFinder}'s file finder asks git which files the wheel holds.`,
    '# Only the package build step bind-mounts it; no layer copies it.',
  ];
}

// Test directories as patterns that match at any depth (a double star, then tests/): nested tests never ship.
function testPatterns(p: PythonProject): string[] {
  const names = new Set(['tests', 'test', ...p.testDirs.map((t) => t.split('/').pop() as string)]);
  return [...names].map((t) => `**/${t}/`);
}

/** The untracked paths git ignores (databases, indexes, build output): a clean clone has none of them. */
function ignoredLines(p: PythonProject): string[] {
  if (!p.ignored?.length) return [];
  const git = !p.ignored.every((i) => i.evidence.startsWith('no git'));
  return [
    git
      ? '# Untracked files git ignores (generated data, local databases, build output): CI builds from a clean'
      : '# Local databases, dumps and very large files (no git here to ask what is generated): CI builds from a clean',
    '# clone without them, so a local build leaves them out too.',
    ...p.ignored.map((i) => dockerignoreLine(i.path)),
  ];
}

export function renderDockerignore(p: PythonProject): string {
  if (denyByDefaultIsSafe(p)) {
    const allow = new Set<string>([...p.depFiles.filter((f) => !f.includes('/')), ...p.buildFiles]);
    const dirs = p.workspace ? [...new Set(p.workspace.members.map((m) => m.dir.split('/')[0]))] : ['src'];
    const lines = [
      '# Written by `layerwise init`. Deny by default: the build context holds only what the build needs,',
      '# so unrelated files never invalidate a layer and secrets or .git never reach the builder.',
      '# Allow a new top-level file or directory here when the build needs it.',
      '*',
      ...[...allow].map((f) => `!${f}`),
      ...dirs.map((d) => `!${d}/`),
      ...(p.vcsFileFinder ? [...gitNote(p), '!.git'] : []),
      '# Never, even inside allowed directories:',
      ...ALWAYS,
      ...testPatterns(p),
      ...ignoredLines(p),
    ];
    return `${[...new Set(lines)].join('\n')}\n`;
  }
  const lines = [
    '# Written by `layerwise init`. A deny list (this layout keeps code at the top level, where allowing',
    '# only known files could leave a new module out of the image).',
    ...(p.vcsFileFinder ? [...DENY.filter((l) => l !== '.git'), ...gitNote(p)] : DENY),
    '# Tests (at any depth) and caches do not ship.',
    ...testPatterns(p),
    ...ALWAYS,
    ...ignoredLines(p),
  ];
  return `${[...new Set(lines)].join('\n')}\n`;
}
