/**
 * `layerwise init [DIR]`: reads the Python project, writes the Dockerfile (and .dockerignore,
 * compose.yaml, a CI workflow), and checks what it wrote with the linter and the change
 * simulator. Never overwrites a file that differs without --force (shows a diff instead), never
 * writes outside the output directory; running it twice changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { loadShell } from '../dockerfile/shell-load.js';
import { UserError } from '../errors.js';
import { generateFiles, type GeneratedFile, type GenerateOptions, selfCheck } from '../generate/index.js';
import { detectProject, MANAGERS, SERVER_NAMES } from '../project/index.js';
import type { ServerName } from '../project/servers.js';
import { writtenByInit } from '../project/start-evidence.js';
import type { Detection, Manager, PythonProject } from '../project/types.js';
import { type ComposePlacement, composePlacement, type RepoPlacement, repoPlacement } from './init-placement.js';

export interface InitCliOptions {
  python?: string;
  manager?: string;
  port?: string;
  cmd?: string;
  server?: string;
  package?: string;
  splitBase?: boolean;
  out?: string;
  dryRun?: boolean;
  force?: boolean;
  /** --healthcheck [path] / --no-healthcheck */
  healthcheck?: string | boolean;
  compose?: boolean;
  workflow?: boolean;
  dev?: boolean;
  engineCheck?: boolean;
  image?: string;
}

