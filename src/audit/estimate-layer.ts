/**
 * What one layer of the final image holds and its compressed size, from real data: the context
 * files a COPY takes (gzipped), the lock's wheels for a dependency install, the project's own
 * files for an install of the project, what a COPY --from copies out of the stage that made it.
 * Anything that cannot be known before building (an apt-get install, a script) is null with the
 * reason.
 */
import { posix } from 'node:path';
import type { BuildContext } from '../dockerfile/context.js';
import { copySources, covers, isAppSource, normaliseSource } from '../dockerfile/simulate.js';
import { movedTo, movesIn, removalsIn } from './stage-moves.js';
import { findStage } from '../dockerfile/stages.js';
import type { Dockerfile, Instruction, Stage } from '../dockerfile/types.js';
import type { PythonProject } from '../project/types.js';
import type { DepsEstimate } from './estimate-deps.js';
import { gzipFilesEstimate, gzipHeadersEstimate } from './estimate-files.js';
import { readRun, type RunInfo } from './install-command.js';
import { VENV_PER_SEED_WHEEL, type SeedWheels } from './venv-seed.js';

/** What a layer holds, which decides the changes that make it new when it is content-addressed. */
export type LayerKind = 'deps' | 'code' | 'manifest' | 'meta' | 'other';

export interface LayerEstimate {
  bytes: number | null;
  basis: string;
  kind: LayerKind;
  /** COPY --from of context files: the context files the layer holds (a change to none of them leaves it as it was). */
  files?: string[];
}

export interface LayerEnv {
  file: Dockerfile;
  context: BuildContext;
  project: PythonProject | null;
  /** The dependency install's estimate for a RUN (memoised by the caller). */
  deps(run: RunInfo): Promise<DepsEstimate | null>;
  /** Pinned tools (`pip install uv==0.13.9`): summed wheel sizes, or null. */
  tools(run: RunInfo): Promise<{ bytes: number; basis: string } | null>;
  /** The wheels `python -m venv` seeds a venv with (memoised by the caller), or null with why. */
  seed?(): Promise<{ wheels: SeedWheels | null; why: string }>;
}

/**
 * uv's cache (/root/.cache/uv) left in a layer is 1.025x the wheels' sizes: `uv sync --locked
 * --no-dev` (uv 0.13.9, UV_LINK_MODE=copy) of fixtures/projects/fastapi-uv in the test world kept
 * 3,436,871 B gzip of cache (tar of /root/.cache/uv, gzipped) for 3,352,348 B of wheels.
 */
export const UV_CACHE_PER_WHEEL = 1.025;
/**
 * pdm's cache (/root/.cache/pdm) left in a layer is 0.97x the wheels' sizes: `pdm install --prod
 * --frozen-lockfile --no-self` (pdm 2.29.3) of fixtures/projects/pdm-starlette in the test world
 * kept 561,801 B gzip of cache for 579,760 B of wheels.
 */
export const PDM_CACHE_PER_WHEEL = 0.97;
/**
 * With uv's default hardlink mode the venv's files and the cache's are the same inodes, stored
 * once in the layer: the same build without UV_LINK_MODE=copy made a 3,481,206 B layer against
 * 3,137,128 B for the venv alone, 0.10x the wheels (the cache's own indexes and link entries).
 */
export const UV_LINKED_CACHE_PER_WHEEL = 0.1;

/** A .pyc is about twice its .py's compressed size: 1,576 KB against 790 KB in a measured pip install of flask. */
export const PYC_PER_PY = 2.0;

const kb = (n: number) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);

