/**
 * The change simulator: given a change (context paths, a class of change, a build arg, the
 * base image), which instructions lose their build cache, and which layers of the final image
 * are new. It follows BuildKit's cache rules:
 * - an instruction re-runs when its parent in the stage re-ran (the cache is a chain);
 * - COPY/ADD re-run when a file they copy changed (after .dockerignore), or the stage they
 *   copy from changed; RUN when a bind mount's source changed;
 * - a changed build arg invalidates every RUN after its ARG declaration in the stage (args are
 *   the RUN's environment) and any other instruction that expands it;
 * - a changed base image invalidates its whole stage; a stage built on a changed stage too.
 */
import { posix } from 'node:path';
import type { BuildContext } from './context.js';
import { perContext } from './context-memo.js';
import { findStage } from './stages.js';
import type { Dockerfile, Instruction, Stage } from './types.js';
import { referencedVariables } from './vars.js';

export type Change =
  | { kind: 'paths'; paths: string[] }
  | { kind: 'app-source' }
  | { kind: 'deps' }
  | { kind: 'build-arg'; name: string }
  | { kind: 'base-image'; image?: string };

export interface Invalidation {
  instruction: Instruction;
  /** Why it re-runs, in words a user reads. */
  reason: string;
  /** The instruction whose change started the chain that reached this one. */
  cause: Instruction;
  /** True when this instruction's own inputs changed (not only its parent). */
  direct: boolean;
}

export interface Layer {
  instruction: Instruction;
  stage: number;
  /** True when the change makes this layer new (it must be rebuilt and pulled). */
  changed: boolean;
}

export interface Simulation {
  change: Change;
  /** Every instruction that loses its cache, in file order. */
  invalidated: Invalidation[];
  /** Layers of the target stage (base chain included), bottom to top. */
  finalLayers: Layer[];
  /** Index of the target stage. */
  target: number;
  isInvalidated(ins: Instruction): boolean;
}

/** File names that declare dependencies; a change to one is a "dependency change". */
const MANIFEST =
  /(^|\/)(requirements[^/]*\.(txt|in)|constraints[^/]*\.txt|pyproject\.toml|setup\.py|setup\.cfg|uv\.lock|poetry\.lock|pdm\.lock|Pipfile(\.lock)?|environment\.ya?ml|package(-lock)?\.json|yarn\.lock|pnpm-lock\.yaml|Gemfile(\.lock)?|go\.(mod|sum)|Cargo\.(toml|lock))$/;
/** Files that are neither code nor dependency declarations. */
const NOT_SOURCE =
  /(^|\/)(Dockerfile[^/]*|[^/]*\.Dockerfile|\.dockerignore|\.gitignore|\.git(\/.*)?|README[^/]*|LICENSE[^/]*|CHANGELOG[^/]*|compose[^/]*\.ya?ml|docker-compose[^/]*\.ya?ml)$/;

export function isManifest(path: string): boolean {
  return MANIFEST.test(path);
}

export function isAppSource(path: string): boolean {
  return !MANIFEST.test(path) && !NOT_SOURCE.test(path);
}

