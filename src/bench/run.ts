/**
 * Runs a bench: every selected scenario in SCENARIOS order, each --repeat N times, and within a
 * repetition every image of the plan (subject, then --against; the order flips on every other
 * repetition) so that a drift of the machine's speed hits both alike and their ratio means
 * something. Each image builds in its own temp copy of the context (workspace.ts) with the
 * scenario's edit applied on top of what the previous one left (changes.ts). Every build uses a
 * cache key of the run's own: cold takes a fresh one per repetition, later scenarios reuse the
 * last cold one, and without cold one unmeasured build under the run's key comes first so that
 * warm is warm. The engine, the edits and the builds come in through `RunDeps`, so the logic is
 * tested without an engine.
 */
import { readFileSync } from 'node:fs';
import type { BuildOutcome, BuildRequest } from '../engine/build.js';
import { median, medianIndex, medianSteps, timeOf } from './median.js';
import { ContextBytesReader, type ImageFacts, measureRun, stageNames } from './measure.js';
import type { BenchImage } from './plan.js';
import { type BenchRun, type DeployBytes, SCENARIOS, type ScenarioName, type ScenarioResult } from './types.js';

/** The temp copy an image builds in (workspace.ts's BenchCopy). */
export interface CopyLike {
  context: string;
  dockerfile: string;
  dispose(): void;
}

/** One scenario's edit, applied (changes.ts's AppliedChange). */
export interface ChangeLike {
  change: string;
  request: Partial<BuildRequest>;
  cleanup?: () => Promise<void>;
}

/** What the edits need to know (changes.ts's ChangeOptions). */
export interface ChangeOpts {
  touch?: string;
  depChange?: string;
  indexUrl?: string;
  runKey: string;
  docker?: string;
  host?: string;
}

/** Everything that touches the disk, the engine or the network. */
export interface RunDeps {
  copy(img: BenchImage): CopyLike;
  apply(name: ScenarioName, copy: CopyLike, img: BenchImage, opts: ChangeOpts, repetition: number): Promise<ChangeLike>;
  build(req: BuildRequest): Promise<BuildOutcome>;
  facts: ImageFacts;
  deploy(before: string, after: string): Promise<DeployBytes>;
  remove(refs: string[]): Promise<void>;
}

/** What a build is, for progress. */
export interface BuildEvent {
  scenario: ScenarioName | 'prime';
  image: string;
  variant: BenchImage['variant'];
  repetition: number;
  repeat: number;
  /** Builds done so far and in all (stage builds of --stages not counted). */
  done: number;
  total: number;
}

export interface RunOptions {
  scenarios: ScenarioName[];
  repeat: number;
  /** Unique to this run: the base of every cache key and image tag. */
  runKey: string;
  touch?: string;
  depChange?: string;
  docker?: string;
  host?: string;
  builder?: string;
  network?: BuildRequest['network'];
  /** With each scenario: each named stage's image size. */
  stages?: boolean;
  /** Keep the images built (tags `layerwise-bench/<key>:...`); else they are removed. */
  keepImages?: boolean;
  /** A build starts. */
  onBuild?: (e: BuildEvent) => void;
  /** One line of the current build's progress. */
  onLine?: (line: string) => void;
  /** What the run does besides building (measuring, cleaning), one line each. */
  onStep?: (what: string) => void;
}

export interface RunOutput {
  scenarios: ScenarioResult[];
  /** Tags of the images kept (with keepImages). */
  kept: string[];
}

interface Built {
  run: BenchRun;
  tag: string;
  /** The image built before this one in the same copy (the one a host would hold): its tag and ID. */
  before: { tag: string; id: string } | null;
  change: string;
  request: BuildRequest;
}

interface Slot {
  img: BenchImage;
  index: number;
  copy: CopyLike;
  key: { cacheKey: string; isolateCacheMounts: boolean };
  prev: { tag: string; id: string } | null;
  built: Built[];
}

