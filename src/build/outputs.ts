/**
 * Where an assembled image goes: an OCI image layout, a `docker load`-able archive, a registry
 * (only the blobs it lacks), or the Docker engine (the archive streamed to POST /images/load).
 * Blobs are streamed from their source and checked against their digest on the way; nothing
 * but the small JSON documents is held whole, except what a registry upload needs (one blob).
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EngineClient } from '../engine/client.js';
import { UserError } from '../errors.js';
import { MediaTypes, parseJson } from '../image/model.js';
import { parseRegistryRef } from '../image/ref.js';
import { RegistryClient } from '../registry/client.js';
import { headManifest, pushBlob, putManifest, sha256 } from '../registry/write.js';
import { fileHeader, padding, TAR_END } from './tar-write.js';
import type { TargetPlatform } from './types.js';

export interface AssembledBlob {
  digest: string;
  size: number;
  mediaType: string;
  open(): Promise<Readable>;
}

export interface AssembledImage {
  manifest: Buffer;
  config: Buffer;
  /** Every layer blob, in manifest order; base ones read from the base source. */
  blobs: AssembledBlob[];
  platform: TargetPlatform;
}

const REF_NAME = 'org.opencontainers.image.ref.name';
const hexOf = (digest: string) => digest.slice('sha256:'.length);

/** A pass-through that fails when the bytes are not `size` bytes with `digest`. */
function checking(digest: string, size: number, what: string): Transform {
  const h = createHash('sha256');
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      n += chunk.length;
      if (n > size) return cb(new Error(`${what}: more than the ${size} bytes its descriptor says`));
      cb(null, chunk);
    },
    flush(cb) {
      const got = `sha256:${h.digest('hex')}`;
      if (n !== size || got !== digest)
        return cb(new Error(`${what}: read ${n} bytes with digest ${got}, expected ${size} bytes with ${digest}`));
      cb();
    },
  });
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Writes a file whole via a temporary name, so a reader never sees half of it. */
async function writeAtomic(path: string, data: Buffer | Readable): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    if (Buffer.isBuffer(data)) await writeFile(tmp, data);
    else await pipeline(data, createWriteStream(tmp));
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

interface IndexJson {
  schemaVersion: number;
  mediaType?: string;
  manifests: {
    mediaType: string;
    digest: string;
    size: number;
    annotations?: Record<string, string>;
    platform?: TargetPlatform;
  }[];
}

/**
 * An OCI image layout at `dir` (created when missing; an existing one is added to): the blobs it
 * lacks, then index.json naming the manifest, under `tag` (org.opencontainers.image.ref.name,
 * replacing what that tag named before) or untagged.
 */
export async function writeOciLayout(dir: string, img: AssembledImage, tag?: string): Promise<void> {
  // Read and check what is there before writing anything: a directory that is not an OCI layout
  // (or holds a broken one) is refused untouched rather than left half-written.
  const index = await readIndex(dir);
  const blobs = join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const layoutFile = join(dir, 'oci-layout');
  if (!(await exists(layoutFile))) await writeFile(layoutFile, '{"imageLayoutVersion":"1.0.0"}');
  for (const b of img.blobs) {
    const p = join(blobs, hexOf(b.digest));
    if (await exists(p)) continue;
    await writeAtomic(p, (await b.open()).pipe(checking(b.digest, b.size, `blob ${b.digest.slice(0, 19)}`)));
  }
  for (const bytes of [img.config, img.manifest]) {
    const p = join(blobs, hexOf(sha256(bytes)));
    if (!(await exists(p))) await writeAtomic(p, bytes);
  }
  const digest = sha256(img.manifest);
  index.manifests = index.manifests.filter((m) =>
    tag ? m.annotations?.[REF_NAME] !== tag : !(m.digest === digest && !m.annotations?.[REF_NAME]),
  );
  index.manifests.push({
    mediaType: MediaTypes.ociManifest,
    digest,
    size: img.manifest.length,
    ...(tag ? { annotations: { [REF_NAME]: tag } } : {}),
    platform: img.platform,
  });
  await writeAtomic(join(dir, 'index.json'), Buffer.from(JSON.stringify(index, null, 2)));
}

