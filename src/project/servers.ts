/**
 * Which application servers the project installs (its dependencies, its lock, and the extras that
 * bring one, e.g. `fastapi[standard]`), where that is declared, and the command each one starts an
 * app with. A server is only named in a start command when it is installed or asked for with --server.
 */
import { join } from 'node:path';
import { normName, readText } from './files.js';

export type ServerName = 'gunicorn' | 'uwsgi' | 'waitress' | 'uvicorn' | 'hypercorn' | 'granian' | 'daphne';

interface ServerSpec {
  /** Distributions that install it (the first is the one --server installs: a wheel, no compiler). */
  packages: string[];
  /** The executable it installs. */
  executable: string;
  /** App interfaces it serves. */
  kinds: ('wsgi' | 'asgi')[];
}

/** In order of preference when several serve the app's interface. */
export const SERVERS: Record<ServerName, ServerSpec> = {
  gunicorn: { packages: ['gunicorn'], executable: 'gunicorn', kinds: ['wsgi'] },
  uwsgi: { packages: ['pyuwsgi', 'uwsgi'], executable: 'uwsgi', kinds: ['wsgi'] },
  waitress: { packages: ['waitress'], executable: 'waitress-serve', kinds: ['wsgi'] },
  uvicorn: { packages: ['uvicorn'], executable: 'uvicorn', kinds: ['asgi'] },
  hypercorn: { packages: ['hypercorn'], executable: 'hypercorn', kinds: ['asgi', 'wsgi'] },
  granian: { packages: ['granian'], executable: 'granian', kinds: ['asgi', 'wsgi'] },
  daphne: { packages: ['daphne'], executable: 'daphne', kinds: ['asgi'] },
};

export const SERVER_NAMES = Object.keys(SERVERS) as ServerName[];

/** The server an executable belongs to (`uwsgi` -> uwsgi, `waitress-serve` -> waitress). */
export function serverOfExecutable(exe: string): ServerName | undefined {
  const base = exe.split('/').pop() ?? exe;
  return SERVER_NAMES.find((s) => SERVERS[s].executable === base);
}

/** What an extra of a distribution installs besides it (the ones that bring a server or runner, or a bundled C library). */
const EXTRAS: Record<string, Record<string, string[]>> = {
  fastapi: {
    standard: ['uvicorn', 'fastapi-cli'],
    'standard-no-fastapi-cloud-cli': ['uvicorn', 'fastapi-cli'],
    all: ['uvicorn', 'fastapi-cli'],
  },
  'fastapi-cli': { standard: ['uvicorn'] },
  'fastapi-slim': { standard: ['uvicorn', 'fastapi-cli'], all: ['uvicorn', 'fastapi-cli'] },
  // Not servers: what decides whether the image needs libpq (system-packages.ts), without a lock.
  psycopg: { binary: ['psycopg-binary'], c: ['psycopg-c'] },
};

/** A distribution the project installs, and the line that says so. */
export interface Installed {
  name: string;
  /** `file:line`, or a file when no line names it (a lock listing it transitively). */
  evidence: string;
  /** The extra that brings it, e.g. `fastapi[standard]`. */
  via?: string;
}

/**
 * The distributions installed in the image: `dependencies` (direct and locked names, normalised)
 * plus what extras in the production manifests bring, each with the line that declares it.
 * `files` are the production manifests and lock (relative to root), read in order.
 */
