/**
 * One build's figures: its Dockerfile steps with cached flags and durations, the cache hit rate,
 * the bytes of the build context sent (read from the progress as it streams), the image's size
 * from the engine, and the deploy bytes a host holding the previous image pulls (the image diff,
 * src/audit/prove-measure.ts).
 */
import { parseSize } from '../image/thresholds.js';
import { measurePull } from '../audit/prove-measure.js';
import { EngineClient } from '../engine/client.js';
import type { BuildOutcome } from '../engine/build.js';
import type { BenchRun, BenchStep, DeployBytes } from './types.js';

/**
 * Dockerfile steps of a build; internal vertices (context loads, exporting) are left out. BuildKit
 * names a step from its text, which the build driver's isolation changed (cache-mount ids end in
 * `-KEY`, and an `ARG LAYERWISE_CACHE_KEY` follows each FROM): both are taken out of the names so
 * that repetitions, scenarios and runs (medians, baselines) compare steps by the user's text.
 */
export function benchSteps(o: Pick<BuildOutcome, 'steps'>, cacheKey?: string): BenchStep[] {
  return o.steps
    .filter((s) => !s.internal)
    .map((s) => ({ name: userStepName(s.name, cacheKey), cached: s.cached, seconds: s.seconds ?? 0 }));
}

/** A step's name without what the cache-key isolation added to the Dockerfile's text. */
export function userStepName(name: string, cacheKey?: string): string {
  let out = name.replace(/\s*\bARG LAYERWISE_CACHE_KEY\b/g, '');
  if (cacheKey) out = out.split(`-${cacheKey}`).join('');
  return out;
}

/**
 * Cached steps / steps, FROM steps left out: BuildKit resolves a base image on every build and
 * never reports it cached, so counting it would keep a build with nothing to do under 100%.
 */
export function cacheHitRate(steps: BenchStep[]): number | null {
  const counted = steps.filter((s) => !/^\[[^\]]*\] FROM /.test(s.name));
  if (!counted.length) return null;
  return counted.filter((s) => s.cached).length / counted.length;
}

/** `12.5kB` (BuildKit writes sizes in decimal units with a few significant digits) in bytes; null when it is not a size. */
export function parseHumanBytes(text: string): number | null {
  try {
    return parseSize(text, 'size');
  } catch {
    return null;
  }
}

const CONTEXT_VERTEX = '[internal] load build context';

/**
 * Reads the context transfer from build progress lines as they arrive: plain progress writes
 * `#5 transferring context: 12.3kB 0.1s done` under the `#5 [internal] load build context`
 * vertex; rawjson carries `statuses[{ id: 'transferring context:', vertex, current }]`. Only the
 * build context's vertex counts (loading .dockerignore transfers a "context" too).
 */
export class ContextBytesReader {
  private readonly plainIds = new Set<string>();
  private readonly rawIds = new Set<string>();
  private bytes: number | null = null;

  push(line: string): void {
    const plain = /^#(\d+) (.*)$/.exec(line);
    if (plain) {
      const [, id, rest] = plain;
      if (rest === CONTEXT_VERTEX) this.plainIds.add(id);
      const m = /^transferring context: (\S+)/.exec(rest);
      if (m && this.plainIds.has(id)) this.bytes = parseHumanBytes(m[1]) ?? this.bytes;
      return;
    }
    if (!line.startsWith('{')) return;
    try {
      const s = JSON.parse(line) as {
        vertexes?: { digest?: string; name?: string }[];
        statuses?: { id?: string; vertex?: string; current?: number }[];
      };
      for (const v of s.vertexes ?? []) if (v.digest && v.name === CONTEXT_VERTEX) this.rawIds.add(v.digest);
      for (const st of s.statuses ?? [])
        if (st.id?.startsWith('transferring context') && st.vertex && this.rawIds.has(st.vertex))
          this.bytes = typeof st.current === 'number' ? st.current : this.bytes;
    } catch {
      // not JSON: buildx's own message
    }
  }

  /** The bytes last reported, or null when the progress never said. */
  value(): number | null {
    return this.bytes;
  }
}

/** Engine facts a run needs; a seam so the run's logic is testable without an engine. */
export interface ImageFacts {
  /** The image's size as the engine reports it (bytes, uncompressed). */
  size(imageId: string): Promise<number>;
}

export function engineFacts(host?: string): ImageFacts {
  return {
    async size(imageId) {
      const info = await new EngineClient({ host }).inspectImage(imageId);
      return info.Size ?? 0;
    },
  };
}

/** One build's figures, from its outcome, the context bytes its progress gave and the engine. */
export async function measureRun(
  o: BuildOutcome,
  contextBytes: number | null,
  facts: ImageFacts,
  cacheKey?: string,
): Promise<BenchRun> {
  const steps = benchSteps(o, cacheKey);
  return {
    seconds: o.seconds,
    imageId: o.imageId,
    steps,
    contextBytes,
    imageBytes: await facts.size(o.imageId),
    cacheHitRate: cacheHitRate(steps),
  };
}

/** What a host holding `before` pulls for `after`, both stores, uncompressed and gzip. */
export async function deployBytes(before: string, after: string, host?: string): Promise<DeployBytes> {
  const m = await measurePull(before, after, { host });
  return {
    against: before,
    classic: m.diff.classic.bytes,
    containerd: m.diff.containerd.bytes,
    gzip: { classic: m.gzip.classic, containerd: m.gzip.containerd },
    newLayers: m.diff.newLayers,
  };
}

/** Named stages of a Dockerfile's text, in order (`FROM x AS name`), for --stages. */
export function stageNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*\S+[ \t]+AS[ \t]+([\w.-]+)/gim)) names.push(m[1]);
  return names;
}
