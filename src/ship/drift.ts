/**
 * `ship --rebuild-base`: a base rebuilt for a fingerprint the registry already holds is compared
 * with the pushed one, layer by layer and file by file, with diff's verdicts (metadata-only:
 * timestamps; caches-only: apt lists; pyc-only: bytecode), instead of being pushed over it.
 */
import { diffImages } from '../image/diff.js';
import { openImage } from '../image/open.js';
import { parsePlatform } from '../image/platform.js';
import type { DriftReport } from './types.js';

/** Compares the engine's `localRef` with the registry's `pushedRef` (HOST/REPO@digest). */
export async function baseDrift(
  pushedRef: string,
  localRef: string,
  opts: { insecure?: boolean; platform?: string } = {},
): Promise<DriftReport> {
  const pushed = await openImage(`docker://${pushedRef}`, {
    insecure: opts.insecure,
    platform: opts.platform ? parsePlatform(opts.platform) : undefined,
  });
  const local = await openImage(`engine:${localRef}`);
  const same =
    pushed.layers.length === local.layers.length && pushed.layers.every((l, i) => l.diffId === local.layers[i].diffId);
  if (same) return { identical: true, layers: [] };
  const d = await diffImages(pushed, local, { files: true });
  const layers = d.layers
    .filter((l) => !l.shared)
    .map((l) => ({
      index: l.index,
      verdict: l.verdict,
      reason: l.reason ?? (l.verdict ? l.verdict : 'differs from the pushed base'),
      createdBy: l.createdBy ?? undefined,
    }));
  return { identical: false, layers };
}
