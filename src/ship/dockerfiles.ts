/**
 * How a project's Dockerfiles split into a dependency base and an app, for `ship`: which file and
 * stage builds the base, how the app is built on a pushed base, and the base stages' facts the
 * fingerprint hashes (normalised instructions, declared build args, external images, copied paths).
 * Every function here parses Dockerfiles, whose RUN scripts need the shell parser: call them after
 * `await loadShell()` (src/dockerfile/shell-load.ts), as gatherFingerprint does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { posix, resolve } from 'node:path';
import { parseDockerfile } from '../dockerfile/parse.js';
import { findStage, stageRefs } from '../dockerfile/stages.js';
import type { Dockerfile, Instruction, Stage } from '../dockerfile/types.js';
import { referencedVariables } from '../dockerfile/vars.js';
import { UserError } from '../errors.js';
import type { ShipLayout } from './types.js';

export interface ShipLayoutOptions {
  /** The app's Dockerfile (default DIR/Dockerfile). */
  dockerfile?: string;
  /** The base's Dockerfile for a split base (default DIR/Dockerfile.base). */
  baseDockerfile?: string;
  /** A stage of the app's Dockerfile that is the base (`--base-target`). */
  baseTarget?: string;
}

/** The base facts the fingerprint hashes (see docs/ship-fingerprint.md). */
export interface BaseFacts {
  /** Global ARGs the base stages see, then the base stages' instructions, one normalised line each, in file order. */
  instructions: string[];
  /** ARGs the base stages declare -> the value passed, else the default (absent when neither). */
  args: Record<string, string>;
  /** External images (FROM, COPY --from, RUN --mount from=) with build args substituted, sorted. */
  images: string[];
  /** Context paths the base stages COPY/ADD or bind-mount (not from a stage or image), sorted. */
  copies: string[];
}

/**
 * Finds the base/app split. With `baseTarget`: that stage of `dockerfile ?? DIR/Dockerfile`
 * (kind base-target). Else `DIR/Dockerfile.base` (or `baseDockerfile`) with a Dockerfile whose
 * first FROM is `${ARG}` (kind split-base). Anything else is a one-line UserError saying what to do.
 */
export function readShipLayout(dir: string, opts: ShipLayoutOptions = {}): ShipLayout {
  const context = resolve(dir);
  const appDockerfile = resolve(context, opts.dockerfile ?? 'Dockerfile');
  const app = existsSync(appDockerfile) ? load(appDockerfile) : undefined;
  if (opts.baseTarget) {
    if (!app)
      throw new UserError(`${appDockerfile}: no such file; --base-target names a stage of the app's Dockerfile`);
    const index = findStage(app.stages, opts.baseTarget);
    if (index === undefined)
      throw new UserError(`${appDockerfile}: no stage named ${opts.baseTarget} (stages: ${stageList(app)})`);
    if (index === app.stages.length - 1)
      throw new UserError(
        `${appDockerfile}: --base-target ${opts.baseTarget} is the last stage, the app itself; name the dependency stage the app is built on`,
      );
    return {
      kind: 'base-target',
      context,
      baseDockerfile: appDockerfile,
      baseTarget: app.stages[index].name ?? opts.baseTarget,
      appDockerfile,
    };
  }
  const baseDockerfile = resolve(context, opts.baseDockerfile ?? 'Dockerfile.base');
  if (!existsSync(baseDockerfile)) {
    if (opts.baseDockerfile) throw new UserError(`${opts.baseDockerfile}: no such file`);
    const stages = app && app.stages.length ? ` (stages: ${stageList(app)})` : '';
    throw new UserError(
      `${dir}: no base image to ship: run \`layerwise init --split-base\`, or name the dependency stage with --base-target STAGE${stages}`,
    );
  }
  if (!app) throw new UserError(`${appDockerfile}: no such file; the app is built from it on ${baseDockerfile}`);
  const first = app.stages[0]?.base.raw ?? '';
  const arg = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(first);
  if (!arg || (first.startsWith('${') && !first.endsWith('}')))
    throw new UserError(
      `${appDockerfile}: its first FROM is \`${first}\`, not \`\${BASE_IMAGE}\`: start it with \`ARG BASE_IMAGE\` and \`FROM \${BASE_IMAGE}\` to build on ${baseDockerfile}`,
    );
  return { kind: 'split-base', context, baseDockerfile, appDockerfile, baseArg: arg[1] };
}

