/**
 * The lock's entries for what a dependency base installs, normalised so the fingerprint moves
 * only when an installed package does: one `name==version source hash1,hash2` line per package,
 * sorted. Order, whitespace, upload times, sizes, lock revisions, comments and other bookkeeping
 * are not in the lines, so they cannot move the fingerprint.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { UserError } from '../errors.js';

type Table = Record<string, unknown>;

/**
 * Which part of the lock the base installs, as its install command says (see baseInstall in
 * fingerprint.ts). Without options: the runtime dependencies of the project only.
 */
export interface LockOptions {
  /** Include development groups / the Pipfile.lock `develop` section (the base installs them). */
  withDev?: boolean;
  /** uv workspaces: the members the base installs (`uv sync --package NAME`); default the root project, or every member when the root is virtual. */
  packages?: string[];
  /** uv `--all-packages`: every workspace member. */
  allPackages?: boolean;
  /** Extras of the installed project (uv `--extra`); `*` for all (`--all-extras`). */
  extras?: string[];
  /** Only these groups (uv `--only-group`, poetry `--only`); uv then installs no project dependencies. */
  onlyGroups?: string[];
  /** Groups installed besides the default ones (uv `--group`, poetry `--with`, pdm `-G`; `:all` for every group). */
  withGroups?: string[];
  /** Groups left out (uv `--no-group`, poetry `--without`). */
  withoutGroups?: string[];
}

const TOML_LOCKS = ['uv.lock', 'poetry.lock', 'pdm.lock'];

/**
 * The lock's entries for what the base installs (see the module comment), read from the first
 * lock among `files` (paths relative to `dir`): uv.lock, poetry.lock, pdm.lock, pylock*.toml,
 * Pipfile.lock, then requirements*.txt files that pin every requirement with `==` (pip-tools).
 * Returns null when none of the files is a lock; the fingerprint then hashes the files' text.
 */
export function lockEntries(
  dir: string,
  files: string[],
  opts: LockOptions = {},
): { file: string; entries: string[] } | null {
  const named = (test: (name: string) => boolean) => files.find((f) => test(basename(f)));
  for (const lock of TOML_LOCKS) {
    const file = named((n) => n === lock);
    if (file) return { file, entries: finish(fromToml(lock, readToml(dir, file), opts)) };
  }
  const pylock = named((n) => /^pylock(\.[^.]+)?\.toml$/.test(n));
  if (pylock) return { file: pylock, entries: finish(fromPylock(readToml(dir, pylock))) };
  const pipfile = named((n) => n === 'Pipfile.lock');
  if (pipfile) return { file: pipfile, entries: finish(fromPipfileLock(readJson(dir, pipfile), opts)) };
  const reqs = files.filter((f) => /\.txt$/.test(f));
  const pinned = reqs.map((f) => ({ f, entries: fromRequirements(read(dir, f)) }));
  if (pinned.length && pinned.every((p) => p.entries)) {
    return { file: reqs.join(' '), entries: finish(pinned.flatMap((p) => p.entries!)) };
  }
  return null;
}

function fromToml(kind: string, doc: Table, opts: LockOptions): string[] {
  if (kind === 'uv.lock') return fromUvLock(doc, opts);
  if (kind === 'poetry.lock') return fromPoetryLock(doc, opts);
  return fromPdmLock(doc, opts);
}

/** PEP 503 name normalisation: `Foo_Bar.baz` and `foo-bar-baz` are one distribution. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function entry(name: string, version: string, source: string, hashes: string[]): string {
  const hs = [...new Set(hashes.filter(Boolean))].sort();
  return `${normalizeName(name)}==${version} ${source || '-'} ${hs.join(',') || '-'}`;
}

/** Index URLs with and without the trailing slash name the same index; credentials are not part of it. */
function url(u: unknown): string {
  return typeof u === 'string' ? u.replace(/\/+$/, '').replace(/\/\/[^/@]*@/, '//') : '';
}

function finish(entries: string[]): string[] {
  return [...new Set(entries)].sort();
}

// --- uv.lock: walk the dependency graph from the members the base installs.

interface UvPackage {
  name: string;
  version?: string;
  source?: Table;
  dependencies?: UvDep[];
  'optional-dependencies'?: Record<string, UvDep[]>;
  'dev-dependencies'?: Record<string, UvDep[]>;
  sdist?: { hash?: string };
  wheels?: { hash?: string }[];
}
interface UvDep {
  name: string;
  version?: string;
  extra?: string[];
}

