/**
 * The audit of one image: read the Dockerfile and its context, find the Python project, run the
 * scenarios (code, dependency, base, build-arg changes) with estimates from real data, list what
 * the final image carries, rank lint findings by cost, and do the same for what `init` would
 * write (the alternative). Nothing is built and nothing is written.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { findStage } from '../dockerfile/stages.js';
import { loadShell } from '../dockerfile/shell-load.js';
import { UserError } from '../errors.js';
import { lintText } from '../lint.js';
import { detectProject } from '../project/detect.js';
import { pythonFiles } from '../project/files.js';
import type { PythonProject } from '../project/types.js';
import { alternativeFor, rootBase } from './alternative.js';
import { baseLayers } from './base-layers.js';
import { imageContents } from './contents.js';
import { indexUrlsOf, makeEnv, type EnvShared } from './layer-env.js';
import { rankFindings } from './rank.js';
import { runScenarios } from './scenarios.js';
import type { AuditImage, AuditTarget, LayerCost } from './types.js';
import { seedLookup } from './venv-seed.js';
import { defaultWheelSources, WheelFinder, type WheelSourceDirs } from './wheel-sources.js';

export interface AuditImageOptions {
  /** Look the base image's layers up in the Docker engine (DOCKER_HOST). Default false. */
  engine?: boolean;
  /** Look the base image's layers up in its registry (compressed sizes). Default false. */
  registry?: boolean;
  /**
   * Ask HTTP indexes for wheel sizes the lock does not record (a HEAD for Content-Length): the
   * wheel URLs the lock names, the indexes it or pyproject.toml names, the target's
   * PIP_INDEX_URL/UV_INDEX_URL build args, and the index pip or uv is configured with. Default false.
   */
  index?: boolean;
  /** Where to look for wheels on this machine; default pip's config and env, pip's and uv's caches. */
  wheelSources?: WheelSourceDirs;
  /** Library dirs holding `pythonX.Y/ensurepip` for a venv's seed wheels when the engine has none (default /usr/local/lib, /usr/lib, /opt/python/lib). */
  venvSeedRoots?: string[];
  /** Skip the alternative (init's files). Default false. */
  noAlternative?: boolean;
  signal?: AbortSignal;
}

