/**
 * The audit's data model: what the repository builds (targets, from discovery), what each
 * change costs each image (scenarios, estimated or measured), what init would write instead
 * (the alternative) and the lint findings ranked by cost. Plain data: the renderers (text,
 * JSON, HTML) and `--fail-on` read only this. The JSON output is this object; see
 * docs/audit-json.md.
 */
import type { Category, Severity } from '../rules/types.js';

/** Where an image is defined. One target can be defined in several places (merged by discovery). */
export interface TargetOrigin {
  kind: 'dockerfile' | 'compose' | 'bake' | 'workflow';
  /** File that defines it, relative to the audit root, `/`-separated. */
  file: string;
  /** 1-based line of the definition in that file, when known. */
  line?: number;
  /** e.g. `services.api`, `target "app"`, `jobs.build.steps[2]`. */
  detail?: string;
}

/** One image the repository builds: a Dockerfile with a context (and target, args). */
export interface AuditTarget {
  /** Display name: compose service, bake target, workflow image tag, else the Dockerfile's relative path. */
  name: string;
  /** Absolute path of the Dockerfile. */
  dockerfile: string;
  /** Absolute path of the build context directory. */
  context: string;
  /** Stage name built (`--target`), when set. */
  target?: string;
  /** Build args the definition passes (values as written; unresolved `${X}` kept verbatim). */
  args: Record<string, string>;
  origins: TargetOrigin[];
}

export interface DiscoverResult {
  targets: AuditTarget[];
  /** Definitions that could not be used, one line each (a missing Dockerfile, an unreadable compose file). */
  warnings: string[];
}

export type ScenarioName = 'code-change' | 'dependency-change' | 'base-change' | `build-arg:${string}`;

export type Basis = 'estimated' | 'measured';

/** One build step that loses its cache in a scenario. */
export interface Rerun {
  /** 1-based line of the instruction in its Dockerfile. */
  line: number;
  /** Instruction keyword and (shortened) arguments, e.g. `RUN pip install -r requirements.txt`. */
  instruction: string;
  /** Stage name or index as text. */
  stage: string;
  /** Why it re-runs, in words (from the change simulator). */
  reason: string;
}

/** One layer of the final image and what the scenario does to it. */
export interface LayerCost {
  /** 1-based line of the instruction that makes it; null for the base image's layers. */
  line: number | null;
  instruction: string;
  /** True when the scenario makes this layer new. */
  changed: boolean;
  /** Compressed (gzip) bytes of this layer when it is new; null when unknown. */
  bytes: number | null;
  /** What the figure rests on, e.g. `uv.lock: 41 wheels, recorded sizes` or `unknown: poetry.lock records no sizes`. */
  basis: string;
}

/** One scenario for one image (or its alternative). */
export interface Scenario {
  name: ScenarioName;
  /** What changes, in words: `one line of src/app/main.py`, `one package in uv.lock`. */
  change: string;
  rerun: Rerun[];
  /** Layers of the final image the change makes new. */
  newLayers: number;
  /**
   * Bytes a host holding the previous image pulls. classic: Docker's classic store (every
   * layer above the first new one downloads again); containerd: by blob digest (only new ones).
   * null when any pulled layer's size is unknown.
   */
  bytes: { classic: number | null; containerd: number | null };
  /**
   * Present when a total above is null: the bytes of the pulled layers whose size is known (a
   * floor, not an estimate of the total). Optional; added by the scenarios (h-scenarios).
   */
  knownBytes?: { classic: number; containerd: number };
  basis: Basis;
  /** What the figures rest on, one line each; unknowns say why. */
  rests: string[];
  layers: LayerCost[];
  /**
   * The file the change touches, relative to the build context, when it is one file (code-change:
   * the source file picked; dependency-change: the lock). Optional; `audit --build` changes this file.
   */
  file?: string;
  /** Present when basis is `measured`: how the figures were measured (see ScenarioProof). */
  proof?: ScenarioProof;
}

/**
 * How a measured scenario was measured (`audit --build`): the image built from a temp copy of the
 * context, one line appended to `file`, the image built again, the two diffed. The scenario's
 * `bytes` are then the gzip bytes of the layers a host holding the first image pulls (compressed
 * as a registry push does, comparable with the estimates); `diff` holds what `layerwise diff
 * BEFORE AFTER` reports on the same two images (layer bytes as the engine exports them, uncompressed).
 */
