/**
 * Where a wheel's size can be read when the lock does not record it: directories holding
 * distribution files (pip's find-links, pip's wheel cache), uv's cache (unpacked wheels,
 * measured by gzipping them), `file://` indexes pip is configured with, and, when allowed, the
 * index URL the lock names (an HTTP HEAD for Content-Length). Nothing is guessed: a package
 * none of them has stays unknown.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normName } from '../project/files.js';
import { gzipTreeEstimate } from './estimate-files.js';
import { distKey, pickFile, type DistFile } from './wheel-pick.js';

export interface WheelSourceDirs {
  /** Directories searched for `.whl` / sdist files by name (find-links, pip's wheel cache). */
  dirs: string[];
  /** uv cache directories (their `archive-v*` folders hold unpacked wheels). */
  uvCaches: string[];
  /** `simple/` directories of `file://` indexes. */
  indexes: string[];
  /** HTTP indexes pip is configured with (index-url, extra-index-url); asked only when HTTP lookups are on. */
  httpIndexes?: string[];
}

export interface FoundSize {
  size: number;
  /** Where it came from, e.g. `/opt/wheels` or `the uv cache (gzipped unpacked wheel)`. */
  source: string;
  /** The file on this machine, when it was found on disk (its contents can be read). */
  path?: string;
}

/** The wheel sources this machine is configured with: pip config and env, and the default caches. */
export function defaultWheelSources(env: NodeJS.ProcessEnv = process.env): WheelSourceDirs {
  const home = homedir();
  const dirs: string[] = [];
  const indexes: string[] = [];
  const httpIndexes: string[] = [];
  const addUrls = (v: string | undefined, into: 'dirs' | 'indexes') => {
    for (const u of (v ?? '').split(/\s+/).filter(Boolean)) {
      if (into === 'indexes' && /^https?:\/\//.test(u)) httpIndexes.push(u.replace(/\/+$/, ''));
      const path = u.startsWith('file:') ? safeFileUrl(u) : u.includes('://') ? undefined : u;
      if (path) (into === 'dirs' ? dirs : indexes).push(path);
    }
  };
  addUrls(env.PIP_FIND_LINKS, 'dirs');
  addUrls(env.PIP_EXTRA_INDEX_URL, 'indexes');
  addUrls(env.PIP_INDEX_URL, 'indexes');
  const configs = [
    '/etc/pip.conf',
    '/etc/xdg/pip/pip.conf',
    join(home, '.pip', 'pip.conf'),
    join(home, '.config', 'pip', 'pip.conf'),
    ...(env.PIP_CONFIG_FILE ? [env.PIP_CONFIG_FILE] : []),
  ];
  for (const c of configs) {
    const text = readOr(c);
    if (!text) continue;
    addUrls(iniValue(text, 'find-links'), 'dirs');
    addUrls(iniValue(text, 'extra-index-url'), 'indexes');
    addUrls(iniValue(text, 'index-url'), 'indexes');
  }
  dirs.push(join(env.PIP_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'pip'), 'wheels'));
  const uvCaches = [env.UV_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'uv')];
  addUrls(env.UV_INDEX_URL ?? env.UV_DEFAULT_INDEX, 'indexes');
  return { dirs: uniq(dirs), uvCaches: uniq(uvCaches), indexes: uniq(indexes), httpIndexes: [...new Set(httpIndexes)] };
}

function uniq(xs: string[]): string[] {
  return [...new Set(xs.map((x) => resolve(x)))].filter((x) => existsSync(x));
}

