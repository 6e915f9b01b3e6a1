/**
 * A "random image" builder for tests (after go-containerregistry's `random`): makes tar layers
 * with chosen files, whiteouts and metadata, an image config with history, and writes the
 * image as an OCI layout directory or a `docker save` archive (legacy or Docker 25+ layout).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FileSpec {
  path: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  content?: string | Buffer;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  linkname?: string;
}

export interface LayerSpec {
  files: FileSpec[];
  createdBy?: string;
  /** Compression of the blob (default gzip). */
  compression?: 'gzip' | 'none' | 'zstd';
  /** Use these bytes as the uncompressed tar instead of making one from `files`. */
  tar?: Buffer;
  /** Use these bytes as the blob (e.g. corrupt gzip); the diffID stays that of the tar. */
  blob?: Buffer;
}

export interface BuiltLayer {
  tar: Buffer;
  blob: Buffer;
  digest: string;
  diffId: string;
  mediaType: string;
}

export interface BuiltImage {
  layers: BuiltLayer[];
  config: Record<string, unknown>;
  configBytes: Buffer;
  configDigest: string;
  manifestBytes: Buffer;
  manifestDigest: string;
  blobs: Map<string, Buffer>;
}

export const sha = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

function octal(n: number, len: number): string {
  return `${n.toString(8).padStart(len - 1, '0')}\0`;
}

function header(name: string, size: number, typeflag: string, f: FileSpec, linkname = ''): Buffer {
  const b = Buffer.alloc(512);
  b.write(name.slice(0, 100), 0, 'utf8');
  b.write(octal(f.mode ?? (typeflag === '5' ? 0o755 : 0o644), 8), 100, 'latin1');
  b.write(octal(f.uid ?? 0, 8), 108, 'latin1');
  b.write(octal(f.gid ?? 0, 8), 116, 'latin1');
  b.write(octal(size, 12), 124, 'latin1');
  b.write(octal(f.mtime ?? 1700000000, 12), 136, 'latin1');
  b.write('        ', 148, 'latin1');
  b.write(typeflag, 156, 'latin1');
  b.write(linkname.slice(0, 100), 157, 'utf8');
  b.write('ustar\0', 257, 'latin1');
  b.write('00', 263, 'latin1');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += b[i];
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return b;
}

function pad(n: number): Buffer {
  return Buffer.alloc((512 - (n % 512)) % 512);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (`${len}${body}`.length !== len) len = `${len}${body}`.length;
  return `${len}${body}`;
}

/** A tar archive of the given entries (pax headers for long names), with the end marker. */
export function makeTar(files: FileSpec[], opts: { endMarker?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const type = f.type ?? 'file';
    const typeflag = { file: '0', dir: '5', symlink: '2', hardlink: '1' }[type];
    const content = type === 'file' ? Buffer.from(f.content ?? '') : Buffer.alloc(0);
    let name = type === 'dir' && !f.path.endsWith('/') ? `${f.path}/` : f.path;
    const link = f.linkname ?? '';
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(link) > 100) {
      let pax = '';
      if (Buffer.byteLength(name) > 100) pax += paxRecord('path', name);
      if (Buffer.byteLength(link) > 100) pax += paxRecord('linkpath', link);
      const pb = Buffer.from(pax);
      parts.push(header('PaxHeader', pb.length, 'x', { path: '' }), pb, pad(pb.length));
      name = name.slice(0, 99);
    }
    parts.push(header(name, content.length, typeflag, f, link), content, pad(content.length));
  }
  if (opts.endMarker !== false) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

function compress(tar: Buffer, c: 'gzip' | 'none' | 'zstd'): Buffer {
  if (c === 'gzip') return gzipSync(tar, { level: 1 });
  if (c === 'zstd') return execFileSync('zstd', ['-q', '-c', '-1'], { input: tar, maxBuffer: 1 << 30 });
  return tar;
}

const LAYER_MT = {
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  none: 'application/vnd.oci.image.layer.v1.tar',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
};

export interface ImageSpec {
  layers: LayerSpec[];
  /** Extra history entries with empty_layer, inserted before layer i (key) */
  emptyHistoryBefore?: Record<number, string[]>;
  /** Media type flavour of manifest and config (default oci). */
  flavour?: 'oci' | 'docker';
  os?: string;
  architecture?: string;
  /** The config's `config` object (Env, Labels, Cmd, Entrypoint, ...); default a PATH and `python3`. */
  containerConfig?: Record<string, unknown>;
}

