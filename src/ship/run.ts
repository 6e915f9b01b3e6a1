/**
 * The release loop: fingerprint the base, look it up in the registry (a HEAD, no pull), build and
 * push it only when it is missing, build the app FROM the base by digest, push the app with its
 * tags. The registry is the only state; the builds go through the one build driver (src/engine)
 * and the pushes through layerwise's registry client (push.ts).
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { loadShell } from '../dockerfile/shell-load.js';
import { buildImage, type BuildRequest } from '../engine/build.js';
import { UserError } from '../errors.js';
import { parseRegistryRef } from '../image/ref.js';
import { RegistryClient } from '../registry/client.js';
import { headManifest } from '../registry/write.js';
import { retag } from './releases.js';
import { appBuild, baseBuild, readShipLayout } from './dockerfiles.js';
import { baseDrift } from './drift.js';
import { gatherFingerprint } from './fingerprint.js';
import { defaultTags, gitFacts, isTag, lastCommitTime, type GitFacts } from './git.js';
import { pushedLayers, pushEngineImage } from './push.js';
import { ANNOTATIONS, type Fingerprint, type FingerprintInput, type ShipLayout, type ShipResult } from './types.js';

export interface ShipOptions {
  /** The project directory. */
  dir: string;
  /** HOST/NAME of the app; the base goes to HOST/NAME-base. */
  repo: string;
  /** Release tags (default: the commit, and the version of a clean tagged tree). */
  tags?: string[];
  /** The tag that names the deployed release (default `live`); null: none. */
  deployTag?: string | null;
  dockerfile?: string;
  baseDockerfile?: string;
  baseTarget?: string;
  /** The build context when it is not DIR (a workspace member built from the workspace root). */
  context?: string;
  buildArgs?: Record<string, string>;
  platform?: string;
  dryRun?: boolean;
  /** Build the base even when its fingerprint is in the registry, and compare it with the pushed one. */
  rebuildBase?: boolean;
  network?: BuildRequest['network'];
  /** DOCKER_HOST for builds and for reading the built images. */
  host?: string;
  builder?: string;
  insecure?: boolean;
  /** One line per step (building, pushing...). */
  onStep?: (msg: string) => void;
  /** Each line of the builds' progress. */
  onBuildLine?: (line: string) => void;
}

/** Where REPO lives: the client for its registry and the repository paths of app and base. */
export interface ShipRepo {
  registry: string;
  appPath: string;
  basePath: string;
  /** REPO-base as given (what FROM names). */
  baseName: string;
  client: RegistryClient;
}

export function shipRepo(repo: string, insecure?: boolean): ShipRepo {
  if (/[:@]/.test(repo.split('/').slice(1).join('/')))
    throw new UserError(`--repo ${repo}: give HOST/NAME without a tag or digest (ship chooses the tags)`);
  const r = parseRegistryRef(repo);
  return {
    registry: r.registry,
    appPath: r.repository,
    basePath: `${r.repository}-base`,
    baseName: `${repo}-base`,
    client: new RegistryClient(r.registry, { insecure }),
  };
}

/** The fingerprint of the project's base as `ship` computes it (also `ship --fingerprint`). */
export async function shipFingerprint(
  opts: Pick<
    ShipOptions,
    'dir' | 'dockerfile' | 'baseDockerfile' | 'baseTarget' | 'context' | 'buildArgs' | 'platform' | 'host'
  >,
): Promise<{ layout: ShipLayout; fingerprint: Fingerprint; input: FingerprintInput }> {
  // readShipLayout parses the Dockerfiles, which needs the shell parser loaded.
  await loadShell();
  const layout = readShipLayout(opts.dir, {
    dockerfile: opts.dockerfile,
    baseDockerfile: opts.baseDockerfile,
    baseTarget: opts.baseTarget,
  });
  if (opts.context) {
    const context = resolve(opts.context);
    if (!existsSync(context) || !statSync(context).isDirectory())
      throw new UserError(`--context ${opts.context}: no such directory`);
    layout.context = context;
  }
  const { fingerprint, input } = await gatherFingerprint(layout, {
    buildArgs: opts.buildArgs,
    platform: opts.platform,
    host: opts.host,
  });
  return { layout, fingerprint, input };
}

const localName = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '') || 'app';

/**
 * The release's tags (--tag, else the commit's and the version's), the deploy tag (default live,
 * null with --no-deploy-tag) and all of them in push order; every one checked before anything is
 * built, since the registry would refuse a bad one only at the last PUT.
 */
