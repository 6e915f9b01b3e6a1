/**
 * Pull prediction for `diff`: which NEW layers a host holding OLD (or a whole host) downloads,
 * for the containerd image store (by blob digest) and the classic store (by ChainID).
 */
import type { DiffLayer, DiffResult, HeldLayers } from './diff.js';
import { maskSecrets } from './analyze/secrets.js';
import type { Image } from './model.js';

export interface PullPrediction {
  layers: DiffLayer[];
  pull: DiffResult['pull'];
}

export function predictPull(oldImg: Image | null, newImg: Image, held: HeldLayers | undefined): PullPrediction {
  const oldChains = held?.chainIds ?? new Set(oldImg!.layers.map((l) => l.chainId));
  const oldBlobs = held?.knownBlobs ?? new Set(oldImg!.layers.map((l) => l.digest));
  // An image already on the host is not pulled at all.
  const upToDate = !!held?.imageIds.has(newImg.configDigest);
  // Classic store: reused while the ChainID is there (and, on a host, the engine knows the blob digest).
  let firstMissing: number | null = null;
  if (!upToDate)
    for (const l of newImg.layers)
      if (!oldChains.has(l.chainId) || (held && !held.knownBlobs.has(l.digest))) {
        firstMissing = l.index;
        break;
      }
  const containerdSeen = new Set<string>();
  const classicSeen = new Set<string>();
  let cBytes = 0;
  let cLayers = 0;
  let kBytes = 0;
  let kLayers = 0;
  const layers: DiffLayer[] = newImg.layers.map((l) => {
    const shared = oldChains.has(l.chainId);
    const blobInOld = oldBlobs.has(l.digest);
    const pulledContainerd = !upToDate && !blobInOld && !containerdSeen.has(l.digest);
    if (pulledContainerd) {
      containerdSeen.add(l.digest);
      cBytes += l.size;
      cLayers++;
    }
    const pulledClassic = firstMissing !== null && l.index >= firstMissing;
    if (pulledClassic) {
      kLayers++;
      if (!classicSeen.has(l.digest)) {
        classicSeen.add(l.digest);
        kBytes += l.size;
      }
    }
    return {
      index: l.index,
      digest: l.digest,
      diffId: l.diffId,
      size: l.size,
      // Shown in every diff format: secrets in it masked, as in inspect.
      createdBy: maskSecrets(l.createdBy),
      shared,
      blobInOld,
      pulledClassic,
      pulledContainerd,
      comparedWith: null,
      change: null,
      verdict: null,
      reason: null,
      fix: null,
    };
  });
  return {
    layers,
    pull: {
      containerd: { bytes: cBytes, layers: cLayers },
      classic: { bytes: kBytes, layers: kLayers, firstMissingLayer: firstMissing },
    },
  };
}