export function buildImage(spec: ImageSpec): BuiltImage {
  const blobs = new Map<string, Buffer>();
  const history: Record<string, unknown>[] = [];
  const layers = spec.layers.map((l, i) => {
    for (const e of spec.emptyHistoryBefore?.[i] ?? []) history.push({ created_by: e, empty_layer: true });
    history.push({ created: '2024-01-01T00:00:00Z', created_by: l.createdBy ?? `layer ${i}` });
    const tar = l.tar ?? makeTar(l.files);
    const c = l.compression ?? 'gzip';
    const blob = l.blob ?? compress(tar, c);
    const digest = sha(blob);
    blobs.set(digest, blob);
    let mediaType = LAYER_MT[c];
    if (spec.flavour === 'docker')
      mediaType =
        c === 'none'
          ? 'application/vnd.docker.image.rootfs.diff.tar'
          : 'application/vnd.docker.image.rootfs.diff.tar.gzip';
    return { tar, blob, digest, diffId: sha(tar), mediaType };
  });
  for (const e of spec.emptyHistoryBefore?.[spec.layers.length] ?? [])
    history.push({ created_by: e, empty_layer: true });
  const config = {
    architecture: spec.architecture ?? 'amd64',
    os: spec.os ?? 'linux',
    created: '2024-01-01T00:00:00Z',
    config: spec.containerConfig ?? { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'], Cmd: ['python3'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history,
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDigest = sha(configBytes);
  blobs.set(configDigest, configBytes);
  const docker = spec.flavour === 'docker';
  const manifest = {
    schemaVersion: 2,
    mediaType: docker
      ? 'application/vnd.docker.distribution.manifest.v2+json'
      : 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : 'application/vnd.oci.image.config.v1+json',
      digest: configDigest,
      size: configBytes.length,
    },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  const manifestDigest = sha(manifestBytes);
  blobs.set(manifestDigest, manifestBytes);
  return { layers, config, configBytes, configDigest, manifestBytes, manifestDigest, blobs };
}

/** Writes an OCI image layout directory holding `img` (tagged `tag` when given). */
export function writeOciLayout(dir: string, img: BuiltImage, tag?: string): void {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  for (const [d, b] of img.blobs) writeFileSync(join(dir, 'blobs', 'sha256', d.slice(7)), b);
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: img.manifestDigest,
        size: img.manifestBytes.length,
        ...(tag ? { annotations: { 'org.opencontainers.image.ref.name': tag } } : {}),
      },
    ],
  };
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
}

/**
 * Writes a `docker save` archive. `legacy`: <id>/layer.tar (uncompressed) + <hex>.json +
 * manifest.json. `oci`: Docker 25+ (blobs/sha256 with uncompressed layers, index.json,
 * oci-layout and manifest.json).
 */
export function writeDockerArchive(
  file: string,
  img: BuiltImage,
  opts: { format: 'legacy' | 'oci'; repoTag?: string },
): void {
  const files: FileSpec[] = [];
  const repoTags = opts.repoTag ? [opts.repoTag] : [];
  if (opts.format === 'legacy') {
    const layerPaths: string[] = [];
    img.layers.forEach((l, i) => {
      const id = sha(`${i}${l.diffId}`).slice(7);
      files.push({ path: id, type: 'dir' });
      files.push({ path: `${id}/VERSION`, content: '1.0' });
      files.push({ path: `${id}/json`, content: JSON.stringify({ id }) });
      files.push({ path: `${id}/layer.tar`, content: l.tar });
      layerPaths.push(`${id}/layer.tar`);
    });
    const cfgName = `${img.configDigest.slice(7)}.json`;
    files.push({ path: cfgName, content: img.configBytes });
    files.push({
      path: 'manifest.json',
      content: JSON.stringify([{ Config: cfgName, RepoTags: repoTags, Layers: layerPaths }]),
    });
  } else {
    // Uncompressed layers, as Docker 25+ writes them.
    const manifest = JSON.parse(img.manifestBytes.toString());
    const blobs = new Map<string, Buffer>([[img.configDigest, img.configBytes]]);
    manifest.layers = img.layers.map((l) => {
      blobs.set(l.diffId, l.tar);
      return { mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: l.diffId, size: l.tar.length };
    });
    const mb = Buffer.from(JSON.stringify(manifest));
    blobs.set(sha(mb), mb);
    files.push({ path: 'blobs', type: 'dir' }, { path: 'blobs/sha256', type: 'dir' });
    for (const [d, b] of blobs) files.push({ path: `blobs/sha256/${d.slice(7)}`, content: b });
    files.push({ path: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' });
    const ann: Record<string, string> = opts.repoTag
      ? {
          'io.containerd.image.name': opts.repoTag,
          'org.opencontainers.image.ref.name': opts.repoTag.split(':').pop()!,
        }
      : {};
    files.push({
      path: 'index.json',
      content: JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: sha(mb),
            size: mb.length,
            annotations: ann,
          },
        ],
      }),
    });
    files.push({
      path: 'manifest.json',
      content: JSON.stringify([
        {
          Config: `blobs/sha256/${img.configDigest.slice(7)}`,
          RepoTags: repoTags,
          Layers: img.layers.map((l) => `blobs/sha256/${l.diffId.slice(7)}`),
        },
      ]),
    });
  }
  writeFileSync(file, makeTar(files));
}
