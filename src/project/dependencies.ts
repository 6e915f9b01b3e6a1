/** The project's dependencies as the manifest and the lock list them, and its dev groups. */
import { join } from 'node:path';
import { dig, isDir, isFile, listDir, normName, requirementName, type Toml } from './files.js';
import type { Manager } from './types.js';

const DEV_GROUP = /^(dev|develop|development|test|tests|testing|lint|typing|docs|doc)$/i;

export function lockPackageNames(manager: Manager, text: string): string[] {
  if (!text) return [];
  if (manager === 'pipenv') {
    try {
      const j = JSON.parse(text) as { default?: Record<string, unknown> };
      return Object.keys(j.default ?? {}).map(normName);
    } catch {
      return [];
    }
  }
  if (manager === 'pip' || manager === 'pip-tools') {
    return text
      .split('\n')
      .filter((l) => /^[A-Za-z0-9]/.test(l))
      .map((l) => requirementName(l))
      .filter((n): n is string => !!n);
  }
  return [...text.matchAll(/^\[\[package\]\]\s*\nname\s*=\s*"([^"]+)"/gm)].map((m) => normName(m[1]));
}

/**
 * Whether the lock lists a wheel for `name` that installs on Linux (a manylinux/musllinux or
 * pure wheel); false when it lists only other platforms' wheels or none; undefined when the lock
 * format does not say.
 */
export function lockHasWheel(manager: Manager, text: string, name: string): boolean | undefined {
  if (!text || (manager !== 'uv' && manager !== 'poetry' && manager !== 'pdm')) return undefined;
  const blocks = text.split(/^\[\[package\]\]\s*$/m);
  const block = blocks.find((b) => {
    const m = /^name\s*=\s*"([^"]+)"/m.exec(b);
    return m && normName(m[1]) === name;
  });
  if (!block) return undefined;
  const wheels = [...block.matchAll(/[\w.+-]+\.whl/g)].map((m) => m[0]);
  return wheels.some((w) => /-any\.whl$|linux/.test(w));
}

export function directDependencies(pyproject: Toml | undefined, member?: Toml): string[] {
  const out: string[] = [];
  for (const p of [pyproject, member]) {
    for (const r of (dig(p, 'project', 'dependencies') as string[] | undefined) ?? []) {
      const n = requirementName(r);
      if (n) out.push(n);
    }
    const poetry = dig(p, 'tool', 'poetry', 'dependencies') as Record<string, unknown> | undefined;
    for (const k of Object.keys(poetry ?? {})) if (k !== 'python') out.push(normName(k));
  }
  return out;
}

export function devGroupsOf(pyproject: Toml | undefined): string[] {
  const groups = new Set<string>();
  for (const k of Object.keys((dig(pyproject, 'dependency-groups') as Toml | undefined) ?? {})) groups.add(k);
  for (const k of Object.keys((dig(pyproject, 'tool', 'poetry', 'group') as Toml | undefined) ?? {})) groups.add(k);
  for (const k of Object.keys((dig(pyproject, 'tool', 'pdm', 'dev-dependencies') as Toml | undefined) ?? {}))
    groups.add(k);
  for (const k of Object.keys((dig(pyproject, 'tool', 'uv', 'dev-dependencies') as Toml | undefined) ? { dev: 1 } : {}))
    groups.add(k);
  return [...groups].filter((g) => DEV_GROUP.test(g)).sort();
}

/** [project.optional-dependencies] extras that look like development ones. */
export function devExtrasOf(pyproject: Toml | undefined): string[] {
  const extras = (dig(pyproject, 'project', 'optional-dependencies') as Toml | undefined) ?? {};
  return Object.keys(extras)
    .filter((g) => DEV_GROUP.test(g))
    .sort();
}

const DEV_FILE = /(^|[-_./])(dev|develop|development|test|tests|testing|lint|typing)([-_.]|$)/i;

/**
 * Requirements files of the development install: requirements-dev.txt, dev-requirements.txt,
 * requirements/test.txt... (compiled .txt files; the .in sources are not installable pins).
 */
export function devRequirementFiles(dir: string, main: string | undefined): string[] {
  const top = listDir(dir).filter((n) => /requirements.*\.txt$/.test(n) && isFile(join(dir, n)));
  const nested = isDir(join(dir, 'requirements'))
    ? listDir(join(dir, 'requirements'))
        .filter((n) => n.endsWith('.txt'))
        .map((n) => `requirements/${n}`)
    : [];
  return [...top, ...nested].filter((f) => f !== main && DEV_FILE.test(f)).sort();
}
