/**
 * The project's own code as the image's last layer.
 *
 * A package (a build backend, not package-mode=false): installed into site-packages as a
 * non-editable wheel install would put it: the files of its package dirs and top-level modules,
 * a NAME-VERSION.dist-info (METADATA, entry_points.txt, INSTALLER, RECORD) and the launchers of
 * [project.scripts] / [project.gui-scripts] in the venv's bin. The files are read from the tree
 * directly instead of building a wheel (no Python, no backend run): package data a backend would
 * add from elsewhere (MANIFEST.in includes outside the package dirs) is not installed.
 *
 * An app that is not a package (modules at the top, no build system): every file init's Dockerfile
 * copies (what the project's .dockerignore, or init's rules when it has none, lets through, less the
 * dependency manifests and lock files) under the app directory (the WORKDIR, e.g. /app), where its
 * start command expects them, keeping their relative paths: config files at the top (alembic.ini,
 * *.yaml, *.json) included.
 *
 * Which files: those git tracks when the project is in git (what a backend with a VCS finder, and
 * a clean checkout, would see), modes as git records them, else every file; __pycache__ and *.pyc
 * never. A work tree git cannot read is an error, not "every file": that would ship git-ignored
 * secrets and local databases and give another digest than a clean checkout.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { isIgnored, mayReinclude, parseDockerignore } from '../dockerfile/dockerignore.js';
import { UserError } from '../errors.js';
import { renderDockerignore } from '../generate/dockerignore.js';
import { dig, normName, readToml, type Toml } from '../project/files.js';
import type { PythonProject } from '../project/types.js';
import {
  addParents,
  launcherScript,
  parseEntryPoints,
  recordFile,
  sortEntries,
  type InstalledFile,
} from './install-common.js';
import type { LayerEntry } from './types.js';

export interface ProjectLayerOptions {
  /** The venv, e.g. app/.venv (no leading slash). */
  venv: string;
  pythonMinor: string;
  /** The WORKDIR without a leading slash, e.g. app. */
  appDir: string;
}

/**
 * The project in two layers: `meta` (dist-info, launchers) and `code` (its own files). RECORD
 * lists the own files without hashes, as init's Dockerfile writes it (nothing uninstalls inside an
 * image), so a code change leaves `meta` byte for byte the same and ships only `code`. An app
 * that is not a package has no meta.
 */
export function projectLayers(
  project: PythonProject,
  opts: ProjectLayerOptions,
): { meta: LayerEntry[]; code: LayerEntry[] } {
  const all = projectEntries(project, opts, { hashOwnFiles: false });
  const own = new Set(ownFiles(project, opts));
  const isMeta = (e: LayerEntry) => e.type !== 'dir' && !own.has(e.path);
  const pick = (meta: boolean) => sortEntries(addParents(all.filter((e) => e.type !== 'dir' && isMeta(e) === meta)));
  return { meta: pick(true), code: pick(false) };
}

/** The paths of the project's own files in the image (what a code change changes). */
function ownFiles(project: PythonProject, opts: ProjectLayerOptions): string[] {
  if (!project.isPackage)
    return projectEntries(project, opts)
      .filter((e) => e.type !== 'dir')
      .map((e) => e.path);
  return distsOf(project).flatMap((d) => sourceFiles(d, opts).map((f) => f.path));
}

/** The project's layer entries (see the module comment for where a package and an app go). */
export function projectEntries(
  project: PythonProject,
  opts: ProjectLayerOptions,
  record: { hashOwnFiles: boolean } = { hashOwnFiles: true },
): LayerEntry[] {
  if (!project.isPackage) {
    const sources = appSources(project);
    return sortEntries(
      addParents(sources.map((s) => ({ path: `${opts.appDir}/${s.rel}`, data: s.data, mode: s.mode }))),
    );
  }
  return sortEntries(addParents(distsOf(project).flatMap((d) => distFiles(d, opts, record.hashOwnFiles))));
}

/** A uv workspace installs the selected member and the members it depends on, each its own distribution. */
function distsOf(project: PythonProject): Dist[] {
  const members = project.workspace?.install ?? [];
  return members.length
    ? members.map((m) => ({ dir: join(project.dir, m.dir), roots: m.packageDirs, scripts: m.scripts, name: m.name }))
    : [
        {
          dir: project.dir,
          roots: [...project.packageDirs, ...project.modules],
          scripts: project.scripts,
          name: project.name,
          dynamicVersion: project.dynamicVersion,
        },
      ];
}

