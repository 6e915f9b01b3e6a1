/**
 * How the project itself says it starts, in order of evidence: its own Dockerfile (CMD/ENTRYPOINT),
 * Procfile `web:`, compose `command`, then its process manager config (uwsgi.ini / uwsgi.yaml /
 * an .ini with a `[uwsgi]` section, gunicorn.conf.py with `wsgi_app`) and task runner entries in
 * `[tool.*]` sections that start a server. Files layerwise wrote itself are not evidence.
 */
import { join } from 'node:path';
import { parseDocument, isMap, isScalar, isSeq, type Node } from 'yaml';
import { COMPOSE_FILES, isFile, lineAt, listDir, readText } from './files.js';
import { splitCommand } from './split-command.js';
import { serverOfExecutable } from './servers.js';

export interface StartEvidence {
  /** Exec-form command. */
  command: string[];
  /** `file:line` of the line that decided it. */
  evidence: string;
  /** What the evidence is, for the comment above CMD: e.g. `the web process of the Procfile (Procfile:1)`. */
  what: string;
  /** What kind of evidence it is. */
  source: 'Dockerfile' | 'Procfile' | 'compose' | 'uwsgi' | 'gunicorn' | 'task';
  /** The port the command listens on, when it says. */
  port?: number;
  /** The server speaks HTTP on that port (false: e.g. uWSGI's own protocol behind a proxy). */
  http?: boolean;
  /** Lines the user should read (one each). */
  notes: string[];
}

const OURS = /Written by `layerwise init|---- runtime: the final image/;

/** Whether a file is one layerwise init wrote (so not the project's own evidence). */
export function writtenByInit(text: string): boolean {
  return OURS.test(text);
}

/**
 * The first start command the project's own files give, or undefined. `skipped` gets one note per
 * development command passed over (compose `command`, a start task).
 */
export function projectStart(
  root: string,
  port: number | undefined,
  skipped: string[] = [],
): StartEvidence | undefined {
  return (
    fromDockerfile(root, port) ??
    fromProcfile(root, port) ??
    fromCompose(root, port, '.', skipped) ??
    fromUwsgiConfig(root) ??
    fromGunicornConf(root) ??
    fromToolTasks(root, port, skipped)
  );
}

/**
 * What makes a command a development server (reloads, debug runner), or undefined: compose files
 * and task runners often start one, and it is no evidence for the image's command.
 */
export function devServer(command: string[]): string | undefined {
  const line = command.join(' ');
  if (/(^|[\s/])(manage\.py|django-admin)\s+runserver\b/.test(line)) return "Django's development server";
  if (/(^|[\s/])flask\s(.*\s)?run\b/.test(line)) return "Flask's development server";
  if (/(^|[\s/])fastapi\s+dev\b/.test(line)) return "`fastapi dev` (FastAPI's development server)";
  if (/(^|\s)--reload\b/.test(line)) return 'a server that reloads on code changes (--reload)';
  return undefined;
}

function devNote(where: string, command: string[], why: string): string {
  return `${where}: \`${command.join(' ')}\` runs ${why}, not a production command: init uses the installed server instead`;
}

/** `CMD` (after `ENTRYPOINT`, when there is one) of the last stage of ./Dockerfile. */
export function fromDockerfile(root: string, port: number | undefined): StartEvidence | undefined {
  const text = readText(join(root, 'Dockerfile'));
  if (!text || OURS.test(text)) return undefined;
  let cmd: { args: string[]; line: number } | undefined;
  let entry: { args: string[]; line: number } | undefined;
  for (const ins of instructions(text)) {
    if (ins.keyword === 'FROM') {
      cmd = undefined;
      entry = undefined;
    } else if (ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') {
      const args = execOrShell(ins.args);
      if (ins.keyword === 'CMD') cmd = { args, line: ins.line };
      else entry = { args, line: ins.line };
    }
  }
  const decided = cmd ?? entry;
  if (!decided) return undefined;
  const command = entry && cmd ? [...entry.args, ...cmd.args] : decided.args;
  return {
    command,
    evidence: `Dockerfile:${decided.line}`,
    what: `the ${cmd ? 'CMD' : 'ENTRYPOINT'} of the project's own Dockerfile (Dockerfile:${decided.line})`,
    source: 'Dockerfile',
    port: portOf(command, port),
    notes: entry && cmd ? [`Dockerfile:${entry.line}: ENTRYPOINT and CMD joined into one command`] : [],
  };
}

