import { wholeContextInstructions } from '../lib/build-context.js';
import type { Rule } from '../types.js';
import { shortText } from '../util.js';

/** A .dockerignore for a Python project: VCS data, environments, caches, build output, secrets. */
export const DEFAULT_DOCKERIGNORE = [
  '# Version control and CI',
  '.git',
  '.github',
  '# Local environments and secrets',
  '.venv',
  'venv',
  '.env',
  '*.env',
  '# Python caches and build output',
  '**/__pycache__',
  '**/*.py[cod]',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
  '.coverage',
  'htmlcov',
  'dist',
  'build',
  '*.egg-info',
  '# Other tooling',
  'node_modules',
  'Dockerfile*',
  '.dockerignore',
  'compose*.yaml',
  'docker-compose*.yml',
  '',
].join('\n');

export const rule: Rule = {
  meta: {
    id: 'LW2405',
    name: 'dockerignore-missing',
    category: 'cache',
    severity: 'warning',
    summary: 'No .dockerignore while the whole build context is copied.',
    description:
      'Without a .dockerignore, `COPY . .` sends .git, virtualenvs, caches and local secrets to the builder and into the ' +
      'image. Every commit, test run or editor save then changes the copied files, so the COPY and every step after it ' +
      're-run and ship a new layer. A .dockerignore keeps the context to what the image needs.',
    bad: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "-m", "app"]\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "-m", "app"]\n',
    badContext: { files: ['app/__init__.py', 'requirements.txt', '.git/HEAD'] },
    goodContext: { dockerignore: DEFAULT_DOCKERIGNORE, files: ['app/__init__.py', 'requirements.txt'] },
    fixable: true,
    aliases: [],
  },
  check(ctx) {
    if (!ctx.context.exists || ctx.context.ignoreFile) return;
    const first = wholeContextInstructions(ctx.file)[0];
    if (!first) return;
    const what = first.keyword === 'RUN' ? 'a bind mount of the whole context' : shortText(first, 40);
    ctx.report({
      line: first.span.start.line,
      message: `no .dockerignore, and ${what} sends everything in the context (.git, .venv, __pycache__, local .env files) into the build: any change there re-runs this step and ships a new layer; add a .dockerignore`,
      fix: {
        description: 'create .dockerignore with Python defaults',
        edits: [],
        createFiles: [{ path: '.dockerignore', content: DEFAULT_DOCKERIGNORE }],
      },
    });
  },
};
