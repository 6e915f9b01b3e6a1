/**
 * dependency-change: one package added to the lock, with the project's own manager against the
 * index the project uses (uv add, poetry add --lock, pdm add, pip-compile, pipenv lock), or the
 * user's own command (--dep-change). Run in the bench copy; what the tools leave beside the lock
 * (a .venv, .pdm-python) is removed so that only the manifest and the lock change.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { readLock } from '../audit/lock-read.js';
import { UserError } from '../errors.js';
import { normName } from '../project/files.js';
import type { PythonProject } from '../project/types.js';
import { type BenchCopy, type BenchImageSource, detachFile, inCopy } from './workspace.js';

/** The options of changes.ts's ChangeOptions this module reads. */
interface DepOptions {
  depChange?: string;
  indexUrl?: string;
  env?: Record<string, string>;
}

/**
 * Small pure-Python packages with no dependencies of their own, found on any index that mirrors
 * PyPI: the first the lock lacks is added, so the change is one package (and one more per
 * repetition).
 */
export const CANDIDATES = ['six', 'iniconfig', 'sniffio', 'tomli', 'zipp', 'decorator', 'humanize', 'pyparsing'];

const TOOL_TIMEOUT_MS = 600_000;

/** Lock files a manager may create where the project had none: kept, the rest a tool leaves is removed. */
const LOCKS = new Set(['uv.lock', 'poetry.lock', 'pdm.lock', 'Pipfile.lock']);

interface ToolRun {
  code: number;
  output: string;
}

/** Runs `cmd args` in `cwd`; a missing program is `code: -1`. */
function runTool(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ToolRun> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => out.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), TOOL_TIMEOUT_MS);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done({ code: e.code === 'ENOENT' ? -1 : 127, output: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? 128, output: Buffer.concat(out).toString('utf8') });
    });
  });
}

function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(-1)[0] ?? 'no output'
  );
}

/**
 * The managers' environment. The index given goes in only where the project names none of its
 * own (pyproject.toml's uv index or pdm source, uv.toml): overriding the project's index would
 * re-point every package of the lock, not add one. In the environment, not on the command line:
 * `uv add --default-index` writes the index into pyproject.toml.
 */
