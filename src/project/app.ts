/**
 * What kind of application a project is and how it starts. The start command comes from, in
 * order: --cmd; the project's own Dockerfile, Procfile, compose command, process manager config or
 * start task (start-evidence.ts); the web app found in the code under a server the project installs
 * (start-command.ts); a console script, `python -m pkg`, or main.py/app.py.
 */
import { join } from 'node:path';
import { isFile, pythonFiles, readText } from './files.js';
import { installedPackages } from './servers.js';
import { splitCommand } from './split-command.js';
import { startEvidenceFor } from './member-start.js';
import { DEFAULT_PORT, fromEvidence, fromFramework, healthOf, type WebApp } from './start-command.js';
import type { AppInfo } from './types.js';

export { splitCommand } from './split-command.js';

export interface AppSearch {
  root: string;
  /** Package directories (relative to root), e.g. src/shop_api or mysite. */
  packageDirs: string[];
  /** Top-level modules (relative files), e.g. app.py. */
  modules: string[];
  scripts: Record<string, string>;
  dependencies: string[];
  /** The production manifests and lock (relative), read for the line that installs a server and for extras. */
  prodFiles?: string[];
  port?: number;
  cmd?: string;
  /** The workspace member's directory (relative to root) when init runs for one. */
  member?: string;
  /** --server: the server to run the app with (installed in the image when no dependency does). */
  server?: string;
}

/** The import name of a file: src/shop_api/main.py -> shop_api.main; pkg/__init__.py -> pkg. */
export function moduleName(file: string, packageDir: string | undefined): string {
  // The package's parent is what sys.path holds (src/ for a src layout, the root otherwise).
  const parent = packageDir && packageDir.includes('/') ? packageDir.slice(0, packageDir.lastIndexOf('/') + 1) : '';
  let rel = parent && file.startsWith(parent) ? file.slice(parent.length) : file;
  rel = rel.replace(/\.py$/, '').replace(/\/__init__$/, '');
  return rel.split('/').join('.');
}

/** Web apps defined in the files: FastAPI/Starlette/Flask constructors, Django's WSGI module. */
function findWebApps(files: { file: string; pkg?: string }[], texts: Map<string, string>): WebApp[] {
  const found: WebApp[] = [];
  for (const { file, pkg } of files) {
    const text = texts.get(file) ?? '';
    const mod = moduleName(file, pkg);
    const assign = (ctor: string) => new RegExp(`^(\\w+)\\s*(?::[^=]+)?=\\s*${ctor}\\(`, 'm').exec(text)?.[1];
    const fa = /\bfastapi\b/.test(text) ? assign('FastAPI') : undefined;
    if (fa) found.push({ framework: 'fastapi', kind: 'asgi', target: `${mod}:${fa}`, file, text });
    const st = /\bstarlette\b/.test(text) ? assign('Starlette') : undefined;
    if (st) found.push({ framework: 'starlette', kind: 'asgi', target: `${mod}:${st}`, file, text });
    const fl = /\bflask\b/.test(text) ? assign('Flask') : undefined;
    if (fl) found.push({ framework: 'flask', kind: 'wsgi', target: `${mod}:${fl}`, file, text });
    else if (/\bflask\b/.test(text) && /^def create_app\(/m.test(text)) {
      found.push({ framework: 'flask', kind: 'wsgi', target: `${mod}:create_app()`, file, text });
    }
    const dj = /get_wsgi_application\(\)/.test(text)
      ? /^(\w+)\s*=\s*get_wsgi_application\(\)/m.exec(text)?.[1]
      : undefined;
    if (dj) found.push({ framework: 'django', kind: 'django', target: `${mod}:${dj}`, file, text });
  }
  // Prefer the app in a module named like an entry point (main, app, asgi, wsgi) over others.
  const rank = (f: WebApp) => (/(^|\/)(main|app|asgi|wsgi|server|api)\.py$/.test(f.file) ? 0 : 1);
  return found.sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file));
}

export function detectApp(s: AppSearch): AppInfo {
  const files: { file: string; pkg?: string }[] = [];
  for (const d of s.packageDirs) for (const f of pythonFiles(s.root, d)) files.push({ file: f, pkg: d });
  for (const m of s.modules) files.push({ file: m });
  const texts = new Map<string, string>();
  for (const f of files) texts.set(f.file, readText(join(s.root, f.file)) ?? '');
  const web = findWebApps(files, texts)[0];
  const settings = web?.kind === 'django' ? djangoSettings(s.root, [...texts.values()].join('\n')) : undefined;
  const env = settings ? { DJANGO_SETTINGS_MODULE: settings } : undefined;
  const installed = installedPackages(s.root, s.prodFiles ?? [], s.dependencies);
  const skipped: string[] = [];
  const start = s.cmd ? undefined : startEvidenceFor(s.root, s.port, s.member, skipped);

  let app: AppInfo | undefined;
  if (s.cmd) {
    app = {
      kind: web ? web.kind : 'unknown',
      framework: web?.framework,
      command: splitCommand(s.cmd),
      reason: 'given with --cmd',
      evidence: '--cmd',
      confidence: 'high',
      port: web || s.port ? (s.port ?? DEFAULT_PORT) : undefined,
      env,
    };
  } else if (start) app = fromEvidence(s, start, web, installed, env);
  else if (web) app = fromFramework(s, web, installed, env);
  if (app && skipped.length) app = { ...app, notes: [...skipped, ...(app.notes ?? [])] };
  if (app) {
    if (app.port === undefined) return app;
    const modules = files.map((f) => ({ file: f.file, module: moduleName(f.file, f.pkg) }));
    return { ...app, ...healthOf(s.root, modules, app, start, settings) };
  }

  const scripts = Object.keys(s.scripts);
  if (scripts.length) {
    return {
      kind: 'cli',
      command: [scripts[0]],
      reason: `console script \`${scripts[0]}\` ([project.scripts])`,
      evidence: 'pyproject.toml [project.scripts]',
      confidence: 'medium',
    };
  }
  for (const d of s.packageDirs) {
    if (isFile(join(s.root, d, '__main__.py'))) {
      const mod = moduleName(`${d}/__init__.py`, d);
      return {
        kind: 'module',
        command: ['python', '-m', mod],
        reason: `${d}/__main__.py`,
        evidence: `${d}/__main__.py`,
        confidence: 'medium',
      };
    }
  }
  for (const m of ['main.py', 'app.py', 'run.py', 'server.py']) {
    if (s.modules.includes(m))
      return {
        kind: 'script',
        command: ['python', m],
        reason: `${m} at the top level`,
        evidence: m,
        confidence: 'low',
      };
  }
  return { kind: 'unknown', command: ['python'], reason: 'no entry point found: pass --cmd', confidence: 'low' };
}

function djangoSettings(root: string, allText: string): string | undefined {
  const manage = readText(join(root, 'manage.py')) ?? '';
  const m =
    /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(manage) ??
    /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(allText);
  return m?.[1];
}