export interface ScenarioProof {
  /** File the one-line change touched, relative to the context. */
  file: string;
  /** Image IDs (`sha256:...`) built before and after the change. */
  before: string;
  after: string;
  /** Tags the two images had (removed after the proof unless kept). */
  tags: { before: string; after: string };
  /** The `pull` and `newLayers` of `layerwise diff --format json BEFORE AFTER`. */
  diff: {
    classic: { bytes: number; layers: number; firstMissingLayer: number | null };
    containerd: { bytes: number; layers: number };
    newLayers: number;
  };
  /** The rebuild after the change: wall seconds, and the Dockerfile steps it ran and took from the cache. */
  rebuild: { seconds: number; ran: string[]; cached: string[] };
  /** Build client and buildx builder used. */
  client: 'buildx' | 'buildkit' | 'buildctl';
  builder: string;
}

/** What the final image carries that a runtime image should not. */
export interface ImageContents {
  /** e.g. `gcc`, `build-essential`. */
  compilers: string[];
  /** e.g. `/root/.cache/pip`. */
  caches: string[];
  /** Dev dependency groups or files installed, e.g. `requirements-dev.txt`. */
  devDeps: string[];
  /** True when `.git` reaches the final image. */
  git: boolean;
  /** True when test directories reach the final image. */
  tests: boolean;
  /** Free-form evidence, one line each (file:line). */
  evidence: string[];
}

/** A lint finding with what it costs; findings are sorted by cost, highest first. */
export interface RankedFinding {
  rule: string;
  name: string;
  category: Category;
  severity: Severity;
  /** Path relative to the audit root. */
  file: string;
  line: number;
  column: number;
  message: string;
  /** The fix in words (from the rule), when it has one. */
  fix?: string;
  fixable: boolean;
  cost: {
    /** Bytes per deploy this finding adds in its scenario; null when it has no byte cost or it is unknown. */
    bytesPerDeploy: number | null;
    /** Scenario the cost is counted in. */
    scenario?: ScenarioName;
    /** Why it costs that, in words. */
    why: string;
  };
}

/** What init would write for this project, run through the same scenarios (nothing written). */
export interface Alternative {
  /** Generated files, relative to the context (Dockerfile and .dockerignore), in memory. */
  files: { path: string; text: string }[];
  /** Which of `files` is the Dockerfile. */
  dockerfile: string;
  target?: string;
  scenarios: Scenario[];
  contents: ImageContents;
}

/** The audit of one image. */
export interface AuditImage {
  name: string;
  /** Dockerfile path relative to the audit root. */
  dockerfile: string;
  /** Context directory relative to the audit root (`.` for the root). */
  context: string;
  target?: string;
  args: Record<string, string>;
  origins: TargetOrigin[];
  /** Python project found for this context (manager and lock), or null with the reason in notes. */
  project: { dir: string; manager: string; lockFile?: string } | null;
  /** Base image of the final stage, as written after ARG substitution. */
  base: string | null;
  scenarios: Scenario[];
  contents: ImageContents;
  findings: RankedFinding[];
  /** null when there is no Python project to generate for (reason in notes). */
  alternative: Alternative | null;
  notes: string[];
}

/** The whole audit. */
export interface AuditResult {
  /** Schema version of this object. */
  version: 1;
  /** Absolute audit root. */
  root: string;
  images: AuditImage[];
  /** Discovery warnings and run-wide notes. */
  warnings: string[];
  /** Present when `--build` ran: engine and builder used. */
  build?: { engine: string; builder: string };
  toolVersion: string;
  /** Present when `--fail-on` was given: each condition checked on each image that has its scenario. */
  checks?: AuditCheck[];
}

/** One `--fail-on` condition checked on one image's current Dockerfile. */
export interface AuditCheck {
  /** The condition as written, e.g. `code-change>1MB`. */
  condition: string;
  /** AuditImage.name. */
  image: string;
  scenario: ScenarioName;
  /** `bytes` = the larger of the two stores; `steps` = steps re-run; `layers` = new layers. */
  measure: 'bytes' | 'classic' | 'containerd' | 'steps' | 'layers';
  /** null when the figure is unknown: the check is then not failed (see `rests` of the scenario). */
  value: number | null;
  basis: Basis;
  failed: boolean;
}
