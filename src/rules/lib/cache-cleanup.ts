/**
 * Package caches left in a shipped layer: a cache-filling op with no cleanup, cache mount or `rm` after it.
 */
import type { Dockerfile, Instruction, PackageOp } from '../../dockerfile/types.js';
import { opsOf, shippedStages } from '../util.js';
import { cacheMountCovers, covers } from './mounts.js';
import { commandIndex, opAfter } from './package-words.js';
import { ships } from './stage-chains.js';

/** True when a later command of the RUN removes one of `paths` (`rm -rf /var/cache/yum`, with globs). */
export function removesAfter(ins: Instruction, afterIndex: number, paths: string[]): boolean {
  const cmds = ins.shell?.commands ?? [];
  for (let i = afterIndex + 1; i < cmds.length; i++) {
    const c = cmds[i];
    if (c.program !== 'rm') continue;
    for (const a of c.args) {
      if (a.value.startsWith('-')) continue;
      const target = a.value.replace(/\/\*+$/, '').replace(/\/$/, '');
      if (paths.some((p) => covers(target, p) && target !== '' && target !== '/')) return true;
    }
  }
  return false;
}

export interface CleanupSpec {
  /** The ops that fill the cache (e.g. `yum install`). */
  fills(op: PackageOp): boolean;
  /** The ops that empty it (e.g. `yum clean all`). */
  cleans(op: PackageOp): boolean;
  /** Cache directories: a cache mount over one of them, or an `rm` of one, also counts. */
  dirs(ins: Instruction): string[];
}

/**
 * RUNs of shipped stages where a cache-filling op is not followed by a cleanup in the same RUN
 * (and no cache mount takes the cache out of the layer). Yields the first such op per RUN.
 */
export function* missingCleanups(file: Dockerfile, spec: CleanupSpec): Generator<{ ins: Instruction; op: PackageOp }> {
  const shipped = shippedStages(file);
  for (const ins of file.instructions.map((i) => (i.keyword === 'ONBUILD' ? i.onbuild : i))) {
    if (ins?.keyword !== 'RUN' || !ships(file, ins, shipped)) continue;
    const ops = opsOf(ins);
    const filling = ops.filter((o) => spec.fills(o));
    if (!filling.length) continue;
    const dirs = spec.dirs(ins);
    if (cacheMountCovers(ins, dirs)) continue;
    const last = commandIndex(ins, filling[filling.length - 1]);
    if (opAfter(ins, last, (o) => spec.cleans(o)) || removesAfter(ins, last, dirs)) continue;
    yield { ins, op: filling[0] };
  }
}