/**
 * What to build for the app on a pushed base `baseRef` (REPO-base@sha256:...). split-base: the
 * app Dockerfile unchanged, with the base passed as its build arg. base-target: the Dockerfile
 * with the base stage's block replaced by `FROM <baseRef> AS <stage>` and its ARG lines; global ARGs and the other
 * stages stay (BuildKit skips the stages only the old base block used).
 */
export function appBuild(
  layout: ShipLayout,
  baseRef: string,
): { dockerfileText: string; buildArgs: Record<string, string> } {
  const text = readFileSync(layout.appDockerfile, 'utf8');
  if (layout.kind === 'split-base') return { dockerfileText: text, buildArgs: { [layout.baseArg!]: baseRef } };
  const file = parseDockerfile(text, layout.appDockerfile);
  const stage = baseStage(file, layout);
  const next = file.stages[stage.index + 1];
  const start = stage.from.span.startOffset;
  const end = next ? next.from.span.startOffset : text.length;
  // An unnamed stage is referred to by its index, which stays the same. The stage's ARGs are declared
  // again: a stage built FROM it sees the build args its parent declared (an index URL, say), and an
  // image does not carry declarations, only ENV.
  const args = stage.instructions.filter((i) => i.keyword === 'ARG').map((i) => `${i.text.trim()}\n`);
  const block = `FROM ${baseRef}${stage.name ? ` AS ${stage.name}` : ''}\n${args.join('')}${next ? '\n' : ''}`;
  return { dockerfileText: text.slice(0, start) + block + text.slice(end), buildArgs: {} };
}

/** The base's build for the build driver: its Dockerfile and, with base-target, the stage. */
export function baseBuild(layout: ShipLayout): { dockerfile: string; target?: string } {
  return layout.kind === 'base-target'
    ? { dockerfile: layout.baseDockerfile, target: layout.baseTarget }
    : { dockerfile: layout.baseDockerfile };
}

/**
 * The base stages' facts for the fingerprint: the base stage and every stage it depends on
 * (FROM, COPY --from, RUN --mount from=), plus the global ARGs their FROM lines read or they
 * redeclare. Build args substitute into image references, so `python:${PY}-slim` is the image
 * this build would pull.
 */
export function baseFacts(layout: ShipLayout, buildArgs: Record<string, string>): BaseFacts {
  const file = load(layout.baseDockerfile, buildArgs);
  const stage = baseStage(file, layout);
  const included = closure(file, stage.index);
  const stages = file.stages.filter((s) => included.has(s.index));
  const declared = new Set(stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'ARG').flatMap(argNames)));
  const fromVars = new Set(
    stages.flatMap((s) =>
      referencedVariables([s.from.args[0] ?? '', ...s.from.flags.map((f) => f.value ?? '')].join(' ')),
    ),
  );
  const globals = file.globalArgs.filter((g) => argNames(g).some((n) => fromVars.has(n) || declared.has(n)));
  const body = file.instructions.filter((i) => i.stage !== undefined && included.has(i.stage));
  const instructions = [...globals, ...body].map((i) => normaliseInstruction(i, file.escapeChar));
  // The one comment that changes the build: the frontend the file asks for.
  if (file.directives.syntax) instructions.unshift(`# syntax=${file.directives.syntax.trim()}`);

  const args: Record<string, string> = {};
  const globalDefault = new Map<string, string | undefined>();
  for (const g of globals) for (const p of g.pairs) globalDefault.set(p.key, p.resolved);
  for (const ins of [...globals, ...body.filter((i) => i.keyword === 'ARG')]) {
    for (const p of ins.pairs) {
      const value = Object.hasOwn(buildArgs, p.key) ? buildArgs[p.key] : (p.resolved ?? globalDefault.get(p.key));
      if (value !== undefined) args[p.key] = value;
    }
  }

  const images = new Set<string>();
  const copies = new Set<string>();
  const image = (ref: string, line: number) => {
    // An image named by a build arg with no value cannot be resolved, nor built.
    const unset = referencedVariables(ref);
    if (unset.length)
      throw new UserError(
        `${file.path}:${line}: the image \`${ref}\` needs the build arg ${unset[0]}, which has no value; pass --build-arg ${unset[0]}=...`,
      );
    images.add(ref);
  };
  for (const s of stages) {
    if (s.base.stage === undefined && !s.base.scratch) image(s.base.resolved, s.from.span.start.line);
    for (const ins of s.instructions) {
      for (const ref of stageRefs(ins))
        if (findStage(file.stages, ref, s.index) === undefined) image(ref, ins.span.start.line);
      for (const path of contextSources(ins)) copies.add(path);
    }
  }
  return { instructions, args, images: [...images].sort(), copies: [...copies].sort() };
}