/** One distribution to install: its directory, its top-level packages and modules (relative to it). */
interface Dist {
  dir: string;
  roots: string[];
  scripts: Record<string, string>;
  name?: string;
  dynamicVersion?: PythonProject['dynamicVersion'];
}

/** The distribution's own files as installed in site-packages. */
function sourceFiles(dist: Dist, opts: ProjectLayerOptions): InstalledFile[] {
  const site = `${opts.venv}/lib/python${opts.pythonMinor}/site-packages`;
  const files: InstalledFile[] = [];
  for (const s of collect(dist.dir, dist.roots, gitFiles(dist.dir))) {
    // src/pkg/x.py installs as pkg/x.py: a package dir's last component is the import name.
    const root = dist.roots.find((r) => s.rel === r || s.rel.startsWith(`${r}/`)) ?? s.rel;
    const installRel = posix.join(posix.basename(root), s.rel.slice(root.length));
    files.push({ path: `${site}/${installRel}`, data: s.data, mode: s.mode });
  }
  return files;
}

function distFiles(dist: Dist, opts: ProjectLayerOptions, hashOwnFiles = true): InstalledFile[] {
  const meta = packageMeta(dist, readToml(join(dist.dir, 'pyproject.toml')));
  const site = `${opts.venv}/lib/python${opts.pythonMinor}/site-packages`;
  const own = sourceFiles(dist, opts);
  const files: InstalledFile[] = [...own];
  // The file name form of the name (PEP 491): normalised, dashes as underscores.
  const distInfo = `${normName(meta.name).replace(/-/g, '_')}-${meta.version}.dist-info`;
  files.push({ path: `${site}/${distInfo}/METADATA`, data: Buffer.from(metadataText(meta)), mode: 0o644 });
  files.push({ path: `${site}/${distInfo}/WHEEL`, data: Buffer.from(wheelText()), mode: 0o644 });
  const eps = entryPointsText(meta);
  if (eps) files.push({ path: `${site}/${distInfo}/entry_points.txt`, data: Buffer.from(eps), mode: 0o644 });
  for (const ep of parseEntryPoints(eps))
    files.push({ path: `${opts.venv}/bin/${ep.name}`, data: launcherScript(ep, opts.venv), mode: 0o755 });
  files.push({ path: `${site}/${distInfo}/INSTALLER`, data: Buffer.from('layerwise\n'), mode: 0o644 });
  files.push(recordFile(files, site, `${distInfo}/RECORD`, hashOwnFiles ? undefined : new Set(own.map((f) => f.path))));
  return files;
}

interface Source {
  /** Relative to the project dir, forward slashes. */
  rel: string;
  data: Buffer;
  mode: number;
}

interface PackageMeta {
  name: string;
  version: string;
  requires: string[];
  scripts: Record<string, string>;
  guiScripts: Record<string, string>;
}

/** Tracked path (relative to the dir git ran in) -> its mode in the image. */
type Tracked = Map<string, number>;

/** True when `dir` or a parent holds a .git (a work tree, or a worktree's .git file). */
function inGitWorkTree(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return true;
    if (dirname(d) === d) return false;
  }
}

/**
 * Files git tracks in `dir` (relative) with their modes (100755 -> 0o755, else 0o644, as git
 * records them, whatever the working tree's), or undefined when `dir` is not in a git work tree.
 */