/** Simulates `change` on `file` built with `context`; `target` is a stage name or index. */
export function simulate(file: Dockerfile, context: BuildContext, change: Change, target?: string): Simulation {
  const stages = file.stages;
  const targetIndex = target !== undefined ? (findStage(stages, target) ?? stages.length - 1) : stages.length - 1;
  const hit = new Map<number, Invalidation>();
  const stageChanged = new Map<number, Instruction>();
  const changedPaths = changedPathsOf(change, context);

  for (const stage of stages) {
    const declaredArgs = new Set<string>();
    let chain: Invalidation | undefined;
    for (const ins of stage.instructions) {
      let direct: string | undefined;
      if (ins.keyword === 'FROM') direct = fromChange(stage, change, stageChanged, file);
      else if (ins.keyword === 'ARG') {
        for (const p of ins.pairs) declaredArgs.add(p.key);
      } else direct = inputChange(ins, stages, change, changedPaths, context, declaredArgs, stageChanged);
      if (direct) chain = { instruction: ins, reason: direct, cause: ins, direct: true };
      else if (chain) {
        chain = {
          instruction: ins,
          reason: `follows line ${chain.instruction.span.start.line}, which re-runs`,
          cause: chain.cause,
          direct: false,
        };
      }
      if (chain) hit.set(ins.index, chain);
    }
    if (chain) stageChanged.set(stage.index, chain.cause);
  }

  const finalLayers: Layer[] = [];
  const collect = (i: number, seen: Set<number>) => {
    const s = stages[i];
    if (!s || seen.has(i)) return;
    seen.add(i);
    if (s.base.stage !== undefined) collect(s.base.stage, seen);
    for (const ins of s.instructions) {
      if (ins.keyword === 'RUN' || ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        finalLayers.push({ instruction: ins, stage: i, changed: hit.has(ins.index) });
      }
    }
  };
  collect(targetIndex, new Set());
  const invalidated = [...hit.values()].sort((a, b) => a.instruction.index - b.instruction.index);
  return { change, invalidated, finalLayers, target: targetIndex, isInvalidated: (ins) => hit.has(ins.index) };
}

function changedPathsOf(change: Change, context: BuildContext): string[] | undefined {
  if (change.kind === 'paths') return change.paths;
  if (change.kind !== 'app-source' && change.kind !== 'deps') return undefined;
  const kind = change.kind;
  return perContext(context, `changed-${kind}`, () => {
    const files = context.exists ? context.files() : [];
    if (!files.length) return undefined;
    return files.filter((f) => (kind === 'deps' ? isManifest(f) : isAppSource(f)) && !context.isIgnored(f));
  });
}

function fromChange(
  stage: Stage,
  change: Change,
  stageChanged: Map<number, Instruction>,
  file: Dockerfile,
): string | undefined {
  if (stage.base.stage !== undefined) {
    const cause = stageChanged.get(stage.base.stage);
    return cause ? `its base stage '${file.stages[stage.base.stage].name ?? stage.base.stage}' changed` : undefined;
  }
  if (change.kind === 'base-image' && !stage.base.scratch) {
    if (!change.image || stage.base.resolved === change.image || stage.base.name === change.image) {
      return `the base image ${stage.base.resolved} changed`;
    }
  }
  if (
    change.kind === 'build-arg' &&
    stage.from.args[0] &&
    referencedVariables(stage.from.args[0]).includes(change.name)
  ) {
    return `the base image depends on build arg ${change.name}`;
  }
  return undefined;
}

function inputChange(
  ins: Instruction,
  stages: Stage[],
  change: Change,
  changedPaths: string[] | undefined,
  context: BuildContext,
  declaredArgs: Set<string>,
  stageChanged: Map<number, Instruction>,
): string | undefined {
  if (change.kind === 'build-arg') {
    if (ins.keyword === 'RUN' && declaredArgs.has(change.name)) return `build arg ${change.name} is in its environment`;
    if (referencedVariables(ins.text).includes(change.name) && declaredArgs.has(change.name)) {
      return `it expands build arg ${change.name}`;
    }
    return undefined;
  }
  if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
    const from = ins.flags.find((f) => f.name === 'from')?.resolved;
    if (from !== undefined) {
      const s = findStage(stages, from, ins.stage);
      if (s !== undefined) return stageChanged.has(s) ? `it copies from stage '${from}', which changed` : undefined;
      if (change.kind === 'base-image' && (!change.image || change.image === from))
        return `it copies from image ${from}`;
      return undefined;
    }
    for (const src of copySources(ins)) {
      const why = sourceChange(src, change, changedPaths, context);
      if (why) return `it copies ${why}`;
    }
    return undefined;
  }
  if (ins.keyword === 'RUN') {
    for (const m of ins.mounts) {
      if (m.type !== 'bind') continue;
      if (m.from) {
        const s = findStage(stages, m.from, ins.stage);
        if (s !== undefined && stageChanged.has(s)) return `it mounts stage '${m.from}', which changed`;
        continue;
      }
      const why = sourceChange(m.source ?? '.', change, changedPaths, context);
      if (why) return `its bind mount of ${m.source ?? '.'} sees ${why}`;
    }
  }
  return undefined;
}

