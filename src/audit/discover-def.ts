/**
 * What every discovery source (compose, bake, workflows) hands to the merger: one build
 * definition with paths already resolved the way its tool resolves them, plus helpers the
 * sources share (reading a definition file safely, interpolation of `${VAR}` in paths, relative
 * paths for messages).
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { TargetOrigin } from './types.js';

/** One image a definition file asks to build, before merging with the others. */
export interface BuildDef {
  /** Display name the source proposes (service, bake target, image tag); may be empty. */
  name: string;
  /** Absolute Dockerfile path. */
  dockerfile: string;
  /** Absolute context directory. */
  context: string;
  target?: string;
  args: Record<string, string>;
  /** Usually one; a compose service whose override file changes its build has two. */
  origins: TargetOrigin[];
}

/** What one source found in one file: definitions and one-line warnings. */
export interface SourceResult {
  defs: BuildDef[];
  warnings: string[];
}

/** Definition files bigger than this are not real compose/bake/workflow files; skipping them keeps discovery fast. */
export const MAX_DEF_FILE_BYTES = 2 * 1024 * 1024;

/** `/`-separated path of `abs` relative to `root` (`.` for the root itself). */
export function relPath(root: string, abs: string): string {
  const r = relative(root, abs);
  if (r === '') return '.';
  return sep === '/' ? r : r.split(sep).join('/');
}

/** `file:line` (or `file`) prefix for a warning. */
export function where(file: string, line?: number): string {
  return line ? `${file}:${line}` : file;
}

/**
 * Reads a definition file as text, or returns a warning line: a definition file we cannot read
 * must not stop discovery of the rest of the repository.
 */
export function readDefFile(root: string, abs: string): { text: string } | { warning: string } {
  const rel = relPath(root, abs);
  try {
    const size = statSync(abs).size;
    if (size > MAX_DEF_FILE_BYTES)
      return { warning: `${rel}: ${size} bytes, too big for a build definition file; skipped` };
    return { text: readFileSync(abs, 'utf8') };
  } catch (e) {
    return { warning: `${rel}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); skipped` };
  }
}

/** True for contexts no local directory stands for: git and HTTP(S) URLs, `ssh://`, `git@host:`. */
export function isRemoteContext(ctx: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ctx) || /^git@[^:]+:/.test(ctx) || /^github\.com\//.test(ctx);
}

/** Resolves `p` against `base` unless absolute. */
export function resolveFrom(base: string, p: string): string {
  return isAbsolute(p) ? resolve(p) : resolve(base, p);
}

/** 1-based line of character offset `pos` in `text`. */
export function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Checks that a definition's context is a directory and its Dockerfile a file; returns the
 * warning line when not, so the caller drops the definition with a reason.
 */
export function checkPaths(root: string, def: BuildDef): string | null {
  const o = def.origins[0];
  const at = `${where(o.file, o.line)}: ${o.detail ?? def.name}`;
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  const isFile = (p: string) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (!isDir(def.context))
    return `${at}: build context ${relPath(root, def.context)} is not a directory; skipped (fix the context path)`;
  if (!isFile(def.dockerfile))
    return `${at}: Dockerfile ${relPath(root, def.dockerfile)} not found; skipped (fix the dockerfile path)`;
  return null;
}

/** Stringifies a YAML/JSON scalar the way compose and bake turn it into a build-arg value. */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}
