/** Temp copies of the fixture projects, with init --split-base's real Dockerfile pair, for the ship unit tests. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUNDLE_BIN, findRoot } from './repo.js';

export const FIXTURES = join(findRoot(), 'test', 'fixtures', 'projects');

export interface Scratch {
  dir: string;
  read(rel: string): string;
  write(rel: string, text: string): void;
  /** Replaces `from` (which must occur) in a file. */
  edit(rel: string, from: string | RegExp, to: string): void;
  done(): void;
}

/** A temp copy of test/fixtures/projects/NAME; with `split`, after `layerwise init --split-base` ran in it. */
export function fixtureCopy(name: string, split = true): Scratch {
  const dir = mkdtempSync(join(tmpdir(), `lw-ship-${name}-`));
  try {
    cpSync(join(FIXTURES, name), dir, { recursive: true });
    if (split) execFileSync(process.execPath, [BUNDLE_BIN, 'init', '--split-base'], { cwd: dir, stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return scratchAt(dir);
}

/** A temp directory with the given files. */
export function scratchDir(files: Record<string, string>): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'lw-ship-'));
  const s = scratchAt(dir);
  for (const [rel, text] of Object.entries(files)) s.write(rel, text);
  return s;
}

function scratchAt(dir: string): Scratch {
  const read = (rel: string) => readFileSync(join(dir, rel), 'utf8');
  const write = (rel: string, text: string) => {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };
  return {
    dir,
    read,
    write,
    edit(rel, from, to) {
      const text = read(rel);
      const next = text.replace(from, to);
      if (next === text) throw new Error(`${rel}: ${String(from)} not found`);
      write(rel, next);
    },
    done: () => rmSync(dir, { recursive: true, force: true }),
  };
}
