/**
 * base-change: a new base image, as a rebuilt upstream image (a security update) brings. The
 * image the built stage starts FROM gets one new layer, is tagged with the run key, and every
 * FROM of the copy's Dockerfile that names that image is pointed at it, so every step of those
 * stages runs again.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage, removeImages } from '../engine/build.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { loadShell } from '../dockerfile/shell-load.js';
import { stageChain } from '../dockerfile/stages.js';
import type { Dockerfile } from '../dockerfile/types.js';
import { UserError } from '../errors.js';
import type { BenchCopy, BenchImageSource } from './workspace.js';

/** The options of changes.ts's ChangeOptions this module reads. */
interface BaseOptions {
  runKey: string;
  docker?: string;
  host?: string;
}

/** The base image as the user's Dockerfile names it, kept from the first repetition on (later ones see the rebuilt tag). */
const originals = new WeakMap<BenchCopy, string>();

/** The repository bench tags rebuilt bases with (lower case, as image names must be). */
export const BASE_REPOSITORY = 'layerwise-bench-base';

/**
 * `layerwise-bench-base:<run key>-<copy>-<repetition>` (a tag holds at most 128 of [A-Za-z0-9_.-]).
 * The copy's part keeps apart the bases of the images one run benches (--against, compose
 * services), which may rebuild different bases in the same scenario and repetition.
 */
export function baseTag(runKey: string, copy: string, repetition: number): string {
  const tag = `${runKey}-${copy}-${repetition}`.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '');
  return `${BASE_REPOSITORY}:${tag.slice(-128)}`;
}

/**
 * The FROM of the stage the build ships (the --target stage, else the last), followed through
 * the stages it is built FROM to the one that names an image: that instruction and the image.
 */
export function baseOf(file: Dockerfile, target?: string): { from: Dockerfile['instructions'][number]; image: string } {
  const stage = target
    ? file.stages.find((s) => s.name?.toLowerCase() === target.toLowerCase())
    : file.stages[file.stages.length - 1];
  if (!stage)
    throw new UserError(
      target ? `--target ${target}: no stage of that name in ${file.path}` : `${file.path} has no FROM instruction`,
    );
  const chain = stageChain(file, stage);
  const root = chain[chain.length - 1];
  if (root.base.scratch)
    throw new UserError(
      `base-change: the built stage starts FROM scratch, there is no base image to rebuild; leave base-change out of --scenarios`,
    );
  if (root.base.dynamic || root.base.resolved.includes('$'))
    throw new UserError(
      `base-change: the base image ${root.base.raw} names a build arg with no value; give it with --build-arg`,
    );
  return { from: root.from, image: root.base.resolved };
}

/** `FROM [flags] IMAGE [AS name]` with IMAGE replaced, as written otherwise. */
export function rewriteFrom(text: string, from: Dockerfile['instructions'][number], image: string): string {
  const flags = from.flags.map((f) => text.slice(f.span.startOffset, f.span.endOffset));
  const name = from.args.length >= 3 && from.args[1].toUpperCase() === 'AS' ? ` ${from.args[1]} ${from.args[2]}` : '';
  const line = [from.rawKeyword, ...flags, image].join(' ') + name;
  return text.slice(0, from.span.startOffset) + line + text.slice(from.span.endOffset);
}

/**
 * Builds the rebuilt base (the original base + one small layer unique to this run and
 * repetition), tags it, and points the copy's Dockerfile at it. The cleanup removes the tag.
 */
export async function rebuildBase(
  copy: BenchCopy,
  img: BenchImageSource,
  opts: BaseOptions,
  repetition: number,
): Promise<{ change: string; cleanup: () => Promise<void> }> {
  await loadShell();
  const text = readFileSync(copy.dockerfile, 'utf8');
  const file = parseDockerfile(text, copy.dockerfile, { buildArgs: img.buildArgs });
  const { image } = baseOf(file, img.target);
  const original = originals.get(copy) ?? image;
  originals.set(copy, original);
  const tag = baseTag(opts.runKey, createHash('sha256').update(copy.context).digest('hex').slice(0, 6), repetition);
  const work = mkdtempSync(join(tmpdir(), 'layerwise-bench-base-'));
  try {
    // COPY, not RUN: the base may have no shell (distroless), and a file is all a new layer needs.
    writeFileSync(join(work, 'layerwise-bench-base'), `layerwise bench base-change ${opts.runKey} ${repetition}\n`);
    writeFileSync(join(work, 'Dockerfile'), `FROM ${original}\nCOPY layerwise-bench-base /etc/layerwise-bench-base\n`);
    await buildImage({ context: work, tag, docker: opts.docker, host: opts.host });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  // Every stage FROM that image gets the rebuilt one, as when the upstream image is rebuilt and pulled.
  const froms = file.stages.filter((s) => s.base.stage === undefined && s.base.resolved === image).map((s) => s.from);
  let out = text;
  for (const f of froms.sort((a, b) => b.span.startOffset - a.span.startOffset)) out = rewriteFrom(out, f, tag);
  writeFileSync(copy.dockerfile, out);
  return {
    change: `rebuilt the base image ${original} with one new layer (${tag}), for ${froms.length} stage${froms.length === 1 ? '' : 's'}`,
    cleanup: () => removeImages([tag], { docker: opts.docker, host: opts.host }),
  };
}