function toolEnv(opts: DepOptions, dir?: string): NodeJS.ProcessEnv {
  const read = (f: string): string => (dir && existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  const own =
    /^\s*\[\[tool\.(uv\.index|pdm\.source)\]\]|^\s*(index-url|default-index)\s*=/m.test(read('pyproject.toml')) ||
    /^\s*(\[\[index\]\]|index-url|default-index)/m.test(read('uv.toml'));
  return {
    ...process.env,
    ...opts.env,
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
    POETRY_NO_INTERACTION: '1',
    PDM_CHECK_UPDATE: 'false',
    ...(opts.indexUrl && !own
      ? { UV_DEFAULT_INDEX: opts.indexUrl, PDM_PYPI_URL: opts.indexUrl, PIPENV_PYPI_MIRROR: opts.indexUrl }
      : {}),
  };
}

/** One package added: the command that adds it, and any edit of a manifest made first. */
interface Plan {
  tool: string;
  args: string[];
  /** Edits the manifest before the tool runs (pip-tools' .in, pipenv's Pipfile, pip's requirements). */
  edit?: () => void;
}

/** The command that adds `name` with the project's manager (in the project's copy `dir`). */
export function planAdd(p: PythonProject, dir: string, name: string, indexUrl: string | undefined): Plan {
  switch (p.manager) {
    case 'uv': {
      const member = p.workspace?.selected?.name;
      return {
        tool: 'uv',
        args: ['add', '--no-sync', ...(member ? ['--package', member] : []), name],
      };
    }
    case 'poetry':
      return { tool: 'poetry', args: ['add', '--lock', name] };
    case 'pdm':
      return { tool: 'pdm', args: ['add', '--no-sync', name] };
    case 'pipenv':
      return {
        tool: 'pipenv',
        args: ['lock'],
        edit: () => {
          const file = join(dir, 'Pipfile');
          const text = readFileSync(file, 'utf8');
          const at = /^\[packages\][ \t]*\r?\n/m.exec(text);
          writeFileSync(
            file,
            at
              ? text.slice(0, at.index + at[0].length) + `${name} = "*"\n` + text.slice(at.index + at[0].length)
              : `${text}${text.endsWith('\n') ? '' : '\n'}\n[packages]\n${name} = "*"\n`,
          );
        },
      };
    case 'pip-tools': {
      const lock = p.lockFile ?? 'requirements.txt';
      const input = lock.replace(/\.txt$/, '.in');
      if (!existsSync(join(dir, input)))
        throw new UserError(
          `dependency-change: ${lock} is compiled by pip-tools but ${input} is not in the build context; give the change with --dep-change 'CMD'`,
        );
      return {
        tool: 'pip-compile',
        args: pipCompileArgs(readFileSync(join(dir, lock), 'utf8'), lock, input, p.hashes, indexUrl),
        edit: () => appendRequirement(join(dir, input), name),
      };
    }
    case 'pip': {
      const lock = p.lockFile;
      if (!lock || p.hashes)
        throw new UserError(
          `dependency-change: ${lock ? `${lock} pins hashes and no tool here can compute them` : 'the project has no requirements file'}; give the change with --dep-change 'CMD'`,
        );
      // Plain pip has no lock tool: the change is the line a user adds by hand.
      return { tool: '', args: [], edit: () => appendRequirement(join(dir, lock), name) };
    }
  }
}

function appendRequirement(file: string, name: string): void {
  const text = readFileSync(file, 'utf8');
  appendFileSync(file, `${text.endsWith('\n') || !text ? '' : '\n'}${name}\n`);
}

/**
 * pip-compile's arguments: the command its header records (the project's own options, its index
 * among them), else the usual ones; the index given goes in when the command names none.
 */
export function pipCompileArgs(
  lockText: string,
  lock: string,
  input: string,
  hashes: boolean,
  indexUrl: string | undefined,
): string[] {
  const header = /^#\s+pip-compile(?:\s+(.*))?$/m.exec(lockText);
  let args = header?.[1]?.trim().split(/\s+/) ?? [
    ...(hashes ? ['--generate-hashes'] : []),
    '--no-emit-find-links',
    `--output-file=${lock}`,
    input,
  ];
  if (indexUrl && !args.some((a) => a === '--index-url' || a.startsWith('--index-url=') || a === '-i'))
    args = [...args, `--index-url=${indexUrl}`];
  return ['-q', ...args];
}

/** Normalised names of the packages the lock (or manifest) already holds. */
function lockedNames(p: PythonProject, dir: string): Set<string> {
  const names = new Set(p.dependencies.map(normName));
  if (p.lockFile && existsSync(join(dir, p.lockFile))) {
    const text = readFileSync(join(dir, p.lockFile), 'utf8');
    for (const pkg of readLock(p.lockFile, text, p.python.version).packages) names.add(normName(pkg.name));
    // Every package the file lists, reached from the project's roots or not (TOML locks, requirement lines).
    for (const m of text.matchAll(/^(?:name = "([^"]+)"|([A-Za-z0-9][\w.-]*)\s*(?:[=<>!~;[]|$))/gm))
      names.add(normName(m[1] ?? m[2]));
  }
  return names;
}

function hashOf(file: string): string {
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : '';
}

/** The version the lock now pins for `name`, if it says. */
function lockedVersion(p: PythonProject, dir: string, name: string): string | undefined {
  if (!p.lockFile || !existsSync(join(dir, p.lockFile))) return undefined;
  const text = readFileSync(join(dir, p.lockFile), 'utf8');
  const pkgs = readLock(p.lockFile, text, p.python.version).packages;
  // readLock walks a uv.lock from the project's roots: a package only a member wants may not be reached.
  const listed = new RegExp(`^name = "${name}"\\s*\\nversion = "([^"]+)"`, 'm').exec(text)?.[1];
  return pkgs.find((x) => normName(x.name) === name)?.version || listed;
}

/**
 * Makes the dependency change in the copy and says what it did. Throws a UserError when the
 * manager is missing (naming --dep-change), fails, or leaves the lock as it was.
 */
export async function changeDependency(copy: BenchCopy, img: BenchImageSource, opts: DepOptions): Promise<string> {
  const p = img.project;
  const dir = p ? inCopy(copy, img, p.dir) : undefined;
  // The manifests and locks a change edits must not be links out of the copy (into the user's tree).
  if (p && dir && existsSync(dir))
    for (const f of [...manifestFiles(p), ...LOCKS])
      detachFile(copy.context, relative(copy.context, join(dir, f)), 'dependency-change');
  if (opts.depChange !== undefined) {
    const env = toolEnv(opts);
    const r = await runTool('sh', ['-c', opts.depChange], copy.context, env);
    if (r.code !== 0) throw new UserError(`--dep-change '${opts.depChange}' exited ${r.code}: ${lastLine(r.output)}`);
    return `ran --dep-change '${opts.depChange}'`;
  }
  if (!p || !dir || !existsSync(dir))
    throw new UserError(
      `dependency-change: no Python project in the build context ${img.context}; give the change with --dep-change 'CMD'`,
    );
  const taken = lockedNames(p, dir);
  const name = CANDIDATES.find((c) => !taken.has(c));
  if (!name)
    throw new UserError(
      `dependency-change: the lock already holds every package bench adds; give the change with --dep-change 'CMD'`,
    );
  const env = toolEnv(opts, dir);
  const plan = planAdd(p, dir, name, opts.indexUrl);
  const lockPath = p.lockFile ? join(dir, p.lockFile) : undefined;
  const before = lockPath ? hashOf(lockPath) : '';
  const entries = new Set(readdirSync(dir));
  const saved = saveManifests(p, dir);
  try {
    plan.edit?.();
    await runPlan(plan, p, dir, env, entries, lockPath, before);
  } catch (e) {
    // A failed change leaves the copy as it was, for the scenarios after it.
    restoreManifests(dir, saved);
    throw e;
  }
  const version = lockedVersion(p, dir, name);
  const where = relative(copy.context, lockPath ?? dir)
    .split(sep)
    .join('/');
  return `added ${name}${version ? ` ${version}` : ''} to ${where}${plan.tool ? ` with ${plan.tool}` : ''}`;
}

/** Runs the manager's command, removes what it made beside the lock, and checks the lock changed. */
async function runPlan(
  plan: Plan,
  p: PythonProject,
  dir: string,
  env: NodeJS.ProcessEnv,
  entries: Set<string>,
  lockPath: string | undefined,
  before: string,
): Promise<void> {
  if (!plan.tool) return;
  const r = await runTool(plan.tool, plan.args, dir, env);
  // What the tool made beside the lock (a venv, an interpreter pin) is no part of the change.
  for (const e of readdirSync(dir))
    if (!entries.has(e) && e !== p.lockFile && !LOCKS.has(e)) rmSync(join(dir, e), { recursive: true, force: true });
  if (r.code === -1)
    throw new UserError(
      `dependency-change needs ${plan.tool} (the project's manager, ${p.manager}) on PATH: install it, or give the change with --dep-change 'CMD'`,
    );
  if (r.code !== 0)
    throw new UserError(
      `dependency-change: ${plan.tool} ${plan.args.join(' ')} exited ${r.code}: ${lastLine(r.output)}`,
    );
  if (lockPath && hashOf(lockPath) === before)
    throw new UserError(
      `dependency-change: ${plan.tool} left ${p.lockFile} unchanged; give the change with --dep-change 'CMD'`,
    );
}

/** The files a dependency change may edit (manifests, the lock, pip-tools' input), as they are now (null: absent). */
function saveManifests(p: PythonProject, dir: string): Map<string, Buffer | null> {
  const saved = new Map<string, Buffer | null>();
  for (const f of manifestFiles(p)) saved.set(f, existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : null);
  return saved;
}

/** The files a dependency change may edit, relative to the project's dir. */
function manifestFiles(p: PythonProject): Set<string> {
  const files = new Set([
    ...p.depFiles,
    'pyproject.toml',
    'Pipfile',
    ...(p.lockFile ? [p.lockFile, p.lockFile.replace(/\.txt$/, '.in')] : []),
  ]);
  for (const m of p.workspace?.members ?? []) files.add(join(m.dir, 'pyproject.toml'));
  return files;
}

function restoreManifests(dir: string, saved: Map<string, Buffer | null>): void {
  for (const [f, content] of saved) {
    if (content) writeFileSync(join(dir, f), content);
    else rmSync(join(dir, f), { force: true });
  }
}