export function releaseTags(
  opts: Pick<ShipOptions, 'dir' | 'tags' | 'deployTag'>,
  git: GitFacts,
): { tags: string[]; deployTag: string | null; allTags: string[] } {
  const tags = opts.tags?.length ? opts.tags : defaultTags(git);
  if (!tags.length)
    throw new UserError(`${opts.dir} is not in a git repository with a commit: name the release with --tag`);
  for (const t of tags) if (!isTag(t)) throw new UserError(`--tag ${t}: not a valid image tag`);
  const deployTag = opts.deployTag === undefined ? 'live' : opts.deployTag;
  if (deployTag && !isTag(deployTag)) throw new UserError(`--deploy-tag ${deployTag}: not a valid image tag`);
  return { tags, deployTag, allTags: deployTag && !tags.includes(deployTag) ? [...tags, deployTag] : tags };
}

/**
 * Seconds since the epoch of the newest commit touching any of the lock's files (paths relative to
 * the build context; a requirements lock may be several files), or null when git knows none.
 */
function lockEpoch(context: string, lockFile: string): number | null {
  const times = lockFile
    .split(' ')
    .filter(Boolean)
    .map((f) => lastCommitTime(context, resolve(context, f)))
    .filter((t): t is number => t !== null);
  return times.length ? Math.max(...times) : null;
}

/** The digest `tag` names when it is a release of `commit` on `baseDigest`, else null. */
async function releaseOf(repo: ShipRepo, tag: string, commit: string, baseDigest: string): Promise<string | null> {
  const head = await headManifest(repo.client, repo.appPath, tag, { forPush: true });
  if (!head) return null;
  const m = await repo.client.getManifest(repo.appPath, head.digest);
  const a = (JSON.parse(m.bytes.toString()) as { annotations?: Record<string, string> }).annotations ?? {};
  return a[ANNOTATIONS.kind] === 'app' && a[ANNOTATIONS.revision] === commit && a[ANNOTATIONS.baseDigest] === baseDigest
    ? head.digest
    : null;
}

