/** Choosing one image manifest from an OCI index / Docker manifest list. */
import { ImageError } from './errors.js';
import type { Descriptor, Platform } from './model.js';
import { platformString } from './model.js';

export interface Index {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

const ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

export function hostPlatform(): Platform {
  return { os: 'linux', architecture: ARCH[process.arch] ?? process.arch };
}

export function parsePlatform(s: string): Platform {
  const parts = s.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !p))
    throw new ImageError(`--platform ${JSON.stringify(s)}: expected OS/ARCH[/VARIANT], e.g. linux/amd64`);
  return { os: parts[0], architecture: parts[1], variant: parts[2] };
}

export function isIndexMediaType(mt: string | undefined): boolean {
  return (
    mt === 'application/vnd.oci.image.index.v1+json' ||
    mt === 'application/vnd.docker.distribution.manifest.list.v2+json'
  );
}

function isAttestation(d: Descriptor): boolean {
  return (
    d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' ||
    (d.platform?.os === 'unknown' && d.platform?.architecture === 'unknown')
  );
}

/**
 * Picks the manifest for `want` (default: the host's platform). With no platform asked for and
 * a single image in the index, that image is used whatever its platform.
 */
export function selectManifest(index: Index, want: Platform | undefined, what: string): Descriptor {
  const images = index.manifests.filter((d) => !isAttestation(d));
  if (!want && images.length === 1) return images[0];
  const target = want ?? hostPlatform();
  const matches = images.filter(
    (d) =>
      d.platform &&
      d.platform.os === target.os &&
      d.platform.architecture === target.architecture &&
      (!target.variant || !d.platform.variant || d.platform.variant === target.variant),
  );
  if (matches.length > 0) {
    // Prefer an exact variant match (arm64/v8 vs arm64).
    return matches.find((d) => d.platform?.variant === target.variant) ?? matches[0];
  }
  const have = images.map((d) => (d.platform ? platformString(d.platform) : 'unknown')).join(', ');
  throw new ImageError(
    `${what}: no image for ${platformString(target)} in the index (it has: ${have || 'nothing'}); use --platform`,
  );
}