function gitFiles(dir: string): Tracked | undefined {
  if (!inGitWorkTree(dir)) return undefined;
  let out: string;
  try {
    out = execFileSync('git', ['-C', dir, 'ls-files', '-z', '-s', '--cached'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const first =
      err.code === 'ENOENT'
        ? 'git is not installed'
        : (String(err.stderr ?? '')
            .split('\n')
            .find((l) => l.trim()) ?? err.message);
    throw new UserError(
      `${dir} is in a git work tree but \`git ls-files\` failed (${first.trim()}); fix git there (for "dubious ownership": git config --global --add safe.directory ${resolve(dir)}) so build copies only tracked files`,
    );
  }
  const files: Tracked = new Map();
  for (const rec of out.split('\0')) {
    // MODE SHA STAGE\tPATH
    const m = /^(\d{6}) [0-9a-f]+ \d\t(.+)$/s.exec(rec);
    if (m) files.set(m[2], m[1] === '100755' ? 0o755 : 0o644);
  }
  return files;
}

const skipped = (name: string) => name === '__pycache__' || name.endsWith('.pyc') || name.endsWith('.pyo');

/** The file at `rel` under `dir` as a Source (mode from git when tracked), or null when it is not a regular file. */
function readSource(dir: string, rel: string, tracked: Tracked | undefined): Source | null {
  const abs = join(dir, rel);
  const st = statSync(abs, { throwIfNoEntry: false });
  if (!st?.isFile()) return null;
  const mode = tracked?.get(rel) ?? (st.mode & 0o111 ? 0o755 : 0o644);
  return { rel, data: readFileSync(abs), mode };
}

/** The files under each root (a file or a dir), sorted, limited to `tracked` when given. */
function collect(dir: string, roots: string[], tracked: Tracked | undefined): Source[] {
  const out: Source[] = [];
  const walk = (rel: string) => {
    const abs = join(dir, rel);
    const st = statSync(abs, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) if (!skipped(name)) walk(`${rel}/${name}`);
      return;
    }
    if (tracked && !tracked.has(rel)) return;
    const s = readSource(dir, rel, tracked);
    if (s) out.push(s);
  };
  for (const r of roots) walk(r.replace(/\/+$/, ''));
  return out;
}

/**
 * An app's files as init's source stage copies them: tracked (or, outside git, all) files the
 * .dockerignore lets through (init's rules when the project has none), less the top-level
 * dependency manifests and lock files, which the dependency layers carry.
 */
function appSources(project: PythonProject): Source[] {
  const dir = project.dir;
  const ignoreFile = join(dir, '.dockerignore');
  const patterns = parseDockerignore(
    existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : renderDockerignore(project),
  );
  const manifests = new Set(
    [...project.depFiles, project.lockFile ?? '', 'requirements.in', 'pyproject.toml'].filter(
      (f) => f && !f.includes('/'),
    ),
  );
  const tracked = gitFiles(dir);
  const rels: string[] = [];
  if (tracked) rels.push(...tracked.keys());
  else {
    const walk = (rel: string) => {
      for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.name === '.git' || skipped(e.name)) continue;
        if (e.isDirectory()) {
          if (!isIgnored(patterns, r) || mayReinclude(patterns, r)) walk(r);
        } else rels.push(r);
      }
    };
    walk('');
  }
  const out: Source[] = [];
  for (const rel of rels.sort()) {
    if (manifests.has(rel) || rel.split('/').some(skipped) || isIgnored(patterns, rel)) continue;
    const s = readSource(dir, rel, tracked);
    if (s) out.push(s);
  }
  return out;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function table(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Toml)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Name, version, requirements and scripts from [project] (poetry's [tool.poetry] for name and version). */
function packageMeta(project: Dist, pyproject: Toml | undefined): PackageMeta {
  const name =
    (dig(pyproject, 'project', 'name') as string | undefined) ??
    (dig(pyproject, 'tool', 'poetry', 'name') as string | undefined) ??
    project.name;
  if (!name)
    throw new UserError(`${project.dir}: the project has no name in pyproject.toml; add [project] name = "..."`);
  const version =
    (dig(pyproject, 'project', 'version') as string | undefined) ??
    (dig(pyproject, 'tool', 'poetry', 'version') as string | undefined) ??
    (project.dynamicVersion ? process.env[project.dynamicVersion.env] : undefined) ??
    '0+unknown';
  return {
    name,
    version,
    requires: strings(dig(pyproject, 'project', 'dependencies')),
    scripts: { ...table(dig(pyproject, 'project', 'scripts')), ...project.scripts },
    guiScripts: table(dig(pyproject, 'project', 'gui-scripts')),
  };
}

function metadataText(m: PackageMeta): string {
  return [
    'Metadata-Version: 2.1',
    `Name: ${m.name}`,
    `Version: ${m.version}`,
    ...m.requires.map((r) => `Requires-Dist: ${r}`),
  ]
    .map((l) => `${l}\n`)
    .join('');
}

function wheelText(): string {
  return 'Wheel-Version: 1.0\nGenerator: layerwise\nRoot-Is-Purelib: true\nTag: py3-none-any\n';
}

function entryPointsText(m: PackageMeta): string {
  const section = (head: string, t: Record<string, string>) => {
    const keys = Object.keys(t).sort();
    return keys.length ? `[${head}]\n${keys.map((k) => `${k} = ${t[k]}`).join('\n')}\n\n` : '';
  };
  return section('console_scripts', m.scripts) + section('gui_scripts', m.guiScripts);
}