function fromUvLock(doc: Table, opts: LockOptions): string[] {
  const packages = ((doc.package as UvPackage[] | undefined) ?? []).filter((p) => typeof p?.name === 'string');
  const byName = new Map<string, UvPackage[]>();
  for (const p of packages) byName.set(normalizeName(p.name), [...(byName.get(normalizeName(p.name)) ?? []), p]);
  const isMember = (p: UvPackage) => p.source !== undefined && ('editable' in p.source || 'virtual' in p.source);
  const members = packages.filter(isMember);
  let roots: UvPackage[];
  if (opts.packages?.length) {
    const wanted = new Set(opts.packages.map(normalizeName));
    roots = members.filter((p) => wanted.has(normalizeName(p.name)));
  } else {
    const root = members.find((p) => p.source?.editable === '.' || p.source?.virtual === '.');
    const rootHasDeps = root && (root.dependencies?.length || root['dev-dependencies']);
    roots = root && rootHasDeps && !opts.allPackages ? [root] : members;
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (p: UvPackage, extras: string[], asRoot: boolean) => {
    const key = `${normalizeName(p.name)} ${p.version ?? ''} ${extras.join(',')} ${asRoot}`;
    if (seen.has(key)) return;
    seen.add(key);
    // Workspace members are not what the lock pins; the base installs their dependencies.
    if (!isMember(p)) out.push(entry(p.name, p.version ?? '', uvSource(p.source), uvHashes(p)));
    const deps = asRoot ? rootDeps(p, opts) : [...(p.dependencies ?? [])];
    for (const x of extras) deps.push(...(p['optional-dependencies']?.[x] ?? []));
    for (const d of deps) {
      const candidates = byName.get(normalizeName(d.name)) ?? [];
      const matching = d.version ? candidates.filter((c) => c.version === d.version) : candidates;
      for (const c of matching.length ? matching : candidates) visit(c, d.extra ?? [], false);
    }
  };
  for (const r of roots) visit(r, [], true);
  return out;
}

/** What an installed project pulls in: its dependencies, the extras and groups asked for. */
function rootDeps(p: UvPackage, opts: LockOptions): UvDep[] {
  const groups = p['dev-dependencies'] ?? {};
  const optional = p['optional-dependencies'] ?? {};
  if (opts.onlyGroups?.length) return opts.onlyGroups.flatMap((g) => groups[g] ?? []);
  const deps = [...(p.dependencies ?? [])];
  const extras = opts.extras?.includes('*') ? Object.keys(optional) : (opts.extras ?? []);
  for (const x of extras) deps.push(...(optional[x] ?? []));
  const without = new Set(opts.withoutGroups ?? []);
  for (const [g, list] of Object.entries(groups)) {
    const asked = opts.withGroups?.includes(g) || opts.withGroups?.includes(':all');
    if ((opts.withDev && !without.has(g)) || asked) deps.push(...list);
  }
  return deps;
}

function uvSource(source: Table | undefined): string {
  if (!source) return '-';
  const [kind, value] = Object.entries(source)[0] ?? ['', ''];
  return kind === 'registry' ? url(value) : `${kind}:${String(value)}`;
}

function uvHashes(p: UvPackage): string[] {
  return [p.sdist?.hash ?? '', ...(p.wheels ?? []).map((w) => w.hash ?? '')];
}

// --- poetry.lock and pdm.lock: packages are tagged with their groups.

interface GroupedPackage {
  name: string;
  version: string;
  groups?: string[];
  category?: string;
  files?: { hash?: string; url?: string }[];
  source?: { type?: string; url?: string; reference?: string };
}

function fromPoetryLock(doc: Table, opts: LockOptions): string[] {
  const packages = (doc.package as GroupedPackage[] | undefined) ?? [];
  // Poetry 1 locks name one category instead of groups.
  const groupsOf = (p: GroupedPackage) => p.groups ?? [p.category ?? 'main'];
  const wanted = (p: GroupedPackage) => {
    const groups = groupsOf(p);
    if (opts.onlyGroups?.length) return groups.some((g) => opts.onlyGroups!.includes(g));
    if (opts.withDev) return groups.some((g) => !opts.withoutGroups?.includes(g));
    return groups.some((g) => g === 'main' || opts.withGroups?.includes(g));
  };
  return packages.filter(wanted).map((p) => {
    const source = p.source
      ? p.source.type === 'legacy'
        ? url(p.source.url)
        : `${p.source.type}:${p.source.url}`
      : '-';
    return entry(
      p.name,
      p.version,
      source,
      (p.files ?? []).map((f) => f.hash ?? ''),
    );
  });
}

function fromPdmLock(doc: Table, opts: LockOptions): string[] {
  const packages = (doc.package as GroupedPackage[] | undefined) ?? [];
  const all = opts.withDev || opts.withGroups?.includes(':all');
  return packages
    .filter((p) => all || !p.groups || p.groups.some((g) => g === 'default' || opts.withGroups?.includes(g)))
    .map((p) =>
      entry(
        p.name,
        p.version,
        '-',
        (p.files ?? []).map((f) => f.hash ?? ''),
      ),
    );
}

// --- pylock.toml (PEP 751): every package it lists.

interface PylockPackage {
  name: string;
  version?: string;
  index?: string;
  vcs?: { url?: string; 'commit-id'?: string };
  directory?: { path?: string };
  archive?: { url?: string; path?: string; hashes?: Record<string, string> };
  sdist?: { hashes?: Record<string, string> };
  wheels?: { hashes?: Record<string, string> }[];
}

function fromPylock(doc: Table): string[] {
  const packages = (doc.packages as PylockPackage[] | undefined) ?? [];
  const hashes = (h: Record<string, string> | undefined) => Object.entries(h ?? {}).map(([k, v]) => `${k}:${v}`);
  return packages.map((p) => {
    const source = p.index
      ? url(p.index)
      : p.vcs
        ? `vcs:${p.vcs.url}@${p.vcs['commit-id']}`
        : p.directory
          ? `directory:${p.directory.path}`
          : p.archive
            ? `archive:${p.archive.url ?? p.archive.path}`
            : '-';
    const hs = [
      ...hashes(p.sdist?.hashes),
      ...hashes(p.archive?.hashes),
      ...(p.wheels ?? []).flatMap((w) => hashes(w.hashes)),
    ];
    return entry(p.name, p.version ?? '', source, hs);
  });
}

// --- Pipfile.lock: `default`, and `develop` with dev.

interface PipfileEntry {
  version?: string;
  hashes?: string[];
  index?: string;
  git?: string;
  ref?: string;
  path?: string;
  file?: string;
}

function fromPipfileLock(doc: Table, opts: LockOptions): string[] {
  const sections = opts.withDev ? ['default', 'develop'] : ['default'];
  const out: string[] = [];
  for (const s of sections) {
    for (const [name, e] of Object.entries((doc[s] as Record<string, PipfileEntry> | undefined) ?? {})) {
      const version = (e.version ?? '').replace(/^==/, '');
      const source = e.git
        ? `git:${e.git}@${e.ref ?? ''}`
        : e.path
          ? `path:${e.path}`
          : e.file
            ? `file:${e.file}`
            : (e.index ?? '-');
      out.push(entry(name, version, source, e.hashes ?? []));
    }
  }
  return out;
}

// --- requirements*.txt (pip-tools): a lock only when every requirement is pinned.

/** Entries of a pinned requirements file, or null when some requirement is not pinned with `==`. */
export function fromRequirements(text: string): string[] | null {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
  let index = '-';
  const out: string[] = [];
  for (const line of logical) {
    const idx = /^(?:-i|--index-url)[=\s]+(\S+)/.exec(line);
    if (idx) {
      index = url(idx[1]);
      continue;
    }
    if (line.startsWith('-')) continue;
    const hashes = [...line.matchAll(/--hash[=\s]+(\S+)/g)].map((m) => m[1]);
    const req = line.replace(/--hash[=\s]+\S+/g, '').trim();
    const pin = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;]+)/.exec(req);
    const direct = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*@\s*(\S+)/.exec(req);
    if (pin) out.push(entry(pin[1], pin[2], '', hashes));
    else if (direct) out.push(entry(direct[1], '', direct[2], hashes));
    else return null;
  }
  // The index applies to every pinned requirement of the file, wherever the line stands.
  return out.map((e) => e.replace(/^(\S+) - /, `$1 ${index} `));
}

function read(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read the lock (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

function readToml(dir: string, file: string): Table {
  try {
    return parseToml(read(dir, file)) as Table;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(
      `${file}: not valid TOML (${String((e as Error).message).split('\n')[0]}); regenerate the lock`,
    );
  }
}

function readJson(dir: string, file: string): Table {
  try {
    return JSON.parse(read(dir, file)) as Table;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${file}: not valid JSON; regenerate it with \`pipenv lock\``);
  }
}