/**
 * One instruction as one line: keyword upper-cased, comment lines inside continuations dropped,
 * continuations joined and runs of blank space collapsed. Heredoc instructions keep their lines
 * (a heredoc body is a file or a script, where layout can matter); only trailing blanks go.
 */
export function normaliseInstruction(ins: Instruction, escapeChar = '\\'): string {
  const lines = ins.text.split('\n');
  const rest = (first: string) => first.slice(ins.rawKeyword.length);
  if (ins.heredocs.length) {
    return [ins.keyword + rest(lines[0]), ...lines.slice(1)].map((l) => l.trimEnd()).join('\n');
  }
  const kept = lines.filter((l, i) => i === 0 || !l.trimStart().startsWith('#'));
  const joined = kept
    .map((l) => {
      const t = l.trimEnd();
      return t.endsWith(escapeChar) ? t.slice(0, -1) : t;
    })
    .join(' ');
  let out = `${ins.keyword} ${rest(joined).replace(/\s+/g, ' ').trim()}`.trim();
  if (ins.keyword === 'FROM') out = out.replace(/ as (\S+)$/i, ' AS $1');
  return out;
}

function load(path: string, buildArgs: Record<string, string> = {}): Dockerfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const file = parseDockerfile(text, path, { buildArgs });
  if (!file.stages.length) throw new UserError(`${path}: no FROM instruction; not a Dockerfile`);
  return file;
}

function stageList(file: Dockerfile): string {
  return file.stages.map((s) => s.name ?? String(s.index)).join(', ');
}

/** The stage that is the base: the named one with base-target, the last of Dockerfile.base otherwise. */
function baseStage(file: Dockerfile, layout: ShipLayout): Stage {
  if (layout.kind === 'split-base') return file.stages[file.stages.length - 1];
  const index = findStage(file.stages, layout.baseTarget ?? '');
  if (index === undefined)
    throw new UserError(`${file.path}: no stage named ${layout.baseTarget} (stages: ${stageList(file)})`);
  return file.stages[index];
}

function closure(file: Dockerfile, index: number): Set<number> {
  const out = new Set<number>();
  const visit = (i: number) => {
    if (out.has(i) || !file.stages[i]) return;
    out.add(i);
    file.stages[i].dependsOn.forEach(visit);
  };
  visit(index);
  return out;
}

function argNames(ins: Instruction): string[] {
  return ins.pairs.map((p) => p.key);
}

/** Context paths an instruction reads: COPY/ADD sources and bind mounts, when not from a stage or image. */
function contextSources(ins: Instruction): string[] {
  const out: string[] = [];
  if ((ins.keyword === 'COPY' || ins.keyword === 'ADD') && !ins.flags.some((f) => f.name === 'from')) {
    const words = ins.jsonArgs ?? ins.resolvedArgs;
    for (const src of words.slice(0, -1)) {
      // URLs and git sources are in the instruction text already; heredocs are inline files.
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(src) || src.startsWith('git@') || src.startsWith('<<')) continue;
      out.push(contextPath(src));
    }
  }
  for (const m of ins.mounts) if (m.type === 'bind' && !m.from) out.push(contextPath(m.source ?? '.'));
  return out;
}

function contextPath(p: string): string {
  const clean = posix
    .normalize(p.replace(/\\/g, '/'))
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
  return clean === '' ? '.' : clean;
}