export function installedPackages(root: string, files: string[], dependencies: string[]): Map<string, Installed> {
  const out = new Map<string, Installed>();
  const texts = files.map((f) => ({ file: f, lines: (readText(join(root, f)) ?? '').split('\n') }));
  const lineOf = (name: string): string | undefined => {
    for (const { file, lines } of texts) {
      const i = lines.findIndex((l) => declares(l, name, file));
      if (i >= 0) return `${file}:${i + 1}`;
    }
    return undefined;
  };
  for (const d of dependencies) out.set(d, { name: d, evidence: lineOf(d) ?? files[0] ?? 'the dependencies' });
  for (const { file, lines } of texts) {
    let table = '';
    lines.forEach((line, i) => {
      const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
      if (header) table = header[1].trim();
      // In pyproject.toml only the runtime dependencies count (not dev groups or optional extras).
      if (file.endsWith('.toml') && !/^(project|tool\.poetry\.dependencies)$/.test(table)) return;
      for (const m of line.matchAll(/([A-Za-z0-9][A-Za-z0-9._-]*)\[([\w\s,.-]+)\]/g)) {
        const dist = normName(m[1]);
        for (const extra of m[2].split(',').map((e) => e.trim().toLowerCase())) {
          for (const brought of EXTRAS[dist]?.[extra] ?? []) {
            // The extra explains why it is there better than the lock line that pins it.
            const had = out.get(brought)?.evidence ?? '';
            if (!had.includes(':') || /\.lock:/.test(had))
              out.set(brought, { name: brought, evidence: `${file}:${i + 1}`, via: `${m[1]}[${extra}]` });
          }
        }
      }
      // Poetry's table form: fastapi = { version = "...", extras = ["standard"] }
      const poetry = /^\s*([A-Za-z0-9][\w.-]*)\s*=\s*\{.*extras\s*=\s*\[([^\]]*)\]/.exec(line);
      if (poetry) {
        const dist = normName(poetry[1]);
        for (const extra of [...poetry[2].matchAll(/["']([^"']+)["']/g)].map((x) => x[1].toLowerCase()))
          for (const brought of EXTRAS[dist]?.[extra] ?? [])
            out.set(brought, { name: brought, evidence: `${file}:${i + 1}`, via: `${poetry[1]}[${extra}]` });
      }
    });
  }
  return out;
}

/** Whether a manifest or lock line declares the distribution `name` (normalised). */
function declares(line: string, name: string, file: string): boolean {
  if (file.endsWith('.lock')) {
    const m = /^name\s*=\s*"([^"]+)"/.exec(line);
    return !!m && normName(m[1]) === name;
  }
  if (file.endsWith('.toml')) {
    const m = /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line.replace(/^\s*\w+\s*=\s*\[\s*/, ''));
    return !!m && normName(m[1]) === name && /["']|=/.test(line);
  }
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line);
  return !!m && normName(m[1]) === name;
}

/** The installed server for an app interface, in order of preference. */
export function installedServer(
  installed: Map<string, Installed>,
  kind: 'wsgi' | 'asgi',
): { server: ServerName; from: Installed } | undefined {
  for (const s of SERVER_NAMES) {
    if (!SERVERS[s].kinds.includes(kind)) continue;
    for (const pkg of SERVERS[s].packages) {
      const from = installed.get(pkg);
      if (from) return { server: s, from };
    }
  }
  return undefined;
}

/** Whether the executable a command starts with belongs to a server that is not installed. */
export function missingServerOf(command: string[], installed: Map<string, Installed>): ServerName | undefined {
  const s = command[0] ? serverOfExecutable(command[0]) : undefined;
  if (!s) return undefined;
  return SERVERS[s].packages.some((p) => installed.has(p)) ? undefined : s;
}

/** The exec-form command that serves `target` (module:attr) with `server` on 0.0.0.0:port. */
export function serverCommand(server: ServerName, kind: 'wsgi' | 'asgi', target: string, port: number): string[] {
  switch (server) {
    case 'gunicorn':
      return ['gunicorn', '--bind', `0.0.0.0:${port}`, target];
    case 'uwsgi':
      // http-socket: uWSGI speaks HTTP itself, no router process; die-on-term: stop on docker stop.
      return ['uwsgi', '--http-socket', `:${port}`, '--module', target, '--master', '--need-app', '--die-on-term'];
    case 'waitress':
      return ['waitress-serve', `--port=${port}`, target];
    case 'uvicorn':
      return ['uvicorn', target, '--host', '0.0.0.0', '--port', String(port)];
    case 'hypercorn':
      return ['hypercorn', target, '--bind', `0.0.0.0:${port}`];
    case 'granian':
      return ['granian', '--interface', kind, '--host', '0.0.0.0', '--port', String(port), target];
    case 'daphne':
      return ['daphne', '--bind', '0.0.0.0', '--port', String(port), target];
  }
}
