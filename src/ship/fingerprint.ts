/**
 * The base's fingerprint: a hash over everything the dependency base is built from (Python
 * version, the lock's installed entries, the base stages' instructions, the build args they
 * declare, the images they start from, the context files they copy, the platform), so
 * `REPO-base:<tag>` is rebuilt exactly when one of those changes. The canonical texts are
 * documented in docs/ship-fingerprint.md; changing them changes every tag, so they are versioned.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { loadShell } from '../dockerfile/shell-load.js';
import { EngineClient, EngineError } from '../engine/client.js';
import { UserError } from '../errors.js';
import { openImage } from '../image/open.js';
import { parsePlatform } from '../image/platform.js';
import { platformString } from '../image/model.js';
import { detectProject } from '../project/index.js';
import { hashContextFiles, ignorePatterns } from './context-files.js';
import { baseFacts } from './dockerfiles.js';
import { baseInstall } from './base-install.js';
import { lockEntries } from './lock-entries.js';
import type { Fingerprint, FingerprintInput, FingerprintPart, ShipLayout } from './types.js';

/** Prefix of the text the total hash is taken over; bump it when a canonical text changes. */
export const FINGERPRINT_VERSION = 'layerwise.ship.fingerprint/1';

const hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Sorts by code unit (not locale), so every machine orders alike. */
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `//user:secret@host` -> `//***@host`: summaries are printed, build args may carry index credentials. */
const masked = (s: string): string => s.replace(/\/\/[^/@\s]+@/g, '//***@');

const short = (s: string, n = 60): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The fingerprint of `input`: one part per input (canonical text -> sha256), then the hash over the parts. Pure. */
export function computeFingerprint(input: FingerprintInput): Fingerprint {
  const args = Object.keys(input.buildArgs).sort(byCode);
  const from = Object.keys(input.from).sort(byCode);
  const files = Object.keys(input.files).sort(byCode);
  const lines = (xs: string[]) => xs.map((x) => `${x}\n`).join('');
  const part = (name: string, summary: string, canonical: string): FingerprintPart => ({
    name,
    summary,
    sha256: hex(canonical),
  });
  const lock = input.lock;
  const parts = [
    part('python', input.pythonVersion, lines([input.pythonVersion])),
    part(
      'lock',
      lock ? `${lock.file}: ${lock.entries.length} packages` : 'no lock: the dependency files are hashed under files',
      lock ? lines([lock.file, ...lock.entries]) : lines(['none']),
    ),
    part('dockerfile', `${input.instructions.length} instructions`, lines(input.instructions)),
    part(
      'build-args',
      short(masked(args.map((k) => `${k}=${input.buildArgs[k]}`).join(' ')) || 'none', 100),
      lines(args.map((k) => `${k}=${JSON.stringify(input.buildArgs[k])}`)),
    ),
    part(
      'from',
      from.map((r) => `${r}@${input.from[r].replace(/^sha256:/, '').slice(0, 12)}`).join(' ') || 'none',
      lines(from.map((r) => `${r} ${input.from[r]}`)),
    ),
    part(
      'files',
      files.length ? `${files.length} file${files.length === 1 ? '' : 's'} (${short(files.join(' '))})` : 'none',
      lines(files.map((f) => `${f} ${input.files[f]}`)),
    ),
    part('platform', input.platform, lines([input.platform])),
  ];
  const sha256 = hex(lines([FINGERPRINT_VERSION, ...parts.map((p) => `${p.name} ${p.sha256}`)]));
  return { tag: sha256.slice(0, 24), sha256, parts };
}

export interface GatherOptions {
  /** Build args this ship passes to the base build. */
  buildArgs?: Record<string, string>;
  /** `os/arch[/variant]`; default the engine's. */
  platform?: string;
  /** Docker engine (DOCKER_HOST form). */
  host?: string;
  /** Instead of the project model's Python version. */
  pythonVersion?: string;
}

/**
 * Gathers the FingerprintInput of `layout` and computes its fingerprint: the project model
 * (Python version, lock), the base stages' facts, the copied files' hashes, the platform (given,
 * else the engine's) and each external image's config digest for that platform (the engine's
 * copy when it holds one for the platform, else the registry's).
 */
