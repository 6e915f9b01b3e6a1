/** The project's dependencies as the manifest and the lock list them, and its dev groups. */
import { dig, normName, requirementName, type Toml } from './files.js';
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

/** Whether the lock lists a binary wheel for `name` (undefined when the lock format does not say). */
export function lockHasWheel(manager: Manager, text: string, name: string): boolean | undefined {
  if (!text || (manager !== 'uv' && manager !== 'poetry' && manager !== 'pdm')) return undefined;
  const blocks = text.split(/^\[\[package\]\]\s*$/m);
  const block = blocks.find((b) => {
    const m = /^name\s*=\s*"([^"]+)"/m.exec(b);
    return m && normName(m[1]) === name;
  });
  if (!block) return undefined;
  return /\.whl/.test(block);
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
