/**
 * The bench history: one JSON line per run (a `BenchResult`) in `.layerwise/bench.jsonl` or
 * `--history FILE`, the facts that make runs comparable (commit, engine, builder, machine), and
 * `--baseline REF|FILE`: the run to compare with.
 */
import { execFile, execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, arch, platform, release, totalmem } from 'node:os';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { detectBuildx } from '../engine/build.js';
import { EngineClient } from '../engine/client.js';
import { UserError } from '../errors.js';
import type { BenchEnvironment, BenchResult } from './types.js';

const execFileAsync = promisify(execFile);

export const SCHEMA = 'layerwise-bench/1';

/** git in `dir`; null when git is missing, `dir` is no repository, or the command fails. */
function git(dir: string, args: string[]): string | null {
  try {
    return execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 30_000,
    });
  } catch {
    return null;
  }
}

/**
 * HEAD of the project and whether its tree differs from it. bench's own `.layerwise/` and the
 * history file do not count: the run writes them, and the next run's tree would otherwise never
 * be clean.
 */
export function gitState(projectDir: string, historyFile?: string): { commit: string | null; dirty: boolean } {
  const head = git(projectDir, ['rev-parse', '--verify', '--quiet', 'HEAD'])?.trim();
  if (!head) return { commit: null, dirty: false };
  const exclude = [':(exclude).layerwise'];
  if (historyFile) {
    const rel = relative(resolve(projectDir), resolve(historyFile));
    if (rel && !rel.startsWith('..') && !isAbsolute(rel)) exclude.push(`:(exclude,literal)${rel.split(sep).join('/')}`);
  }
  const status = git(projectDir, ['status', '--porcelain', '--', '.', ...exclude]);
  return { commit: head, dirty: status === null || status.trim() !== '' };
}

/** `buildctl --version`: `buildctl github.com/moby/buildkit v0.12.5 bdbfa3f...` -> `0.12.5`. */
function buildctlVersion(): string | null {
  try {
    const out = execFileSync(process.env.BUILDCTL || 'buildctl', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 30_000,
    });
    return /\bv?(\d+\.\d+\.\d+[\w.+-]*)/.exec(out)?.[1] ?? (out.trim() || null);
  } catch {
    return null;
  }
}

type Storage = BenchEnvironment['engine']['storage'];

const storeOf = (driverStatus: unknown): Storage =>
  JSON.stringify(driverStatus ?? []).includes('io.containerd.snapshotter') ? 'containerd' : 'classic';

/** The engine's version and store through the docker CLI, which reaches every DOCKER_HOST form (ssh, TLS, contexts). */
async function cliFacts(
  docker: string,
  host: string | undefined,
): Promise<{ version: string; storage: Storage } | null> {
  const env = { ...process.env, ...(host ? { DOCKER_HOST: host } : {}) };
  const ask = async (args: string[]) =>
    (await execFileAsync(docker, args, { env, timeout: 30_000, encoding: 'utf8' })).stdout.trim();
  try {
    const version = await ask(['version', '--format', '{{.Server.Version}}']);
    if (!/^\d/.test(version)) return null;
    const driver = await ask(['info', '--format', '{{json .DriverStatus}}']).catch(() => null);
    return { version, storage: driver === null ? null : storeOf(JSON.parse(driver || 'null')) };
  } catch {
    return null;
  }
}

/** The same through the engine's API (unix socket or plain tcp), for when there is no docker CLI. */
async function apiFacts(host: string): Promise<{ version: string | null; storage: Storage } | null> {
  try {
    const engine = new EngineClient({ host, timeoutMs: 15_000 });
    const v = (await engine.ping()) as { Version?: unknown };
    const version = typeof v.Version === 'string' ? v.Version : null;
    const storage = await engine.info().then(
      (i) => storeOf(i.DriverStatus),
      () => null,
    );
    return { version, storage };
  } catch {
    return null;
  }
}

/**
 * Facts of the run: the project's commit, the engine (version and image store, through the docker
 * CLI, else the engine's API; null when neither answers, as with a plain BuildKit daemon and no
 * engine), the builder and its version (buildx's; the engine's for its built-in BuildKit;
 * buildctl's), and the machine layerwise ran on.
 */
