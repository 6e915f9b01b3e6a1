/**
 * The contract of `layerwise bench`: what one run measures, as `--format json` prints it and as
 * each line of the history file (`.layerwise/bench.jsonl`) stores it. Documented for users in
 * docs/bench-json.md; a field changes only with `schema`.
 *
 * Module map (data flows plan -> change -> run -> measure -> history/alerts -> report):
 *   plan.ts         which images a run benches: the Dockerfile, compose services, --against
 *   workspace.ts    the temp copy of the context every edit happens in (the user's tree is never touched)
 *   changes.ts      the scenarios' edits: code-change, dependency-change, base-change; cold's cache key
 *   run.ts          runs the scenarios in order, interleaving subject and --against, --repeat medians
 *   measure.ts      one build's figures: steps, cache hits, context bytes, image and stage sizes, deploy bytes
 *   history.ts      appends to / reads the history file; machine, engine and commit facts; --baseline
 *   fail-on.ts      `--fail-on` thresholds against the run and the baseline
 *   summary.ts      GitHub step summary markdown
 *   render-text.ts  the table; render-html.ts the self-contained HTML with charts over the history
 */

/** The scenarios, in the order a run builds them (each builds on the image before it). */
export const SCENARIOS = ['cold', 'warm', 'code-change', 'dependency-change', 'base-change'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** One Dockerfile step of one build. */
export interface BenchStep {
  /** As BuildKit names the vertex, e.g. `[deps 3/4] RUN uv sync --locked --no-install-project`. */
  name: string;
  /** Answered from the build cache. */
  cached: boolean;
  /** Seconds the step ran (0 for a cached one). With --repeat: the median over the runs. */
  seconds: number;
}

/** Bytes a host holding the previous scenario's image pulls for this one (the image diff). */
export interface DeployBytes {
  /** The image the host holds: the previous scenario's image (its ID). */
  against: string;
  /** Classic (overlay2/graph driver) store: every layer from the first changed one up, as `layerwise diff` reports (uncompressed tar bytes). */
  classic: number;
  /** containerd store: only layers whose content is new, as `layerwise diff` reports (uncompressed tar bytes). */
  containerd: number;
  /** The same pulls in gzip bytes (what a registry transfers). */
  gzip: { classic: number; containerd: number };
  /** Layers the containerd store pulls. */
  newLayers: number;
}

/** One build of one scenario (one of --repeat N). */
export interface BenchRun {
  seconds: number;
  imageId: string;
  steps: BenchStep[];
  /** Bytes of the build context sent to the builder, when the progress says; else null. */
  contextBytes: number | null;
  imageBytes: number;
  /** Cached Dockerfile steps / Dockerfile steps (internal vertices and FROM steps excluded: a base image is resolved, never cached or run); null with no steps. */
  cacheHitRate: number | null;
}

/** One scenario of one image: its runs and their medians. */
export interface ScenarioResult {
  name: ScenarioName;
  /** Which image: the compose service, or `Dockerfile` (the path relative to the project) with no compose. */
  image: string;
  /** `subject` for the project's own Dockerfile, `against` for --against's. */
  variant: 'subject' | 'against';
  /** What the scenario changed, in words (e.g. `appended a line to src/app/main.py`). */
  change: string;
  runs: number;
  time: { median_s: number; min_s: number; max_s: number; runs_s: number[] };
  /** Steps of the median run. */
  steps: BenchStep[];
  contextBytes: number | null;
  imageBytes: number;
  /** With --stages: each named stage's image size. */
  stages?: { name: string; bytes: number }[];
  cacheHitRate: number | null;
  /** null for the first scenario of a run (nothing held before it). */
  deploy: DeployBytes | null;
  /** The median run's image ID. */
  imageId: string;
}

/** Facts that make two runs comparable (or not). */
export interface BenchEnvironment {
  /** git commit of the project (HEAD), and whether the tree had changes. */
  commit: string | null;
  dirty: boolean;
  engine: { version: string | null; host: string; storage: 'classic' | 'containerd' | null };
  builder: { client: 'buildx' | 'buildkit' | 'buildctl'; name: string; version: string | null };
  machine: { os: string; arch: string; cpus: number; memoryBytes: number; node: string };
}

/** One bench run: the JSON output and one history line. */
export interface BenchResult {
  schema: 'layerwise-bench/1';
  /** ISO time the run started. */
  startedAt: string;
  tool: { name: 'layerwise'; version: string };
  /** Project directory, as given. */
  project: string;
  /** What was benched and how. */
  options: {
    scenarios: ScenarioName[];
    repeat: number;
    target?: string;
    buildArgs: Record<string, string>;
    against?: string;
    services?: string[];
  };
  environment: BenchEnvironment;
  scenarios: ScenarioResult[];
  /** --against: per scenario, against's median time / subject's, and deploy bytes likewise (containerd gzip). */
  ratios?: { scenario: ScenarioName; image: string; time: number | null; deploy: number | null }[];
  /** --baseline / --fail-on outcome (absent when neither was given). */
  verdict?: BenchVerdict;
}

/** One `--fail-on` rule, checked. */
export interface ThresholdCheck {
  /** The rule as written, e.g. `warm.time>+20%`. */
  rule: string;
  ok: boolean;
  /** Why it failed or passed, with the figures: `warm time 41.2 s is +35% over the baseline's 30.5 s (limit +20%)`. */
  reason: string;
  /** The figure could not be checked (scenario not run, no baseline, unknown figure): `ok` is true and `reason` says why. */
  unchecked?: boolean;
}

export interface BenchVerdict {
  /** The baseline compared against: a commit (from history) or a file, and its startedAt. */
  baseline?: { ref: string; startedAt: string; commit: string | null };
  checks: ThresholdCheck[];
  ok: boolean;
}