/** Context sources of a COPY/ADD (destination, URLs and heredocs excluded). */
export function copySources(ins: Instruction): string[] {
  const words = ins.jsonForm && ins.jsonArgs ? ins.jsonArgs : ins.resolvedArgs;
  const heredocNames = new Set(ins.heredocs.map((h) => h.name));
  return words
    .slice(0, -1)
    .filter((w) => !/^<<-?/.test(w) && !heredocNames.has(w))
    .filter((w) => !/^(https?|git):\/\//.test(w) && !w.startsWith('git@'));
}

/** Returns a description of what changed under `source`, or undefined when nothing did. */
function sourceChange(
  source: string,
  change: Change,
  changedPaths: string[] | undefined,
  context: BuildContext,
): string | undefined {
  const norm = normaliseSource(source);
  if (changedPaths) {
    const hits = changedPaths.filter((p) => !context.isIgnored(p) && covers(norm, p));
    if (!hits.length) return undefined;
    return `changed files (${hits.slice(0, 3).join(', ')}${hits.length > 3 ? `, +${hits.length - 3} more` : ''})`;
  }
  // No file list: judge the source by its shape.
  if (change.kind === 'app-source') {
    if (norm === '.' || !isManifestSource(norm))
      return norm === '.' ? 'the whole context, application source included' : 'application source';
  }
  if (change.kind === 'deps') {
    if (norm === '.') return 'the whole context, dependency files included';
    if (
      isManifest(norm) ||
      (/[*?[]/.test(norm) &&
        ['requirements.txt', 'pyproject.toml', 'uv.lock', 'poetry.lock'].some((m) => covers(norm, m)))
    ) {
      return 'a dependency file';
    }
  }
  return undefined;
}

const MANIFEST_NAMES = [
  'requirements.txt',
  'requirements-dev.txt',
  'pyproject.toml',
  'uv.lock',
  'poetry.lock',
  'pdm.lock',
  'Pipfile.lock',
  'package-lock.json',
  'yarn.lock',
];
const SOURCE_NAMES = ['app.py', 'main.py', 'src', 'app', 'index.js'];

/**
 * True when a COPY source names dependency files only: a manifest path, or a glob such as
 * `poetry.lock*` or `requirements*.txt` that matches manifests but not ordinary source files.
 */
export function isManifestSource(norm: string): boolean {
  if (isManifest(norm)) return true;
  if (!/[*?[]/.test(norm)) return false;
  return MANIFEST_NAMES.some((m) => covers(norm, m)) && !SOURCE_NAMES.some((m) => covers(norm, m));
}

export function normaliseSource(source: string): string {
  const n = posix.normalize(source.replace(/^\/+/, '')).replace(/\/+$/, '');
  return n === '' ? '.' : n;
}

/** True when a COPY source (path or glob, context-relative) includes `path`. */
export function covers(source: string, path: string): boolean {
  if (source === '.' || source === './') return true;
  if (!/[*?[]/.test(source)) return path === source || path.startsWith(`${source}/`);
  const re = globRegex(source);
  const parts = path.split('/');
  for (let i = 1; i <= parts.length; i++) if (re.test(parts.slice(0, i).join('/'))) return true;
  return false;
}

function globRegex(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += glob[i + 1] === '*' ? (i++, '.*') : '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i);
      re += close > i ? glob.slice(i, close + 1) : '\\[';
      if (close > i) i = close;
    } else re += /[.+^${}()|\\/]/.test(c) ? `\\${c}` : c;
  }
  try {
    return new RegExp(`${re}$`);
  } catch {
    // A class Go's filepath.Match rejects (`[p-"]`): COPY fails on it, so it covers nothing.
    return /(?!)/;
  }
}
