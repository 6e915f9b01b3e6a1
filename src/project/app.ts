/**
 * What kind of application a project is and how it starts: an ASGI app (FastAPI, Starlette) under
 * uvicorn, a WSGI app (Flask, Django) under gunicorn with the module found in the code, a console
 * script, `python -m pkg`, or main.py/app.py.
 */
import { join } from 'node:path';
import { isFile, pythonFiles, readText } from './files.js';
import type { AppInfo } from './types.js';

export interface AppSearch {
  root: string;
  /** Package directories (relative to root), e.g. src/shop_api or mysite. */
  packageDirs: string[];
  /** Top-level modules (relative files), e.g. app.py. */
  modules: string[];
  scripts: Record<string, string>;
  dependencies: string[];
  port?: number;
  cmd?: string;
}

const DEFAULT_PORT = 8000;

/** The import name of a file: src/shop_api/main.py -> shop_api.main; pkg/__init__.py -> pkg. */
export function moduleName(file: string, packageDir: string | undefined): string {
  // The package's parent is what sys.path holds (src/ for a src layout, the root otherwise).
  const parent = packageDir && packageDir.includes('/') ? packageDir.slice(0, packageDir.lastIndexOf('/') + 1) : '';
  let rel = parent && file.startsWith(parent) ? file.slice(parent.length) : file;
  rel = rel.replace(/\.py$/, '').replace(/\/__init__$/, '');
  return rel.split('/').join('.');
}

interface Found {
  framework: string;
  kind: 'asgi' | 'wsgi' | 'django';
  target: string;
  file: string;
  text: string;
}

export function detectApp(s: AppSearch): AppInfo {
  const files: { file: string; pkg?: string }[] = [];
  for (const d of s.packageDirs) for (const f of pythonFiles(s.root, d)) files.push({ file: f, pkg: d });
  for (const m of s.modules) files.push({ file: m });
  const texts = new Map<string, string>();
  for (const f of files) texts.set(f.file, readText(join(s.root, f.file)) ?? '');

  const found: Found[] = [];
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
  const allText = [...texts.values()].join('\n');
  const health = healthPath(allText);
  const deps = new Set(s.dependencies);

  if (s.cmd) {
    return {
      kind: found[0] ? found[0].kind : 'unknown',
      framework: found[0]?.framework,
      command: splitCommand(s.cmd),
      reason: 'given with --cmd',
      port: found.length || s.port ? (s.port ?? DEFAULT_PORT) : undefined,
      healthPath: health,
    };
  }

  // Prefer the app in a module named like an entry point (main, app, asgi, wsgi) over others.
  const rank = (f: Found) => (/(^|\/)(main|app|asgi|wsgi|server|api)\.py$/.test(f.file) ? 0 : 1);
  const web = found.sort((a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file))[0];
  if (web) {
    const port = s.port ?? detectPort(web.text) ?? DEFAULT_PORT;
    if (web.kind === 'asgi') {
      const server = deps.has('uvicorn') ? 'uvicorn' : deps.has('hypercorn') ? 'hypercorn' : 'uvicorn';
      const command =
        server === 'hypercorn'
          ? ['hypercorn', web.target, '--bind', `0.0.0.0:${port}`]
          : ['uvicorn', web.target, '--host', '0.0.0.0', '--port', String(port)];
      return {
        kind: 'asgi',
        framework: web.framework,
        command,
        reason: `${web.framework} app \`${web.target}\` in ${web.file}, served by ${server}${deps.has(server) ? '' : ` (add ${server} to the dependencies)`}`,
        port,
        healthPath: health,
      };
    }
    const settings = web.kind === 'django' ? djangoSettings(s.root, allText) : undefined;
    const env: Record<string, string> = {};
    if (settings) env.DJANGO_SETTINGS_MODULE = settings;
    // gunicorn binds 0.0.0.0:$PORT when PORT is set and no bind is given (gunicorn.conf.py may set one).
    const conf = isFile(join(s.root, 'gunicorn.conf.py'));
    const command =
      deps.has('gunicorn') || !deps.has('waitress')
        ? ['gunicorn', ...(conf ? [] : ['--bind', `0.0.0.0:${port}`]), web.target]
        : ['waitress-serve', `--port=${port}`, web.target];
    return {
      kind: web.kind,
      framework: web.framework,
      command,
      reason: `${web.framework} WSGI app \`${web.target}\` in ${web.file}, served by ${command[0]}${conf ? ' (settings from gunicorn.conf.py)' : ''}${deps.has(command[0]) ? '' : ` (add ${command[0]} to the dependencies)`}`,
      port,
      healthPath: health,
      env: Object.keys(env).length ? env : undefined,
    };
  }

  const scripts = Object.keys(s.scripts);
  if (scripts.length) {
    return { kind: 'cli', command: [scripts[0]], reason: `console script \`${scripts[0]}\` ([project.scripts])` };
  }
  for (const d of s.packageDirs) {
    if (isFile(join(s.root, d, '__main__.py'))) {
      const mod = moduleName(`${d}/__init__.py`, d);
      return { kind: 'module', command: ['python', '-m', mod], reason: `${d}/__main__.py` };
    }
  }
  for (const m of ['main.py', 'app.py', 'run.py', 'server.py']) {
    if (s.modules.includes(m)) return { kind: 'script', command: ['python', m], reason: `${m} at the top level` };
  }
  return { kind: 'unknown', command: ['python'], reason: 'no entry point found: pass --cmd' };
}

/** A health endpoint path mentioned in the code (route strings). */
export function healthPath(text: string): string | undefined {
  const m =
    /["'](\/(?:health|healthz|healthcheck|livez|readyz|ping)\/?|(?:health|healthz|healthcheck|livez|readyz|ping)\/)["']/.exec(
      text,
    );
  if (!m) return undefined;
  return m[1].startsWith('/') ? m[1] : `/${m[1]}`;
}

function detectPort(text: string): number | undefined {
  const m =
    /\bport\s*=\s*(?:int\(\s*os\.environ\.get\(\s*["']PORT["']\s*,\s*["'](\d{2,5})["']\s*\)\s*\)|(\d{2,5}))/.exec(text);
  const v = m ? Number(m[1] ?? m[2]) : undefined;
  return v && v > 0 && v < 65536 ? v : undefined;
}

function djangoSettings(root: string, allText: string): string | undefined {
  const manage = readText(join(root, 'manage.py')) ?? '';
  const m =
    /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(manage) ??
    /DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']/.exec(allText);
  return m?.[1];
}

/** Splits a command line like a POSIX shell would for simple quoting (no expansions). */
export function splitCommand(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let any = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < cmd.length) cur += cmd[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      any = true;
    } else if (/\s/.test(c)) {
      if (cur || any) out.push(cur);
      cur = '';
      any = false;
    } else if (c === '\\' && i + 1 < cmd.length) {
      cur += cmd[++i];
    } else cur += c;
  }
  if (cur || any) out.push(cur);
  return out;
}
