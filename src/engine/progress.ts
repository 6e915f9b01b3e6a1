/**
 * BuildKit progress, read into build steps. Two formats, both fed line by line as the build
 * writes them (so callers can show progress) and both ending in the same `BuildStep[]`:
 *
 * - plain (`DOCKER_BUILDKIT=1 docker build --progress=plain`, stderr): blocks of `#N NAME`,
 *   `#N CACHED`, `#N DONE 1.3s`, `#N ERROR: ...`, log lines `#N 0.185 text`;
 * - rawjson (`docker buildx build --progress=rawjson`, stderr): one JSON SolveStatus per line,
 *   `{ vertexes: [{ digest, name, started, completed, cached, error }], logs: [{ vertex, data }] }`,
 *   data base64. A vertex appears several times as it progresses; the last word wins.
 */

/** One BuildKit vertex: a Dockerfile step (`[stage 2/3] RUN ...`) or internal work (`[internal] load build context`). */
export interface BuildStep {
  /** Vertex id: `#N` for plain progress, the vertex digest for rawjson. */
  id: string;
  /** As BuildKit names it, e.g. `[deps 4/4] RUN uv sync --locked`. */
  name: string;
  /** True when the step was answered from the build cache. */
  cached: boolean;
  /** Seconds the step took (0 when cached); null when it never finished. */
  seconds: number | null;
  /** BuildKit's error for a failed step. */
  error?: string;
  /** True for BuildKit's own work (`[internal] ...`, `exporting to image`), not a Dockerfile instruction. */
  internal: boolean;
}

/** A progress reader: feed it the build's output lines, then read its steps. */
export interface ProgressParser {
  /** One line of the build's progress output (without its newline). */
  push(line: string): void;
  /** Steps in the order BuildKit first reported them. */
  steps(): BuildStep[];
  /** Text lines of the log (step output and BuildKit's messages), for error reports. */
  logLines(): string[];
}

const LOG_KEEP = 400;

function isInternal(name: string): boolean {
  return !/^\[[^\]]*\d+\/\d+\]/.test(name);
}

function keepTail(lines: string[], more: string[]): void {
  lines.push(...more);
  if (lines.length > LOG_KEEP * 2) lines.splice(0, lines.length - LOG_KEEP);
}

/** Reads `--progress=plain` output. */
export class PlainProgressParser implements ProgressParser {
  private readonly byId = new Map<string, BuildStep>();
  private readonly log: string[] = [];

  push(line: string): void {
    keepTail(this.log, [line]);
    const m = /^#(\d+) (.*)$/.exec(line);
    if (!m) return;
    const [, id, rest] = m;
    let step = this.byId.get(id);
    if (!step) {
      step = { id: `#${id}`, name: rest, cached: false, seconds: null, internal: isInternal(rest) };
      this.byId.set(id, step);
      return;
    }
    if (rest === 'CACHED') {
      step.cached = true;
      step.seconds = 0;
      return;
    }
    const done = /^DONE (\d+(?:\.\d+)?)s$/.exec(rest);
    if (done) {
      step.seconds = Number(done[1]);
      return;
    }
    const err = /^ERROR(?:: (.*))?$/.exec(rest);
    if (err) step.error = err[1] ?? 'failed';
    else if (rest === 'CANCELED') step.error = 'canceled';
  }

  steps(): BuildStep[] {
    return [...this.byId.values()].map((s) => ({ ...s }));
  }

  logLines(): string[] {
    return this.log.slice(-LOG_KEEP);
  }
}

interface RawVertex {
  digest?: string;
  name?: string;
  started?: string;
  completed?: string;
  cached?: boolean;
  error?: string;
}

interface RawStatus {
  vertexes?: RawVertex[];
  logs?: { vertex?: string; data?: string }[];
}

/** Reads `--progress=rawjson` output; lines that are not JSON (buildx's own messages) go to the log. */
export class RawJsonProgressParser implements ProgressParser {
  private readonly byId = new Map<string, RawVertex>();
  private readonly log: string[] = [];

  push(line: string): void {
    const text = line.trim();
    if (!text) return;
    let status: RawStatus;
    try {
      status = JSON.parse(text) as RawStatus;
    } catch {
      keepTail(this.log, [line]);
      return;
    }
    if (typeof status !== 'object' || status === null) return;
    for (const v of status.vertexes ?? []) {
      if (!v.digest) continue;
      const prev = this.byId.get(v.digest) ?? {};
      // Later reports of a vertex omit fields they do not change (omitempty).
      this.byId.set(v.digest, { ...prev, ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) });
      if (v.error) keepTail(this.log, [`ERROR: ${v.error}`]);
    }
    for (const l of status.logs ?? []) {
      if (!l.data) continue;
      const name = l.vertex ? this.byId.get(l.vertex)?.name : undefined;
      const lines = Buffer.from(l.data, 'base64').toString('utf8').replace(/\n$/, '').split('\n');
      keepTail(
        this.log,
        lines.map((x) => (name ? `${name}: ${x}` : x)),
      );
    }
  }

  steps(): BuildStep[] {
    const out: BuildStep[] = [];
    for (const [id, v] of this.byId) {
      const name = v.name ?? id;
      const cached = v.cached === true;
      let seconds: number | null = null;
      if (cached) seconds = 0;
      else if (v.started && v.completed) {
        const ms = Date.parse(v.completed) - Date.parse(v.started);
        if (Number.isFinite(ms)) seconds = Math.max(0, Math.round(ms) / 1000);
      }
      const step: BuildStep = { id, name, cached, seconds, internal: isInternal(name) };
      if (v.error) step.error = v.error;
      out.push(step);
    }
    return out;
  }

  logLines(): string[] {
    return this.log.slice(-LOG_KEEP);
  }
}

/** Parses a whole recorded output at once. */
export function parseProgress(format: 'plain' | 'rawjson', text: string): BuildStep[] {
  const p = format === 'plain' ? new PlainProgressParser() : new RawJsonProgressParser();
  for (const line of text.split(/\r?\n/)) p.push(line);
  return p.steps();
}
