/**
 * Finding a locked file on a package index by its hash, for locks that record hashes but not
 * URLs (pdm.lock, poetry.lock, requirements files with --hash). Reads the simple repository API:
 * PEP 691 JSON when the index offers it, else PEP 503 HTML (links with `#sha256=` fragments).
 * Credentials come from the index URL's userinfo, else ~/.netrc, as for downloads.
 */
import { UserError } from '../errors.js';
import { netrcCredentials } from './netrc.js';

/** A file an index lists for a project. */
export interface IndexFile {
  filename: string;
  /** Absolute URL, fragment removed. */
  url: string;
  sha256?: string;
  size?: number;
}

const JSON_TYPE = 'application/vnd.pypi.simple.v1+json';
const pages = new Map<string, Promise<IndexFile[]>>();

/** PEP 503 name normalisation. */
export function normName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A URL without its credentials, for messages. */
export function shown(url: string): string {
  return url.replace(/\/\/[^/@\s]+@/, '//');
}

function decodeHtml(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCharCode(parseInt(n, 16)));
}

/** Parses a PEP 503 project page. */
export function parseSimpleHtml(html: string, pageUrl: string): IndexFile[] {
  const out: IndexFile[] = [];
  const re = /<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([^<]*)<\/a>/gi;
  for (const m of html.matchAll(re)) {
    const href = decodeHtml(m[1] ?? m[2] ?? '');
    const abs = new URL(href, pageUrl);
    const frag = /(?:^|&)sha256=([0-9a-f]{64})/i.exec(abs.hash.slice(1));
    abs.hash = '';
    const text = decodeHtml(m[3]).trim();
    const filename = text || decodeURIComponent(abs.pathname.split('/').pop() ?? '');
    out.push({ filename, url: abs.toString(), sha256: frag?.[1].toLowerCase() });
  }
  return out;
}

/** Parses a PEP 691 JSON project page. */
export function parseSimpleJson(body: string, pageUrl: string): IndexFile[] {
  const doc = JSON.parse(body) as {
    files?: { filename?: string; url?: string; hashes?: Record<string, string>; size?: number }[];
  };
  const out: IndexFile[] = [];
  for (const f of doc.files ?? []) {
    if (typeof f.url !== 'string') continue;
    const abs = new URL(f.url, pageUrl);
    abs.hash = '';
    const filename = f.filename ?? decodeURIComponent(abs.pathname.split('/').pop() ?? '');
    out.push({
      filename,
      url: abs.toString(),
      sha256: f.hashes?.sha256?.toLowerCase(),
      size: typeof f.size === 'number' ? f.size : undefined,
    });
  }
  return out;
}

/** The files `index` lists for project `name` (one request per index and project, cached). */
export function indexFiles(index: string, name: string): Promise<IndexFile[]> {
  const page = `${index.replace(/\/+$/, '')}/${normName(name)}/`;
  let p = pages.get(page);
  if (!p) {
    p = fetchPage(page);
    pages.set(page, p);
    p.catch(() => pages.delete(page));
  }
  return p;
}

async function fetchPage(page: string): Promise<IndexFile[]> {
  let res: Response;
  // fetch refuses URLs with credentials: user:password@ in an index URL becomes a Basic header.
  const u = new URL(page);
  const headers: Record<string, string> = { Accept: `${JSON_TYPE}, text/html;q=0.1` };
  // Without userinfo, ~/.netrc ($NETRC) gives the host's credentials, as for downloads (fetch.ts).
  const cred =
    u.username || u.password
      ? { login: decodeURIComponent(u.username), password: decodeURIComponent(u.password) }
      : netrcCredentials(u.hostname);
  if (cred) headers.Authorization = `Basic ${Buffer.from(`${cred.login}:${cred.password}`).toString('base64')}`;
  u.username = '';
  u.password = '';
  try {
    res = await fetch(u, { headers, signal: AbortSignal.timeout(60_000) });
  } catch (e) {
    throw new UserError(
      `cannot reach the package index at ${shown(page)} (${(e as Error).message}): check --index-url`,
    );
  }
  if (res.status === 404) return [];
  if (!res.ok) throw new UserError(`the package index answered ${res.status} for ${shown(page)}: check --index-url`);
  const body = await res.text();
  const type = res.headers.get('content-type') ?? '';
  // Links resolve against the page as asked (credentials included: files on the index's host
  // need them too, as pip does), unless the index redirected elsewhere.
  const base = res.redirected && res.url ? res.url : page;
  try {
    return type.includes('json') ? parseSimpleJson(body, base) : parseSimpleHtml(body, base);
  } catch (e) {
    throw new UserError(`${shown(page)}: not a simple-index page (${(e as Error).message})`);
  }
}

/** The file `index` lists for `name` with this sha256, or undefined. */
export async function findByHash(index: string, name: string, sha256: string): Promise<IndexFile | undefined> {
  const files = await indexFiles(index, name);
  return files.find((f) => f.sha256 === sha256.toLowerCase());
}