function safeFileUrl(u: string): string | undefined {
  try {
    return fileURLToPath(u);
  } catch {
    return undefined;
  }
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** A key's value in pip's ini files, continuation lines joined. */
function iniValue(text: string, key: string): string | undefined {
  const m = new RegExp(`^${key}\\s*[=:]\\s*(.*(?:\\n[ \\t]+.*)*)`, 'm').exec(text);
  return m ? m[1].replace(/\s+/g, ' ').trim() : undefined;
}

const MAX_ENTRIES = 200_000;

/** Looks wheel sizes up in the configured sources; listings are read once and kept. */
export class WheelFinder {
  private files?: Map<string, string[]>;
  private archives?: Map<string, string>;
  private readonly pages = new Map<string, string>();

  constructor(
    readonly sources: WheelSourceDirs,
    private readonly http: { enabled: boolean; timeoutMs?: number; signal?: AbortSignal } = { enabled: false },
  ) {}

  /** The size of the file pip/uv would install for `name==version`, or undefined. */
  async find(
    name: string,
    version: string,
    python: string,
    lockFile?: DistFile,
    indexUrls: string[] = [],
    /** Only a wheel file on disk helps (the size is known): skip uv's cache, which gives no file. */
    fileOnly = false,
  ): Promise<FoundSize | undefined> {
    const key = `${normName(name).replace(/-/g, '_')}-${version}`;
    const local =
      this.fromDirs(key, python) ??
      this.fromIndexes(name, key, python) ??
      (fileOnly ? undefined : this.fromUvCache(key));
    if (local || !this.http.enabled) return local;
    if (lockFile?.url && /^https?:/.test(lockFile.url)) {
      const hit = await this.head(lockFile.url);
      if (hit) return hit;
    }
    for (const index of indexUrls) {
      const url = await this.fromSimplePage(index, name, key, python);
      const hit = url ? await this.head(url) : undefined;
      if (hit) return hit;
    }
    return undefined;
  }

  /** The URL of the file pip would pick from an HTTP index's simple page for `name`. */
  private async fromSimplePage(index: string, name: string, key: string, python: string): Promise<string | undefined> {
    const page = `${index.replace(/\/+$/, '')}/${normName(name)}/`;
    let html = this.pages.get(page);
    if (html === undefined) {
      try {
        const res = await fetch(page, { signal: this.signal() });
        html = res.ok ? await res.text() : '';
      } catch {
        html = '';
      }
      this.pages.set(page, html);
    }
    const files: DistFile[] = [];
    for (const m of html.matchAll(/href="([^"#]+)/g)) {
      const url = new URL(m[1], page).href;
      const base = decodeURIComponent(url.split('/').pop() ?? '');
      if (distKey(base) === key) files.push({ name: base, url });
    }
    return pickFile(files, python)?.file.url;
  }

  private signal(): AbortSignal {
    return AbortSignal.any([
      AbortSignal.timeout(this.http.timeoutMs ?? 5000),
      ...(this.http.signal ? [this.http.signal] : []),
    ]);
  }

  private fromDirs(key: string, python: string): FoundSize | undefined {
    if (!this.files) {
      this.files = new Map();
      for (const d of this.sources.dirs) this.list(d, 0, (path, n) => addTo(this.files!, distKey(n), path));
    }
    const paths = this.files.get(key);
    if (!paths) return undefined;
    const pick = pickFile(
      paths.map((p) => ({ name: p })),
      python,
    );
    if (!pick) return undefined;
    const source = this.sources.dirs.find((d) => pick.file.name.startsWith(d)) ?? dirname(pick.file.name);
    return { size: statSync(pick.file.name).size, source, path: pick.file.name };
  }

  private fromIndexes(name: string, key: string, python: string): FoundSize | undefined {
    for (const simple of this.sources.indexes) {
      const page = join(simple, normName(name), 'index.html');
      const html = readOr(page);
      if (!html) continue;
      const files: DistFile[] = [];
      for (const m of html.matchAll(/href="([^"#]+)/g)) {
        const path = resolve(dirname(page), decodeURIComponent(m[1]));
        const base = path.split('/').pop() ?? '';
        if (distKey(base) === key && existsSync(path)) files.push({ name: base, url: path });
      }
      const pick = pickFile(files, python);
      if (pick?.file.url)
        return { size: statSync(pick.file.url).size, source: `the file index ${simple}`, path: pick.file.url };
    }
    return undefined;
  }

  private fromUvCache(key: string): FoundSize | undefined {
    if (!this.archives) {
      this.archives = new Map();
      for (const cache of this.sources.uvCaches)
        for (const a of readdirOr(cache).filter((n) => /^archive-v\d+$/.test(n)))
          for (const id of readdirOr(join(cache, a)))
            for (const n of readdirOr(join(cache, a, id))) {
              const m = /^(.+)-([^-]+)\.dist-info$/.exec(n);
              if (m) this.archives.set(`${m[1].toLowerCase().replace(/[-_.]+/g, '_')}-${m[2]}`, join(cache, a, id));
            }
    }
    const dir = this.archives.get(key);
    if (!dir) return undefined;
    const est = gzipTreeEstimate(dir);
    return est ? { size: est.bytes, source: 'the uv cache (its unpacked wheel, gzipped)' } : undefined;
  }

  private async head(url: string): Promise<FoundSize | undefined> {
    try {
      const res = await fetch(url, { method: 'HEAD', signal: this.signal() });
      const len = Number(res.headers.get('content-length'));
      if (!res.ok || !Number.isFinite(len) || len <= 0) return undefined;
      return { size: len, source: `the index at ${new URL(url).host} (Content-Length)` };
    } catch {
      return undefined;
    }
  }

  private list(dir: string, depth: number, add: (path: string, name: string) => void, count = { n: 0 }): void {
    if (depth > 8 || count.n > MAX_ENTRIES) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++count.n > MAX_ENTRIES) return;
      const p = join(dir, e.name);
      if (e.isDirectory()) this.list(p, depth + 1, add, count);
      else if (/\.(whl|tar\.gz|zip)$/.test(e.name)) add(p, e.name);
    }
  }
}

function addTo(m: Map<string, string[]>, key: string | undefined, v: string): void {
  if (!key) return;
  const cur = m.get(key);
  if (cur) cur.push(v);
  else m.set(key, [v]);
}

function readdirOr(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
