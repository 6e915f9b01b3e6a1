/**
 * The start command of a web app: from the project's own evidence (checking that the server it
 * names is installed), else the app found in the code under an installed server, --server, or the
 * framework's own runner; and the health route its routing code serves.
 */
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { isFile, readText } from './files.js';
import { findHealthRoute } from './health-route.js';
import {
  installedServer,
  missingServerOf,
  SERVER_NAMES,
  serverCommand,
  serverOfExecutable,
  SERVERS,
  type Installed,
  type ServerName,
} from './servers.js';
import { gunicornConfPort, type StartEvidence } from './start-evidence.js';
import type { AppInfo } from './types.js';

export const DEFAULT_PORT = 8000;

/** A web app found in the code. */
export interface WebApp {
  framework: string;
  kind: 'asgi' | 'wsgi' | 'django';
  /** module:attribute, e.g. config.wsgi:application. */
  target: string;
  file: string;
  text: string;
}

interface Search {
  root: string;
  /** A workspace member's directory, relative to root. */
  member?: string;
  port?: number;
  server?: string;
}

/** The port a module passes to its own run() (`port=8080`, `int(os.environ.get("PORT", "8080"))`). */
export function detectPort(text: string): number | undefined {
  const m =
    /\bport\s*=\s*(?:int\(\s*os\.environ\.get\(\s*["']PORT["']\s*,\s*["'](\d{2,5})["']\s*\)\s*\)|(\d{2,5}))/.exec(text);
  const v = m ? Number(m[1] ?? m[2]) : undefined;
  return v && v > 0 && v < 65536 ? v : undefined;
}

function installedAt(i: Installed | undefined): string | undefined {
  return i ? `${i.evidence}${i.via ? ` (${i.via})` : ''}` : undefined;
}

function serverEvidence(server: ServerName, installed: Map<string, Installed>): string | undefined {
  for (const p of SERVERS[server].packages) {
    const at = installedAt(installed.get(p));
    if (at) return p === server ? at : `${at}: ${p}`;
  }
  return undefined;
}

/** The project's own start command (Dockerfile, Procfile, compose, process manager config, task). */
export function fromEvidence(
  s: Search,
  start: StartEvidence,
  web: WebApp | undefined,
  installed: Map<string, Installed>,
  env: Record<string, string> | undefined,
): AppInfo {
  const server = start.command[0] ? serverOfExecutable(start.command[0]) : undefined;
  if (s.server && s.server !== server) {
    // --server replaces the project's server: the app from the code under the server asked for.
    if (!web) throw new UserError(`--server ${s.server}: no WSGI or ASGI app found in the code to serve; pass --cmd`);
    return fromFramework(s, web, installed, env);
  }
  const missing = missingServerOf(start.command, installed);
  const port =
    s.port ?? start.port ?? (web ? (detectPort(web.text) ?? DEFAULT_PORT) : server ? DEFAULT_PORT : undefined);
  const kind = web ? web.kind : server ? (SERVERS[server].kinds.includes('wsgi') ? 'wsgi' : 'asgi') : 'unknown';
  const info: AppInfo = {
    kind,
    framework: web?.framework,
    command: start.command,
    reason: `started as ${start.what} says`,
    evidence: start.evidence,
    confidence: 'high',
    port,
    env,
    server,
    serverEvidence: server ? serverEvidence(server, installed) : undefined,
    notes: [...start.notes],
  };
  if (missing && s.server === missing) {
    info.installServer = SERVERS[missing].packages[0];
    info.serverEvidence = '--server';
    info.notes?.push(
      `${start.evidence} starts ${start.command[0]}, which no dependency installs: the image adds ${info.installServer} (--server); add it to the dependencies`,
    );
  } else if (missing) {
    info.missingServer = `${start.evidence} starts ${start.command[0]}, which no dependency installs (${SERVERS[missing].packages.join(' or ')}): add it to the dependencies, or pass --server ${missing} (init installs it in the image) or --cmd`;
  }
  return info;
}

/** The app found in the code under an installed server (or --server), or the framework's own runner. */
export function fromFramework(
  s: Search,
  web: WebApp,
  installed: Map<string, Installed>,
  env: Record<string, string> | undefined,
): AppInfo {
  const port = s.port ?? detectPort(web.text) ?? DEFAULT_PORT;
  const iface = web.kind === 'asgi' ? 'asgi' : 'wsgi';
  const common = { kind: web.kind, framework: web.framework, port, env };
  const what = `${web.framework}${web.kind === 'asgi' ? '' : ' WSGI'} app \`${web.target}\` in ${web.file}`;
  if (s.server) {
    const name = s.server as ServerName;
    if (!SERVER_NAMES.includes(name))
      throw new UserError(`--server ${s.server}: expected one of ${SERVER_NAMES.join(', ')}`);
    if (!SERVERS[name].kinds.includes(iface))
      throw new UserError(
        `--server ${s.server}: it does not serve ${iface.toUpperCase()} apps (${what}); pick one that does`,
      );
    const has = SERVERS[name].packages.find((p) => installed.has(p));
    const add = SERVERS[name].packages[0];
    return {
      ...common,
      command: serverCommand(name, iface, web.target, port),
      reason: `${what}, served by ${name} (--server)`,
      evidence: `${web.file} (the app), --server`,
      confidence: 'high',
      server: name,
      serverEvidence: has ? installedAt(installed.get(has)) : '--server',
      installServer: has ? undefined : add,
      notes: has
        ? []
        : [`--server ${name}: the image adds ${add}, which no dependency installs; add it to the dependencies`],
    };
  }
  // The member's own gunicorn.conf.py first (passed with -c: gunicorn starts at the root).
  const confFile = [s.member ? `${s.member}/gunicorn.conf.py` : '', 'gunicorn.conf.py'].find(
    (f) => f && isFile(join(s.root, f)),
  );
  const conf = iface === 'wsgi' && installed.has('gunicorn') && confFile !== undefined;
  const chosen = conf
    ? { server: 'gunicorn' as const, from: installed.get('gunicorn') as Installed }
    : installedServer(installed, iface);
  if (chosen) {
    // gunicorn reads ./gunicorn.conf.py by itself: its bind wins, so no --bind here.
    const confPort = conf ? gunicornConfPort(readText(join(s.root, confFile ?? '')) ?? '') : undefined;
    const at = installedAt(chosen.from);
    return {
      ...common,
      port: s.port ?? confPort ?? port,
      command: conf
        ? confFile === 'gunicorn.conf.py'
          ? ['gunicorn', web.target]
          : ['gunicorn', '-c', confFile ?? '', web.target]
        : serverCommand(chosen.server, iface, web.target, port),
      reason: `${what}, served by ${chosen.server}${conf ? ' (settings from gunicorn.conf.py)' : ''}`,
      evidence: `${web.file} (the app)${conf ? ', gunicorn.conf.py' : ''}`,
      confidence: 'medium',
      server: chosen.server,
      serverEvidence: at,
    };
  }
  // No server installed: the framework's own production runner where there is one.
  if (web.framework === 'fastapi' && installed.has('fastapi-cli')) {
    return {
      ...common,
      command: ['fastapi', 'run', web.file, '--app', web.target.split(':')[1], '--port', String(port)],
      reason: `${what}, run by fastapi-cli (no ASGI server in the dependencies)`,
      evidence: `${web.file} (the app)`,
      confidence: 'medium',
      server: 'fastapi-cli',
      serverEvidence: installedAt(installed.get('fastapi-cli')),
      notes: ['no ASGI server in the dependencies: `fastapi run` (fastapi-cli) serves the app'],
    };
  }
  const would: ServerName = iface === 'asgi' ? 'uvicorn' : 'gunicorn';
  const choices = SERVER_NAMES.filter((n) => SERVERS[n].kinds.includes(iface)).join(', ');
  return {
    ...common,
    command: serverCommand(would, iface, web.target, port),
    reason: `${what}; no ${iface.toUpperCase()} server installed`,
    evidence: `${web.file} (the app)`,
    confidence: 'low',
    missingServer: `${what} needs a ${iface.toUpperCase()} server and no dependency installs one (${choices}): add one, or pass --server ${would} (init installs it in the image) or --cmd`,
  };
}

/** The health route in the app's routing code, or one line saying why there is none. */
export function healthOf(
  root: string,
  modules: { file: string; module: string }[],
  app: AppInfo,
  start: StartEvidence | undefined,
  settings: string | undefined,
): Pick<AppInfo, 'healthPath' | 'healthEvidence' | 'healthNote'> {
  if (start?.http === false)
    return { healthNote: `${start.evidence}: the server does not speak HTTP on its port, so no HTTP HEALTHCHECK` };
  const route = findHealthRoute(root, modules, app.framework, settings);
  if (route) return { healthPath: route.path, healthEvidence: route.evidence };
  const where =
    app.framework === 'django'
      ? 'no health route in the URLconf (ROOT_URLCONF and its include()s)'
      : app.framework
        ? `no health route among the ${app.framework} routes`
        : 'no web framework routes found';
  return { healthNote: `${where}: no HEALTHCHECK (add a route, or pass --healthcheck=PATH)` };
}
