/**
 * `docker save` archive source: `archive:FILE`. Understands the legacy layout (manifest.json,
 * <id>/layer.tar, <config>.json) and the Docker 25+ layout (an OCI layout inside the tar, with
 * manifest.json beside it). The tar is indexed once by seeking from header to header; blobs are
 * then read in place, never extracted.
 */
import { type FileHandle, open, realpath, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { isDigest, parseDigest, sha256 } from '../digest.js';
import { ImageError } from '../errors.js';
import {
  checkManifest,
  type Descriptor,
  type ImageSource,
  type Manifest,
  MediaTypes,
  type Platform,
  parseJson,
  readBlob,
  type SourceManifest,
} from '../model.js';
import { type Index, isIndexMediaType, selectManifest } from '../platform.js';
import { type TarHeader, TarParser } from '../tar.js';
import { fileRange } from './file-range.js';

export interface Entry {
  path: string;
  type: TarHeader['type'];
  dataOffset: number;
  size: number;
  linkname: string;
}

interface LegacyEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Indexes a tar file by reading only its headers. */
export async function indexTarFile(fh: FileHandle, what: string): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  const block = Buffer.alloc(512);
  const parser = new TarParser(
    {
      entry(h) {
        entries.set(h.path, {
          path: h.path,
          type: h.type,
          dataOffset: h.offset + 512,
          size: h.size,
          linkname: h.linkname,
        });
      },
    },
    { what },
  );
  let pos = 0;
  const { size: fileSize } = await fh.stat();
  let first = true;
  while (!parser.ended) {
    const { bytesRead } = await fh.read(block, 0, 512, pos);
    if (first && bytesRead >= 2 && block[0] === 0x1f && block[1] === 0x8b)
      throw new ImageError(`${what}: the archive is gzip-compressed; decompress it first (gunzip -k)`);
    first = false;
    if (bytesRead === 0) {
      parser.end();
      break;
    }
    parser.write(bytesRead === 512 ? block : block.subarray(0, bytesRead));
    pos += bytesRead;
    const skip = parser.skipData();
    if (skip > 0) {
      pos += skip;
      if (pos > fileSize + 511)
        throw new ImageError(`${what}: truncated archive (an entry runs past the end of the file)`);
    }
    if (parser.atEnd) break;
  }
  return entries;
}

/** Where an archive's entries live: a file read in place, or an export held as it streamed past. */
export interface ArchiveStore {
  /** Indexes the archive (once). */
  entries(): Promise<Map<string, Entry>>;
  /** A small entry's bytes. */
  read(e: Entry): Promise<Buffer>;
  /** An entry's bytes as a stream (size > 0). */
  open(e: Entry): Promise<Readable>;
  /** See ImageSource.blobIdentity. */
  identity?(e: Entry): Promise<string>;
  close(): Promise<void>;
}

/** A `docker save` archive file: indexed by its headers, entries read at their offsets. */
class FileStore implements ArchiveStore {
  private fh: FileHandle | null = null;
  constructor(
    private readonly name: string,
    private readonly file: string,
  ) {}

