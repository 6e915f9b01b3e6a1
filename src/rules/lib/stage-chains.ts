/**
 * Stages and the chains they build on: which stages ship, what an instruction inherits from
 * earlier stages (SHELL, ...), the external base image and whether it is Debian-like.
 */
import type { Dockerfile, Instruction, Stage } from '../../dockerfile/types.js';
import { stageChain, stageOf } from '../util.js';

export { shippedStages, stageChain } from '../../dockerfile/stages.js';

/** True when leftovers of `ins` end up in the final image (ONBUILD triggers count: they run downstream). */
export function ships(file: Dockerfile, ins: Instruction, shipped: Set<number>): boolean {
  if (ins.stage === undefined) return true;
  const host = file.instructions[ins.index];
  if (host && host !== ins && host.keyword === 'ONBUILD') return true;
  return shipped.has(ins.stage);
}

/** Instructions of `keyword` in effect before `ins`: earlier in its stage, then in its base stages (nearest first). */
export function earlierInChain(file: Dockerfile, ins: Instruction, keyword: string): Instruction[] {
  const out: Instruction[] = [];
  let limit = ins.index;
  for (const stage of stageChain(file, stageOf(file, ins))) {
    const found = stage.instructions.filter((i) => i.keyword === keyword && i.index < limit);
    out.push(...found.reverse());
    limit = Number.POSITIVE_INFINITY;
  }
  return out;
}

/** The SHELL in effect for `ins` (JSON args of the nearest earlier SHELL in the stage chain), if any. */
export function shellAt(file: Dockerfile, ins: Instruction): string[] | undefined {
  const shells = earlierInChain(file, ins, 'SHELL');
  return shells[0]?.jsonArgs;
}

/** The external base image a stage ultimately builds on, following `FROM <stage>`. */
export function externalBase(file: Dockerfile, stage: Stage | undefined): Stage | undefined {
  const chain = stageChain(file, stage);
  return chain[chain.length - 1];
}

const DEBIAN_IMAGES = new Set([
  'debian',
  'ubuntu',
  'python',
  'node',
  'buildpack-deps',
  'golang',
  'ruby',
  'rust',
  'php',
  'perl',
  'openjdk',
  'eclipse-temurin',
  'maven',
  'gradle',
  'pypy',
  'r-base',
  'julia',
  'elixir',
  'erlang',
  'haskell',
  'swift',
]);

/** True when the stage's base image is Debian/Ubuntu based (so /bin/bash exists), judged by name and tag. */
export function debianLike(file: Dockerfile, stage: Stage | undefined): boolean {
  const base = externalBase(file, stage)?.base;
  if (!base || base.dynamic || base.scratch || base.stage !== undefined) return false;
  const tag = (base.tag ?? '').toLowerCase();
  if (/alpine|windows|nanoserver|servercore|distroless|busybox|musl/.test(tag)) return false;
  if (/bookworm|bullseye|buster|trixie|jammy|noble|focal|bionic/.test(tag)) return true;
  const last = base.name.toLowerCase().split('/').pop() ?? '';
  if (!DEBIAN_IMAGES.has(last)) return false;
  // Official images of these names are Debian unless the tag says otherwise; others may be anything.
  const path = base.name
    .toLowerCase()
    .replace(/^docker\.io\//, '')
    .replace(/^library\//, '');
  return !path.includes('/') || /^(ubuntu|debian)$/.test(last);
}

/** Instructions before `ins` in its stage and the stages it is built on, in build order. */
export function instructionsBefore(file: Dockerfile, ins: Instruction): Instruction[] {
  const stage = stageOf(file, ins);
  if (!stage) return [];
  const chain = stageChain(file, stage).reverse();
  const out: Instruction[] = [];
  for (const s of chain) for (const i of s.instructions) if (s !== stage || i.index < ins.index) out.push(i);
  return out;
}