export async function gatherFingerprint(
  layout: ShipLayout,
  opts: GatherOptions = {},
): Promise<{ input: FingerprintInput; fingerprint: Fingerprint }> {
  await loadShell();
  const local = localInput(layout, opts);
  const engine = new EngineClient({ host: opts.host });
  const platform = opts.platform ? platformString(parsePlatform(opts.platform)) : await enginePlatform(engine);
  const from: Record<string, string> = {};
  for (const ref of local.images) from[ref] = await configDigest(engine, ref, platform, opts.host);
  const { pythonVersion, lock, instructions, buildArgs, files } = local;
  const input: FingerprintInput = { pythonVersion, lock, instructions, buildArgs, from, platform, files };
  return { input, fingerprint: computeFingerprint(input) };
}

/** The inputs read from the project directory alone (no engine, no registry), and the external images to resolve. */
export type LocalInput = Omit<FingerprintInput, 'from' | 'platform'> & { images: string[] };

/**
 * The part of gatherFingerprint that reads only files: the project model, the base facts, the
 * lock entries the base installs and the copied files' hashes. Parses Dockerfiles: call it after
 * `await loadShell()`.
 */
export function localInput(
  layout: ShipLayout,
  opts: Pick<GatherOptions, 'buildArgs' | 'pythonVersion'> = {},
): LocalInput {
  const project = detectProject(layout.context);
  const facts = baseFacts(layout, opts.buildArgs ?? {});
  const install = baseInstall(facts.instructions);

  // The lock is read from the dependency files the base reads (all of them when it names none).
  const covered = (f: string) => facts.copies.some((c) => c === '.' || c === f || f.startsWith(`${c}/`));
  const lockCandidates = [
    ...project.depFiles.filter(covered),
    ...facts.copies.filter((c) => /\.txt$/.test(c) && !project.depFiles.includes(c)),
  ];
  const lock = lockEntries(layout.context, lockCandidates.length ? lockCandidates : project.depFiles, install);

  // With a lock, the manifests and the lock are covered by the lock part; without one, their text counts.
  const lockFiles = new Set(lock ? lock.file.split(' ') : []);
  const viaLock = (f: string) => lock !== null && (lockFiles.has(f) || basename(f) === 'pyproject.toml');
  const sources = facts.copies.filter((c) => !viaLock(c));
  const hashed = hashContextFiles(layout.context, sources, ignorePatterns(layout.context, layout.baseDockerfile));
  const files = Object.fromEntries(Object.entries(hashed).filter(([f]) => !viaLock(f)));
  return {
    pythonVersion: opts.pythonVersion ?? project.python.version,
    lock,
    instructions: facts.instructions,
    buildArgs: facts.args,
    files,
    images: facts.images,
  };
}

async function enginePlatform(engine: EngineClient): Promise<string> {
  const v = (await engine.ping()) as { Os?: string; Arch?: string };
  if (!v.Os || !v.Arch)
    throw new UserError(`Docker engine at ${engine.where}: no os/arch in its version; pass --platform`);
  return `${v.Os}/${v.Arch}`;
}

/**
 * The config digest of `ref` for `platform`: the engine's image when it has one of that platform
 * (its Id is the config digest in the classic store), else the registry's manifest for it.
 */
async function configDigest(engine: EngineClient, ref: string, platform: string, host?: string): Promise<string> {
  const want = parsePlatform(platform);
  try {
    const img = await engine.inspectImage(ref);
    if (img.Os === want.os && img.Architecture === want.architecture && img.Id.startsWith('sha256:')) return img.Id;
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
  }
  try {
    const image = await openImage(`docker://${ref}`, { platform: want, engineHost: host });
    await image.source.close();
    return image.configDigest;
  } catch (e) {
    const why = String((e as Error).message ?? e).split('\n')[0];
    throw new UserError(
      `${ref}: not in the Docker engine for ${platform}, nor readable from its registry (${why}); pull it or fix the name`,
    );
  }
}
