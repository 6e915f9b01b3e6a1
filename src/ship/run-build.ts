/**
 * `ship --builder layerwise`: the release built by `layerwise build` instead of a Dockerfile. There
 * is no separate base image to fingerprint: every dependency is a layer of its own, built against
 * the release the deploy tag names, so a lock change ships only the changed packages and a code
 * change only the code. The release carries ship's annotations, so plan, rollback and gc work on
 * it as on any release.
 */
import { build } from '../build/run.js';
import { headManifest } from '../registry/write.js';
import { gitFacts } from './git.js';
import type { ShipOptions } from './run.js';
import { releaseTags, shipRepo } from './run.js';
import { ANNOTATIONS, type ShipResult } from './types.js';

export async function shipWithBuild(opts: ShipOptions): Promise<ShipResult> {
  const t0 = performance.now();
  const repo = shipRepo(opts.repo, opts.insecure);
  const git = gitFacts(opts.dir);
  const { tags, deployTag, allTags } = releaseTags(opts, git);
  // Built against the deployed release: its unchanged layers are reused as they are.
  const against = deployTag ?? tags[0];
  const previous = (await headManifest(repo.client, repo.appPath, against, { forPush: !opts.dryRun }))
    ? `docker://${opts.repo}:${against}`
    : null;
  const annotations: Record<string, string> = {
    [ANNOTATIONS.kind]: 'app',
    [ANNOTATIONS.created]: new Date().toISOString(),
  };
  if (git.commit) annotations[ANNOTATIONS.revision] = git.commit;
  if (git.version) annotations[ANNOTATIONS.version] = git.version;
  const r = await build({
    dir: opts.dir,
    outputs: allTags.map((t) => ({ kind: 'registry' as const, ref: `${opts.repo}:${t}` })),
    previous,
    platform: opts.platform,
    dryRun: opts.dryRun,
    insecure: opts.insecure,
    host: opts.host,
    annotations,
    baseAnnotations: false,
    onStep: opts.onStep,
  });
  const noFingerprint = { tag: '', sha256: '', parts: [] };
  const reason = 'layerwise build: every dependency is a layer of its own on the base image; no separate base to build';
  if (r.schema === 'layerwise.build-plan/1')
    return {
      schema: 'layerwise.ship/1',
      builder: 'layerwise',
      repo: opts.repo,
      dryRun: true,
      base: { ref: r.base, fingerprint: noFingerprint, built: false, pushed: false, digest: null, reason },
      app: { repo: opts.repo, built: false, digest: null, tags: allTags, buildSeconds: 0 },
      pushedBytes: 0,
      skipped: [{ what: 'app build and push', reason: 'dry run' }],
      seconds: (performance.now() - t0) / 1000,
    };
  return {
    schema: 'layerwise.ship/1',
    builder: 'layerwise',
    repo: opts.repo,
    dryRun: false,
    base: { ref: r.base.ref, fingerprint: noFingerprint, built: false, pushed: false, digest: r.base.digest, reason },
    app: { repo: opts.repo, built: true, digest: r.digest, tags: allTags, buildSeconds: r.seconds },
    pushedBytes: r.pushedBytes,
    skipped: previous ? [] : [{ what: 'layer reuse', reason: `no ${opts.repo}:${against} to build against yet` }],
    seconds: (performance.now() - t0) / 1000,
  };
}
