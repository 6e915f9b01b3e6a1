/**
 * The health route the app really serves, read from its routing code: Django's URLconf from
 * ROOT_URLCONF down through include() (prefixes joined), FastAPI/Flask route decorators on the app
 * and on routers/blueprints (their own prefix and the prefix they are included with), Starlette
 * `Route(...)`. A path string elsewhere in the code (a comment, a constant) is not a route.
 */
import { join } from 'node:path';
import { lineAt, readText } from './files.js';
import { prefixArgument } from './route-prefix.js';

export interface HealthRoute {
  /** URL path, starting with /. */
  path: string;
  /** `file:line` of the route. */
  evidence: string;
  /** A health app's own URLconf is mounted here (django-health-check's `health_check.urls`), whatever its name. */
  mounted?: boolean;
}

export interface RouteSource {
  /** Relative .py file. */
  file: string;
  /** Its import name, e.g. core.urls. */
  module: string;
  text: string;
}

const HEALTH =
  /^(healthz|health|healthcheck|health-check|health_check|livez|livez?ness|readyz|ready|heartbeat|alive|ping)$/i;

/** Lower is better: a dedicated health route before a ping. */
function rank(path: string): number {
  const last = path.replace(/\/$/, '').split('/').pop() ?? '';
  if (!HEALTH.test(last)) return -1;
  return /^health/i.test(last) ? 0 : /^(livez|readyz|ready|alive|heartbeat)/i.test(last) ? 1 : 2;
}

function score(r: HealthRoute): number {
  return r.mounted ? 0 : rank(r.path);
}

