/**
 * Where files a stage copied in end up after the stage's RUNs move them (`mv static /layers/static/`,
 * how init splits asset directories from the code), so a COPY --from of one of those paths can be
 * estimated from the context files it holds.
 */
import { posix } from 'node:path';

/** `mv SRC DEST` in a RUN (each `&&`/`;` part), as absolute from/to paths; DEST/ puts SRC inside it. */
export function movesIn(run: string, workdir: string): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const m of run.matchAll(/(?:^|&&|;|\bthen)\s*mv\s+(?:-[a-zA-Z]+\s+)*([^\s;&|]+)\s+([^\s;&|]+)/g)) {
    const [src, dst] = [m[1], m[2]].map((x) => x.replace(/^["']|["']$/g, ''));
    if (/[$*?`]/.test(src + dst)) continue;
    const from = posix.resolve(workdir, src);
    const to = dst.endsWith('/')
      ? posix.join(posix.resolve(workdir, dst), posix.basename(from))
      : posix.resolve(workdir, dst);
    out.push({ from, to });
  }
  return out;
}

/** Where a path ends up after the moves, in order. */
export function movedTo(path: string, moves: { from: string; to: string }[]): string {
  let at = path;
  for (const m of moves) if (at === m.from || at.startsWith(`${m.from}/`)) at = m.to + at.slice(m.from.length);
  return at;
}

/** Paths `rm -f` removes anywhere in a RUN (readRun's `removed` reads only RUNs that do nothing else). */
export function removalsIn(run: string): string[] {
  return [...run.matchAll(/(?:^|&&|;)\s*rm\s+-f\s+([^;&|]+)/g)].flatMap((m) => m[1].split(/\s+/)).filter(Boolean);
}
