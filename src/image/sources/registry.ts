/** Registry source: `docker://HOST/REPO:TAG` or `registry://...` (OCI distribution API). */
import type { Readable } from 'node:stream';
import { RegistryClient } from '../../registry/client.js';
import { sha256 } from '../digest.js';
import { ImageError } from '../errors.js';
import { checkManifest, type Descriptor, type ImageSource, parseJson, type SourceManifest } from '../model.js';
import type { OpenOptions } from '../open.js';
import { type Index, isIndexMediaType, selectManifest } from '../platform.js';
import { parseRegistryRef, type RegistryRef } from '../ref.js';

export class RegistrySource implements ImageSource {
  readonly kind = 'registry' as const;
  readonly ref: RegistryRef;
  readonly client: RegistryClient;

  constructor(
    readonly name: string,
    refName: string,
    private readonly opts: OpenOptions & { client?: RegistryClient } = {},
  ) {
    this.ref = parseRegistryRef(refName);
    this.client =
      opts.client ?? new RegistryClient(this.ref.registry, { insecure: opts.insecure, timeoutMs: opts.timeoutMs });
  }

  private async fetchManifest(reference: string): Promise<{ bytes: Buffer; mediaType: string; digest: string }> {
    const m = await this.client.getManifest(this.ref.repository, reference);
    const digest = sha256(m.bytes);
    if (reference.startsWith('sha256:') && digest !== reference)
      throw new ImageError(`${this.name}: manifest digest mismatch, asked for ${reference}, content is ${digest}`);
    if (m.digest?.startsWith('sha256:') && m.digest !== digest)
      throw new ImageError(
        `${this.name}: manifest digest mismatch, the registry says ${m.digest}, content is ${digest}`,
      );
    return { bytes: m.bytes, mediaType: m.mediaType, digest };
  }

  async manifest(): Promise<SourceManifest> {
    let m = await this.fetchManifest(this.ref.digest ?? this.ref.tag!);
    for (let depth = 0; isIndexMediaType(m.mediaType); depth++) {
      if (depth > 4) throw new ImageError(`${this.name}: indexes nested too deep`);
      const index = parseJson<Index>(m.bytes, `${this.name}: index`);
      if (!Array.isArray(index.manifests)) throw new ImageError(`${this.name}: index without manifests`);
      const d = selectManifest(index, this.opts.platform, this.name);
      m = await this.fetchManifest(d.digest);
    }
    const manifest = checkManifest(parseJson(m.bytes, `${this.name}: manifest`), `${this.name}: manifest`);
    return {
      manifest,
      digest: m.digest,
      tags: this.ref.tag ? [`${this.ref.repository}:${this.ref.tag}`] : [],
    };
  }

  async openBlob(desc: Descriptor): Promise<Readable> {
    return this.client.openBlob(this.ref.repository, desc.digest);
  }

  async close(): Promise<void> {}
}
