/** The layout of the project's own code and the members of a uv workspace. */
import { join } from 'node:path';
import { UserError } from '../errors.js';
import {
  dig,
  isDir,
  isFile,
  listDir,
  normName,
  readToml,
  requirementName,
  SKIP_DIRS,
  TEST_DIRS,
  type Toml,
} from './files.js';
import type { WorkspaceMember } from './types.js';

/** Top-level packages and modules of the project's own code. */
export function codeLayout(dir: string): { packageDirs: string[]; modules: string[]; layout: 'src' | 'flat' } {
  const pkgs = (base: string) =>
    listDir(join(dir, base))
      .filter((n) => !SKIP_DIRS.has(n) && !TEST_DIRS.has(n) && !n.startsWith('.') && /^[A-Za-z_]\w*$/.test(n))
      .filter(
        (n) =>
          isDir(join(dir, base, n)) &&
          (isFile(join(dir, base, n, '__init__.py')) || listDir(join(dir, base, n)).some((f) => f.endsWith('.py'))),
      )
      .map((n) => (base ? `${base}/${n}` : n));
  if (isDir(join(dir, 'src'))) {
    const inSrc = pkgs('src');
    if (inSrc.length) return { packageDirs: inSrc, modules: [], layout: 'src' };
  }
  const modules = listDir(dir).filter(
    (n) =>
      n.endsWith('.py') &&
      isFile(join(dir, n)) &&
      !/^(setup|conftest|noxfile|fabfile|tasks)\.py$/.test(n) &&
      !/^test_/.test(n),
  );
  return { packageDirs: pkgs('').filter((p) => !['docs', 'scripts', 'examples'].includes(p)), modules, layout: 'flat' };
}

export function workspaceMembers(dir: string, pyproject: Toml | undefined): WorkspaceMember[] {
  const globs = (dig(pyproject, 'tool', 'uv', 'workspace', 'members') as string[] | undefined) ?? [];
  const excluded = new Set((dig(pyproject, 'tool', 'uv', 'workspace', 'exclude') as string[] | undefined) ?? []);
  const dirs: string[] = [];
  for (const g of globs) {
    const clean = g.replace(/\/+$/, '');
    if (clean.endsWith('/*')) {
      const parent = clean.slice(0, -2);
      for (const n of listDir(join(dir, parent))) dirs.push(`${parent}/${n}`);
    } else dirs.push(clean);
  }
  const out: WorkspaceMember[] = [];
  for (const d of dirs) {
    if (excluded.has(d)) continue;
    const pp = readToml(join(dir, d, 'pyproject.toml'));
    if (!pp) continue;
    const name = dig(pp, 'project', 'name');
    if (typeof name !== 'string') continue;
    const layout = codeLayout(join(dir, d));
    out.push({
      name,
      dir: d,
      scripts: (dig(pp, 'project', 'scripts') as Record<string, string>) ?? {},
      packageDirs: layout.packageDirs,
    });
  }
  return out;
}

export function selectMember(members: WorkspaceMember[], wanted?: string): WorkspaceMember | undefined {
  if (wanted) {
    const m = members.find(
      (x) => x.name === wanted || normName(x.name) === normName(wanted) || x.dir === wanted.replace(/\/+$/, ''),
    );
    if (!m)
      throw new UserError(
        `--package ${wanted}: no such workspace member (members: ${members.map((x) => x.name).join(', ')})`,
      );
    return m;
  }
  // A service with an entry point; services/ and apps/ first.
  const withScripts = members.filter((m) => Object.keys(m.scripts).length);
  const rank = (m: WorkspaceMember) => (/^(services|apps?)\//.test(m.dir) ? 0 : 1);
  return [...withScripts].sort((a, b) => rank(a) - rank(b) || a.dir.localeCompare(b.dir))[0] ?? members[0];
}

/** The selected member and the workspace members it needs, from the member pyprojects. */
export function membersNeeded(dir: string, members: WorkspaceMember[], selected: WorkspaceMember): WorkspaceMember[] {
  const byName = new Map(members.map((m) => [normName(m.name), m]));
  const out: WorkspaceMember[] = [];
  const seen = new Set<string>();
  const visit = (m: WorkspaceMember) => {
    if (seen.has(m.name)) return;
    seen.add(m.name);
    const pp = readToml(join(dir, m.dir, 'pyproject.toml'));
    for (const r of (dig(pp, 'project', 'dependencies') as string[] | undefined) ?? []) {
      const dep = byName.get(requirementName(r) ?? '');
      if (dep) visit(dep);
    }
    out.push(m);
  };
  visit(selected);
  return out;
}