/** The index the project installs from, as its build args name it (for the dependency change). */
export function indexUrlOf(args: Record<string, string>): string | undefined {
  return args.UV_INDEX_URL ?? args.PIP_INDEX_URL ?? args.INDEX_URL ?? args.UV_DEFAULT_INDEX;
}

/** Runs the scenarios on the plan's images; removes what it made (images unless kept, copies, rebuilt bases). */
export async function runPlan(images: BenchImage[], opts: RunOptions, deps: RunDeps): Promise<RunOutput> {
  const selected = SCENARIOS.filter((s) => opts.scenarios.includes(s));
  const prime = !selected.includes('cold');
  const total = images.length * (selected.length * opts.repeat + (prime ? 1 : 0));
  let done = 0;
  let serial = 0;
  const tags: string[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const slots: Slot[] = [];
  const results: ScenarioResult[] = [];
  const changeOpts = (i: number): ChangeOpts => ({
    touch: opts.touch,
    depChange: opts.depChange,
    indexUrl: indexUrlOf(images[i].buildArgs),
    // Per image: the against image's cold must not find the subject's cold records.
    runKey: `${opts.runKey}-${i}`,
    docker: opts.docker,
    host: opts.host,
  });
  const tagFor = (slot: Slot, what: string) => {
    const tag = `layerwise-bench/${opts.runKey}-${slot.index}:${what}-${++serial}`;
    tags.push(tag);
    return tag;
  };
  const buildIn = async (slot: Slot, scenario: BuildEvent['scenario'], rep: number, req: BuildRequest) => {
    opts.onBuild?.({
      scenario,
      image: slot.img.image,
      variant: slot.img.variant,
      repetition: rep,
      repeat: opts.repeat,
      done,
      total,
    });
    const reader = new ContextBytesReader();
    const outcome = await deps.build({
      ...req,
      onLine: (l) => {
        reader.push(l);
        opts.onLine?.(l);
      },
    });
    done++;
    return measureRun(outcome, reader.value(), deps.facts, req.cacheKey);
  };

  try {
    for (const [index, img] of images.entries())
      slots.push({
        img,
        index,
        copy: deps.copy(img),
        key: { cacheKey: `${opts.runKey}-${index}`, isolateCacheMounts: false },
        prev: null,
        built: [],
      });
    const base = (slot: Slot): BuildRequest => ({
      context: slot.copy.context,
      dockerfile: slot.copy.dockerfile,
      ...(slot.img.target ? { target: slot.img.target } : {}),
      buildArgs: slot.img.buildArgs,
      builder: opts.builder,
      docker: opts.docker,
      host: opts.host,
      network: opts.network,
      ...slot.key,
    });
    // The edits say which key and cache mounts a build uses (they track the last cold key per
    // copy); a fresh key for cold and the slot's key otherwise when they do not.
    const keyFrom = (slot: Slot, name: ScenarioName, rep: number, req: Partial<BuildRequest>) => {
      const fallback =
        name === 'cold' ? { cacheKey: `${opts.runKey}-${slot.index}-cold${rep}`, isolateCacheMounts: true } : slot.key;
      slot.key = {
        cacheKey: req.cacheKey ?? fallback.cacheKey,
        isolateCacheMounts: req.isolateCacheMounts ?? fallback.isolateCacheMounts,
      };
    };
    if (prime)
      for (const slot of slots) {
        // Primed with warm's request (nothing changes), so warm's Dockerfile text is the same.
        keyFrom(slot, 'warm', 0, (await deps.apply('warm', slot.copy, slot.img, changeOpts(slot.index), 1)).request);
        const tag = tagFor(slot, 'prime');
        const run = await buildIn(slot, 'prime', 0, { ...base(slot), tag });
        slot.prev = { tag, id: run.imageId };
      }

    for (const name of selected) {
      for (const slot of slots) slot.built = [];
      for (let rep = 0; rep < opts.repeat; rep++) {
        const order = rep % 2 ? [...slots].reverse() : slots;
        for (const slot of order) {
          // Repetitions count from 1 for the edits (the line appended says which one it is).
          const applied = await deps.apply(name, slot.copy, slot.img, changeOpts(slot.index), rep + 1);
          if (applied.cleanup) cleanups.push(applied.cleanup);
          keyFrom(slot, name, rep, applied.request);
          const tag = tagFor(slot, name);
          const b = base(slot);
          // The edit's request adds to the build (the copy's paths, a rebuilt base's arg).
          const request: BuildRequest = {
            ...b,
            ...applied.request,
            buildArgs: { ...b.buildArgs, ...applied.request.buildArgs },
            ...slot.key,
            tag,
          };
          const run = await buildIn(slot, name, rep, request);
          slot.built.push({ run, tag, before: slot.prev, change: applied.change, request });
          slot.prev = { tag, id: run.imageId };
        }
      }
      for (const slot of slots) results.push(await fold(name, slot, opts, deps, tagFor));
      if (!opts.keepImages) {
        // Only each copy's last image is needed from here on (the next scenario's "before").
        const keep = new Set(slots.map((s) => s.prev?.tag));
        const drop = slots.flatMap((s) => s.built.map((b) => b.tag)).filter((t) => !keep.has(t));
        await deps.remove(drop);
      }
    }
    return { scenarios: results, kept: opts.keepImages ? tags : [] };
  } finally {
    opts.onStep?.('cleaning up');
    for (const slot of slots) slot.copy.dispose();
    if (!opts.keepImages) await deps.remove(tags).catch(() => {});
    for (const c of cleanups) await c().catch(() => {});
  }
}

/** One scenario of one image: the median of its runs, its deploy bytes, its stages. */
async function fold(
  name: ScenarioName,
  slot: Slot,
  opts: RunOptions,
  deps: RunDeps,
  tagFor: (slot: Slot, what: string) => string,
): Promise<ScenarioResult> {
  const runs = slot.built.map((b) => b.run);
  const mid = medianIndex(runs);
  const m = slot.built[mid];
  let deploy: DeployBytes | null = null;
  // A cold build's predecessor is another cold build (or nothing): no host holds it for a reason.
  if (name !== 'cold' && m.before) {
    opts.onStep?.(`measuring what ${name} ships (${slot.img.image}, ${slot.img.variant})`);
    deploy = { ...(await deps.deploy(m.before.tag, m.tag)), against: m.before.id };
  }
  const result: ScenarioResult = {
    name,
    image: slot.img.image,
    variant: slot.img.variant,
    change: m.change,
    runs: runs.length,
    time: timeOf(runs),
    steps: medianSteps(runs, mid),
    contextBytes: m.run.contextBytes,
    imageBytes: m.run.imageBytes,
    cacheHitRate: median(runs.map((r) => r.cacheHitRate).filter((r): r is number => r !== null)),
    deploy,
    imageId: m.run.imageId,
  };
  if (runs.every((r) => r.cacheHitRate === null)) result.cacheHitRate = null;
  if (opts.stages) result.stages = await stageSizes(slot, opts, deps, tagFor);
  return result;
}

/** Each named stage built from the scenario's last state (all from the cache) and sized. */
async function stageSizes(
  slot: Slot,
  opts: RunOptions,
  deps: RunDeps,
  tagFor: (slot: Slot, what: string) => string,
): Promise<{ name: string; bytes: number }[]> {
  const last = slot.built[slot.built.length - 1].request;
  const out: { name: string; bytes: number }[] = [];
  for (const stage of stageNames(readFileSync(last.dockerfile ?? slot.copy.dockerfile, 'utf8'))) {
    opts.onStep?.(`sizing stage ${stage} (${slot.img.image}, ${slot.img.variant})`);
    const tag = tagFor(slot, `stage-${stage.toLowerCase().replace(/[^a-z0-9_.-]/g, '-')}`);
    const o = await deps.build({ ...last, target: stage, tag, onLine: opts.onLine });
    out.push({ name: stage, bytes: await deps.facts.size(o.imageId) });
    if (!opts.keepImages) await deps.remove([tag]);
  }
  return out;
}
