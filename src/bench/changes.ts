/**
 * The scenarios' edits, made in the bench copy of a context (workspace.ts), and the build
 * request each scenario adds. Edits are cumulative: each scenario, and each repetition of it,
 * starts from the state the one before left (code-change appends another line, dependency-change
 * adds another package). Every scenario builds under the run's cache key so that no other build's
 * cache records can answer; `cold` takes a fresh key per repetition and later scenarios reuse the
 * last cold key, so `warm` is warm against the run's own cold build.
 */
import { existsSync, readFileSync, statSync, utimesSync, appendFileSync } from 'node:fs';
import { extname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { pickCodeFile } from '../audit/image.js';
import type { BuildRequest } from '../engine/build.js';
import { UserError } from '../errors.js';
import { rebuildBase } from './base-change.js';
import { changeDependency } from './dep-change.js';
import type { ScenarioName } from './types.js';
import { type BenchCopy, type BenchImageSource, detachFile, inCopy } from './workspace.js';

/** How a run's scenarios change the copy. */
export interface ChangeOptions {
  /** --touch FILE (relative to the context): the file code-change appends to. */
  touch?: string;
  /** --dep-change 'CMD': run with `sh -c` in the copy instead of the project's manager. */
  depChange?: string;
  /** The index the project uses (from buildArgs or the project's config), for the manager's commands. */
  indexUrl?: string;
  /** Unique per bench run (keys the build cache and names the rebuilt base image). */
  runKey: string;
  docker?: string;
  host?: string;
  /** Extra environment for the dependency manager's commands (e.g. a PATH holding uv or poetry). */
  env?: Record<string, string>;
}

/** One scenario's edit, applied. */
export interface AppliedChange {
  /** What changed, in words, for the report. */
  change: string;
  /**
   * What this scenario's build adds to the image's request: context and dockerfile (the copy's),
   * cacheKey and isolateCacheMounts. Every scenario carries the same isolateCacheMounts as cold,
   * so the Dockerfile text is the same and cold's records can answer warm's steps; a run that
   * primes the cache without `cold` should prime with warm's request.
   */
  request: Partial<BuildRequest>;
  /** Removes what the change made outside the copy (base-change's rebuilt base image). */
  cleanup?: () => Promise<void>;
}

interface CopyState {
  /** The cache key later scenarios build under: the last cold key, else the run key. */
  key?: string;
}
const states = new WeakMap<BenchCopy, CopyState>();

function stateOf(copy: BenchCopy): CopyState {
  let s = states.get(copy);
  if (!s) states.set(copy, (s = {}));
  return s;
}

/** A cache key as a build arg value and part of a cache-mount id: no spaces, commas or slashes. */
export function cacheKeyFor(runKey: string, suffix?: string): string {
  const clean = runKey.replace(/[^A-Za-z0-9_.-]+/g, '-');
  return suffix ? `${clean}-${suffix}` : clean;
}

/**
 * Applies scenario `name`'s edit to `copy` (cumulative across scenarios and repetitions, which
 * count from 1) and says how to build it. Throws a UserError when the edit cannot be made
 * (no code file to touch, no manager for the dependency change, a base FROM scratch...).
 */
export async function applyChange(
  name: ScenarioName,
  copy: BenchCopy,
  img: BenchImageSource,
  opts: ChangeOptions,
  repetition: number,
): Promise<AppliedChange> {
  const state = stateOf(copy);
  const base: Partial<BuildRequest> = { context: copy.context, dockerfile: copy.dockerfile, isolateCacheMounts: true };
  switch (name) {
    case 'cold': {
      // A fresh key per repetition: each cold build is cold, cache mounts included. The key only
      // reaches the steps after the ARG it inserts; --no-cache makes the COPY/ADD/WORKDIR steps
      // before the first RUN cold too (the engine still records the results, so warm is warm).
      state.key = cacheKeyFor(opts.runKey, `cold${repetition}`);
      return {
        change: 'no build cache (--no-cache, a key of its own, empty cache mounts)',
        request: { ...base, cacheKey: state.key, noCache: true },
      };
    }
    case 'warm':
      return { change: 'nothing changed', request: { ...base, cacheKey: keyOf(state, opts) } };
    case 'code-change': {
      const file = codeFile(copy, img, opts.touch);
      detachFile(copy.context, file, 'code-change');
      appendLine(copy.context, file, repetition);
      return { change: `appended a line to ${file}`, request: { ...base, cacheKey: keyOf(state, opts) } };
    }
    case 'dependency-change': {
      const change = await changeDependency(copy, img, opts);
      return { change, request: { ...base, cacheKey: keyOf(state, opts) } };
    }
    case 'base-change': {
      const rebuilt = await rebuildBase(copy, img, opts, repetition);
      return { change: rebuilt.change, request: { ...base, cacheKey: keyOf(state, opts) }, cleanup: rebuilt.cleanup };
    }
  }
}

function keyOf(state: CopyState, opts: ChangeOptions): string {
  return state.key ?? cacheKeyFor(opts.runKey);
}

/**
 * The file code-change appends to, relative to the copy's context: --touch (which must be in the
 * build context, after .dockerignore), else the app's own module from the project model.
 */
export function codeFile(copy: BenchCopy, img: BenchImageSource, touch: string | undefined): string {
  // A link to a file counts (an edit goes to a real copy of it: detachFile).
  const isFile = (p: string): boolean => existsSync(p) && statSync(p).isFile();
  if (touch !== undefined) {
    const rel = normalize(touch.replace(/^\.\//, '')).split(sep).join('/');
    if (isAbsolute(touch) || rel.startsWith('../') || rel === '..')
      throw new UserError(`--touch ${touch}: give a path relative to the build context ${img.context}`);
    if (isFile(join(copy.context, rel))) return rel;
    if (isFile(join(img.context, rel)))
      throw new UserError(
        `--touch ${touch}: the .dockerignore leaves it out of the build context; pick a file the build sees`,
      );
    throw new UserError(`--touch ${touch}: no such file in the build context ${img.context}`);
  }
  const project = img.project;
  const projectCopy = project ? inCopy(copy, img, project.dir) : undefined;
  if (project && projectCopy) {
    const prefix = relative(copy.context, projectCopy).split(sep).join('/');
    const under = (f: string): string => (prefix ? `${prefix}/${f}` : f);
    const hit = pickCodeFile(project, (f) => isFile(join(copy.context, under(f))));
    if (hit) return under(hit);
  }
  throw new UserError(
    `${img.context}: no source file of the app found in the build context to change; name one with --touch FILE`,
  );
}

const HASH_COMMENT = new Set(['.py', '.pyi', '.sh', '.toml', '.yaml', '.yml', '.cfg', '.ini', '.rb', '.r', '.pl']);
const SLASH_COMMENT = new Set(['.js', '.mjs', '.cjs', '.ts', '.go', '.rs', '.java', '.c', '.h', '.cpp', '.cs', '.kt']);

/**
 * Appends one line to `file` (relative to `dir`), in the comment syntax of its kind, and moves
 * its mtime forward: a change of size, content and mtime, as an edit makes. The repetition is in
 * the line, so each repetition's file differs from the last.
 */
export function appendLine(dir: string, file: string, repetition: number): void {
  const path = join(dir, file);
  const ext = extname(file).toLowerCase();
  const words = `layerwise bench code-change ${repetition}`;
  const line = HASH_COMMENT.has(ext)
    ? `# ${words}`
    : SLASH_COMMENT.has(ext)
      ? `// ${words}`
      : ext === '.html' || ext === '.md' || ext === '.xml'
        ? `<!-- ${words} -->`
        : words;
  const text = readFileSync(path, 'utf8');
  appendFileSync(path, `${text.endsWith('\n') || !text ? '' : '\n'}${line}\n`);
  const st = statSync(path);
  const later = new Date(Math.max(Date.now(), st.mtimeMs) + 2000);
  utimesSync(path, later, later);
}
