/**
 * The `ship` contract: what the release loop, the deploy plan, rollback and gc exchange, and the
 * JSON `ship --format json` prints (documented in docs/ship-json.md; extend, don't break).
 *
 * Registry state is the only state: a base image is `REPO-base:<fingerprint>`, an app release is
 * an OCI manifest in REPO whose annotations (ANNOTATIONS below) say when it was made, from which
 * commit, and on which base. Nothing is kept on the machine that runs `ship`.
 */
import type { BlobPush } from '../registry/write.js';

/** Manifest annotations `ship` writes and reads back (OCI's standard keys where one exists). */
export const ANNOTATIONS = {
  created: 'org.opencontainers.image.created',
  revision: 'org.opencontainers.image.revision',
  version: 'org.opencontainers.image.version',
  /** On an app release: the base it was built FROM (REPO-base:<fingerprint>) and its manifest digest. */
  baseName: 'org.opencontainers.image.base.name',
  baseDigest: 'org.opencontainers.image.base.digest',
  /** 'app' or 'base': what kind of ship image this is. */
  kind: 'dev.layerwise.ship.kind',
  /** The base's fingerprint (on the base, and on the app built on it). */
  fingerprint: 'dev.layerwise.ship.fingerprint',
  /** On a base: when it was pushed (its `created` is the lock's commit time, for a reproducible build). */
  pushed: 'dev.layerwise.ship.pushed',
} as const;

/** One input of the fingerprint, as `ship --fingerprint` lists it. */
export interface FingerprintPart {
  /** `python`, `lock`, `dockerfile`, `build-args`, `from`, `files`, `platform`. */
  name: string;
  /** What went into the hash for this part, shortened for display (e.g. `uv.lock: 61 packages`). */
  summary: string;
  /** sha256 (hex) of this part's canonical text. */
  sha256: string;
}

/** What the base depends on, gathered from the project, the Dockerfiles and the engine/registry. */
export interface FingerprintInput {
  /** e.g. `3.11` (the project model's python.version). */
  pythonVersion: string;
  /** The lock's entries for the installed packages, normalised: one line per package, sorted. */
  lock: { file: string; entries: string[] } | null;
  /** The base stage(s)' instructions, normalised (comments and layout dropped, one line each). */
  instructions: string[];
  /** Build args the base stages declare (ARG), with the values this ship passes (or the default). */
  buildArgs: Record<string, string>;
  /** Every external image the base stages name (FROM, COPY --from) -> its config digest for `platform`. */
  from: Record<string, string>;
  /** `os/arch[/variant]` the base is built for. */
  platform: string;
  /** Other context files the base stages COPY/ADD (not the lock or pyproject.toml): path -> sha256 hex. */
  files: Record<string, string>;
}

export interface Fingerprint {
  /** The tag of the base: the first 24 hex digits of `sha256`. */
  tag: string;
  /** sha256 (hex) over the parts' hashes, in the order of `parts`. */
  sha256: string;
  parts: FingerprintPart[];
}

/** How the project's Dockerfiles split into a base and an app (src/ship/dockerfiles.ts). */
export interface ShipLayout {
  /** `split-base`: Dockerfile.base + Dockerfile with `FROM ${BASE_IMAGE}` (init --split-base). `base-target`: one Dockerfile whose named stage is the base. */
  kind: 'split-base' | 'base-target';
  /** Build context (absolute). */
  context: string;
  /** The Dockerfile the base is built from (absolute). */
  baseDockerfile: string;
  /** With base-target: the stage that is the base (e.g. `deps`). */
  baseTarget?: string;
  /** The Dockerfile the app is built from (absolute; the same file with base-target). */
  appDockerfile: string;
  /** With split-base: the ARG the app's FROM reads (e.g. BASE_IMAGE). */
  baseArg?: string;
}

