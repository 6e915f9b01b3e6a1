/**
 * Docker engine source: `NAME[:TAG]` or `engine:NAME`. Streams `GET /images/{name}/get` (a
 * `docker save` archive) into a private temporary file, which is then read in place like any
 * archive (blobs opened at their offsets, never extracted), and removed on close. The image ID
 * the engine reports must equal the config digest read from the archive.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EngineClient } from '../../engine/client.js';
import { ImageError } from '../errors.js';
import type { Descriptor, ImageSource, SourceManifest } from '../model.js';
import type { OpenOptions } from '../open.js';
import { ArchiveSource } from './archive.js';

export class EngineSource implements ImageSource {
  readonly kind = 'engine' as const;
  constructor(
    readonly name: string,
    private readonly archive: ArchiveSource,
    private readonly dir: string,
    private readonly imageId: string,
    private readonly tags: string[],
  ) {}

  async manifest(): Promise<SourceManifest> {
    const m = await this.archive.manifest();
    if (m.manifest.config.digest !== this.imageId)
      throw new ImageError(
        `${this.name}: the engine's image ID ${this.imageId} differs from the saved config ${m.manifest.config.digest}`,
      );
    return { ...m, tags: this.tags.length ? this.tags : m.tags };
  }

  openBlob(desc: Descriptor): Promise<Readable> {
    return this.archive.openBlob(desc);
  }

  async close(): Promise<void> {
    await this.archive.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export async function openEngineSource(ref: string, name: string, opts: OpenOptions = {}): Promise<ImageSource> {
  const engine = new EngineClient({ host: opts.engineHost, timeoutMs: opts.timeoutMs });
  const info = await engine.inspectImage(name);
  const dir = await mkdtemp(join(tmpdir(), 'layerwise-'));
  const file = join(dir, 'image.tar');
  try {
    const stream = await engine.save(info.Id);
    await pipeline(stream, createWriteStream(file, { mode: 0o600 }));
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const archive = new ArchiveSource(ref, file, undefined, opts.platform, 'engine');
  return new EngineSource(
    ref,
    archive,
    dir,
    info.Id,
    (info.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
  );
}