/** The `web:` process of a Procfile. */
export function fromProcfile(root: string, port: number | undefined): StartEvidence | undefined {
  const text = readText(join(root, 'Procfile'));
  if (!text) return undefined;
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^web\s*:/.test(l));
  if (i < 0) return undefined;
  const command = shellCommand(lines[i].replace(/^web\s*:\s*/, '').trim());
  return {
    command,
    evidence: `Procfile:${i + 1}`,
    what: `the web process of the Procfile (Procfile:${i + 1})`,
    source: 'Procfile',
    port: portOf(command, port),
    notes: [],
  };
}

/**
 * `command` of the compose service built from this directory (or the only one that builds);
 * `context`: the service whose build context is that directory (a workspace member's).
 */
export function fromCompose(
  root: string,
  port: number | undefined,
  context = '.',
  skipped: string[] = [],
): StartEvidence | undefined {
  const wanted = context.replace(/^\.\//, '').replace(/\/$/, '') || '.';
  for (const file of COMPOSE_FILES) {
    const text = readText(join(root, file));
    if (!text || OURS.test(text)) continue;
    let doc;
    try {
      doc = parseDocument(text);
    } catch {
      continue;
    }
    const services = doc.get('services');
    if (!isMap(services)) continue;
    const built = services.items.filter((it) => {
      const svc = it.value;
      if (!isMap(svc)) return false;
      const build = svc.get('build', true) as Node | undefined;
      const ctx = isScalar(build) ? build.value : isMap(build) ? build.get('context') : undefined;
      const dir = ctx === undefined ? '.' : String(ctx).replace(/^\.\//, '').replace(/\/$/, '') || '.';
      return build !== undefined && dir === wanted;
    });
    const svc = built[0]?.value;
    if (!isMap(svc)) continue;
    const node = svc.get('command', true) as Node | undefined;
    if (!node) continue;
    const line = lineAt(text, node.range?.[0] ?? 0);
    let command: string[];
    if (isSeq(node)) command = node.items.map((x) => String(isScalar(x) ? x.value : x));
    else if (isScalar(node)) command = shellCommand(String(node.value));
    else continue;
    const name = isScalar(built[0].key) ? String(built[0].key.value) : 'app';
    // Compose files are often for development: a dev server is not the image's command.
    const dev = devServer(command);
    if (dev) {
      skipped.push(devNote(`${file}:${line}`, command, dev));
      continue;
    }
    const notes = built.length > 1 ? [`${file}: several services build this directory; took \`${name}\``] : [];
    return {
      command,
      evidence: `${file}:${line}`,
      what: `the command of service \`${name}\` in ${file} (${file}:${line})`,
      source: 'compose',
      port: portOf(command, port),
      notes,
    };
  }
  return undefined;
}

/** uwsgi.ini, uwsgi.yaml/yml, or another top-level .ini with a `[uwsgi]` section. */
export function fromUwsgiConfig(root: string): StartEvidence | undefined {
  const names = listDir(root);
  const ini = ['uwsgi.ini', ...names.filter((n) => n.endsWith('.ini') && n !== 'uwsgi.ini').sort()];
  for (const file of ini) {
    const text = isFile(join(root, file)) ? readText(join(root, file)) : undefined;
    if (!text) continue;
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^\s*\[uwsgi\]\s*$/.test(l));
    if (start < 0) continue;
    const opts = new Map<string, { value: string; line: number }>();
    for (let i = start + 1; i < lines.length && !/^\s*\[/.test(lines[i]); i++) {
      const m = /^\s*([\w-]+)\s*=\s*(.*?)\s*$/.exec(lines[i]);
      if (m && !opts.has(m[1])) opts.set(m[1], { value: m[2], line: i + 1 });
    }
    return uwsgiEvidence(['uwsgi', '--ini', file], start + 1, file, opts);
  }
  for (const file of ['uwsgi.yaml', 'uwsgi.yml']) {
    const text = readText(join(root, file));
    if (!text) continue;
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^uwsgi\s*:/.test(l));
    if (start < 0) continue;
    const opts = new Map<string, { value: string; line: number }>();
    for (let i = start + 1; i < lines.length && /^\s+|^$/.test(lines[i]); i++) {
      const m = /^\s+([\w-]+)\s*:\s*["']?(.*?)["']?\s*$/.exec(lines[i]);
      if (m && !opts.has(m[1])) opts.set(m[1], { value: m[2], line: i + 1 });
    }
    return uwsgiEvidence(['uwsgi', '--yaml', file], start + 1, file, opts);
  }
  return undefined;
}

function uwsgiEvidence(
  command: string[],
  section: number,
  file: string,
  opts: Map<string, { value: string; line: number }>,
): StartEvidence {
  const notes: string[] = [];
  const http = opts.get('http-socket') ?? opts.get('http') ?? opts.get('http11-socket');
  const other = opts.get('socket') ?? opts.get('uwsgi-socket');
  const bound = http ?? other;
  const port = bound ? Number(/:(\d{2,5})\s*$/.exec(bound.value)?.[1]) || undefined : undefined;
  if (!http && other)
    notes.push(
      `${file}:${other.line}: uWSGI speaks its own protocol on ${other.value} (for a proxy such as nginx), not HTTP: no HTTP HEALTHCHECK`,
    );
  const chdir = opts.get('chdir');
  // An absolute chdir from the host or an old server would not exist in the image: uWSGI would
  // fail to start. A later --chdir overrides the file's.
  if (chdir && chdir.value.startsWith('/') && chdir.value !== '/app') {
    command = [...command, '--chdir', '/app'];
    notes.push(
      `${file}:${chdir.line}: chdir = ${chdir.value} does not exist in the image: the command adds --chdir /app (the image's WORKDIR)`,
    );
  }
  const app = opts.get('module') ?? opts.get('wsgi-file') ?? opts.get('wsgi');
  const says = [
    app ? `app ${app.value}` : '',
    http ? `HTTP on ${http.value}` : other ? `uwsgi protocol on ${other.value}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return {
    command,
    evidence: `${file}:${section}`,
    what: `the [uwsgi] section of ${file} (${file}:${section}${says ? `: ${says}` : ''})`,
    source: 'uwsgi',
    port,
    http: http ? true : other ? false : undefined,
    notes,
  };
}

/** gunicorn.conf.py that names the app itself (`wsgi_app = "pkg.wsgi:application"`). */
export function fromGunicornConf(root: string): StartEvidence | undefined {
  const text = readText(join(root, 'gunicorn.conf.py'));
  if (!text) return undefined;
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^wsgi_app\s*=\s*["'][\w.:]+["']/.test(l));
  if (i < 0) return undefined;
  return {
    command: ['gunicorn'],
    evidence: `gunicorn.conf.py:${i + 1}`,
    what: `gunicorn.conf.py, which names the app (gunicorn.conf.py:${i + 1})`,
    source: 'gunicorn',
    port: gunicornConfPort(text),
    notes: [],
  };
}

/** The port gunicorn.conf.py binds (`bind = "0.0.0.0:8000"`, or the default of a PORT lookup). */
export function gunicornConfPort(text: string): number | undefined {
  const bind = /^bind\s*=\s*(.*)$/m.exec(text)?.[1];
  if (!bind) return undefined;
  const m = /["']PORT["']\s*,\s*["']?(\d{2,5})/.exec(bind) ?? /:(\d{2,5})["'\]]/.exec(bind);
  return m ? Number(m[1]) : undefined;
}

const TASK_NAMES = /^(start|serve|server|web|prod|production|run-server|runserver)$/;

/**
 * A task runner entry that starts a server: [tool.pdm.scripts], [tool.poe.tasks],
 * [tool.taskipy.tasks], [tool.rye.scripts], [tool.hatch.envs.default.scripts]. Only entries named
 * like a start task whose command begins with a server; a development server is passed over.
 */
export function fromToolTasks(
  root: string,
  port: number | undefined,
  skipped: string[] = [],
): StartEvidence | undefined {
  const text = readText(join(root, 'pyproject.toml'));
  if (!text) return undefined;
  const lines = text.split('\n');
  let table = '';
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(lines[i]);
    if (header) {
      table = header[1].trim();
      continue;
    }
    if (!/^tool\.(pdm\.scripts|poe\.tasks|taskipy\.tasks|rye\.scripts|hatch\.envs\.default\.scripts)$/.test(table))
      continue;
    const m = /^\s*([\w-]+)\s*=\s*(?:\{[^}]*?(?:cmd|shell)\s*=\s*)?"([^"]+)"/.exec(lines[i]);
    if (!m || !TASK_NAMES.test(m[1])) continue;
    const command = shellCommand(m[2]);
    const dev = devServer(command);
    if (dev) {
      skipped.push(devNote(`pyproject.toml:${i + 1}`, command, dev));
      continue;
    }
    if (!serverOfExecutable(command[0] ?? '')) continue;
    return {
      command,
      evidence: `pyproject.toml:${i + 1}`,
      what: `the [${table}] task \`${m[1]}\` (pyproject.toml:${i + 1})`,
      source: 'task',
      port: portOf(command, port),
      notes: [],
    };
  }
  return undefined;
}

/**
 * The port a server command line binds (`--bind 0.0.0.0:8000`, `--port 8000`, `--http-socket :8000`).
 * `$PORT` is the port the image sets PORT to (`envPort`, else 8000); `${PORT:-N}` its default N.
 */
export function portOf(command: string[], envPort?: number): number | undefined {
  const line = command
    .join(' ')
    .replace(/\$\{PORT:-(\d+)\}/g, (_, d: string) => String(envPort ?? d))
    .replace(/\$\{PORT\}|\$PORT\b/g, String(envPort ?? 8000));
  const m =
    /(?:--port|-p)[= ](\d{2,5})\b/.exec(line) ??
    /(?:--bind|-b|--http-socket|--http|--listen)[= ]\S*:(\d{2,5})\b/.exec(line) ??
    /\b(?:0\.0\.0\.0|\[::\]):(\d{2,5})\b/.exec(line);
  return m ? Number(m[1]) : undefined;
}

/** The command reads $PORT (the image must set PORT). */
export function readsPort(command: string[]): boolean {
  return command.some((a) => /\$\{PORT\b|\$PORT\b/.test(a));
}

/**
 * A shell command line as exec form. Anything the shell would expand or chain keeps a shell
 * (`sh -c`, with `exec` when it is one command, so signals reach the server); `$PORT` stays
 * `$PORT` (the image sets PORT by default), so a host that sets PORT itself is obeyed.
 */
export function shellCommand(text: string): string[] {
  if (/&&|\|\||[;|<>`]/.test(text)) return ['sh', '-c', text];
  if (/\$/.test(text)) return ['sh', '-c', `exec ${text}`];
  return splitCommand(text);
}

function execOrShell(args: string): string[] {
  const t = args.trim();
  if (t.startsWith('[')) {
    try {
      const v = JSON.parse(t) as unknown;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    } catch {
      // not JSON: Docker runs it as a shell command
    }
  }
  return shellCommand(t);
}

/** Dockerfile instructions with continuation lines joined and the line each starts on. */
function instructions(text: string): { keyword: string; args: string; line: number }[] {
  const out: { keyword: string; args: string; line: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    if (/^\s*(#|$)/.test(first)) continue;
    const start = i;
    let full = first.replace(/\r$/, '');
    while (/\\\s*$/.test(full) && i + 1 < lines.length) {
      full = full.replace(/\\\s*$/, ' ');
      i++;
      if (!/^\s*#/.test(lines[i])) full += lines[i].replace(/\r$/, '').trim();
    }
    const m = /^\s*(\w+)\s+([\s\S]*)$/.exec(full);
    if (m) out.push({ keyword: m[1].toUpperCase(), args: m[2], line: start + 1 });
  }
  return out;
}
