/**
 * `audit --build`: measures instead of estimating. Asks the engine first (a missing one is a
 * one-line error before anything else), then proves each image in turn with proveImage
 * (src/audit/prove.ts): builds in temp copies of the context through the one build driver, a
 * one-line code change, a second build, the two images diffed; the user's tree is never touched
 * and the images are removed unless --keep-images.
 */
import { proveImage } from '../audit/prove.js';
import type { AuditImage, AuditResult, AuditTarget } from '../audit/types.js';
import { buildEnvironment } from '../engine/build.js';
import { UserError } from '../errors.js';

export interface BuildCliOptions {
  builder?: string;
  buildArg?: Record<string, string>;
  keepImages?: boolean;
  network?: string;
  /** The file (relative to the build context) the code change edits. */
  touch?: string;
}

const NETWORKS = ['default', 'host', 'none'] as const;

/** Proves every image, one at a time (they share the engine); progress goes to standard error. */
export async function proveAll(
  images: AuditImage[],
  targets: AuditTarget[],
  root: string,
  opts: BuildCliOptions,
): Promise<{ images: AuditImage[]; build: NonNullable<AuditResult['build']> }> {
  const network = opts.network as (typeof NETWORKS)[number] | undefined;
  if (network !== undefined && !NETWORKS.includes(network))
    throw new UserError(`--network ${opts.network}: expected ${NETWORKS.join(', ')}`);
  const env = await buildEnvironment({ builder: opts.builder });
  const out: AuditImage[] = [];
  for (let i = 0; i < images.length; i++)
    out.push(
      await proveImage(images[i], targets[i], root, {
        builder: opts.builder,
        buildArgs: opts.buildArg,
        keepImages: opts.keepImages,
        network,
        touch: opts.touch,
        onStep: (what) => process.stderr.write(`${what}\n`),
      }),
    );
  return { images: out, build: { engine: env.engine, builder: env.builder } };
}
