/**
 * `audit --build`: proves the code-change estimates by building. For the current Dockerfile and
 * for init's alternative, each in its own temp copy of the context (after .dockerignore; the
 * user's tree is only read): build, append one line to the code file the scenario names, build
 * again, diff the two images, and put the measured figures in place of the estimated ones
 * (basis `measured`, how in `proof`). The images are removed afterwards unless kept.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseDockerignore } from '../dockerfile/dockerignore.js';
import { type BuildOutcome, buildImage, removeImages } from '../engine/build.js';
import {
  changeOneLine,
  copyContext,
  fileFromChange,
  ignoreFileFor,
  pickCodeFile,
  readPatterns,
} from './prove-context.js';
import { measuredLayerCosts } from './prove-layers.js';
import { measurePull } from './prove-measure.js';
import type { AuditImage, AuditTarget, Scenario } from './types.js';

/** How to build for the proof. */
export interface ProveOptions {
  /** docker CLI (default `docker` on PATH). */
  docker?: string;
  /** Engine address (DOCKER_HOST); default the environment's. */
  host?: string;
  /** buildx builder (`--builder`). */
  builder?: string;
  /** Build args added to (and overriding) the target's own, for both layouts. */
  buildArgs?: Record<string, string>;
  /** `--network` for RUN steps (`host` to reach an index on 127.0.0.1). */
  network?: 'host' | 'default' | 'none';
  /** The code file to change, relative to the context (default: the one the scenario names). */
  touch?: string;
  /** A cache key of the proof's own (see BuildRequest.cacheKey): no other build's cache records answer. */
  cacheKey?: string;
  /** Keep the four images (their tags are in each scenario's `proof`). */
  keepImages?: boolean;
  /** Also prove init's alternative when the image has one (default true). */
  alternative?: boolean;
  signal?: AbortSignal;
  /** Each line of build progress. */
  onLine?: (line: string) => void;
  /** What the proof is doing, one line each (`building api (current) before the change`). */
  onStep?: (what: string) => void;
}

interface Layout {
  label: string;
  /** Where the context copy comes from. */
  context: string;
  /** The Dockerfile to build, outside or inside the copy (see prepare). */
  dockerfile: string;
  target?: string;
  /** Generated files written into the copy (the alternative), relative to the context. */
  files?: { path: string; text: string }[];
  /** The ignore file's text when it is one of `files`. */
  ignoreText?: string;
  /** The previous (estimated) code-change scenario, if any. */
  scenario?: Scenario;
  file: string;
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'image'
  );
}

function stepNames(o: BuildOutcome, cached: boolean): string[] {
  return o.steps.filter((s) => !s.internal && s.cached === cached && !/\] FROM /.test(s.name)).map((s) => s.name);
}

/** The two builds of one layout. */
interface Built {
  first: BuildOutcome;
  second: BuildOutcome;
  tags: { before: string; after: string };
  /** The changed file is in the context after .dockerignore (else the change cannot reach the build). */
  reaches: boolean;
}