/** Estimates the layer `ins` (RUN, COPY or ADD) adds. */
export async function estimateLayer(ins: Instruction, env: LayerEnv): Promise<LayerEstimate> {
  if (ins.keyword === 'RUN') return estimateRun(ins, env);
  const from = ins.flags.find((f) => f.name === 'from')?.resolved;
  if (from !== undefined) return estimateCopyFrom(ins, from, env);
  const sources = copySources(ins);
  if (sources.some((s) => /^(https?|git):\/\//.test(s)) || (ins.keyword === 'ADD' && !sources.length))
    return { bytes: null, basis: 'unknown: ADD of a URL (its size is known only when fetched)', kind: 'other' };
  return contextCopy(ins, sources, env.context, env.file);
}

/** The context files a COPY/ADD takes, gzipped as a layer. */
function contextCopy(ins: Instruction, sources: string[], context: BuildContext, file: Dockerfile): LayerEstimate {
  if (!context.exists) return { bytes: null, basis: 'unknown: no build context to read', kind: 'other' };
  const files = copiedFiles(sources, context);
  const dest = destination(ins, file);
  const est = gzipFilesEstimate(context.dir, files, dest);
  const kind: LayerKind = files.some(isAppSource) ? 'code' : 'manifest';
  return {
    bytes: est.bytes,
    basis: `${files.length} context file${files.length === 1 ? '' : 's'} (${kb(est.raw)}) tarred and gzipped: ${kb(est.bytes)}${est.extrapolated ? ' (part extrapolated past the read cap)' : ''}`,
    kind,
  };
}

export function copiedFiles(sources: string[], context: BuildContext): string[] {
  const norms = sources.map(normaliseSource);
  return context.files().filter((f) => !context.isIgnored(f) && norms.some((n) => covers(n, f)));
}

/** Destination directory of a COPY, WORKDIR applied. */
function destination(ins: Instruction, file: Dockerfile): string {
  const words = ins.jsonForm && ins.jsonArgs ? ins.jsonArgs : ins.resolvedArgs;
  const dest = words[words.length - 1] ?? '/';
  if (dest.startsWith('/')) return dest;
  return posix.join(workdirAt(ins, file), dest);
}

function workdirAt(ins: Instruction, file: Dockerfile): string {
  let wd = '/';
  const stage = ins.stage !== undefined ? file.stages[ins.stage] : undefined;
  for (const s of stage ? chainOf(stage, file) : []) {
    for (const i of s.instructions) {
      if (s === stage && i.index >= ins.index) break;
      if (i.keyword === 'WORKDIR') wd = posix.resolve(wd, i.resolvedArgs[0] ?? '/');
    }
  }
  return wd;
}

/** The stage and the stages it is built FROM, root first. */
function chainOf(stage: Stage, file: Dockerfile): Stage[] {
  const out: Stage[] = [];
  for (let s: Stage | undefined = stage; s && !out.includes(s);) {
    out.unshift(s);
    s = s.base.stage !== undefined ? file.stages[s.base.stage] : undefined;
  }
  return out;
}

/** The ENV settings in force before `ins` in its stage and the stages it builds on, as `K=V` text. */
export function envBefore(ins: Instruction, file: Dockerfile): string {
  const stage = ins.stage !== undefined ? file.stages[ins.stage] : undefined;
  const out: string[] = [];
  for (const s of stage ? chainOf(stage, file) : [])
    for (const i of s.instructions) {
      if (s === stage && i.index >= ins.index) break;
      if (i.keyword === 'ENV') out.push(i.argsText.replace(/\\\r?\n/g, ' '));
    }
  return out.join(' ');
}

async function estimateRun(ins: Instruction, env: LayerEnv): Promise<LayerEstimate> {
  const run = readRun(ins, envBefore(ins, env.file));
  switch (run.kind) {
    case 'deps':
      return depsLayer(run, env, true);
    case 'project':
      return projectLayer(env, 'code');
    case 'tool': {
      const t = await env.tools(run);
      return t
        ? { bytes: t.bytes, basis: t.basis, kind: 'other' }
        : {
            bytes: null,
            basis: `unknown: no size found for ${run.pinned.map((p) => p.name).join(', ')}`,
            kind: 'other',
          };
    }
    case 'user': {
      const est = gzipFilesEstimate('/', USER_FILES);
      return {
        bytes: est.bytes,
        basis: `useradd rewrites /etc/passwd, group, shadow, gshadow and copies /etc/skel: those files of this machine gzipped, ${kb(est.bytes)}`,
        kind: 'other',
      };
    }
    case 'remove': {
      const bytes = gzipHeadersEstimate(run.removed);
      return {
        bytes,
        basis: `only removes files: ${run.removed.length} whiteout entries, ${kb(bytes)}`,
        kind: 'other',
      };
    }
    case 'apt':
      return { bytes: null, basis: 'unknown: system package sizes are not looked up before building', kind: 'other' };
    case 'venv': {
      if (!run.makesVenv)
        return {
          bytes: null,
          basis: 'unknown: what this virtual environment tool writes is not looked up',
          kind: 'other',
        };
      const v = await venvPart(env);
      return { bytes: v.bytes, basis: v.basis, kind: 'other' };
    }
    default:
      return {
        bytes: null,
        basis: `unknown: what \`${short(ins.argsText)}\` writes is known only by running it`,
        kind: 'other',
      };
  }
}

const USER_FILES = [
  'etc/passwd',
  'etc/passwd-',
  'etc/group',
  'etc/group-',
  'etc/shadow',
  'etc/shadow-',
  'etc/gshadow',
  'etc/gshadow-',
  'etc/skel/.bashrc',
  'etc/skel/.profile',
  'etc/skel/.bash_logout',
];

export function short(s: string, n = 60): string {
  const one = s
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return one.length > n ? `${one.slice(0, n - 3)}...` : one;
}

/** A dependency install's layer: its wheels, the .pyc when it compiles, the project when it installs it too. */
async function depsLayer(run: RunInfo, env: LayerEnv, withProject: boolean): Promise<LayerEstimate> {
  const d = await env.deps(run);
  if (!d) return { bytes: null, basis: 'unknown: no lock or requirements file to count the packages of', kind: 'deps' };
  if (d.bytes === null) return { bytes: null, basis: d.basis, kind: 'deps' };
  let bytes = d.bytes;
  const parts = [`${d.basis}: ${kb(d.bytes)} (a wheel's size is close to the gzip size of the files it installs)`];
  if (run.kind === 'deps' && !run.requirements.length && run.tool === 'pip')
    parts.push("pip resolves pyproject.toml itself: the lock's versions stand in for what it picks");
  if (run.compiles) {
    const pyc = Math.round(d.pyBytes * PYC_PER_PY);
    bytes += pyc;
    parts.push(`+ ${kb(pyc)} of .pyc (${PYC_PER_PY}x the wheels' compressed .py bytes, measured; ${d.pyBasis})`);
  }
  if (run.keepsWheelCache) {
    bytes += d.bytes;
    parts.push(
      `+ ${kb(d.bytes)}: poetry keeps the downloaded wheels in /root/.cache/pypoetry/artifacts (measured: that folder holds exactly the wheels)`,
    );
  }
  if (run.keepsToolCache && (run.tool === 'uv' || run.tool === 'pdm')) {
    const k =
      run.tool === 'pdm' ? PDM_CACHE_PER_WHEEL : run.cacheHardlinked ? UV_LINKED_CACHE_PER_WHEEL : UV_CACHE_PER_WHEEL;
    const cache = Math.round(d.bytes * k);
    bytes += cache;
    parts.push(
      `+ ${kb(cache)}: ${run.tool}'s cache stays in the layer (no --no-cache or cache mount): ${k}x the wheels${run.cacheHardlinked ? ' (hardlinked into the venv, stored once)' : ''}, measured in the test world`,
    );
  }
  if (run.keepsPipCache)
    parts.push(
      "pip's http cache not counted: it keeps only responses the index marks cacheable (measured: pip 23.0.1 left no /root/.cache against the test world's index, which sends no cache headers)",
    );
  if (run.makesVenv) {
    const v = await venvPart(env);
    if (v.bytes === null) return { bytes: null, basis: `${parts.join('; ')}; ${v.basis}`, kind: 'deps' };
    bytes += v.bytes;
    parts.push(`+ ${v.basis}`);
  }
  if (withProject && run.installsProject && env.project) {
    const p = projectLayer(env, 'code');
    if (p.bytes !== null) {
      bytes += p.bytes;
      parts.push(`+ the project itself, ${kb(p.bytes)}`);
    }
  }
  return { bytes, basis: parts.join('; '), kind: 'deps' };
}

/** What `python -m venv` writes: the seed wheels, unpacked and compiled. */
async function venvPart(env: LayerEnv): Promise<{ bytes: number | null; basis: string }> {
  const s = env.seed ? await env.seed() : { wheels: null, why: 'no seed wheel lookup' };
  if (!s.wheels) return { bytes: null, basis: `unknown: the venv's own pip and setuptools (${s.why})` };
  const bytes = Math.round(s.wheels.bytes * VENV_PER_SEED_WHEEL);
  return {
    bytes,
    basis: `${kb(bytes)} for the venv's own pip and setuptools: ${VENV_PER_SEED_WHEEL}x ${s.wheels.basis} (unpacked and compiled, measured in the test world)`,
  };
}

/** The project's own package files (what an install of the project writes, less metadata). */
function projectLayer(env: LayerEnv, kind: 'code' | 'meta'): LayerEstimate {
  const p = env.project;
  if (!p || !env.context.exists) return { bytes: null, basis: 'unknown: no Python project found in the context', kind };
  // The project may sit in a subfolder of the context (a monorepo's backend/ built from the root).
  const prefix = posix.relative(env.context.dir.split('\\').join('/'), p.dir.split('\\').join('/'));
  const at = (f: string) => (prefix ? `${prefix}/${f}` : f);
  const ctxFiles = env.context.files();
  const files =
    kind === 'code'
      ? ctxFiles.filter(
          (f) =>
            [...p.packageDirs, ...p.modules].map(at).some((d) => f === d || f.startsWith(`${d}/`)) &&
            !/(^|\/)(__pycache__|tests?)(\/|$)|\.py[cod]$/.test(f),
        )
      : ['pyproject.toml', ...p.buildFiles].map(at).filter((f) => ctxFiles.includes(f));
  const est = gzipFilesEstimate(env.context.dir, files, '/site-packages');
  return {
    bytes: est.bytes,
    basis:
      kind === 'code'
        ? `the project's own files (${files.length}, ${kb(est.raw)}) gzipped: ${kb(est.bytes)}`
        : `the project's metadata, made from ${files.join(', ')}: ${kb(est.bytes)} gzipped`,
    kind,
  };
}

/** COPY --from: what the source stage holds at the copied path. */
async function estimateCopyFrom(ins: Instruction, from: string, env: LayerEnv): Promise<LayerEstimate> {
  const { file } = env;
  const idx = findStage(file.stages, from, ins.stage);
  if (idx === undefined)
    return { bytes: null, basis: `unknown: files from image ${from} (the image is not looked up)`, kind: 'other' };
  const chain = chainOf(file.stages[idx], file);
  const srcs = copySources(ins).map((s) => posix.resolve('/', s));
  const runs = chain.flatMap((s) =>
    s.instructions.filter((i) => i.keyword === 'RUN').map((i) => ({ i, run: readRun(i) })),
  );
  const project = runs.find((r) => r.run.kind === 'project');
  if (project) {
    const meta = srcs.every((s) => /meta/i.test(s));
    const est = projectLayer(env, meta ? 'meta' : 'code');
    return {
      ...est,
      basis: `copied from stage '${from}' (line ${project.i.span.start.line} installs the project): ${est.basis}`,
    };
  }
  const install = [...runs].reverse().find((r) => r.run.kind === 'deps');
  if (install && srcs.some((s) => ENV_PATH.test(s))) {
    const est = await depsLayer(
      { ...install.run, keepsPipCache: false, keepsWheelCache: false, keepsToolCache: false },
      env,
      true,
    );
    return { ...est, basis: `copied from stage '${from}' (line ${install.i.span.start.line}): ${est.basis}` };
  }
  // Files the stage copied in from the context, under the copied path, less what it removed.
  const copies = chain.flatMap((s) =>
    s.instructions.filter(
      (i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.flags.some((f) => f.name === 'from'),
    ),
  );
  const removed = new Set(
    [...runs.flatMap((r) => r.run.removed), ...runs.flatMap((r) => removalsIn(r.i.argsText))].filter(Boolean),
  );
  const moves = runs.flatMap((r) => movesIn(r.i.argsText, workdirAt(r.i, file)));
  const files = new Set<string>();
  for (const c of copies) {
    const dest = destination(c, file);
    const whole = copySources(c).every((x) => x === '.' || x === './');
    if (moves.length && whole) {
      // `COPY . DIR` puts each context file at DIR/FILE, so moves (`mv static /layers/static/`,
      // how init splits assets from code) can be followed file by file.
      for (const f of copiedFiles(['.'], env.context)) {
        if (removed.has(f) || removed.has(posix.basename(f))) continue;
        const at = movedTo(posix.join(dest, f), moves);
        if (srcs.some((x) => x === '/' || at === x || at.startsWith(`${x.replace(/\/$/, '')}/`))) files.add(f);
      }
      continue;
    }
    if (
      !srcs.some(
        (s) => s === '/' || dest === s || dest.startsWith(`${s}/`) || s.startsWith(`${dest.replace(/\/$/, '')}/`),
      )
    )
      continue;
    for (const f of copiedFiles(copySources(c), env.context))
      if (!removed.has(f) && !removed.has(posix.basename(f))) files.add(f);
  }
  if (files.size && env.context.exists) {
    const list = [...files];
    const est = gzipFilesEstimate(env.context.dir, list, destination(ins, file));
    return {
      bytes: est.bytes,
      basis: `copied from stage '${from}': ${list.length} context files (${kb(est.raw)}) gzipped: ${kb(est.bytes)}`,
      kind: list.some(isAppSource) ? 'code' : 'manifest',
      files: list,
    };
  }
  return {
    bytes: null,
    basis: `unknown: what stage '${from}' holds at ${srcs.join(', ')} is known only by building it`,
    kind: 'other',
  };
}

/** Paths where installs put packages: virtual environments, prefixes, site-packages. */
const ENV_PATH =
  /(venv|site-packages|dist-packages|^\/install\b|^\/opt\b|\/\.local\b|^\/usr\/local\b|^\/root\b|^\/app\b)/;