export async function benchEnvironment(
  projectDir: string,
  build: { client: 'buildx' | 'buildkit' | 'buildctl'; builder: string; host?: string; docker?: string },
  /** The history file, when the run writes one: not a change of the tree. */
  historyFile?: string,
): Promise<BenchEnvironment> {
  const host = build.host ?? process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  // No engine (or none we can speak to) leaves the facts unknown rather than failing the run.
  const facts = (await cliFacts(build.docker ?? 'docker', build.host)) ?? (await apiFacts(host));
  const version = facts?.version ?? null;
  const storage = facts?.storage ?? null;
  let builderVersion: string | null = null;
  if (build.client === 'buildx') {
    const bx = await detectBuildx(build.docker ?? 'docker', build.host).catch(() => null);
    builderVersion = bx?.present ? bx.version : null;
  } else if (build.client === 'buildkit') builderVersion = version;
  else builderVersion = buildctlVersion();
  return {
    ...gitState(projectDir, historyFile),
    engine: { version, host, storage },
    builder: { client: build.client, name: build.builder, version: builderVersion },
    machine: {
      os: `${platform()} ${release()}`,
      arch: arch(),
      cpus: availableParallelism(),
      memoryBytes: totalmem(),
      node: process.version,
    },
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const numberOrNull = (x: unknown) => x === null || isNumber(x);

/** Why a scenario is not one the readers (baseline, renderers, charts) can use, or null. */
function invalidScenario(s: unknown): string | null {
  if (!isObject(s) || typeof s.name !== 'string' || typeof s.image !== 'string')
    return 'a scenario without name or image';
  const t = s.time as Record<string, unknown> | undefined;
  if (!isObject(t) || !isNumber(t.median_s)) return `scenario ${s.name} without time.median_s`;
  if (!Array.isArray(s.steps)) return `scenario ${s.name} without steps`;
  if (!isNumber(s.imageBytes)) return `scenario ${s.name} without imageBytes`;
  if (!numberOrNull(s.contextBytes) || !numberOrNull(s.cacheHitRate))
    return `scenario ${s.name} with contextBytes or cacheHitRate neither a number nor null`;
  const d = s.deploy;
  if (d !== null && (!isObject(d) || !isNumber(d.classic) || !isNumber(d.containerd) || !isObject(d.gzip)))
    return `scenario ${s.name} with a deploy that is not one`;
  return null;
}

/** Why `x` is not a bench result this version reads, or null when it is one. */
export function invalidResult(x: unknown): string | null {
  if (!isObject(x)) return 'not a JSON object';
  if (x.schema !== SCHEMA)
    return typeof x.schema === 'string'
      ? `schema ${x.schema}, not ${SCHEMA}`
      : 'no schema (not a layerwise bench result)';
  if (typeof x.startedAt !== 'string') return 'no startedAt';
  const e = x.environment;
  if (!isObject(e) || !isObject(e.engine) || !isObject(e.builder) || !isObject(e.machine))
    return 'no environment (engine, builder, machine)';
  if (!(e.commit === null || typeof e.commit === 'string')) return 'environment.commit neither a string nor null';
  if (!isObject(x.options) || !Array.isArray(x.options.scenarios)) return 'no options.scenarios';
  if (!Array.isArray(x.scenarios)) return 'no scenarios';
  for (const s of x.scenarios) {
    const why = invalidScenario(s);
    if (why) return why;
  }
  return null;
}

/** The first line of a file (up to 16 MB), without reading all of it. */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(65536);
    for (let total = 0; total < 16 * 1024 * 1024;) {
      const n = readSync(fd, buf, 0, buf.length, total);
      if (n === 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      chunks.push(Buffer.from(buf.subarray(0, nl >= 0 ? nl : n)));
      if (nl >= 0) break;
      total += n;
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function lastByte(file: string, size: number): number {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, size - 1);
    return b[0];
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends the run as one line. The line goes out in one write() on a file opened for appending,
 * so two runs appending at once cannot interleave their lines. A file that holds something other
 * than bench results is not appended to (it is the user's), and a last line cut short (a run
 * killed mid-write) is ended first so the new line stays whole.
 */
export function appendHistory(file: string, r: BenchResult): void {
  const why = invalidResult(r);
  if (why) throw new Error(`appendHistory: the result is not a bench result (${why})`);
  const where = `--history ${file}`;
  let prefix = '';
  if (existsSync(file)) {
    const st = statSync(file);
    if (!st.isFile()) throw new UserError(`${where}: not a regular file; give a file path or --no-history`);
    if (st.size > 0) {
      let head: unknown;
      try {
        head = JSON.parse(firstLine(file));
      } catch {
        head = undefined;
      }
      if (
        !head ||
        typeof head !== 'object' ||
        !String((head as { schema?: unknown }).schema).startsWith('layerwise-bench/')
      )
        throw new UserError(
          `${where}: the file is not a bench history (its first line is not a bench result); give another path or --no-history`,
        );
      if (lastByte(file, st.size) !== 10) prefix = '\n';
    }
  }
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    const fd = openSync(file, 'a');
    try {
      const line = Buffer.from(`${prefix}${JSON.stringify(r)}\n`);
      // One write for the whole line; a short write (a full disk) goes on from where it stopped.
      for (let done = 0; done < line.length;) done += writeSync(fd, line, done);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new UserError(
      `${where}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give a writable path or --no-history`,
    );
  }
}

/**
 * The runs of a history file, oldest first. A missing file is an empty history; a line that is not
 * a bench result this version reads is skipped with a warning naming its line number.
 */
export function readHistory(file: string): { results: BenchResult[]; warnings: string[] } {
  if (!existsSync(file)) return { results: [], warnings: [] };
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new UserError(`${file}: not a regular file; give the history file's path`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const results: BenchResult[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let x: unknown;
    try {
      x = JSON.parse(line);
    } catch (e) {
      warnings.push(`${file}:${i + 1}: not JSON (${(e as Error).message.split('\n')[0]}), skipped`);
      return;
    }
    const why = invalidResult(x);
    if (why) warnings.push(`${file}:${i + 1}: ${why}, skipped`);
    else results.push(x as BenchResult);
  });
  return { results, warnings };
}

/** A bench result in a `.json` file (as `--format json` writes it) or the last run of a `.jsonl` history. */
function baselineFromFile(spec: string, file: string): BenchResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `--baseline ${spec}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch {
    whole = undefined;
  }
  if (whole !== undefined) {
    const why = invalidResult(whole);
    if (why)
      throw new UserError(
        `--baseline ${spec}: not a bench result (${why}); give bench's JSON output or a history file`,
      );
    return whole as BenchResult;
  }
  const { results, warnings } = readHistory(file);
  if (!results.length)
    throw new UserError(
      `--baseline ${spec}: no bench result in the file${warnings.length ? ` (${warnings[0]})` : ''}; give bench's JSON output or a history file`,
    );
  return results[results.length - 1];
}

/**
 * The run to compare with. FILE: an existing file, read as one result or a history (its last
 * run). REF: anything git resolves to a commit of the project; the newest run of that commit in
 * the history, preferring one from a clean tree (a dirty tree's run is not that commit's
 * figures). A UserError when neither gives a run.
 */
export function pickBaseline(spec: string, historyFile: string, projectDir: string): BenchResult {
  if (!spec.trim()) throw new UserError('--baseline: empty; give a git ref (HEAD~1, main) or a file');
  if (existsSync(spec)) {
    if (statSync(spec).isFile()) return baselineFromFile(spec, spec);
    if (!git(projectDir, ['rev-parse', '--verify', '--quiet', `${spec}^{commit}`]))
      throw new UserError(`--baseline ${spec}: a directory; give a bench JSON file, a history file or a git ref`);
  }
  const commit = git(projectDir, ['rev-parse', '--verify', '--quiet', `${spec}^{commit}`])?.trim();
  if (!commit) {
    const repo = git(projectDir, ['rev-parse', '--git-dir']) !== null;
    throw new UserError(
      `--baseline ${spec}: no such file${repo ? ', and not a commit of the project' : ', and the project is not a git repository'}; give a bench JSON file, a history file or a git ref`,
    );
  }
  const { results } = readHistory(historyFile);
  const ofCommit = results.filter((r) => r.environment.commit === commit);
  const pick = [...ofCommit].reverse().find((r) => !r.environment.dirty) ?? ofCommit[ofCommit.length - 1];
  if (!pick) {
    const commits = new Set(results.map((r) => r.environment.commit?.slice(0, 12)).filter(Boolean));
    throw new UserError(
      `--baseline ${spec}: no run of commit ${commit.slice(0, 12)} in ${historyFile} (${results.length} run${results.length === 1 ? '' : 's'}${commits.size ? ` of ${[...commits].slice(-5).join(', ')}` : ''}); bench that commit first or give a file`,
    );
  }
  return pick;
}
