/**
 * Helpers for layerwise's own rules (LW*4xx): which stages end up in the image, the value of a
 * variable at a RUN, the working directory, users' homes and uids, cache directories of
 * package managers, and a cheap look at the project's pyproject.toml in the build context.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { BuildContext } from '../../dockerfile/context.js';
import { copySources, normaliseSource } from '../../dockerfile/simulate.js';
import type { Dockerfile, Instruction, Mount, PackageOp, ShellCommand, Stage } from '../../dockerfile/types.js';
import { envAt, shippedStages, stageChain, stageOf, userAt } from '../util.js';

/** Instructions before `ins` in its stage and the stages it is built on, in build order. */
export function instructionsBefore(file: Dockerfile, ins: Instruction): Instruction[] {
  const stage = stageOf(file, ins);
  if (!stage) return [];
  const chain = stageChain(file, stage).reverse();
  const out: Instruction[] = [];
  for (const s of chain) for (const i of s.instructions) if (s !== stage || i.index < ins.index) out.push(i);
  return out;
}

const TRUE = /^(1|true|yes|on|y)$/i;

export function truthy(v: string | undefined): boolean {
  return v !== undefined && TRUE.test(v.trim().replace(/^["']|["']$/g, ''));
}

/**
 * Value of a variable as a command in a RUN sees it: the command's own `VAR=x` prefix, an
 * `export VAR=...` earlier in the script (value unknown: returns '?'), ENV, or an ARG default.
 */
export function varAt(file: Dockerfile, ins: Instruction, name: string, cmd?: ShellCommand): string | undefined {
  if (cmd && name in cmd.assignments) return cmd.assignments[name];
  if (ins.shell) {
    for (const c of ins.shell.commands) {
      if (cmd && (c.line > cmd.line || (c.line === cmd.line && c.column >= cmd.column))) break;
      if (c.program === 'export' || c.program === 'declare') {
        for (const a of c.args) if (a.value.startsWith(`${name}=`)) return a.value.slice(name.length + 1);
      }
    }
    if (!cmd && ins.shell.assigned.includes(name)) return '?';
  }
  const env = envAt(file, ins, name);
  if (env !== undefined) return env;
  const stage = stageOf(file, ins);
  if (!stage) return undefined;
  for (const s of stageChain(file, stage)) {
    const args = s.instructions.filter((i) => i.keyword === 'ARG' && (s !== stage || i.index < ins.index));
    for (let k = args.length - 1; k >= 0; k--) {
      const p = args[k].pairs.find((x) => x.key === name);
      if (p?.resolved !== undefined) return p.resolved;
    }
  }
  return undefined;
}

/** The working directory an instruction runs in (WORKDIR of its stage chain), '/' by default. */
export function workdirAt(file: Dockerfile, ins: Instruction): string {
  let dir = '/';
  for (const i of instructionsBefore(file, ins)) {
    if (i.keyword !== 'WORKDIR') continue;
    const w = (i.resolvedArgs[0] ?? '').replace(/^["']|["']$/g, '');
    if (!w) continue;
    dir = w.startsWith('/') ? posix.normalize(w) : posix.join(dir, w);
  }
  return dir;
}

/** Absolute path of `p` seen from `dir`. */
export function absPath(dir: string, p: string): string {
  const clean = p.replace(/^["']|["']$/g, '');
  const out = clean.startsWith('/') ? posix.normalize(clean) : posix.join(dir, clean);
  return out.length > 1 ? out.replace(/\/+$/, '') : out;
}

/** True when `inner` is `outer` or inside it. */
export function within(inner: string, outer: string): boolean {
  if (outer === '/') return true;
  return inner === outer || inner.startsWith(`${outer}/`);
}

export interface UserInfo {
  name: string;
  home: string;
  uid?: string;
  root: boolean;
  /** False when the home is only a guess (`/home/<name>` for a user the Dockerfile does not create). */
  homeKnown: boolean;
}

/**
 * What the Dockerfile tells about a user: home (useradd -d/--home-dir, adduser --home, ENV HOME
 * at `ins`) and uid (useradd -u/--uid, adduser -u/--uid). A numeric user is matched by uid.
 */
const userCommandCache = new WeakMap<Dockerfile, ShellCommand[]>();

/** The useradd/adduser commands of a file, found once per file (userInfo runs per mount). */
function userCommands(file: Dockerfile): ShellCommand[] {
  let list = userCommandCache.get(file);
  if (!list) {
    list = [];
    for (const i of file.instructions) {
      for (const c of i.shell?.commands ?? []) if (c.program === 'useradd' || c.program === 'adduser') list.push(c);
    }
    userCommandCache.set(file, list);
  }
  return list;
}

export function userInfo(file: Dockerfile, user: string, ins?: Instruction): UserInfo {
  const root = user === 'root' || user === '0';
  const numeric = /^\d+$/.test(user);
  const info: UserInfo = { name: user, home: root ? '/root' : `/home/${user}`, root, homeKnown: root };
  if (numeric) info.uid = user;
  for (const c of userCommands(file)) {
    const words = c.args.map((a) => a.value);
    const positional = words.filter((w, k) => !w.startsWith('-') && !isValuedUserOpt(words[k - 1]));
    let uid: string | undefined;
    let home: string | undefined;
    for (let k = 0; k < words.length; k++) {
      const w = words[k];
      const eq = w.startsWith('--') ? w.indexOf('=') : -1;
      const opt = eq > 0 ? w.slice(0, eq) : w;
      const val = eq > 0 ? w.slice(eq + 1) : words[k + 1];
      if (opt === '-u' || opt === '--uid') uid = val;
      if ((opt === '-d' || opt === '--home-dir' || opt === '--home' || opt === '-h') && val?.startsWith('/'))
        home = val;
    }
    const name =
      c.program === 'adduser'
        ? (positional.find((p) => p === user) ?? positional[0])
        : positional[positional.length - 1];
    const matches = numeric ? uid === user : name === user;
    if (!matches) continue;
    if (uid) info.uid = uid;
    if (name && numeric) info.name = name;
    info.home = home ?? `/home/${name ?? user}`;
    info.homeKnown = true;
  }
  if (ins) {
    const home = envAt(file, ins, 'HOME');
    if (home?.startsWith('/')) {
      info.home = home;
      info.homeKnown = true;
    }
  }
  return info;
}

function isValuedUserOpt(w: string | undefined): boolean {
  return (
    !!w &&
    /^(-[ugdscGkKbefp]|--(uid|gid|home|home-dir|shell|comment|groups|ingroup|gecos|skel|key|base-dir|expiredate|inactive|password|firstuid|lastuid))$/.test(
      w,
    )
  );
}

/** Cache directories (relative to $HOME) of package managers, by the variable that moves them. */
export const CACHE_DIRS: { tool: string; rel: string; env: string[] }[] = [
  { tool: 'pip', rel: '.cache/pip', env: ['PIP_CACHE_DIR'] },
  { tool: 'uv', rel: '.cache/uv', env: ['UV_CACHE_DIR'] },
  { tool: 'poetry', rel: '.cache/pypoetry', env: ['POETRY_CACHE_DIR'] },
  { tool: 'pdm', rel: '.cache/pdm', env: ['PDM_CACHE_DIR'] },
  { tool: 'pipenv', rel: '.cache/pipenv', env: ['PIPENV_CACHE_DIR'] },
  { tool: 'npm', rel: '.npm', env: ['npm_config_cache', 'NPM_CONFIG_CACHE'] },
  { tool: 'yarn', rel: '.cache/yarn', env: ['YARN_CACHE_FOLDER'] },
  { tool: 'go', rel: '.cache/go-build', env: ['GOCACHE'] },
];

/** The cache directory `tool` uses for a command in `ins`, as an absolute path. */
export function cacheDirOf(file: Dockerfile, ins: Instruction, tool: string, op?: PackageOp): string {
  const spec = CACHE_DIRS.find((c) => c.tool === tool);
  if (op) {
    const v = op.optionValues['--cache-dir']?.[0] ?? (tool === 'npm' ? op.optionValues['--cache']?.[0] : undefined);
    if (v?.startsWith('/')) return absPath('/', v);
  }
  for (const name of spec?.env ?? []) {
    const v = varAt(file, ins, name, op?.command);
    if (v?.startsWith('/')) return absPath('/', v);
  }
  const info = userInfo(file, userAt(file, ins), ins);
  const xdg = varAt(file, ins, 'XDG_CACHE_HOME', op?.command);
  const rel = spec?.rel ?? `.cache/${tool}`;
  if (xdg?.startsWith('/') && rel.startsWith('.cache/')) return absPath(xdg, rel.slice('.cache/'.length));
  return absPath(info.home, rel);
}

/** The cache mount of `ins` that holds `dir` (target is `dir` or a parent of it). */
export function cacheMountFor(ins: Instruction, dir: string): Mount | undefined {
  return ins.mounts.find((m) => m.type === 'cache' && m.target && within(dir, absPath('/', m.target)));
}

const pyprojectCache = new WeakMap<BuildContext, string | null>();

/**
 * Text of pyproject.toml at the root of the build context, when the context is on disk and
 * has one (read once per context). Undefined otherwise.
 */
export function contextPyproject(context: BuildContext): string | undefined {
  if (!context.exists || !context.dir) return undefined;
  let text = pyprojectCache.get(context);
  if (text === undefined) {
    try {
      text = readFileSync(posix.join(context.dir, 'pyproject.toml'), 'utf8');
    } catch {
      text = null;
    }
    pyprojectCache.set(context, text);
  }
  return text ?? undefined;
}

/** `[project] name` (or `[tool.poetry] name`) of a pyproject.toml text. */
export function projectName(pyproject: string): string | undefined {
  const m = /^\s*\[(?:project|tool\.poetry)\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(pyproject);
  const body = m?.[1] ?? '';
  const n = /^\s*name\s*=\s*["']([^"']+)["']/m.exec(body);
  return n?.[1];
}

/** The setuptools_scm environment variable name for a distribution: `my-app` -> MY_APP. */
export function scmEnvName(dist: string): string {
  return dist.replace(/[-_.]+/g, '_').toUpperCase();
}

/** True when a COPY/ADD instruction copies from another stage or image. */
export function copiesFromStage(ins: Instruction): boolean {
  return ins.flags.some((f) => f.name === 'from');
}

/** Lines of an instruction's command for a finding: the command's own line. */
export function cmdPos(cmd: ShellCommand): { line: number; column: number } {
  return { line: cmd.line, column: cmd.column };
}

/**
 * Instructions that send the whole build context into a step: `COPY . .`, `ADD . /app`,
 * `COPY * ./`, or a bind mount of the context root (`RUN --mount=type=bind,target=/src`).
 */
export function wholeContextInstructions(file: Dockerfile): Instruction[] {
  const out: Instruction[] = [];
  for (const ins of file.instructions) {
    if ((ins.keyword === 'COPY' || ins.keyword === 'ADD') && !copiesFromStage(ins)) {
      if (copySources(ins).some((s) => s === '*' || normaliseSource(s) === '.')) out.push(ins);
    } else if (ins.keyword === 'RUN') {
      if (ins.mounts.some((m) => m.type === 'bind' && !m.from && normaliseSource(m.source ?? '.') === '.'))
        out.push(ins);
    }
  }
  return out;
}
