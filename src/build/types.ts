/**
 * The `build` contract: an image assembled without a daemon from the lock file, one layer per
 * dependency. Data flows: base image -> target (platform, Python, libc) -> the lock's packages
 * resolved to the target's wheels -> fetched and verified (content-addressed cache) -> installed
 * into layer entries -> a layer plan (one layer per package under a budget, append-only against
 * the previous image) -> deterministic tar + gzip -> config, manifest, annotations -> outputs
 * (registry push, OCI layout, docker archive, engine load). `build --format json` prints
 * BuildResult (docs/build-json.md; extend, don't break).
 */

/** The platform an image is for, as OCI writes it. */
export interface TargetPlatform {
  os: string;
  /** OCI architecture: amd64, arm64, ... */
  architecture: string;
  variant?: string;
}

/** What the base image offers the install (read from its config and files, never from this host). */
export interface BuildTarget {
  platform: TargetPlatform;
  python: {
    /** Full version, e.g. 3.11.2. */
    version: string;
    /** e.g. 3.11 */
    minor: string;
    /** The interpreter in the base image, absolute, e.g. /usr/local/bin/python3.11 or /usr/bin/python3.11. */
    executable: string;
  };
  libc: { kind: 'glibc' | 'musl'; version: string };
  /**
   * Wheel tags the target accepts, most preferred first, as pip orders them
   * (cp311-cp311-manylinux_2_36_x86_64 ... cp311-abi3-..., py3-none-any).
   */
  tags: string[];
}

/** A file of a locked package: where it is, and its hash. */
export interface LockedFile {
  /** File name, e.g. numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.whl */
  filename: string;
  /** Absolute URL (from the lock, or found on the index by hash); undefined until resolved. */
  url?: string;
  /** sha256 hex, from the lock. A package whose lock names no hash is an error (nothing unverified is installed). */
  sha256: string;
  /** Bytes, when the lock records them. */
  size?: number;
}

/** A package the image installs, with the one wheel chosen for the target. */
export interface ResolvedPackage {
  /** Normalised name (PEP 503). */
  name: string;
  version: string;
  /** The wheel for the target; null when the lock has only an sdist or no compatible wheel. */
  wheel: LockedFile | null;
  /** The sdist, when the lock names one (for --build-sdists). */
  sdist?: LockedFile;
}

/** A wheel in the local cache, verified. */
export interface FetchedWheel extends LockedFile {
  url: string;
  /** Path of the verified file in the content-addressed cache. */
  path: string;
  size: number;
}

/** One entry of a layer, before it becomes tar bytes. Paths are absolute in the image, without a leading slash. */
export interface LayerEntry {
  /** e.g. app/.venv/lib/python3.11/site-packages/fastapi/__init__.py */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits (0o644, 0o755...). */
  mode: number;
  /** File contents. */
  data?: Buffer;
  /** Symlink target. */
  linkname?: string;
}

/** What one layer holds, recorded in the manifest's layer annotations so a later build can reuse it. */
export interface LayerContent {
  /**
   * `venv` (the environment's skeleton), `package` (one), `group` (several small ones),
   * `project-meta` (the app's dist-info and launchers, which a code change leaves alone) and
   * `project` (the app's code).
   */
  kind: 'venv' | 'package' | 'group' | 'project-meta' | 'project';
  packages: { name: string; version: string; wheelSha256: string }[];
}

/** A layer ready to go: its tar's digest and its gzip blob. */
export interface BuiltLayer extends LayerContent {
  /** sha256 of the uncompressed tar. */
  diffId: string;
  /** sha256 of the gzip blob. */
  digest: string;
  /** Bytes of the gzip blob. */
  size: number;
  /** Bytes of the uncompressed tar. */
  tarSize: number;
  /** Taken as it was from the previous image (its blob reused, nothing recompressed). */
  reused: boolean;
}

/** Layer annotations build writes and reads back (per layer descriptor in the manifest). */
export const LAYER_ANNOTATIONS = {
  /** `venv`, `package`, `group`, `project-meta`, `project`. */
  kind: 'dev.layerwise.build.kind',
  /** `name==version sha256` lines, sorted, joined by `\n`. */
  packages: 'dev.layerwise.build.packages',
  /** The layout version of what build writes; a layer of another layout is never reused. */
  layout: 'dev.layerwise.build.layout',
} as const;

/** The version of the install layout (paths, modes, mtimes, tar format, gzip settings). Bump it when any changes. */
export const BUILD_LAYOUT = '1';

/** One layer of the plan: what goes in it, and whether the previous image already has it. */
export interface PlannedLayer extends LayerContent {
  /** The previous image's layer with exactly this content (same layout), reused as it is. */
  reuse?: { digest: string; diffId: string; size: number };
  /** Predicted gzip bytes (from the lock's recorded sizes, else the wheel's size); null when unknown. */
  estimatedBytes: number | null;
}

export interface LayerPlan {
  layers: PlannedLayer[];
  /** Base layers + planned layers <= this (default 100). */
  budget: number;
  /** Layer count of the base image. */
  baseLayers: number;
}

/** Output of `build` (text and JSON; the JSON is this object). */
export interface BuildResult {
  schema: 'layerwise.build/1';
  /** Manifest digest (of the single-platform image; with several platforms, of the index). */
  digest: string;
  /** Where it went: `registry HOST/NAME:TAG`, `oci DIR`, `archive FILE`, `engine NAME`. */
  outputs: string[];
  base: { ref: string; digest: string | null; layers: number };
  target: BuildTarget;
  /** The layers build added above the base, bottom to top. */
  layers: {
    kind: LayerContent['kind'];
    /** The package (or `a+b+c` for a group, the project's name for `project`). */
    package: string;
    version: string | null;
    digest: string;
    size: number;
    reused: boolean;
    /** Built again and byte for byte the previous image's layer (the venv, an unchanged project metadata). */
    unchanged: boolean;
  }[];
  /** Bytes sent to the registry (0 when not pushing). */
  pushedBytes: number;
  seconds: number;
}
