/**
 * Runs the ShellCheck binary over many scripts in few processes: every script becomes a file in
 * one temporary directory, and each process reads a share of them (`shellcheck --format=json1
 * a b c ...`). ShellCheck starts in ~30 ms and checks a RUN in ~1-2 ms, so one process per
 * script would cost far more than the checking; a share per core uses the cores that are free.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { ShellcheckComment } from './map.js';

/**
 * Checks not worth reporting on a RUN: the file a script sources is in the image, not here
 * (SC1090, SC1091).
 */
export const EXCLUDED = ['SC1090', 'SC1091'];

/** Scripts below which a second process is not worth its start-up. */
const MIN_SCRIPTS_PER_PROCESS = 40;

/**
 * ShellCheck's comments for each of `scripts`, in order. A script that occurs more than once
 * (the same RUN, laid out the same, in several Dockerfiles) is checked once. Throws UserError
 * when ShellCheck fails.
 */
export async function runShellcheck(binary: string, scripts: string[]): Promise<ShellcheckComment[][]> {
  if (scripts.length === 0) return [];
  const unique = [...new Set(scripts)];
  const byText = new Map(unique.map((s, i) => [s, i]));
  const found: ShellcheckComment[][] = unique.map(() => []);
  const dir = mkdtempSync(join(tmpdir(), 'layerwise-shellcheck-'));
  try {
    const names = unique.map((s, i) => {
      const name = `${i}.sh`;
      writeFileSync(join(dir, name), s);
      return name;
    });
    const processes = Math.max(
      1,
      Math.min(availableParallelism(), Math.floor(unique.length / MIN_SCRIPTS_PER_PROCESS)),
    );
    const shares = Array.from({ length: processes }, (_, k) => names.filter((_, i) => i % processes === k));
    const results = await Promise.all(shares.map((share) => runOnce(binary, dir, share)));
    for (const comments of results)
      for (const c of comments) {
        const i = Number.parseInt(c.file, 10);
        if (i >= 0 && i < found.length) found[i].push(c);
      }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return scripts.map((s) => found[byText.get(s)!]);
}

function runOnce(binary: string, cwd: string, files: string[]): Promise<ShellcheckComment[]> {
  const args = ['--format=json1', `--exclude=${EXCLUDED.join(',')}`, ...files];
  return new Promise((resolve, reject) => {
    execFile(binary, args, { cwd, maxBuffer: 1 << 30, windowsHide: true }, (error, stdout, stderr) => {
      const fail = (why: string) =>
        reject(
          new UserError(`shellcheck (${binary}) failed: ${why}; fix it or pass --shellcheck=off to lint without it`),
        );
      const said = String(stderr).trim().split('\n')[0];
      // Exit 1 means "found something"; anything else is a failure of ShellCheck.
      const code: unknown = error ? (error as { code?: unknown }).code : 0;
      if (error && code !== 1) return fail(typeof code === 'string' ? code : said || error.message);
      try {
        const parsed = JSON.parse(String(stdout)) as { comments?: ShellcheckComment[] };
        resolve(parsed.comments ?? []);
      } catch {
        fail(said || 'it printed no --format=json1 output (ShellCheck 0.7 or later has it)');
      }
    });
  });
}
