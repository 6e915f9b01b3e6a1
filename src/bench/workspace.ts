/**
 * The temp copy of a build context that every bench edit happens in: the user's tree is only
 * read, never written. The copy holds what the build would see (the context after the
 * .dockerignore that applies to the Dockerfile), the Dockerfile, and any overlay files
 * (--against init's Dockerfile and .dockerignore) laid over it.
 */
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseDockerignore } from '../dockerfile/dockerignore.js';
import { UserError } from '../errors.js';
import type { PythonProject } from '../project/types.js';
import { copyContext, ignoreFileFor, readPatterns } from '../audit/prove-context.js';

/**
 * What copyForBench and applyChange read of an image to bench. `BenchImage` of plan.ts has
 * these fields (and more); declared here by shape so the two modules do not import each other.
 */
export interface BenchImageSource {
  /** Absolute context dir (the user's). */
  context: string;
  /** Absolute Dockerfile path (the user's), or a path inside the context that an overlay provides. */
  dockerfile: string;
  target?: string;
  buildArgs: Record<string, string>;
  /** Files laid over the copy: paths relative to the context (or absolute inside it, or the Dockerfile's own path). */
  overlay?: { path: string; content: string }[];
  /** The Python project model of the context, when it is one. */
  project: PythonProject | null;
}

/** A temp copy of one image's context. */
export interface BenchCopy {
  /** Temp dir holding the copy of the context (what .dockerignore excludes is left out). */
  context: string;
  /** The Dockerfile to build (inside the copy, or beside it when the user's lies outside the context). */
  dockerfile: string;
  /** Removes everything it made. */
  dispose(): void;
}

/** True when `p` is `dir` or lies under it. */
function inside(dir: string, p: string): boolean {
  const r = relative(dir, p);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** An overlay path as a path relative to the context; the Dockerfile's own path maps to `dockerfileRel`. */
function overlayRel(img: BenchImageSource, path: string, dockerfileRel: string | undefined): string {
  const abs = isAbsolute(path) ? resolve(path) : resolve(img.context, path);
  if (abs === resolve(img.dockerfile) && dockerfileRel !== undefined) return dockerfileRel;
  if (!inside(img.context, abs) || abs === resolve(img.context))
    throw new UserError(`overlay file ${path} lies outside the build context ${img.context}`);
  return relative(img.context, abs).split(sep).join('/');
}

/**
 * Copies `img`'s context to a new temp dir, leaving out what its .dockerignore excludes (an
 * overlay's .dockerignore, when it brings one, decides instead of the user's), writes the
 * Dockerfile into the copy (or beside it, with its `NAME.dockerignore`, when the user's lies
 * outside the context) and lays the overlay files over it. Throws a UserError when the context
 * or the Dockerfile is missing; nothing is left behind then.
 */
export function copyForBench(img: BenchImageSource): BenchCopy {
  const context = resolve(img.context);
  const dockerfile = resolve(img.dockerfile);
  if (!existsSync(context)) throw new UserError(`build context ${context} does not exist`);
  const dfInside = inside(context, dockerfile);
  const dfRel = dfInside ? relative(context, dockerfile).split(sep).join('/') : undefined;
  const overlay = (img.overlay ?? []).map((f) => ({ rel: overlayRel(img, f.path, dfRel), content: f.content }));
  const dfOverlay = dfRel !== undefined ? overlay.find((f) => f.rel === dfRel) : undefined;
  if (!dfOverlay && !existsSync(dockerfile)) throw new UserError(`Dockerfile ${dockerfile} does not exist`);

  // The ignore file BuildKit will read for this Dockerfile: an overlay's wins over the user's.
  const ignoreOverlay =
    (dfRel !== undefined ? overlay.find((f) => f.rel === `${dfRel}.dockerignore`) : undefined) ??
    overlay.find((f) => f.rel === '.dockerignore');
  const patterns = ignoreOverlay
    ? parseDockerignore(ignoreOverlay.content)
    : readPatterns(ignoreFileFor(dockerfile, context));

  const root = mkdtempSync(join(tmpdir(), 'layerwise-bench-'));
  const dispose = (): void => rmSync(root, { recursive: true, force: true });
  try {
    const copyContextDir = join(root, 'context');
    copyContext(context, copyContextDir, patterns);
    let copyDockerfile: string;
    if (dfRel !== undefined) {
      // BuildKit reads the Dockerfile even when the .dockerignore lists it: it must be in the copy.
      copyDockerfile = join(copyContextDir, dfRel);
      if (!dfOverlay) {
        mkdirSync(dirname(copyDockerfile), { recursive: true });
        copyFileSync(dockerfile, copyDockerfile);
        if (existsSync(`${dockerfile}.dockerignore`))
          copyFileSync(`${dockerfile}.dockerignore`, `${copyDockerfile}.dockerignore`);
      }
    } else {
      copyDockerfile = join(root, 'dockerfile', basename(dockerfile));
      mkdirSync(dirname(copyDockerfile), { recursive: true });
      writeFileSync(copyDockerfile, readFileSync(dockerfile));
      if (existsSync(`${dockerfile}.dockerignore`))
        copyFileSync(`${dockerfile}.dockerignore`, `${copyDockerfile}.dockerignore`);
    }
    // An overlay Dockerfile goes with the overlay's ignore file, never with the user's `NAME.dockerignore`.
    if (dfOverlay) rmSync(`${copyDockerfile}.dockerignore`, { force: true });
    for (const f of overlay) {
      const to = join(copyContextDir, f.rel);
      mkdirSync(dirname(to), { recursive: true });
      // An overlay replaces what the copy holds there: a symlink is removed, never written through.
      rmSync(to, { force: true });
      writeFileSync(to, f.content);
    }
    return { context: copyContextDir, dockerfile: copyDockerfile, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}

/** The copy's path of a directory of the user's context (e.g. the project dir), or undefined when it lies outside. */
export function inCopy(copy: BenchCopy, img: BenchImageSource, userPath: string): string | undefined {
  const abs = resolve(userPath);
  if (!inside(resolve(img.context), abs)) return undefined;
  return join(copy.context, relative(resolve(img.context), abs));
}

/**
 * Makes the copy's file `rel` safe to edit: the copy holds the context's symlinks as they are, and
 * one that leads outside the copy (absolute, or `../` past its root) would carry an edit into the
 * user's tree. Such a link to a regular file is replaced by a real copy of that file (what an edit
 * of it would start from); any other escape (a dangling link, a link to a directory, a parent
 * directory that is a link out) is refused with a UserError naming `what`. Absent files pass:
 * creating them cannot leave the copy once their directory is inside it.
 */
export function detachFile(copyContext: string, rel: string, what: string): void {
  const root = realpathSync(copyContext);
  const path = join(copyContext, rel);
  const refuse = (why: string): never => {
    throw new UserError(`${what}: ${rel} ${why}, outside the copy bench edits; bench will not write through it`);
  };
  // The nearest existing directory above the file must resolve inside the copy.
  let dir = dirname(path);
  while (!existsSync(dir) && inside(copyContext, dirname(dir))) dir = dirname(dir);
  if (existsSync(dir) && !inside(root, realpathSync(dir)))
    refuse(`lies in a linked directory leading to ${realpathSync(dir)}`);
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSymbolicLink()) return;
  const target = resolve(dirname(path), readlinkSync(path));
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return refuse(`is a symlink to ${target}, which does not exist`);
  }
  if (inside(root, real)) return;
  if (!statSync(real).isFile()) refuse(`is a symlink to ${real}`);
  const content = readFileSync(real);
  rmSync(path);
  writeFileSync(path, content);
}
