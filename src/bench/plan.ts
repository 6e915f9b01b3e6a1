/**
 * Which images a bench run builds: the project's Dockerfile, or each compose service's image
 * (`--service NAME` picks), and for each the `--against` image: another Dockerfile built from the
 * same context, or init's Dockerfile and .dockerignore for the project, generated in memory and
 * laid over the temp copy of the context (nothing is written to the user's tree).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { discoverTargets } from '../audit/discover.js';
import type { AuditTarget } from '../audit/types.js';
import { UserError } from '../errors.js';
import { generateFiles } from '../generate/index.js';
import { detectProject } from '../project/index.js';
import type { PythonProject } from '../project/types.js';
import type { BenchImageSource } from './workspace.js';

/** One image of a bench run, as it is built. */
/** One image a run benches: where and how it builds (BenchImageSource), and what the report calls it. */
export interface BenchImage extends BenchImageSource {
  /** Compose service name, or the Dockerfile path relative to the project. */
  image: string;
  variant: 'subject' | 'against';
}

export interface PlanOptions {
  /** `--service NAME` (repeatable): compose services, or image names as discovery gives them. */
  services?: string[];
  /** `--against FILE|init`; FILE is resolved against `cwd`. */
  against?: string;
  /** `--target`: passed to every build (a compose service's own target otherwise). */
  target?: string;
  /** `--build-arg`: over a compose service's own args. */
  buildArgs?: Record<string, string>;
  cwd?: string;
}

export interface BenchPlan {
  /** Absolute project directory. */
  root: string;
  /** Subject then against for each image, in that order. */
  images: BenchImage[];
  /** Things discovery could not use, one line each. */
  warnings: string[];
}

/** Plans a run on `dir`. UserError for a missing directory, no Dockerfile, an unknown service or --against file. */
export function planBench(dir: string, opts: PlanOptions = {}): BenchPlan {
  const root = resolve(opts.cwd ?? '.', dir);
  const found = discoverTargets(root);
  const targets = pickTargets(found.targets, root, opts.services ?? [], dir);
  const againstFile =
    opts.against !== undefined && opts.against !== 'init' ? resolve(opts.cwd ?? '.', opts.against) : '';
  if (againstFile && !(existsSync(againstFile) && statSync(againstFile).isFile()))
    throw new UserError(`--against ${opts.against}: no such Dockerfile; give a Dockerfile path or 'init'`);
  const images: BenchImage[] = [];
  for (const t of targets) {
    // Values discovery kept verbatim (`${VERSION}`) mean nothing to a local build: the Dockerfile's defaults apply.
    const args = Object.fromEntries(Object.entries(t.args).filter(([, v]) => !v.includes('${')));
    const buildArgs = { ...args, ...opts.buildArgs };
    const project = findProject(t);
    const subject: BenchImage = {
      image: t.name,
      variant: 'subject',
      context: t.context,
      dockerfile: t.dockerfile,
      ...((opts.target ?? t.target) ? { target: opts.target ?? t.target } : {}),
      buildArgs,
      project,
    };
    images.push(subject);
    if (opts.against === 'init') images.push(initImage(subject));
    else if (againstFile)
      images.push({
        ...subject,
        variant: 'against',
        dockerfile: againstFile,
        ...(opts.target ? { target: opts.target } : { target: undefined }),
      });
  }
  for (const i of images) if (i.target === undefined) delete i.target;
  return { root, images, warnings: found.warnings };
}

/** Compose services when there are any, else the project's Dockerfile; `--service` picks by name. */
function pickTargets(all: AuditTarget[], root: string, names: string[], dir: string): AuditTarget[] {
  if (!all.length)
    throw new UserError(
      `${dir}: no Dockerfile found, nor a compose service that builds one; layerwise init ${dir} writes one`,
    );
  if (names.length) {
    const unknown = names.filter((n) => !all.some((t) => t.name === n));
    if (unknown.length)
      throw new UserError(
        `--service ${unknown.join(', ')}: no such service (images: ${all.map((t) => t.name).join(', ')})`,
      );
    return all.filter((t) => names.includes(t.name));
  }
  const compose = all.filter((t) => t.origins.some((o) => o.kind === 'compose'));
  if (compose.length) return compose;
  const own = all.find((t) => t.dockerfile === resolve(root, 'Dockerfile'));
  if (own) return [own];
  if (all.length === 1) return all;
  throw new UserError(
    `${dir}: several Dockerfiles and no compose file; pick one with --service (images: ${all.map((t) => t.name).join(', ')})`,
  );
}

/** The project at the context, else in the Dockerfile's directory inside it; null when neither is one. */
function findProject(t: AuditTarget): PythonProject | null {
  const dirs = [t.context];
  const own = dirname(t.dockerfile);
  if (own !== t.context && !relative(t.context, own).startsWith('..')) dirs.push(own);
  for (const d of dirs) {
    try {
      return detectProject(d);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
    }
  }
  return null;
}

/** init's files for the subject's project: built from the project's directory, as init writes them there. */
function initImage(subject: BenchImage): BenchImage {
  const p = subject.project;
  if (!p)
    throw new UserError(
      `--against init: ${subject.image} is not built from a Python project init knows; give --against a Dockerfile instead`,
    );
  const files = generateFiles(p, { compose: false, workflow: false }).filter(
    (f) => f.path === 'Dockerfile' || f.path === '.dockerignore',
  );
  return {
    image: subject.image,
    variant: 'against',
    context: p.dir,
    dockerfile: resolve(p.dir, 'Dockerfile'),
    buildArgs: subject.buildArgs,
    overlay: files.map((f) => ({ path: f.path, content: f.content })),
    project: p,
  };
}