/** Runs one release; see the module comment. */
export async function ship(opts: ShipOptions): Promise<ShipResult> {
  if (opts.builder === 'layerwise') {
    const { shipWithBuild } = await import('./run-build.js');
    return shipWithBuild(opts);
  }
  const t0 = performance.now();
  const step = opts.onStep ?? (() => {});
  const repo = shipRepo(opts.repo, opts.insecure);
  const git = gitFacts(opts.dir);
  const { tags, deployTag, allTags } = releaseTags(opts, git);

  const { layout, fingerprint, input } = await shipFingerprint(opts);
  const baseRef = `${repo.baseName}:${fingerprint.tag}`;
  const result: ShipResult = {
    schema: 'layerwise.ship/1',
    builder: 'docker',
    repo: opts.repo,
    dryRun: !!opts.dryRun,
    base: { ref: baseRef, fingerprint, built: false, pushed: false, digest: null, reason: '' },
    app: { repo: opts.repo, built: false, digest: null, tags: allTags, buildSeconds: 0 },
    pushedBytes: 0,
    skipped: [],
    seconds: 0,
  };

  step(`looking up ${baseRef}`);
  const existing = await headManifest(repo.client, repo.basePath, fingerprint.tag, { forPush: !opts.dryRun });
  // The lock's last commit dates the base: the same lock gives the same timestamps on any day.
  const epoch = input.lock ? lockEpoch(layout.context, input.lock.file) : null;
  if (epoch === null)
    result.skipped.push({
      what: 'SOURCE_DATE_EPOCH for the base',
      reason: input.lock
        ? `git has no commit of ${input.lock.file}: commit the lock (and fetch its history in CI)`
        : 'no lock file',
    });
  const buildArgs = { ...opts.buildArgs };
  const baseArgs = epoch !== null ? { SOURCE_DATE_EPOCH: String(epoch), ...buildArgs } : buildArgs;
  const common = {
    context: layout.context,
    network: opts.network,
    host: opts.host,
    builder: opts.builder,
    platform: opts.platform,
    onLine: opts.onBuildLine,
  };
  const localBase = `layerwise-ship/${localName(basename(repo.basePath))}:${fingerprint.tag}`;

  if (existing && !opts.rebuildBase) {
    result.base.digest = existing.digest;
    result.base.reason = `fingerprint ${fingerprint.tag} is in the registry: the lock, the base Dockerfile and its FROM image did not change`;
    result.skipped.push({ what: 'base build and push', reason: `${baseRef} exists (${existing.digest.slice(0, 19)})` });
  } else if (opts.dryRun) {
    result.base.digest = existing?.digest ?? null;
    result.base.reason = existing
      ? `would rebuild ${baseRef} and compare it with the pushed one`
      : `would build and push ${baseRef}: no image has this fingerprint yet`;
  } else {
    step(existing ? `rebuilding the base to compare with ${baseRef}` : `building the base ${baseRef}`);
    const b = baseBuild(layout);
    await buildImage({ ...common, dockerfile: b.dockerfile, target: b.target, buildArgs: baseArgs, tag: localBase });
    result.base.built = true;
    if (existing) {
      step('comparing the rebuilt base with the pushed one');
      result.base.digest = existing.digest;
      result.base.drift = await baseDrift(`${repo.baseName}@${existing.digest}`, localBase, {
        insecure: opts.insecure,
      });
      result.base.reason = result.base.drift.identical
        ? `rebuilt: identical to the pushed ${baseRef} (same layers); the pushed base stays`
        : `rebuilt: differs from the pushed ${baseRef}; the pushed base stays (see the drift)`;
      result.skipped.push({ what: 'base push', reason: `${baseRef} exists; a fingerprint's base is never replaced` });
    } else {
      step(`pushing ${baseRef}`);
      const created = new Date((epoch ?? Math.floor(Date.now() / 1000)) * 1000).toISOString();
      const pushed = await pushEngineImage(localBase, {
        client: repo.client,
        repo: repo.basePath,
        tags: [fingerprint.tag],
        host: opts.host,
        annotations: {
          [ANNOTATIONS.kind]: 'base',
          [ANNOTATIONS.fingerprint]: fingerprint.tag,
          [ANNOTATIONS.created]: created,
          [ANNOTATIONS.pushed]: new Date().toISOString(),
        },
        onProgress: step,
      });
      result.base.pushed = true;
      result.base.digest = pushed.digest;
      result.pushedBytes += pushed.pushedBytes;
      result.base.reason = `no image had fingerprint ${fingerprint.tag}: built and pushed`;
    }
  }

  if (opts.dryRun) {
    result.skipped.push({ what: 'app build and push', reason: 'dry run' });
    result.seconds = (performance.now() - t0) / 1000;
    return result;
  }

  // The same commit shipped again (CI on the branch, then on its tag): the release exists; give it
  // the new tags instead of building a second release that would leave the first one untagged.
  const again = git.commit && !git.dirty ? await releaseOf(repo, tags[0], git.commit, result.base.digest!) : null;
  if (again) {
    step(`${opts.repo}:${tags[0]} is this commit's release on this base: tagging it`);
    for (const t of allTags) if (t !== tags[0]) await retag(repo.client, repo.appPath, again, t);
    result.app.digest = again;
    result.skipped.push({
      what: 'app build and push',
      reason: `${opts.repo}:${tags[0]} is already this commit's release on this base; it got the tags`,
    });
    result.seconds = (performance.now() - t0) / 1000;
    return result;
  }

  const baseByDigest = `${repo.baseName}@${result.base.digest}`;
  const app = appBuild(layout, baseByDigest);
  const work = mkdtempSync(join(tmpdir(), 'layerwise-ship-'));
  const localApp = `layerwise-ship/${localName(basename(repo.appPath))}:${tags[0]}`;
  try {
    // Outside the context, so the rewritten Dockerfile never enters the build context.
    const dockerfile = join(work, 'Dockerfile');
    writeFileSync(dockerfile, app.dockerfileText);
    step(`building the app on ${baseByDigest.replace(/(sha256:.{12}).*/, '$1')}`);
    const built = await buildImage({
      ...common,
      dockerfile,
      buildArgs: { ...buildArgs, ...app.buildArgs },
      tag: localApp,
    });
    result.app.built = true;
    result.app.buildSeconds = built.seconds;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  step(`pushing ${opts.repo}:${allTags.join(',')}`);
  const reuse = await pushedLayers(repo.client, repo.basePath, result.base.digest!);
  const annotations: Record<string, string> = {
    [ANNOTATIONS.kind]: 'app',
    [ANNOTATIONS.created]: new Date().toISOString(),
    [ANNOTATIONS.baseName]: baseRef,
    [ANNOTATIONS.baseDigest]: result.base.digest!,
    [ANNOTATIONS.fingerprint]: fingerprint.tag,
  };
  if (git.commit) annotations[ANNOTATIONS.revision] = git.commit;
  if (git.version) annotations[ANNOTATIONS.version] = git.version;
  const pushed = await pushEngineImage(localApp, {
    client: repo.client,
    repo: repo.appPath,
    tags: allTags,
    host: opts.host,
    annotations,
    reuse,
    reuseRepo: repo.basePath,
    onProgress: step,
  });
  result.app.digest = pushed.digest;
  result.pushedBytes += pushed.pushedBytes;
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}
