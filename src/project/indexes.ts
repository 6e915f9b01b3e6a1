/** Private package indexes the dependency install needs credentials for. */
import { join } from 'node:path';
import { dig, readText, type Toml } from './files.js';
import type { PrivateIndex } from './types.js';

/** Indexes that need credentials: URLs with user info or ${VAR}, uv indexes with authenticate. */
export function findPrivateIndexes(dir: string, pyproject: Toml | undefined, requirements: string[]): PrivateIndex[] {
  const out: PrivateIndex[] = [];
  const add = (name: string, url: string, source: string, forced = false) => {
    if (typeof url !== 'string') return;
    const needs = forced || /\$\{?\w+\}?/.test(url) || /^[a-z+]+:\/\/[^/@\s]+@/i.test(url);
    if (needs) out.push({ name, url: url.replace(/\/\/[^/@\s]+@/, '//'), source });
  };
  for (const idx of (dig(pyproject, 'tool', 'uv', 'index') as Toml[] | undefined) ?? []) {
    add(
      String(idx.name ?? 'index'),
      idx.url as string,
      'pyproject.toml [[tool.uv.index]]',
      idx.authenticate === 'always',
    );
  }
  for (const src of (dig(pyproject, 'tool', 'poetry', 'source') as Toml[] | undefined) ?? []) {
    add(String(src.name ?? 'source'), src.url as string, 'pyproject.toml [[tool.poetry.source]]');
  }
  for (const src of (dig(pyproject, 'tool', 'pdm', 'source') as Toml[] | undefined) ?? []) {
    add(
      String(src.name ?? 'source'),
      src.url as string,
      'pyproject.toml [[tool.pdm.source]]',
      !!(src.username || src.password),
    );
  }
  for (const f of requirements) {
    for (const line of (readText(join(dir, f)) ?? '').split('\n')) {
      const m = /^\s*(?:--index-url|--extra-index-url|-i)[\s=]+(\S+)/.exec(line);
      if (m) add('index', m[1], f);
    }
  }
  return out;
}