/** Builds one layout before and after the change, in a temp copy of the context removed after. */
async function buildLayout(
  l: Layout,
  args: Record<string, string>,
  opts: ProveOptions,
  images: string[],
): Promise<Built> {
  const work = mkdtempSync(join(tmpdir(), 'layerwise-prove-'));
  try {
    const ctx = join(work, 'context');
    let dockerfile: string;
    if (l.files) {
      copyContext(
        l.context,
        ctx,
        l.ignoreText !== undefined
          ? parseDockerignore(l.ignoreText)
          : readPatterns(ignoreFileFor(join(l.context, l.dockerfile), l.context)),
      );
      for (const f of l.files) {
        mkdirSync(dirname(join(ctx, f.path)), { recursive: true });
        writeFileSync(join(ctx, f.path), f.text);
      }
      dockerfile = join(ctx, l.dockerfile);
    } else {
      const ignoreFile = ignoreFileFor(l.dockerfile, l.context);
      copyContext(l.context, ctx, readPatterns(ignoreFile));
      // The Dockerfile is built from outside the copy: it may be ignored, or live elsewhere.
      dockerfile = join(work, 'dockerfile', basename(l.dockerfile));
      mkdirSync(dirname(dockerfile), { recursive: true });
      copyFileSync(l.dockerfile, dockerfile);
      if (ignoreFile === `${l.dockerfile}.dockerignore`) copyFileSync(ignoreFile, `${dockerfile}.dockerignore`);
    }
    const reaches = existsSync(join(ctx, l.file));

    const rand = randomBytes(3).toString('hex');
    const repo = `layerwise-audit/${slug(l.label)}`;
    const tags = { before: `${repo}:before-${rand}`, after: `${repo}:after-${rand}` };
    const build = async (tag: string, when: string): Promise<BuildOutcome> => {
      opts.onStep?.(`building ${l.label} ${when} the change`);
      images.push(tag);
      return buildImage({
        context: ctx,
        dockerfile,
        target: l.target,
        buildArgs: args,
        tag,
        builder: opts.builder,
        docker: opts.docker,
        host: opts.host,
        network: opts.network,
        cacheKey: opts.cacheKey,
        signal: opts.signal,
        onLine: opts.onLine,
      });
    };
    const first = await build(tags.before, 'before');
    if (reaches) changeOneLine(ctx, l.file);
    const second = await build(tags.after, 'after');
    return { first, second, tags, reaches };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Diffs the two images of a layout: the measured code-change scenario. */
async function measureLayout(l: Layout, b: Built, opts: ProveOptions): Promise<Scenario> {
  const { first, second, tags, reaches } = b;
  opts.onStep?.(`diffing ${l.label}`);
  const m = await measurePull(tags.before, tags.after, { host: opts.host });
  const est = l.scenario;
  const fmt = (n: number | null | undefined) => (n === null || n === undefined ? 'unknown' : `${n} B`);
  return {
    name: 'code-change',
    change: `one line of ${l.file}`,
    rerun: est?.rerun ?? [],
    newLayers: m.diff.newLayers,
    bytes: { classic: m.gzip.classic, containerd: m.gzip.containerd },
    basis: 'measured',
    rests: [
      `built twice from a temp copy of the context (${first.client}, builder ${first.builder}): before and after one line appended to ${l.file}${reaches ? '' : ' (excluded by .dockerignore: the change does not reach the build)'}`,
      `bytes: gzip of the layers a host holding the first image pulls (classic store: ${m.diff.classic.layers} from the first new layer up; containerd: ${m.diff.containerd.layers} new blobs), compressed as a registry push does`,
      `layerwise diff on the two images: ${m.diff.classic.bytes} bytes classic, ${m.diff.containerd.bytes} containerd, uncompressed as the engine exports them`,
      `rebuild: ${second.seconds} s, ${stepNames(second, false).length} steps ran, ${stepNames(second, true).length} from the cache`,
      ...(est && est.basis === 'estimated'
        ? [`estimated before building: ${fmt(est.bytes.classic)} classic, ${fmt(est.bytes.containerd)} containerd`]
        : []),
    ],
    layers: measuredLayerCosts(m.layers, est?.layers),
    file: l.file,
    proof: {
      file: l.file,
      before: first.imageId,
      after: second.imageId,
      tags,
      diff: m.diff,
      rebuild: { seconds: second.seconds, ran: stepNames(second, false), cached: stepNames(second, true) },
      client: second.client,
      builder: second.builder,
    },
  };
}

function replaceCodeChange(scenarios: Scenario[], measured: Scenario): Scenario[] {
  const i = scenarios.findIndex((s) => s.name === 'code-change');
  return i < 0 ? [measured, ...scenarios] : scenarios.map((s, j) => (j === i ? measured : s));
}

/**
 * Builds `target` (and `image.alternative`, init's files) before and after a one-line code
 * change and returns a copy of `image` whose code-change scenarios carry the measured figures.
 * `root` is the audit root (`image.project.dir` is relative to it). Throws a UserError when the
 * engine is missing or a build fails (with the build log's last lines).
 */
export async function proveImage(
  image: AuditImage,
  target: AuditTarget,
  root: string,
  opts: ProveOptions = {},
): Promise<AuditImage> {
  const out: AuditImage = structuredClone(image);
  const est = image.scenarios.find((s) => s.name === 'code-change');
  const projectDir = image.project ? resolve(root, image.project.dir) : undefined;
  const file = pickCodeFile(target.context, {
    asked: opts.touch,
    named: est?.file ?? (est ? fileFromChange(est.change) : undefined),
    projectDir,
  });
  // Values discovery kept verbatim (`${VERSION}`, `${{ github.sha }}`) mean nothing to a local
  // build: left out, so the Dockerfile's defaults apply, and said so.
  const unresolved = Object.keys(target.args).filter((k) => target.args[k].includes('${') && !opts.buildArgs?.[k]);
  const args = Object.fromEntries(
    Object.entries({ ...target.args, ...opts.buildArgs }).filter(([k]) => !unresolved.includes(k)),
  );
  const images: string[] = [];
  try {
    const cur: Layout = {
      label: `${image.name} current`,
      context: target.context,
      dockerfile: target.dockerfile,
      target: target.target,
      scenario: est,
      file,
    };
    const curBuilt = await buildLayout(cur, args, opts, images);
    // The current layout's diff (engine exports) runs while the alternative builds.
    const curMeasured = measureLayout(cur, curBuilt, opts);
    curMeasured.catch(() => {}); // awaited below; not unhandled if the alternative's build fails first
    const alt = image.alternative;
    let altLayout: Layout | undefined;
    let altBuilt: Built | undefined;
    if (alt && opts.alternative !== false) {
      const ignore =
        alt.files.find((f) => f.path === `${alt.dockerfile}.dockerignore`) ??
        alt.files.find((f) => f.path === '.dockerignore');
      altLayout = {
        label: `${image.name} alternative`,
        context: target.context,
        dockerfile: alt.dockerfile,
        target: alt.target,
        files: alt.files,
        ignoreText: ignore?.text,
        scenario: alt.scenarios.find((s) => s.name === 'code-change'),
        file,
      };
      altBuilt = await buildLayout(altLayout, args, opts, images);
    }
    out.scenarios = replaceCodeChange(out.scenarios, await curMeasured);
    if (alt && altLayout && altBuilt) {
      const proved = await measureLayout(altLayout, altBuilt, opts);
      out.alternative = {
        ...structuredClone(alt),
        scenarios: replaceCodeChange(structuredClone(alt.scenarios), proved),
      };
    }
    out.notes = [
      ...out.notes,
      `code-change measured by building (${file} changed in a temp copy of the context)`,
      ...(unresolved.length
        ? [
            `built without ${unresolved.join(', ')}: their values are unresolved expressions; give them with --build-arg`,
          ]
        : []),
    ];
    return out;
  } finally {
    if (!opts.keepImages) await removeImages(images, { docker: opts.docker, host: opts.host }).catch(() => {});
  }
}
