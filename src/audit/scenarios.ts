/**
 * The audit's scenarios for one Dockerfile: a code change, a dependency change, a base-image
 * change and a change of each build arg the target passes. The change simulator says which
 * steps re-run and which final-image layers are new; each layer's bytes come from
 * estimate-layer; the pull figures follow the two engine stores (classic: every layer from the
 * first new one up; containerd: only the new blobs).
 */
import type { BuildContext } from '../dockerfile/context.js';
import { simulate, type Change } from '../dockerfile/simulate.js';
import type { Dockerfile, Instruction } from '../dockerfile/types.js';
import { estimateLayer, short, type LayerEnv, type LayerEstimate, type LayerKind } from './estimate-layer.js';
import type { LayerCost, Rerun, Scenario, ScenarioName } from './types.js';

/** Instructions BuildKit runs as build steps (the rest only change the image config). */
const STEP_KINDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

export interface ScenarioInput {
  file: Dockerfile;
  context: BuildContext;
  /** Stage built (`--target`). */
  target?: string;
  args: Record<string, string>;
  env: LayerEnv;
  /** The base image's layers (bottom to top), from base-layers. */
  base: LayerCost[];
  /** A source file of the project (context-relative) the code change edits. */
  codeFile?: string;
  /** The lock file (context-relative) the dependency change edits. */
  lockFile?: string;
}

/** Every scenario for the input, in a fixed order: code, dependency, base, then build args by name. */
export async function runScenarios(i: ScenarioInput): Promise<Scenario[]> {
  const memo = new Map<number, Promise<LayerEstimate>>();
  const estimate = (ins: Instruction) => {
    let p = memo.get(ins.index);
    if (!p) memo.set(ins.index, (p = estimateLayer(ins, i.env)));
    return p;
  };
  const specs: { name: ScenarioName; change: Change; what: string }[] = [
    i.codeFile
      ? { name: 'code-change', change: { kind: 'paths', paths: [i.codeFile] }, what: `one line of ${i.codeFile}` }
      : {
          name: 'code-change',
          change: { kind: 'app-source' },
          what: "the application's source (no source file found)",
        },
    i.lockFile
      ? {
          name: 'dependency-change',
          change: { kind: 'paths', paths: [i.lockFile] },
          what: `one package in ${i.lockFile}`,
        }
      : { name: 'dependency-change', change: { kind: 'deps' }, what: 'the dependency manifests (no lock file found)' },
    { name: 'base-change', change: { kind: 'base-image' }, what: 'a new version of the base image' },
    ...Object.keys(i.args)
      .sort()
      .map((n) => ({
        name: `build-arg:${n}` as ScenarioName,
        change: { kind: 'build-arg', name: n } as Change,
        what: `build arg ${n} takes another value`,
      })),
  ];
  const out: Scenario[] = [];
  for (const s of specs) out.push(await scenario(i, s.name, s.change, s.what, estimate));
  return out;
}

/** Which content kinds a change alters: COPY --from is content-addressed, so its layer is new only when they do. */
function alters(name: ScenarioName, kind: LayerKind): boolean {
  if (name === 'code-change') return kind === 'code' || kind === 'other';
  if (name === 'dependency-change') return kind !== 'code';
  return true;
}

async function scenario(
  i: ScenarioInput,
  name: ScenarioName,
  change: Change,
  what: string,
  estimate: (ins: Instruction) => Promise<LayerEstimate>,
): Promise<Scenario> {
  const sim = simulate(i.file, i.context, change, i.target);
  const stageName = (n: number | undefined) => (n === undefined ? 'global' : (i.file.stages[n]?.name ?? String(n)));
  // Only the stages the target needs are built: the others' steps do not re-run in this build.
  const built = neededStages(i.file, sim.target);
  const rerun: Rerun[] = sim.invalidated
    .filter((v) => v.instruction.stage !== undefined && built.has(v.instruction.stage))
    // Only these make build steps; ENV, CMD, EXPOSE, USER... only edit the image config.
    .filter((v) => STEP_KINDS.has(v.instruction.keyword))
    .map((v) => ({
      line: v.instruction.span.start.line,
      instruction: describe(v.instruction),
      stage: stageName(v.instruction.stage),
      reason: v.reason,
    }));
  const rests = new Set<string>();
  const baseChanged = name === 'base-change';
  const layers: LayerCost[] = i.base.map((b) => ({ ...b, changed: baseChanged }));
  for (const l of sim.finalLayers) {
    const est = await estimate(l.instruction);
    let changed = l.changed;
    const copyFrom = l.instruction.flags.some((f) => f.name === 'from');
    const untouched = change.kind === 'paths' && est.files && !change.paths.some((f) => est.files?.includes(f));
    if (changed && copyFrom && untouched) {
      changed = false;
      rests.add(
        `line ${l.instruction.span.start.line}: its stage re-runs but none of the ${est.files?.length} files it copies changed, and BuildKit keys COPY --from by content, so the layer is reused`,
      );
    } else if (changed && copyFrom && !alters(name, est.kind)) {
      changed = false;
      rests.add(
        `line ${l.instruction.span.start.line}: its stage re-runs but the files it copies (${est.kind}) stay the same, and BuildKit keys COPY --from by content, so the layer is reused`,
      );
    }
    layers.push({
      line: l.instruction.span.start.line,
      instruction: describe(l.instruction),
      changed,
      bytes: est.bytes,
      basis: est.basis,
    });
  }
  const first = layers.findIndex((l) => l.changed);
  const classicSet = first < 0 ? [] : layers.slice(first);
  const containerdSet = layers.filter((l) => l.changed);
  const sum = (ls: LayerCost[]) =>
    ls.some((l) => l.bytes === null) ? null : ls.reduce((a, l) => a + (l.bytes ?? 0), 0);
  for (const l of classicSet) rests.add(`${l.line === null ? 'base' : `line ${l.line}`}: ${l.basis}`);
  if (classicSet.some((l) => l.bytes === null)) rests.add('a pulled layer of unknown size leaves the total unknown');
  const bytes = { classic: sum(classicSet), containerd: sum(containerdSet) };
  const known = (ls: LayerCost[]) => ls.reduce((a, l) => a + (l.bytes ?? 0), 0);
  return {
    name,
    change: what,
    rerun,
    newLayers: containerdSet.length,
    bytes,
    ...(bytes.classic === null || bytes.containerd === null
      ? { knownBytes: { classic: known(classicSet), containerd: known(containerdSet) } }
      : {}),
    basis: 'estimated',
    rests: [...rests],
    layers,
  };
}

/** The target stage and every stage it reads from (FROM, COPY --from, RUN --mount=from). */
function neededStages(file: Dockerfile, target: number): Set<number> {
  const out = new Set<number>();
  const visit = (n: number) => {
    if (out.has(n) || !file.stages[n]) return;
    out.add(n);
    for (const d of file.stages[n].dependsOn) visit(d);
  };
  visit(target);
  return out;
}

/** `COPY --from=deps /app/.venv /app/.venv`, `RUN uv sync --locked`: the keyword, --from, the arguments. */
export function describe(ins: Instruction): string {
  const from = ins.flags.find((f) => f.name === 'from');
  return short(`${ins.keyword} ${from ? `--from=${from.value ?? ''} ` : ''}${ins.argsText}`, 72);
}
