/** Stages of a Dockerfile and the graph between them (FROM, COPY --from, RUN --mount=from). */
import { parseImageRef } from './image-ref.js';
import type { BaseImage, Dockerfile, Instruction, Stage } from './types.js';
import { substitute, type Scope } from './vars.js';

export function buildStages(file: Dockerfile, globalScope: Scope): Stage[] {
  const stages: Stage[] = [];
  for (const ins of file.instructions) {
    if (ins.stage === undefined) continue;
    if (ins.keyword === 'FROM') {
      const name = ins.args.length >= 3 && ins.args[1].toUpperCase() === 'AS' ? ins.args[2] : undefined;
      stages.push({
        index: ins.stage,
        name,
        base: baseImage(ins, stages, globalScope, file.escapeChar),
        from: ins,
        instructions: [ins],
        dependsOn: [],
        reachable: false,
      });
    } else stages[ins.stage]?.instructions.push(ins);
  }
  for (const stage of stages) {
    const deps = new Set<number>();
    if (stage.base.stage !== undefined) deps.add(stage.base.stage);
    for (const ins of stage.instructions) {
      for (const ref of stageRefs(ins)) {
        const target = findStage(stages, ref, stage.index);
        if (target !== undefined) deps.add(target);
      }
    }
    stage.dependsOn = [...deps];
  }
  // The default build target is the last stage; everything it needs is reachable.
  const visit = (i: number) => {
    const s = stages[i];
    if (!s || s.reachable) return;
    s.reachable = true;
    s.dependsOn.forEach(visit);
  };
  if (stages.length) visit(stages.length - 1);
  return stages;
}

/** Stage names or indexes this instruction reads from (`--from` of COPY, `from=` of mounts). */
export function stageRefs(ins: Instruction): string[] {
  const refs: string[] = [];
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    const from = ins.flags.find((f) => f.name === 'from');
    if (from?.resolved) refs.push(from.resolved);
  }
  for (const m of ins.mounts) if (m.from) refs.push(m.from);
  return refs;
}

/** Resolves a stage reference (name, case-insensitive, or numeric index) seen before `before`. */
export function findStage(stages: Stage[], ref: string, before = Number.POSITIVE_INFINITY): number | undefined {
  const lower = ref.toLowerCase();
  if (/^\d+$/.test(ref)) {
    const n = Number(ref);
    return n < before && n < stages.length ? n : undefined;
  }
  const hit = stages.find((s) => s.index < before && s.name?.toLowerCase() === lower);
  return hit?.index;
}

function baseImage(from: Instruction, earlier: Stage[], scope: Scope, escapeChar: string): BaseImage {
  const raw = from.args[0] ?? '';
  const sub = substitute(raw, scope, escapeChar);
  const platform = from.flags.find((f) => f.name === 'platform')?.value;
  const stage = earlier.find((s) => s.name && s.name.toLowerCase() === sub.value.toLowerCase())?.index;
  const ref = parseImageRef(sub.value);
  return {
    raw,
    resolved: sub.value,
    stage,
    scratch: sub.value.toLowerCase() === 'scratch',
    name: ref.name,
    tag: ref.tag,
    digest: ref.digest,
    registry: ref.registry,
    dynamic: sub.dynamic,
    platform,
  };
}

/** The last stage: the one `docker build` ships when no --target is given. */
export function finalStage(file: Dockerfile): Stage | undefined {
  return file.stages[file.stages.length - 1];
}

const shippedCache = new WeakMap<Dockerfile, Set<number>>();

/**
 * Stages whose layers end up in the final image: the final stage and the chain of stages it is
 * built FROM. A builder stage that is only copied from does not ship its layers, so size rules
 * ignore its leftovers.
 */
export function shippedStages(file: Dockerfile): Set<number> {
  let out = shippedCache.get(file);
  if (!out) {
    out = new Set(stageChain(file, finalStage(file)).map((s) => s.index));
    shippedCache.set(file, out);
  }
  return out;
}

/** The stage and the stages it is built FROM, nearest first. */
export function stageChain(file: Dockerfile, stage: Stage | undefined): Stage[] {
  const out: Stage[] = [];
  const seen = new Set<number>();
  while (stage && !seen.has(stage.index)) {
    seen.add(stage.index);
    out.push(stage);
    stage = stage.base.stage === undefined ? undefined : file.stages[stage.base.stage];
  }
  return out;
}
