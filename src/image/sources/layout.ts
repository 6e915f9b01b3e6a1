/** OCI image layout directory source: `oci:DIR[:TAG]` (index.json, blobs/ALG/HEX). */
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { parseDigest } from '../digest.js';
import { ImageError } from '../errors.js';
import {
  checkManifest,
  type Descriptor,
  type ImageSource,
  type Platform,
  parseJson,
  type SourceManifest,
} from '../model.js';
import { type Index, isIndexMediaType, selectManifest } from '../platform.js';

const REF_NAME = 'org.opencontainers.image.ref.name';

export class LayoutSource implements ImageSource {
  readonly kind = 'oci' as const;
  private root = '';

  constructor(
    readonly name: string,
    private readonly dir: string,
    private readonly tag: string | undefined,
    private readonly platform: Platform | undefined,
  ) {}

  private async init(): Promise<void> {
    if (this.root) return;
    try {
      this.root = await realpath(this.dir);
    } catch {
      throw new ImageError(`${this.name}: no such directory ${this.dir}`);
    }
    try {
      await stat(join(this.root, 'oci-layout'));
    } catch {
      throw new ImageError(`${this.name}: ${this.dir} is not an OCI image layout (no oci-layout file)`);
    }
  }

  async manifest(): Promise<SourceManifest> {
    await this.init();
    let raw: Buffer;
    try {
      raw = await readFile(join(this.root, 'index.json'));
    } catch {
      throw new ImageError(`${this.name}: no index.json in ${this.dir}`);
    }
    const index = parseJson<Index>(raw, `${this.name}: index.json`);
    if (!index || !Array.isArray(index.manifests)) throw new ImageError(`${this.name}: index.json has no manifests`);
    let desc: Descriptor;
    let tags: string[] = [];
    if (this.tag) {
      const found = index.manifests.filter(
        (d) =>
          d.annotations?.[REF_NAME] === this.tag ||
          d.annotations?.['io.containerd.image.name']?.endsWith(`:${this.tag}`),
      );
      if (found.length === 0) {
        const have = index.manifests.map((d) => d.annotations?.[REF_NAME]).filter(Boolean);
        throw new ImageError(
          `${this.name}: no image tagged ${JSON.stringify(this.tag)} (tags: ${have.join(', ') || 'none'})`,
        );
      }
      desc =
        found.length === 1
          ? found[0]
          : selectManifest({ schemaVersion: 2, manifests: found }, this.platform, this.name);
      tags = [this.tag];
    } else {
      desc = selectManifest(index, this.platform, `${this.name}: index.json`);
      const t = desc.annotations?.[REF_NAME];
      if (t) tags = [t];
    }
    // Nested indexes (an image index inside index.json).
    for (let depth = 0; isIndexMediaType(desc.mediaType); depth++) {
      if (depth > 4) throw new ImageError(`${this.name}: indexes nested too deep`);
      const nested = parseJson<Index>(await this.readSmall(desc), `${this.name}: index ${desc.digest}`);
      desc = selectManifest(nested, this.platform, `${this.name}: index ${desc.digest}`);
    }
    const bytes = await this.readSmall(desc);
    const m = parseJson<unknown>(bytes, `${this.name}: manifest`);
    if (m && typeof m === 'object' && 'manifests' in (m as object)) {
      const nested = selectManifest(m as Index, this.platform, `${this.name}: index ${desc.digest}`);
      const mb = await this.readSmall(nested);
      return {
        manifest: checkManifest(parseJson(mb, `${this.name}: manifest`), this.name),
        digest: nested.digest,
        tags,
      };
    }
    return { manifest: checkManifest(m, `${this.name}: manifest`), digest: desc.digest, tags };
  }

  private async readSmall(desc: Descriptor): Promise<Buffer> {
    const { readBlob } = await import('../model.js');
    return readBlob(this, desc, `${this.name}: blob ${desc.digest}`);
  }

  async blobPath(digest: string): Promise<string> {
    await this.init();
    const { algorithm, hex } = parseDigest(digest);
    const p = join(this.root, 'blobs', algorithm, hex);
    let real: string;
    try {
      real = await realpath(p);
    } catch {
      throw new ImageError(`${this.name}: blob ${digest} is missing from ${this.dir}`);
    }
    if (!real.startsWith(this.root + sep))
      throw new ImageError(`${this.name}: blob ${digest} is a link that leaves the layout directory (${real})`);
    return real;
  }

  async openBlob(desc: Descriptor): Promise<Readable> {
    const p = await this.blobPath(desc.digest);
    return createReadStream(p, { highWaterMark: 1 << 20 });
  }

  async blobIdentity(desc: Descriptor): Promise<string | null> {
    const p = await realpath(await this.blobPath(desc.digest));
    const st = await stat(p, { bigint: true });
    return `file ${p} ${st.dev} ${st.ino} ${st.size} ${st.mtimeNs} ${st.ctimeNs}`;
  }

  async close(): Promise<void> {}
}
