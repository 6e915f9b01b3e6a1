/** Opens an image from a reference string, whatever its source. */
import type { BlobVisitor, Image, ImageSource, Platform } from './model.js';
import { loadImage } from './model.js';
import { parseRef } from './ref.js';

export interface OpenOptions {
  platform?: Platform;
  /** Registry: use plain HTTP (default for localhost / 127.0.0.1). */
  insecure?: boolean;
  /** Per-request timeout in milliseconds for registry and engine requests. */
  timeoutMs?: number;
  /** Docker engine to read `NAME[:TAG]` images from (default DOCKER_HOST or the unix socket). */
  engineHost?: string;
  /**
   * For sources read once, front to back (the engine's export): handed each large blob as it
   * arrives, so layers are analysed while the export streams and nothing is kept on disk.
   * Without it such a source reads the export again for each large blob asked for.
   */
  onBlob?: BlobVisitor;
}

export async function openSource(ref: string, opts: OpenOptions = {}): Promise<ImageSource> {
  const p = parseRef(ref);
  switch (p.kind) {
    case 'oci': {
      const { LayoutSource } = await import('./sources/layout.js');
      return new LayoutSource(ref, p.dir, p.tag, opts.platform);
    }
    case 'archive': {
      const { ArchiveSource } = await import('./sources/archive.js');
      return new ArchiveSource(ref, p.file, p.select, opts.platform);
    }
    case 'registry': {
      const { RegistrySource } = await import('./sources/registry.js');
      return new RegistrySource(ref, p.name, opts);
    }
    case 'engine': {
      const { openEngineSource } = await import('./sources/engine.js');
      return openEngineSource(ref, p.name, opts);
    }
  }
}

export async function openImage(ref: string, opts: OpenOptions = {}): Promise<Image> {
  const source = await openSource(ref, opts);
  try {
    return await loadImage(source);
  } catch (e) {
    await source.close();
    throw e;
  }
}
