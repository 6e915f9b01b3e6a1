/**
 * The value of a router's prefix argument (`prefix=`/`url_prefix=`): a string literal, a
 * module-level constant (`API_PREFIX = "/api"` here or imported), or an attribute of a settings
 * object (`settings.API_V1_STR`, a class attribute `API_V1_STR: str = "/api/v1"` in the module
 * that defines `settings`). Anything else is unknown: the caller drops the routes under it rather
 * than guess no prefix.
 */
import type { RouteSource } from './health-route.js';

/** '' when there is no prefix argument, the resolved string, or null when it cannot be resolved. */
export function prefixArgument(args: string, from: RouteSource, sources: RouteSource[]): string | null {
  const m = /\b(?:url_)?prefix\s*=\s*([^,)\n]+)/.exec(args);
  if (!m) return '';
  return resolveValue(m[1].trim(), from, sources, 0);
}

function literal(expr: string): string | undefined {
  return /^(["'])([^"'\\]*)\1$/.exec(expr)?.[2];
}

function constantIn(text: string, name: string, indented: boolean): string | undefined {
  const indent = indented ? '[ \\t]*' : '';
  const re = new RegExp(`^${indent}${name}\\s*(?::[^=\\n]+)?=\\s*(["'])([^"'\\\\\\n]*)\\1[ \\t]*(?:#.*)?$`, 'm');
  return re.exec(text)?.[2];
}

/** The source a name is imported from in `from`: `from a.b import name [as alias]` or `import a.b as alias`. */
function importedFrom(
  from: RouteSource,
  name: string,
  sources: RouteSource[],
): { src: RouteSource; orig: string } | undefined {
  for (const m of from.text.matchAll(/^[ \t]*from\s+([\w.]+)\s+import\s+\(?([^)\n]+)\)?/gm)) {
    for (const item of m[2].split(',')) {
      const [orig, alias] = item.trim().split(/\s+as\s+/);
      if ((alias ?? orig) !== name) continue;
      const mod = m[1].startsWith('.') ? relative(from.module, m[1]) : m[1];
      const src = findModule(sources, mod);
      if (src) return { src, orig };
      // `from app.core import config` then `config.settings`: the name may be a module itself.
      const sub = findModule(sources, `${mod}.${orig}`);
      if (sub) return { src: sub, orig: '' };
    }
  }
  for (const m of from.text.matchAll(/^[ \t]*import\s+([\w.]+)\s+as\s+(\w+)/gm))
    if (m[2] === name) {
      const src = findModule(sources, m[1]);
      if (src) return { src, orig: '' };
    }
  return undefined;
}

function relative(module: string, rel: string): string {
  const dots = /^\.+/.exec(rel)?.[0].length ?? 0;
  // A package's __init__ is its own base; a module's base is its package.
  return [...module.split('.').slice(0, -dots), rel.slice(dots)].filter(Boolean).join('.');
}

function findModule(sources: RouteSource[], mod: string): RouteSource | undefined {
  return (
    sources.find((s) => s.module === mod) ??
    sources.find((s) => s.module.endsWith(`.${mod}`) || mod.endsWith(`.${s.module}`))
  );
}

function resolveValue(expr: string, from: RouteSource, sources: RouteSource[], depth: number): string | null {
  const lit = literal(expr);
  if (lit !== undefined) return lit;
  if (depth > 3) return null;
  const name = /^(\w+)$/.exec(expr)?.[1];
  if (name) {
    const here = constantIn(from.text, name, false);
    if (here !== undefined) return here;
    const imp = importedFrom(from, name, sources);
    if (imp && imp.orig) return resolveValue(imp.orig, imp.src, sources, depth + 1);
    return null;
  }
  const attr = /^(\w+)\.(\w+)$/.exec(expr);
  if (attr) {
    const [, obj, key] = attr;
    // The object's defining module: imported, or this one (`settings = Settings()` beside its class).
    const imp = importedFrom(from, obj, sources);
    const home = imp ? imp.src : from;
    if (imp && !imp.orig) {
      // `config.API_PREFIX` with `config` a module.
      const v = constantIn(home.text, key, false);
      if (v !== undefined) return v;
    }
    // A class attribute of the settings class (pydantic BaseSettings / a plain class).
    const v = constantIn(home.text, key, true);
    return v ?? null;
  }
  return null;
}