/** Audits `target`; paths in the result are relative to `root`. */
export async function auditImage(target: AuditTarget, root: string, opts: AuditImageOptions = {}): Promise<AuditImage> {
  await loadShell();
  let text: string;
  try {
    text = readFileSync(target.dockerfile, 'utf8');
  } catch {
    throw new UserError(`${target.dockerfile}: cannot read the Dockerfile; check the path`);
  }
  const rel = (p: string) => relative(root, p).split('\\').join('/') || '.';
  const notes: string[] = [];
  const lint = lintText(text, target.dockerfile, { contextDir: target.context, buildArgs: target.args });
  const { file, context } = lint;

  const project = findProject(target, notes, rel);
  // Paths of the project relative to the context (a project in a subfolder of the context).
  const inContext = (f: string) => {
    const prefix = project ? relative(target.context, project.dir).split('\\').join('/') : '';
    return prefix ? `${prefix}/${f}` : f;
  };

  const sources = opts.wheelSources ?? defaultWheelSources();
  const shared: EnvShared = {
    finder: new WheelFinder(sources, { enabled: !!opts.index, signal: opts.signal }),
    indexUrls: opts.index ? [...new Set([...indexUrlsOf(project, target.args), ...(sources.httpIndexes ?? [])])] : [],
    memo: new Map(),
    // The venv seed wheels come from the base image the target builds on (computed below).
    seed: (python) => seedFor(python),
  };
  const bases = new Map<string, Promise<LayerCost[]>>();
  const base = (ref: string | null) => {
    const key = ref ?? '';
    let p = bases.get(key);
    if (!p)
      bases.set(key, (p = baseLayers(ref, { engine: opts.engine, registry: opts.registry, signal: opts.signal })));
    return p;
  };

  const targetIndex =
    target.target !== undefined
      ? (findStage(file.stages, target.target) ?? file.stages.length - 1)
      : file.stages.length - 1;
  if (target.target !== undefined && findStage(file.stages, target.target) === undefined)
    notes.push(`stage '${target.target}' is not in the Dockerfile: the last stage is audited`);
  const baseRef = file.stages.length ? rootBase(file, targetIndex) : null;
  const seedFor = seedLookup(baseRef, { engine: opts.engine, signal: opts.signal, roots: opts.venvSeedRoots });
  const own = project ? pickCodeFile(project, (f) => context.exists && !context.isIgnored(inContext(f))) : undefined;
  const codeFile = own ? inContext(own) : undefined;
  if (project && !codeFile)
    notes.push('no source file of the project reaches the context: the code change is the whole source');
  const lockFile = project?.lockFile ? inContext(project.lockFile) : undefined;

  const scenarios = await runScenarios({
    file,
    context,
    target: target.target,
    args: target.args,
    env: makeEnv(file, context, project, shared),
    base: await base(baseRef),
    codeFile,
    lockFile,
  });

  let alternative: AuditImage['alternative'] = null;
  if (project && !opts.noAlternative) {
    alternative = await alternativeFor({
      project,
      contextDir: project.dir,
      args: target.args,
      shared,
      base,
      codeFile: own ?? pickCodeFile(project, () => true),
    });
  }

  return {
    name: target.name,
    dockerfile: rel(target.dockerfile),
    context: rel(target.context),
    ...(target.target !== undefined ? { target: target.target } : {}),
    args: target.args,
    origins: target.origins,
    project: project
      ? { dir: rel(project.dir), manager: project.manager, ...(project.lockFile ? { lockFile: project.lockFile } : {}) }
      : null,
    base: baseRef,
    scenarios,
    contents: imageContents(file, context, project, target.target),
    findings: rankFindings(lint.findings, scenarios, root, target.dockerfile),
    alternative,
    notes,
  };
}

/**
 * The Python project the image builds: at the context, else in the Dockerfile's directory when
 * that is inside the context (a monorepo's `backend/Dockerfile` built from the root).
 */
function findProject(target: AuditTarget, notes: string[], rel: (p: string) => string): PythonProject | null {
  const dirs = [target.context];
  const own = dirname(target.dockerfile);
  if (own !== target.context && !relative(target.context, own).startsWith('..')) dirs.push(own);
  const why: string[] = [];
  for (const dir of dirs) {
    try {
      const p = detectProject(dir);
      notes.push(...p.notes);
      return p;
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      why.push(`${rel(dir)}: ${e.message.replace(/^[^:]*: /, '')}`);
    }
  }
  notes.push(`no Python project found (${why.join('; ')}): no alternative`);
  return null;
}

/**
 * The source file a code change edits: the module that holds the app (the entry point's file),
 * else the first Python file of the project's own packages or modules, among those `ok` keeps.
 */
export function pickCodeFile(p: PythonProject, ok: (f: string) => boolean): string | undefined {
  const candidates: string[] = [];
  for (const dir of [...p.packageDirs, ...p.modules]) candidates.push(...pythonFiles(p.dir, dir));
  // The app's own file, as the project model found it (`... in src/app/main.py, served by ...`).
  const named = /\bin (\S+\.py)\b/.exec(p.app.reason)?.[1];
  const entry = /\b([\w.]+):\w+/.exec(p.app.command.join(' '))?.[1];
  const asModule = (f: string) => f.replace(/(\/__init__)?\.py$/, '').replace(/\//g, '.');
  const byEntry =
    (named && candidates.includes(named) ? named : undefined) ??
    (entry ? candidates.find((f) => asModule(f).endsWith(entry.replace(/^\./, ''))) : undefined);
  const preferred = candidates.filter((f) => !/(^|\/)__init__\.py$/.test(f));
  return [byEntry, ...preferred, ...candidates].find((f): f is string => !!f && ok(f));
}
