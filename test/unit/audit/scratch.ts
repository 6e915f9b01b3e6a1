/** A throwaway directory tree for discovery tests, and the monorepo fixture's path. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { findRoot } from '../repo.js';

export const MONOREPO = join(findRoot(), 'test', 'fixtures', 'audit', 'monorepo');

/** Writes `files` (relative path -> text) under a new temp dir; `done` removes it. */
export function scratch(files: Record<string, string>): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'lw-discover-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A path relative to `root`, `/`-separated, `.` for the root: keeps assertions readable. */
export function rel(root: string, abs: string): string {
  return relative(root, abs).split('\\').join('/') || '.';
}