  async entries(): Promise<Map<string, Entry>> {
    try {
      this.fh = await open(this.file, 'r');
    } catch (e) {
      throw new ImageError(`${this.name}: cannot open ${this.file} (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    return indexTarFile(this.fh, this.name);
  }

  async read(e: Entry): Promise<Buffer> {
    const buf = Buffer.alloc(e.size);
    const { bytesRead } = await this.fh!.read(buf, 0, e.size, e.dataOffset);
    if (bytesRead !== e.size) throw new ImageError(`${this.name}: truncated archive reading ${e.path}`);
    return buf;
  }

  async open(e: Entry): Promise<Readable> {
    return fileRange(this.file, e.dataOffset, e.size);
  }

  async identity(e: Entry): Promise<string> {
    const st = await stat(this.file, { bigint: true });
    return `archive ${await realpath(this.file)} ${st.dev} ${st.ino} ${st.size} ${st.mtimeNs} ${st.ctimeNs} ${e.dataOffset} ${e.size}`;
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = null;
  }
}

export class ArchiveSource implements ImageSource {
  readonly kind: 'archive' | 'engine';
  private entries: Map<string, Entry> | null = null;
  private readonly store: ArchiveStore;
  private blobs = new Map<string, string>();

  constructor(
    readonly name: string,
    file: string | ArchiveStore,
    private readonly select: string | undefined,
    private readonly platform: Platform | undefined,
    kind: 'archive' | 'engine' = 'archive',
  ) {
    this.kind = kind;
    this.store = typeof file === 'string' ? new FileStore(name, file) : file;
  }

  private async init(): Promise<Map<string, Entry>> {
    this.entries ??= await this.store.entries();
    return this.entries;
  }

  /** Follows symlinks and hard links inside the archive; never outside it. */
  private resolve(path: string): Entry {
    const entries = this.entries!;
    let p = posix.normalize(path).replace(/^(\.\/)+/, '');
    for (let hops = 0; hops < 16; hops++) {
      const e = entries.get(p);
      if (!e) throw new ImageError(`${this.name}: ${JSON.stringify(path)} is missing from the archive`);
      if (e.type === 'file') return e;
      if (e.type === 'hardlink') {
        p = e.linkname;
        continue;
      }
      if (e.type === 'symlink') {
        if (e.linkname.startsWith('/'))
          throw new ImageError(
            `${this.name}: link escape: ${JSON.stringify(p)} points outside the archive (${e.linkname})`,
          );
        const target = posix.normalize(posix.join(posix.dirname(p), e.linkname));
        if (target === '..' || target.startsWith('../'))
          throw new ImageError(
            `${this.name}: link escape: ${JSON.stringify(p)} points outside the archive (${e.linkname})`,
          );
        p = target;
        continue;
      }
      throw new ImageError(`${this.name}: ${JSON.stringify(p)} is not a regular file in the archive`);
    }
    throw new ImageError(`${this.name}: too many links resolving ${JSON.stringify(path)}`);
  }

  private async readEntry(path: string, max = 16 << 20): Promise<Buffer> {
    const e = this.resolve(path);
    if (e.size > max) throw new ImageError(`${this.name}: ${path} is larger than ${max} bytes`);
    return this.store.read(e);
  }

  async manifest(): Promise<SourceManifest> {
    const entries = await this.init();
    if (entries.has('index.json') && entries.has('oci-layout')) return this.ociManifest();
    if (entries.has('manifest.json')) return this.legacyManifest();
    throw new ImageError(`${this.name}: not a docker save archive (no manifest.json or index.json)`);
  }

  private ociBlobPath(digest: string): string {
    const { algorithm, hex } = parseDigest(digest);
    return `blobs/${algorithm}/${hex}`;
  }

  private async ociManifest(): Promise<SourceManifest> {
    const index = parseJson<Index>(await this.readEntry('index.json'), `${this.name}: index.json`);
    if (!Array.isArray(index?.manifests)) throw new ImageError(`${this.name}: index.json has no manifests`);
    let candidates = index.manifests;
    if (this.select) {
      candidates = candidates.filter((d) => {
        const n = d.annotations?.['io.containerd.image.name'] ?? '';
        const r = d.annotations?.['org.opencontainers.image.ref.name'] ?? '';
        return n === this.select || r === this.select || shortName(n) === this.select;
      });
      if (candidates.length === 0) throw new ImageError(`${this.name}: no image named ${this.select} in the archive`);
    } else if (candidates.length > 1 && !candidates.every((d) => d.platform)) {
      const names = candidates.map((d) => shortName(d.annotations?.['io.containerd.image.name'] ?? d.digest));
      throw new ImageError(
        `${this.name}: the archive holds ${candidates.length} images (${names.join(', ')}); name one: archive:FILE@NAME`,
      );
    }
    let desc =
      candidates.length === 1
        ? candidates[0]
        : selectManifest({ schemaVersion: 2, manifests: candidates }, this.platform, this.name);
    const tagName = desc.annotations?.['io.containerd.image.name'];
    for (let depth = 0; isIndexMediaType(desc.mediaType); depth++) {
      if (depth > 4) throw new ImageError(`${this.name}: indexes nested too deep`);
      const nested = parseJson<Index>(await readBlob(this, desc, `${this.name}: index`), `${this.name}: index`);
      desc = selectManifest(nested, this.platform, this.name);
    }
    const m = checkManifest(
      parseJson(await readBlob(this, desc, `${this.name}: manifest`), `${this.name}: manifest`),
      this.name,
    );
    for (const d of [m.config, ...m.layers]) this.blobs.set(d.digest, this.ociBlobPath(d.digest));
    return { manifest: m, digest: desc.digest, tags: tagName ? [shortName(tagName)] : [] };
  }

  private async legacyManifest(): Promise<SourceManifest> {
    const list = parseJson<LegacyEntry[]>(await this.readEntry('manifest.json'), `${this.name}: manifest.json`);
    if (!Array.isArray(list) || list.length === 0) throw new ImageError(`${this.name}: manifest.json lists no image`);
    let entry = list[0];
    if (this.select) {
      const found = list.find((e) => (e.RepoTags ?? []).some((t) => t === this.select || shortName(t) === this.select));
      if (!found) throw new ImageError(`${this.name}: no image tagged ${this.select} in the archive`);
      entry = found;
    } else if (list.length > 1) {
      const names = list.map((e) => (e.RepoTags ?? [])[0] ?? e.Config);
      throw new ImageError(
        `${this.name}: the archive holds ${list.length} images (${names.join(', ')}); name one: archive:FILE@NAME`,
      );
    }
    if (typeof entry.Config !== 'string' || !Array.isArray(entry.Layers))
      throw new ImageError(`${this.name}: manifest.json entry has no Config or Layers`);
    const cfgBytes = await this.readEntry(entry.Config);
    const cfgDigest = sha256(cfgBytes);
    const base = posix.basename(entry.Config).replace(/\.json$/, '');
    if (/^[a-f0-9]{64}$/.test(base) && `sha256:${base}` !== cfgDigest)
      throw new ImageError(`${this.name}: config ${entry.Config} does not match its name (content is ${cfgDigest})`);
    const cfg = parseJson<{ rootfs?: { diff_ids?: string[] } }>(cfgBytes, `${this.name}: config`);
    const diffIds = cfg?.rootfs?.diff_ids ?? [];
    if (diffIds.length !== entry.Layers.length)
      throw new ImageError(
        `${this.name}: manifest.json lists ${entry.Layers.length} layers but the config has ${diffIds.length} diff_ids`,
      );
    this.blobs.set(cfgDigest, entry.Config);
    const layers: Descriptor[] = entry.Layers.map((p, i) => {
      const d = diffIds[i];
      if (!isDigest(d)) throw new ImageError(`${this.name}: config diff_ids[${i}] is not a digest`);
      const e = this.resolve(p);
      this.blobs.set(d, p);
      return { mediaType: MediaTypes.dockerLayerTar, digest: d, size: e.size };
    });
    const manifest: Manifest = {
      schemaVersion: 2,
      mediaType: MediaTypes.dockerManifest,
      config: { mediaType: MediaTypes.dockerConfig, digest: cfgDigest, size: cfgBytes.length },
      layers,
    };
    return { manifest, tags: (entry.RepoTags ?? []).map(shortName) };
  }

  async openBlob(desc: Descriptor): Promise<Readable> {
    await this.init();
    const path =
      this.blobs.get(desc.digest) ?? (this.entries!.has('oci-layout') ? this.ociBlobPath(desc.digest) : undefined);
    if (!path) throw new ImageError(`${this.name}: blob ${desc.digest} is not in the archive`);
    const e = this.resolve(path);
    if (e.size === 0) {
      const { Readable: R } = await import('node:stream');
      return R.from([]);
    }
    return this.store.open(e);
  }

  async blobIdentity(desc: Descriptor): Promise<string | null> {
    await this.init();
    const path =
      this.blobs.get(desc.digest) ?? (this.entries!.has('oci-layout') ? this.ociBlobPath(desc.digest) : undefined);
    if (!path) return null;
    return this.store.identity ? this.store.identity(this.resolve(path)) : null;
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

/** Drops a registry's `library/` prefix for official images ("HOST/library/python:3.11" -> "python:3.11"). */
export function shortName(n: string): string {
  return n.replace(/^[^/]+\.[^/]+\/library\//, '');
}