/** The layout's index.json (a new empty one when there is none); a foreign or invalid one is a UserError. */
async function readIndex(dir: string): Promise<IndexJson> {
  const indexFile = join(dir, 'index.json');
  if (!(await exists(indexFile))) return { schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: [] };
  const refuse = (why: string) =>
    new UserError(`${indexFile} ${why}, so ${dir} is not an OCI image layout to add to; give another directory`);
  let index: IndexJson;
  try {
    index = parseJson<IndexJson>(await readFile(indexFile), `${indexFile}`);
  } catch {
    throw refuse('is not valid JSON');
  }
  if (typeof index !== 'object' || index === null || index.schemaVersion !== 2) throw refuse('is not schemaVersion 2');
  if (index.mediaType !== undefined && index.mediaType !== MediaTypes.ociIndex)
    throw refuse(`has media type ${String(index.mediaType)}`);
  if (!Array.isArray(index.manifests)) throw refuse('has no manifests list');
  if (!index.manifests.every((m) => typeof m?.digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(m.digest)))
    throw refuse('has a manifest without a sha256 digest');
  const layoutFile = join(dir, 'oci-layout');
  if (await exists(layoutFile)) {
    let version: unknown;
    try {
      version = (JSON.parse(await readFile(layoutFile, 'utf8')) as { imageLayoutVersion?: unknown })
        ?.imageLayoutVersion;
    } catch {
      version = undefined;
    }
    if (typeof version !== 'string')
      throw new UserError(
        `${layoutFile} has no imageLayoutVersion, so ${dir} is not an OCI image layout; give another directory`,
      );
  }
  return index;
}

/**
 * A `docker save`-style archive of the image, as a stream: each layer blob as `<hex>.tar.gz`
 * (docker load takes compressed layers), the config as `<hex>.json`, manifest.json last.
 */
export function dockerArchive(img: AssembledImage, name: string): Readable {
  const configName = `${hexOf(sha256(img.config))}.json`;
  async function* gen(): AsyncGenerator<Buffer> {
    const layers: string[] = [];
    const seen = new Set<string>();
    for (const b of img.blobs) {
      const file = `${hexOf(b.digest)}${b.mediaType.endsWith('gzip') ? '.tar.gz' : b.mediaType.endsWith('zstd') ? '.tar.zst' : '.tar'}`;
      layers.push(file);
      if (seen.has(file)) continue;
      seen.add(file);
      yield fileHeader(file, b.size);
      const s = (await b.open()).pipe(checking(b.digest, b.size, `blob ${b.digest.slice(0, 19)}`));
      for await (const c of s as AsyncIterable<Buffer>) yield c;
      yield padding(b.size);
    }
    yield fileHeader(configName, img.config.length);
    yield img.config;
    yield padding(img.config.length);
    const manifest = Buffer.from(JSON.stringify([{ Config: configName, RepoTags: [name], Layers: layers }]));
    yield fileHeader('manifest.json', manifest.length);
    yield manifest;
    yield padding(manifest.length);
    yield TAR_END;
  }
  return Readable.from(gen(), { objectMode: false });
}

/** A `docker load`-able archive at `file`, the image tagged `name` (NAME:TAG). */
export async function writeDockerArchive(file: string, img: AssembledImage, name: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeAtomic(file, dockerArchive(img, name));
}

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Blob uploads at once (each holds its blob in memory). */
const PARALLEL = 2;

/**
 * Pushes the image to `ref` (HOST/NAME:TAG, docker:// accepted): every blob is HEADed first and
 * only the missing ones are sent, mounted from `mountFrom` (an image or repository on the same
 * registry, e.g. the base) when it holds them; the manifest is PUT unless the tag already names
 * it. Returns the bytes sent (uploaded blobs and the manifest).
 */
export async function pushImage(
  ref: string,
  img: AssembledImage,
  opts: { insecure?: boolean; mountFrom?: string } = {},
): Promise<number> {
  const r = parseRegistryRef(ref.replace(/^(docker|registry):\/\//, ''));
  const client = new RegistryClient(r.registry, { insecure: opts.insecure });
  let mountRepo: string | undefined;
  if (opts.mountFrom) {
    const m = parseRegistryRef(opts.mountFrom.replace(/^(docker|registry):\/\//, ''));
    if (m.registry === r.registry && m.repository !== r.repository) mountRepo = m.repository;
  }
  let sent = 0;
  const queue = [...new Map(img.blobs.map((b) => [b.digest, b])).values()];
  const worker = async () => {
    for (let b = queue.shift(); b; b = queue.shift()) {
      const blob = b;
      const read = async () =>
        readAll((await blob.open()).pipe(checking(blob.digest, blob.size, `blob ${blob.digest.slice(0, 19)}`)));
      if ((await pushBlob(client, r.repository, blob.digest, read, mountRepo)) === 'uploaded') sent += blob.size;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  if ((await pushBlob(client, r.repository, sha256(img.config), img.config, mountRepo)) === 'uploaded')
    sent += img.config.length;
  const digest = sha256(img.manifest);
  const reference = r.digest ?? r.tag!;
  if ((await headManifest(client, r.repository, reference))?.digest !== digest) {
    await putManifest(client, r.repository, reference, img.manifest, MediaTypes.ociManifest);
    sent += img.manifest.length;
  }
  return sent;
}

/** Loads the image into the Docker engine as `name` (the archive streamed, never written to disk). */
export async function loadIntoEngine(img: AssembledImage, name: string, opts: { host?: string } = {}): Promise<void> {
  await new EngineClient({ host: opts.host }).load(dockerArchive(img, name));
}
