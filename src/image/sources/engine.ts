/**
 * Docker engine source: `NAME[:TAG]` or `engine:NAME`. Reads `GET /images/{name}/get` (a
 * `docker save` archive) once, as it streams: the layers go to the caller's visitor while they
 * arrive (OpenOptions.onBlob: the analysis runs beside the engine's export), the small entries
 * (manifest.json, the config) are kept in memory, and the archive is then understood like any
 * other (see archive.ts), after the fact, since its manifest may come last. Nothing is written to
 * disk. The image ID the engine reports must equal the config digest read from the archive.
 */
import { EngineClient } from '../../engine/client.js';
import { ImageError } from '../errors.js';
import type { Descriptor, ImageSource, SourceManifest } from '../model.js';
import type { OpenOptions } from '../open.js';
import type { Readable } from 'node:stream';
import { ArchiveSource } from './archive.js';
import { ExportStore, readExport } from './export-stream.js';

export class EngineSource implements ImageSource {
  readonly kind = 'engine' as const;
  constructor(
    readonly name: string,
    private readonly archive: ArchiveSource,
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
  }
}

export async function openEngineSource(ref: string, name: string, opts: OpenOptions = {}): Promise<ImageSource> {
  const engine = new EngineClient({ host: opts.engineHost, timeoutMs: opts.timeoutMs });
  const info = await engine.inspectImage(name);
  const held = await readExport(await engine.save(info.Id), ref, { visit: opts.onBlob });
  const store = new ExportStore(ref, held, () => engine.save(info.Id));
  const archive = new ArchiveSource(ref, store, undefined, opts.platform, 'engine');
  return new EngineSource(
    ref,
    archive,
    info.Id,
    (info.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
  );
}
