/**
 * The write side of the distribution API, on the one RegistryClient: existence checks (HEAD),
 * blob uploads (a cross-repository mount first when a sibling repository holds the blob, else
 * one monolithic POST+PUT), manifest PUT, tag listing and manifest DELETE. Every upload is
 * preceded by a HEAD, so a blob the registry holds is never sent again.
 */
import { createHash } from 'node:crypto';
import { MANIFEST_ACCEPT, type RegistryClient } from './client.js';

const pushScope = (repo: string) => `repository:${repo}:pull,push`;
const pullScope = (repo: string) => `repository:${repo}:pull`;

export const sha256 = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A manifest the registry holds, from a HEAD (no body read). */
export interface ManifestHead {
  digest: string;
  mediaType: string;
  size: number;
}

/** How a lookup asks for its token. */
export interface LookupOptions {
  /**
   * Ask for pull and push: a registry may answer 401 rather than 404 for a repository that does not
   * exist yet when the token only allows pulling it (Docker Hub does), which would read as bad
   * credentials on the first push to a new repository.
   */
  forPush?: boolean;
}

/** The manifest under `reference` (tag or digest), or null when the registry answers 404. */
export async function headManifest(
  c: RegistryClient,
  repo: string,
  reference: string,
  opts: LookupOptions = {},
): Promise<ManifestHead | null> {
  const what = `manifest ${repo}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
  const res = await c.request(
    `/v2/${repo}/manifests/${reference}`,
    opts.forPush ? pushScope(repo) : pullScope(repo),
    what,
    { Accept: MANIFEST_ACCEPT },
    { method: 'HEAD', accept: [404] },
  );
  if (res.status === 404) return null;
  const digest = res.headers.get('docker-content-digest');
  if (!digest) c.fail(`${what}: the registry sent no Docker-Content-Digest`);
  return {
    digest,
    mediaType: (res.headers.get('content-type') ?? '').split(';')[0].trim(),
    size: Number(res.headers.get('content-length') ?? 0),
  };
}

/** Size of a blob the registry holds, or null when it has none under that digest. */
export async function headBlob(c: RegistryClient, repo: string, digest: string): Promise<number | null> {
  const res = await c.request(
    `/v2/${repo}/blobs/${digest}`,
    pullScope(repo),
    `blob ${digest.slice(0, 19)}`,
    {},
    { method: 'HEAD', accept: [404] },
  );
  return res.status === 404 ? null : Number(res.headers.get('content-length') ?? 0);
}

export type BlobPush = 'exists' | 'mounted' | 'uploaded';

/**
 * Makes the blob present in `repo`: nothing when it is there, a mount from `mountFrom` (another
 * repository of the same registry) when that works, else an upload of `bytes`.
 */
export async function pushBlob(
  c: RegistryClient,
  repo: string,
  digest: string,
  bytes: Buffer | (() => Promise<Buffer>),
  mountFrom?: string,
): Promise<BlobPush> {
  if ((await headBlob(c, repo, digest)) !== null) return 'exists';
  const what = `blob ${digest.slice(0, 19)} upload to ${repo}`;
  // Read (or compressed) only when an upload is needed: a mount needs no bytes.
  let held: Promise<Buffer> | null = null;
  const body = () => (held ??= typeof bytes === 'function' ? bytes() : Promise.resolve(bytes));
  // A failed PUT ends its upload session (a retry to the same location answers 404 "blob upload
  // unknown"): each attempt starts a new session.
  for (let attempt = 1; ; attempt++) {
    try {
      return await uploadOnce(c, repo, digest, body, what, attempt === 1 ? mountFrom : undefined);
    } catch (e) {
      if (attempt >= UPLOAD_ATTEMPTS || /stored it as/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 500 * 2 ** (attempt - 1)));
    }
  }
}

const UPLOAD_ATTEMPTS = 3;

/** One upload session: POST (a mount when mountFrom is given), then one PUT of the whole blob. */
async function uploadOnce(
  c: RegistryClient,
  repo: string,
  digest: string,
  bodyOf: () => Promise<Buffer>,
  what: string,
  mountFrom: string | undefined,
): Promise<BlobPush> {
  const query = mountFrom ? `?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(mountFrom)}` : '';
  const start = await c.request(
    `/v2/${repo}/blobs/uploads/${query}`,
    mountFrom ? `${pushScope(repo)} ${pullScope(mountFrom)}` : pushScope(repo),
    what,
    { 'Content-Length': '0' },
    { method: 'POST', redirect: 'manual' },
  );
  await start.body?.cancel().catch(() => {});
  if (start.status === 201) return 'mounted';
  const location = start.headers.get('location');
  if (!location) c.fail(`${what}: the registry answered ${start.status} without a Location`);
  const url = new URL(location, c.base);
  url.searchParams.set('digest', digest);
  const body = await bodyOf();
  const put = await c.request(
    url.toString(),
    pushScope(repo),
    what,
    { 'Content-Type': 'application/octet-stream', 'Content-Length': String(body.length) },
    { method: 'PUT', body, redirect: 'manual', retry: false },
  );
  await put.body?.cancel().catch(() => {});
  const stored = put.headers.get('docker-content-digest');
  if (stored && stored !== digest) c.fail(`${what}: the registry stored it as ${stored}`);
  return 'uploaded';
}

/** PUTs a manifest under a tag (or its digest); returns the digest of the bytes. */
export async function putManifest(
  c: RegistryClient,
  repo: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<string> {
  const digest = sha256(bytes);
  const res = await c.request(
    `/v2/${repo}/manifests/${reference}`,
    pushScope(repo),
    `manifest ${repo}:${reference} upload`,
    { 'Content-Type': mediaType },
    { method: 'PUT', body: bytes },
  );
  await res.body?.cancel().catch(() => {});
  const stored = res.headers.get('docker-content-digest');
  if (stored && stored !== digest) c.fail(`manifest ${repo}:${reference}: the registry stored it as ${stored}`);
  return digest;
}

/** Every tag of `repo` (following Link pagination); [] when the repository does not exist. */
export async function listTags(c: RegistryClient, repo: string, opts: LookupOptions = {}): Promise<string[]> {
  const tags: string[] = [];
  let path: string | null = `/v2/${repo}/tags/list?n=1000`;
  for (let page = 0; path && page < 1000; page++) {
    const scope = opts.forPush ? pushScope(repo) : pullScope(repo);
    const res: Response = await c.request(path, scope, `tags of ${repo}`, {}, { accept: [404] });
    if (res.status === 404) {
      await res.body?.cancel().catch(() => {});
      return [];
    }
    const j = (await res.json().catch(() => ({}))) as { tags?: string[] | null };
    tags.push(...(j.tags ?? []));
    const link = res.headers.get('link');
    const m = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
    path = m ? m[1] : null;
  }
  return tags;
}

/**
 * Deletes a manifest by digest (every tag naming it goes with it). A registry that does not allow
 * deletion answers 405 (distribution: `storage.delete.enabled`), reported as one line.
 */
export async function deleteManifest(c: RegistryClient, repo: string, digest: string): Promise<void> {
  const what = `delete ${repo}@${digest.slice(0, 19)}`;
  const res = await c.request(
    `/v2/${repo}/manifests/${digest}`,
    `repository:${repo}:delete`,
    what,
    {},
    { method: 'DELETE', accept: [405, 404] },
  );
  await res.body?.cancel().catch(() => {});
  if (res.status === 405)
    c.fail(
      `${what}: the registry does not allow deletion (405); enable it (distribution: storage.delete.enabled) or delete in the registry's UI`,
    );
}