function best(routes: HealthRoute[]): HealthRoute | undefined {
  return routes
    .filter((r) => (r.mounted || rank(r.path) >= 0) && !/[<{:]/.test(r.path))
    .sort((a, b) => score(a) - score(b) || a.path.length - b.path.length)[0];
}

function joinPath(...parts: string[]): string {
  const p = parts
    .filter(Boolean)
    .join('/')
    .replace(/\/{2,}/g, '/');
  return p.startsWith('/') ? p : `/${p}`;
}

/** The URL conf module Django uses: ROOT_URLCONF in the settings module (or any file). */
export function djangoUrlconf(sources: RouteSource[], settingsModule?: string): string | undefined {
  const settings = settingsModule
    ? sources.filter((s) => s.module === settingsModule || s.module.startsWith(`${settingsModule}.`))
    : [];
  for (const s of [...settings, ...sources]) {
    const m = /^ROOT_URLCONF\s*=\s*["']([\w.]+)["']/m.exec(s.text);
    if (m) return m[1];
  }
  return undefined;
}

/** Every route of a Django URLconf, prefixes of include() joined; include cycles and depth bounded. */
export function djangoRoutes(sources: RouteSource[], urlconf: string): HealthRoute[] {
  const byModule = new Map(sources.map((s) => [s.module, s]));
  const out: HealthRoute[] = [];
  const seen = new Set<string>();
  const walk = (module: string, prefix: string, depth: number) => {
    const src = byModule.get(module);
    if (!src || seen.has(`${module}@${prefix}`) || depth > 8) return;
    seen.add(`${module}@${prefix}`);
    const re = /\b(path|re_path|url)\(\s*r?(["'])(.*?)\2\s*,\s*(include\(\s*(["'])([\w.]+)\5)?/g;
    for (const m of src.text.matchAll(re)) {
      const route = m[1] === 'path' ? m[3] : regexRoute(m[3]);
      if (route === undefined) continue;
      if (m[6]) {
        const target = m[6].startsWith('.') ? relativeModule(module, m[6]) : m[6];
        // A third-party health app (django-health-check: include("health_check.urls")) answers at its prefix.
        if (!byModule.has(target) && /^health_check(\.|$)/.test(target))
          out.push({
            path: joinPath(prefix + route),
            evidence: `${src.file}:${lineAt(src.text, m.index)}`,
            mounted: true,
          });
        else walk(target, prefix + route, depth + 1);
      } else if (!m[4])
        out.push({ path: joinPath(prefix + route), evidence: `${src.file}:${lineAt(src.text, m.index)}` });
    }
  };
  walk(urlconf, '', 0);
  return out;
}

function relativeModule(from: string, rel: string): string {
  const dots = /^\.+/.exec(rel)?.[0].length ?? 0;
  const base = from.split('.').slice(0, -dots);
  return [...base, rel.slice(dots)].filter(Boolean).join('.');
}

/** A re_path pattern that is a plain path (`^health/?$` -> `health/`), else undefined. */
function regexRoute(re: string): string | undefined {
  const t = re.replace(/^\^/, '').replace(/\$$/, '').replace(/\/\?$/, '/');
  return /^[\w/-]*$/.test(t) ? t : undefined;
}

interface Router {
  file: string;
  name: string;
  /** null: a prefix init cannot resolve; its routes are left out. */
  prefix: string | null;
  isApp: boolean;
}

/**
 * Routes of FastAPI/Starlette/Flask code: decorators (`@app.get("/x")`, `@router.route(...)`),
 * `add_api_route`/`add_url_rule`, and Starlette `Route("/x", ...)`; a router's path gets its own
 * prefix and the prefix of every include_router/register_blueprint that includes it.
 */
export function decoratorRoutes(sources: RouteSource[]): HealthRoute[] {
  const routers: Router[] = [];
  for (const s of sources) {
    for (const m of s.text.matchAll(
      /^[ \t]*(\w+)\s*(?::[^=\n]+)?=\s*(FastAPI|Flask|Starlette|APIRouter|Blueprint)\(([^)]*)\)?/gm,
    )) {
      const prefix = prefixArgument(m[3] ?? '', s, sources);
      routers.push({ file: s.file, name: m[1], prefix, isApp: /^(FastAPI|Flask|Starlette)$/.test(m[2]) });
    }
  }
  // include_router(X, prefix=...) / register_blueprint(X, url_prefix=...): X is `name` or `mod.name`.
  const includes: { file: string; into: string; ref: string; prefix: string | null; text: string }[] = [];
  for (const s of sources) {
    for (const m of s.text.matchAll(/\b(\w+)\.(?:include_router|register_blueprint)\(\s*([\w.]+)([^)]*)\)/g)) {
      const prefix = prefixArgument(m[3], s, sources);
      includes.push({ file: s.file, into: m[1], ref: m[2], prefix, text: s.text });
    }
  }
  const stem = (file: string) =>
    file
      .replace(/\.py$/, '')
      .replace(/\/__init__$/, '')
      .split('/')
      .pop() ?? '';
  const refersTo = (inc: (typeof includes)[number], r: Router): boolean => {
    const parts = inc.ref.split('.');
    if (parts.length > 1) return parts[parts.length - 1] === r.name && parts[parts.length - 2] === stem(r.file);
    if (inc.file === r.file) return inc.ref === r.name;
    // `from .health import router as health_router` / `from app.health import router`
    for (const m of inc.text.matchAll(/^[ \t]*from\s+([\w.]+)\s+import\s+\(?([^)\n]+)\)?/gm)) {
      const mod = m[1].split('.').pop() ?? '';
      for (const item of m[2].split(',')) {
        const [orig, alias] = item.trim().split(/\s+as\s+/);
        if ((alias ?? orig) === inc.ref && orig === r.name && mod === stem(r.file)) return true;
      }
    }
    return false;
  };
  const fullPrefix = (r: Router, depth: number): string | undefined => {
    // A prefix that is not resolved: the routes under it are unknown, never guessed as ''.
    if (r.prefix === null) return undefined;
    if (r.isApp) return r.prefix;
    if (depth > 6) return undefined;
    for (const inc of includes) {
      if (!refersTo(inc, r) || inc.prefix === null) continue;
      const parent = routers.find((x) => x.file === inc.file && x.name === inc.into);
      const above = parent ? fullPrefix(parent, depth + 1) : undefined;
      if (above !== undefined) return above + inc.prefix + r.prefix;
    }
    return undefined; // never included: not served
  };
  const out: HealthRoute[] = [];
  for (const s of sources) {
    const add = (name: string, path: string, index: number) => {
      const r = routers.find((x) => x.file === s.file && x.name === name);
      const prefix = r ? fullPrefix(r, 0) : undefined;
      if (prefix !== undefined)
        out.push({ path: joinPath(prefix + path), evidence: `${s.file}:${lineAt(s.text, index)}` });
    };
    for (const m of s.text.matchAll(/^[ \t]*@(\w+)\.(get|head|api_route|route)\(\s*["']([^"']*)["']([^\n]*)/gm)) {
      // Flask's route() answers GET unless methods= leaves it out.
      if (m[2] === 'route' || m[2] === 'api_route') {
        const methods = /methods\s*=\s*\[([^\]]*)\]/.exec(m[4])?.[1];
        if (methods && !/["']GET["']/i.test(methods)) continue;
      }
      add(m[1], m[3], m.index);
    }
    for (const m of s.text.matchAll(/\b(\w+)\.(?:add_api_route|add_url_rule|add_route)\(\s*["']([^"']*)["']/g))
      add(m[1], m[2], m.index);
    // Starlette: Route("/health", endpoint) in the app's routes (not inside a Mount with a prefix).
    if (!/\bMount\(/.test(s.text) && routers.some((r) => r.file === s.file && r.isApp))
      for (const m of s.text.matchAll(/\bRoute\(\s*["']([^"']*)["']/g))
        out.push({ path: joinPath(m[1]), evidence: `${s.file}:${lineAt(s.text, m.index)}` });
  }
  return out;
}

/** The best health route of the app's code, or undefined. */
export function findHealthRoute(
  root: string,
  files: { file: string; module: string }[],
  framework: string | undefined,
  settingsModule?: string,
): HealthRoute | undefined {
  const sources: RouteSource[] = files.map((f) => ({ ...f, text: readText(join(root, f.file)) ?? '' }));
  if (framework === 'django') {
    const urlconf = djangoUrlconf(sources, settingsModule);
    return urlconf ? best(djangoRoutes(sources, urlconf)) : undefined;
  }
  return best(decoratorRoutes(sources));
}