export interface InitIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: InitIO = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function runInit(dirArg: string | undefined, opts: InitCliOptions, io: InitIO = stdio): Promise<number> {
  const dir = resolve(dirArg ?? '.');
  if (!existsSync(dir)) {
    // `--healthcheck /healthz` used to set the path; now /healthz is DIR.
    const hint =
      opts.healthcheck === true && dirArg?.startsWith('/')
        ? ` (a health path goes after =: --healthcheck=${dirArg})`
        : '';
    throw new UserError(`${dirArg}: no such directory${hint}`);
  }
  if (opts.manager && !MANAGERS.includes(opts.manager as Manager)) {
    throw new UserError(`--manager ${opts.manager}: expected one of ${MANAGERS.join(', ')}`);
  }
  let port: number | undefined;
  if (opts.port !== undefined) {
    port = Number(opts.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new UserError(`--port ${opts.port}: expected a port number (1-65535)`);
  }
  if (opts.cmd !== undefined && !opts.cmd.trim()) throw new UserError('--cmd: empty command');
  if (opts.server !== undefined && !SERVER_NAMES.includes(opts.server as ServerName))
    throw new UserError(`--server ${opts.server}: expected one of ${SERVER_NAMES.join(', ')}`);
  const project = detectProject(dir, {
    python: opts.python,
    manager: opts.manager as Manager | undefined,
    port,
    cmd: opts.cmd,
    package: opts.package,
    server: opts.server,
  });

  let modern = false;
  if (opts.engineCheck) {
    const engine = engineVersion();
    if (!engine)
      io.err('layerwise: --engine-check: no Docker engine answered; writing the portable subset (Docker 20.10+)\n');
    else {
      const major = Number(/^(\d+)/.exec(engine)?.[1] ?? 0);
      modern = major >= 23;
      io.err(
        `engine ${engine}: ${modern ? 'its built-in frontend takes COPY --link; using it for the final copies' : 'older than 23, so the portable subset (no heredocs, no COPY --link)'}\n`,
      );
    }
  }

  const healthcheck =
    opts.healthcheck === false
      ? false
      : typeof opts.healthcheck === 'string'
        ? opts.healthcheck
        : opts.healthcheck === true
          ? (project.app.healthPath ?? '/health')
          : undefined;
  // In a workspace member, the files go to the workspace root, the build context (said below).
  const outDir = resolve(opts.out ?? project.dir);
  // --out names where every file goes; otherwise the workflow goes where the repository keeps it.
  const repo: RepoPlacement =
    opts.out === undefined ? repoPlacement(outDir) : { top: outDir, contextDir: '', git: false };
  const composeFile = opts.compose === false ? undefined : composePlacement(outDir);
  placementDetections(project, outDir, repo, composeFile, opts);
  const genOpts: GenerateOptions = {
    splitBase: opts.splitBase,
    modern,
    healthcheck,
    dev: opts.dev,
    compose: opts.compose,
    workflow: opts.workflow,
    image: opts.image,
    composeFile,
    repoContextDir: repo.contextDir,
  };
  // The generated Dockerfile is linted and simulated, and it has RUNs.
  await loadShell();
  let files = generateFiles(project, genOpts);
  // A Dockerfile that differs and stays (no --force): the other files must fit it, not ours.
  const existing = opts.force ? undefined : readIfFile(join(outDir, 'Dockerfile'));
  const keptOwn = existing !== undefined && existing !== files.find((f) => f.path === 'Dockerfile')?.content;
  // A server no dependency installs is never added silently: the user names it (or the command).
  // Only for a Dockerfile init writes; a kept one starts the app its own way.
  if (project.app.missingServer && !keptOwn) throw new UserError(project.app.missingServer);
  if (keptOwn) files = generateFiles(project, { ...genOpts, keptDockerfile: existing });
  const baseOf = (f: GeneratedFile) => (f.repoLevel ? repo.top : outDir);
  const plan = files.map((f): Step =>
    existsSync(baseOf(f))
      ? planWrite(baseOf(f), f, !!opts.force)
      : { file: f, target: resolve(baseOf(f), f.path), action: 'create' },
  );
  // A Dockerfile of the user's own in the context (kept) was built with the user's ignore rules (or
  // none): init's deny-by-default .dockerignore would leave out files it copies. Keep that as it is.
  if (keptOwn && !writtenByInit(existing ?? '')) {
    const i = plan.findIndex((s) => s.file.path === '.dockerignore' && !s.file.repoLevel && s.action === 'create');
    if (i >= 0) {
      plan.splice(i, 1);
      project.notes.push(
        `.dockerignore not written: ${relative(dir, join(outDir, 'Dockerfile')) || 'Dockerfile'} is your own (kept) and init's .dockerignore (deny by default) could leave out what it copies; --force writes init's Dockerfile and .dockerignore together`,
      );
    }
  }
  // Paths as the user reads them: relative to where init was run.
  const shown = (s: Step) => relative(dir, s.target) || s.file.path;
  // The self-check speaks of what will be on disk: a kept file is checked as it is.
  const onDisk = plan.map((s) => (s.action === 'keep' ? { ...s.file, content: s.old ?? '' } : s.file));
  const check = selfCheck(
    project,
    onDisk,
    plan.filter((s) => s.action === 'keep').map((s) => s.file.path),
  );

  // The context itself broken (a COPY source the .dockerignore leaves out, .git needed): write nothing.
  const contextErrors = check.problems.filter((p) => /\b(LW1309|LW3402)\b|^\.dockerignore:/.test(p));
  const summary = describe(project);
  if (opts.dryRun) {
    for (const f of files) io.out(`==> ${join(relative(process.cwd(), baseOf(f)) || '.', f.path)} <==\n${f.content}\n`);
    io.err(`${summary}\n`);
    for (const n of project.notes) io.err(`note: ${n}\n`);
    io.err(`${check.summary}\n`);
    for (const p of check.problems) io.err(`  ${p}\n`);
    return check.ok ? 0 : 1;
  }

  if (contextErrors.length) {
    io.err(`${summary}\n`);
    io.err(`${check.summary}\n`);
    for (const p of check.problems) io.err(`  ${p}\n`);
    io.err('nothing written: the build context of the files on disk would be broken (above); fix it, or --force\n');
    return 1;
  }

  mkdirSync(outDir, { recursive: true });
  let kept = 0;
  for (const step of plan) {
    if (step.action === 'keep') {
      kept++;
      io.out(
        createTwoFilesPatch(`a/${shown(step)}`, `b/${shown(step)}`, step.old ?? '', step.file.content, '', '', {
          context: 3,
        }),
      );
    }
  }
  for (const step of plan) {
    if (step.action !== 'create' && step.action !== 'overwrite') continue;
    mkdirSync(dirname(step.target), { recursive: true });
    atomicWrite(step.target, step.file.content);
  }
  io.err(`${summary}\n`);
  for (const step of plan) io.err(`${WORDS[step.action]} ${shown(step)}\n`);
  for (const n of project.notes) io.err(`note: ${n}\n`);
  io.err(`${check.summary}\n`);
  for (const p of check.problems) io.err(`  ${p}\n`);
  if (kept)
    io.err(
      `${kept} existing file${kept === 1 ? '' : 's'} differ${kept === 1 ? 's' : ''} from what init writes (diff above): kept; --force overwrites\n`,
    );
  return check.ok && !kept ? 0 : 1;
}

const WORDS = { create: 'wrote    ', overwrite: 'replaced ', same: 'unchanged', keep: 'kept     ' } as const;

interface Step {
  file: GeneratedFile;
  target: string;
  action: keyof typeof WORDS;
  old?: string;
}

function planWrite(outDir: string, file: GeneratedFile, force: boolean): Step {
  const target = resolve(outDir, file.path);
  const rel = relative(outDir, target);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new UserError(`refusing to write ${file.path} outside ${outDir}`);
  // A symlinked directory or file must not lead the write out of the output directory: check the
  // deepest existing ancestor before creating anything.
  const realOut = realpathSync(outDir);
  let existing = dirname(target);
  while (!existsSync(existing)) existing = dirname(existing);
  const relParent = relative(realOut, realpathSync(existing));
  if (relParent.startsWith('..') || isAbsolute(relParent))
    throw new UserError(`refusing to write ${file.path}: ${existing} leads outside ${outDir}`);
  if (!existsSync(target)) return { file, target, action: 'create' };
  const realTarget = realpathSync(target);
  const relTarget = relative(realOut, realTarget);
  if (relTarget.startsWith('..') || isAbsolute(relTarget))
    throw new UserError(`refusing to write ${file.path}: it is a link to outside ${outDir}`);
  const old = readFileSync(target, 'utf8');
  if (old === file.content) return { file, target, action: 'same' };
  return { file, target, action: force ? 'overwrite' : 'keep', old };
}

function readIfFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.layerwise-${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The detections of where the files go: build context, workflow and compose file. */
function placementDetections(
  p: PythonProject,
  outDir: string,
  repo: RepoPlacement,
  compose: ComposePlacement | undefined,
  opts: InitCliOptions,
): void {
  const from = p.ranIn ?? p.dir;
  const here = (abs: string) => relative(from, abs) || '.';
  if (opts.workflow !== false && (repo.contextDir || p.ranIn))
    p.detections.push({
      topic: 'workflow',
      value: `${here(join(repo.top, '.github/workflows'))} (${repo.git ? "the repository's top level, where CI reads it" : 'the build context: no git repository found'}; it builds ${repo.contextDir || '.'})`,
      evidence: repo.git ? 'git rev-parse --show-toplevel' : opts.out === undefined ? 'no git repository' : '--out',
      confidence: 'high',
      flag: '--no-workflow',
    });
  if (compose?.projectFile)
    p.detections.push({
      topic: 'compose',
      value: `${compose.path} beside the project's own ${compose.projectFile} (not shadowing it): docker compose -f ${compose.projectFile} -f ${compose.path} watch`,
      evidence: `${here(join(outDir, compose.projectFile))} exists`,
      confidence: 'high',
      flag: '--no-compose',
    });
}

function describe(p: ReturnType<typeof detectProject>): string {
  const what = p.workspace?.selected
    ? `uv workspace member ${p.workspace.selected.name}`
    : `${p.manager} project${p.name ? ` ${p.name}` : ''}`;
  const lock = p.lockFile ? ` (${p.lockFile})` : ' (no lock)';
  const head = `${what}${lock}, Python ${p.python.version} (${p.python.source}); starts with \`${p.app.command.join(' ')}\`: ${p.app.reason}`;
  return [head, ...describeDetections(p.detections)].join('\n');
}

/** One aligned line per detection: topic, value, evidence, confidence and the flag that corrects it. */
export function describeDetections(ds: Detection[]): string[] {
  if (!ds.length) return [];
  const w = Math.max(...ds.map((d) => d.topic.length));
  return [
    'detected:',
    ...ds.map(
      (d) =>
        `  ${d.topic.padEnd(w)}  ${d.value}  (${d.evidence}; ${d.confidence}${d.flag ? `; correct with ${d.flag}` : ''})`,
    ),
  ];
}

/** The server version of the Docker engine, asked with `docker version`, or undefined. */
function engineVersion(): string | undefined {
  const candidates = [process.env.LAYERWISE_DOCKER, 'docker', '/usr/bin/docker'].filter((c): c is string => !!c);
  for (const c of candidates) {
    const r = spawnSync(c, ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 15_000 });
    const v = r.status === 0 ? r.stdout.trim() : '';
    if (/^\d+\./.test(v)) return v;
  }
  return undefined;
}
