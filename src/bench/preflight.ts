/**
 * What a bench run needs, checked once before any build: a run that would fail at its fourth
 * scenario after minutes of builds (no file to touch, no manager for the dependency change, a base
 * FROM scratch, a history file that is a directory, a report that cannot be written) fails at the
 * start instead, with one line, and builds nothing.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parseDockerfile } from '../dockerfile/parse.js';
import { loadShell } from '../dockerfile/shell-load.js';
import { UserError } from '../errors.js';
import { baseOf } from './base-change.js';
import { codeFile } from './changes.js';
import { CANDIDATES, planAdd } from './dep-change.js';
import { readHistory } from './history.js';
import type { ScenarioName } from './types.js';
import { type BenchImageSource, copyForBench, inCopy } from './workspace.js';

/** What the later scenarios read of the run's options. */
export interface PreflightOptions {
  touch?: string;
  depChange?: string;
  /** The index each image's dependency change uses (from its build args). */
  indexUrlOf: (img: BenchImageSource) => string | undefined;
  /** --builder or --buildkit, when given (base-change builds its base in the local engine). */
  remoteBuilder?: string;
  /** PATH the managers are looked up on. */
  path?: string;
}

/** --touch and --dep-change belong to a scenario: given without it, they would silently do nothing. */
export function checkScenarioOptions(
  scenarios: readonly ScenarioName[],
  o: { touch?: string; depChange?: string },
): void {
  if (o.touch !== undefined && !scenarios.includes('code-change'))
    throw new UserError(
      `--touch ${o.touch}: code-change is not among --scenarios (${scenarios.join(',')}); add it or drop --touch`,
    );
  if (o.depChange !== undefined && !scenarios.includes('dependency-change'))
    throw new UserError(
      `--dep-change: dependency-change is not among --scenarios (${scenarios.join(',')}); add it or drop --dep-change`,
    );
}

/** Checks, in a throwaway copy of each image's context, that every selected scenario's edit can be made. */
export async function checkScenarios(
  images: BenchImageSource[],
  scenarios: readonly ScenarioName[],
  o: PreflightOptions,
): Promise<void> {
  checkScenarioOptions(scenarios, o);
  if (scenarios.includes('base-change') && o.remoteBuilder !== undefined)
    throw new UserError(
      `base-change builds its rebuilt base in the local engine, which ${o.remoteBuilder} cannot use; leave base-change out of --scenarios or drop ${o.remoteBuilder}`,
    );
  const needs = (['code-change', 'dependency-change', 'base-change'] as const).filter((s) => scenarios.includes(s));
  if (!needs.length) return;
  if (needs.includes('base-change')) await loadShell();
  for (const img of images) {
    const copy = copyForBench(img);
    try {
      if (needs.includes('code-change')) codeFile(copy, img, o.touch);
      if (needs.includes('dependency-change') && o.depChange === undefined) checkManager(copy, img, o);
      if (needs.includes('base-change'))
        baseOf(
          parseDockerfile(readFileSync(copy.dockerfile, 'utf8'), copy.dockerfile, { buildArgs: img.buildArgs }),
          img.target,
        );
    } finally {
      copy.dispose();
    }
  }
}

function checkManager(copy: ReturnType<typeof copyForBench>, img: BenchImageSource, o: PreflightOptions): void {
  const p = img.project;
  const dir = p ? inCopy(copy, img, p.dir) : undefined;
  if (!p || !dir || !existsSync(dir))
    throw new UserError(
      `dependency-change: no Python project in the build context ${img.context}; give the change with --dep-change 'CMD'`,
    );
  // planAdd refuses what no tool can do (hashed pip requirements, a pip-tools lock without its .in).
  const plan = planAdd(p, dir, CANDIDATES[0], o.indexUrlOf(img));
  if (plan.tool && !onPath(plan.tool, o.path ?? process.env.PATH ?? ''))
    throw new UserError(
      `dependency-change needs ${plan.tool} (the project's manager, ${p.manager}) on PATH: install it, or give the change with --dep-change 'CMD'`,
    );
}

function onPath(tool: string, path: string): boolean {
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((d) => {
      try {
        accessSync(join(d, tool), constants.X_OK);
        return statSync(join(d, tool)).isFile();
      } catch {
        return false;
      }
    });
}

/** The history file: not a directory, and, when it has lines, a bench history. */
export function checkHistoryFile(file: string): void {
  if (existsSync(file)) {
    if (statSync(file).isDirectory())
      throw new UserError(`--history ${file}: is a directory; give the history file's path`);
    const { results, warnings } = readHistory(file);
    if (!results.length && warnings.length)
      throw new UserError(`--history ${file}: is not a bench history (${warnings[0]}); give another file`);
  }
  writableDir(dirname(file), '--history', file, true);
}

/** A report file's directory must exist (reports are not written into new directories) and be writable. */
export function checkReportFile(flag: string, file: string): void {
  writableDir(dirname(resolve(file)), flag, file, false);
}

function writableDir(dir: string, flag: string, file: string, created: boolean): void {
  let d = resolve(dir);
  // The history's directory is made on the first write: its nearest existing parent must take it.
  while (created && !existsSync(d) && dirname(d) !== d) d = dirname(d);
  if (!existsSync(d) || !statSync(d).isDirectory())
    throw new UserError(`${flag} ${file}: the directory ${dir} does not exist; create it first`);
  try {
    accessSync(d, constants.W_OK);
  } catch {
    throw new UserError(`${flag} ${file}: cannot write in ${d}; give a path you can write`);
  }
}
