// Synthetic ship images pushed through the registry write side (src/registry/write.ts): a config
// blob, one tiny gzip layer and an OCI manifest carrying ship's annotations. Used against the fake
// registry (unit tests) and the world's registry alike.
import { gzipSync } from 'node:zlib';
import type { RegistryClient } from '../../src/registry/client.js';
import { pushBlob, putManifest, sha256 } from '../../src/registry/write.js';
import { ANNOTATIONS } from '../../src/ship/types.js';
import { makeTar } from './image/builder.js';

export interface ShipImageSpec {
  /** 'app' or 'base'; null pushes an image without ship's annotations (someone else's image). */
  kind: 'app' | 'base' | null;
  /** Tags to PUT the manifest under (at least one). */
  tags: string[];
  /** ISO time for the created annotation. */
  created: string;
  /** Makes the image distinct (file content, history). */
  label: string;
  baseDigest?: string;
  baseName?: string;
  fingerprint?: string;
  revision?: string;
}

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** Pushes one synthetic image to `repo`; returns its manifest digest. */
export async function pushShipImage(c: RegistryClient, repo: string, spec: ShipImageSpec): Promise<string> {
  const tar = makeTar([{ path: `ship/${spec.label}.txt`, content: `${spec.label}\n` }]);
  const layer = gzipSync(tar, { level: 9 });
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: spec.created,
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      history: [{ created: spec.created, created_by: `synthetic ${spec.label}` }],
    }),
  );
  await pushBlob(c, repo, sha256(layer), layer);
  await pushBlob(c, repo, sha256(config), config);
  const annotations: Record<string, string> = {};
  if (spec.kind) {
    annotations[ANNOTATIONS.kind] = spec.kind;
    annotations[ANNOTATIONS.created] = spec.created;
    if (spec.baseDigest) annotations[ANNOTATIONS.baseDigest] = spec.baseDigest;
    if (spec.baseName) annotations[ANNOTATIONS.baseName] = spec.baseName;
    if (spec.fingerprint) annotations[ANNOTATIONS.fingerprint] = spec.fingerprint;
    if (spec.revision) annotations[ANNOTATIONS.revision] = spec.revision;
  }
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
      ...(spec.kind ? { annotations } : {}),
    }),
  );
  let digest = '';
  for (const tag of spec.tags) digest = await putManifest(c, repo, tag, manifest, OCI_MANIFEST);
  return digest;
}

/** The scenario both gc tests use: bases b1..b3 and releases r1..r5, `live` on an old release. */
export interface GcScenario {
  bases: string[];
  releases: string[];
  /** The digest of the non-ship image tagged `other` in the app repo. */
  other: string;
}

/**
 * Pushes: bases b1 (oldest), b2, b3 (newest) to baseRepo; releases v1..v5 (v5 newest) to repo, v1
 * and v2 built on b1, v3 on b2, v4 and v5 on b3; `live` on v1 (an old release whose base is older
 * than the newest bases); `other`, an image without ship's annotations. Returned arrays are
 * indexed 0 = b1 / v1.
 */
export async function pushGcScenario(c: RegistryClient, repo: string, baseRepo: string): Promise<GcScenario> {
  const t = (day: number) => `2026-01-${String(day).padStart(2, '0')}T10:00:00Z`;
  const bases: string[] = [];
  for (let i = 1; i <= 3; i++)
    bases.push(
      await pushShipImage(c, baseRepo, {
        kind: 'base',
        tags: [`fp${i}`],
        created: t(i * 2),
        label: `${repo}-base-${i}`,
        fingerprint: `fp${i}`,
      }),
    );
  const baseOf = [0, 0, 1, 2, 2];
  const releases: string[] = [];
  for (let i = 1; i <= 5; i++)
    releases.push(
      await pushShipImage(c, repo, {
        kind: 'app',
        tags: i === 1 ? ['v1', 'live'] : [`v${i}`],
        created: t(10 + i),
        label: `${repo}-app-${i}`,
        baseDigest: bases[baseOf[i - 1]],
        baseName: `${baseRepo}:fp${baseOf[i - 1] + 1}`,
        revision: `rev${i}`,
      }),
    );
  const other = await pushShipImage(c, repo, { kind: null, tags: ['other'], created: t(30), label: `${repo}-other` });
  return { bases, releases, other };
}