/** A blob as it is in the registry after a push. */
export interface PushedLayer {
  digest: string;
  /** Compressed bytes. */
  size: number;
  diffId: string;
  mediaType: string;
  /** What the push did with it: already there, mounted from another repository, or uploaded. */
  pushed: BlobPush;
}

/** An image pushed by `pushEngineImage`. */
export interface PushResult {
  /** Manifest digest (what `FROM REPO@digest` and deploys use). */
  digest: string;
  configDigest: string;
  layers: PushedLayer[];
  /** Bytes sent: uploaded layer blobs, the config when uploaded, and the manifest. */
  pushedBytes: number;
  /** Tags the manifest was PUT under. */
  tags: string[];
}

/** An app release as the registry holds it (newest first from listReleases). */
export interface Release {
  /** Manifest digest. */
  digest: string;
  /** Tags in REPO naming this digest. */
  tags: string[];
  /** ISO time from the created annotation. */
  created: string;
  revision?: string;
  version?: string;
  baseName?: string;
  baseDigest?: string;
  fingerprint?: string;
}

/** A base image as the registry holds it. */
export interface BaseImage {
  digest: string;
  tags: string[];
  created: string;
  /** When it was pushed (the pushed annotation), if recorded. */
  pushed?: string;
  fingerprint?: string;
}

/** A rebuilt base compared with the pushed one (`--rebuild-base`), in diff's verdicts. */
export interface DriftReport {
  identical: boolean;
  /** Layers that differ, with diff's verdict (timestamps-only, apt-lists, pyc, real-change...) and reason. */
  layers: { index: number; verdict: string | null; reason: string; createdBy?: string }[];
}

/** Output of `ship` (text and JSON; the JSON is this object). */
export interface ShipResult {
  schema: 'layerwise.ship/1';
  /** `docker`: a Dockerfile built through BuildKit (base + app); `layerwise`: `layerwise build` (one layer per dependency). */
  builder: 'docker' | 'layerwise';
  /** REPO as given (HOST/NAME). */
  repo: string;
  dryRun: boolean;
  base: {
    /** REPO-base:<tag>. */
    ref: string;
    fingerprint: Fingerprint;
    /** Whether this run built the base. */
    built: boolean;
    /** Whether this run pushed the base. */
    pushed: boolean;
    /** Manifest digest of the base the app is built on (null on a dry run with no base yet). */
    digest: string | null;
    /** Why it was built or not (one sentence). */
    reason: string;
    /** With --rebuild-base on an existing fingerprint. */
    drift?: DriftReport;
  };
  app: {
    repo: string;
    built: boolean;
    digest: string | null;
    tags: string[];
    /** Seconds the app build took (0 when not built). */
    buildSeconds: number;
  };
  /** Bytes this run sent to the registry (blobs and manifests). */
  pushedBytes: number;
  /** What was not done, and why (e.g. the base build: fingerprint already in the registry). */
  skipped: { what: string; reason: string }[];
  /** Wall-clock seconds of the whole run. */
  seconds: number;
}

/** What a host must pull for a release, and the files that do it (`ship plan`). */
export interface DeployPlan {
  schema: 'layerwise.ship-plan/1';
  /** REPO@digest of the app and REPO-base@digest of its base. */
  app: { ref: string; digest: string };
  base: { ref: string; digest: string } | null;
  /** What the prediction is against: `engine unix:///var/run/docker.sock`, or `release TAG`. */
  against: string;
  /** Store the prediction is for (the engine's, or both for a release). */
  store: 'classic' | 'containerd';
  pull: {
    /** Layer blobs the host downloads, and their bytes (compressed, as in the registry). */
    layers: number;
    bytes: number;
    /** Of those, in the base's layers and in the app's own layers. */
    baseBytes: number;
    appBytes: number;
    /** The same for the other store, for the record. */
    other: { store: 'classic' | 'containerd'; layers: number; bytes: number };
  };
  /** Files written (paths relative to the project), or that would be written. */
  files: string[];
}
