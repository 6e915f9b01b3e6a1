/**
 * Checks the lock files `init` builds from against the rules of the manager that reads them, so a
 * broken lock stops `init` with its location instead of yielding a Dockerfile whose build fails
 * later (or a "lint clean" over garbage). Only structure the manager itself requires is checked.
 */
import { isAbsolute, join, relative } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { UserError } from '../errors.js';
import { readText } from './files.js';
import type { Manager } from './types.js';

const REGENERATE: Record<string, string> = {
  'uv.lock': '`uv lock`',
  'poetry.lock': '`poetry lock`',
  'pdm.lock': '`pdm lock`',
  'Pipfile.lock': '`pipenv lock`',
};

/** Throws a UserError naming the file and the place when a lock file the build relies on is malformed. */
export function validateLockFiles(
  dir: string,
  manager: Manager,
  lockFile: string | undefined,
  depFiles: string[],
): void {
  const files = new Set<string>();
  if (lockFile) files.add(lockFile);
  if (manager === 'pip' || manager === 'pip-tools') for (const f of depFiles) if (/\.txt$/.test(f)) files.add(f);
  for (const f of files) {
    const abs = join(dir, f);
    const text = readText(abs);
    if (text === undefined) continue;
    const problem = lockProblem(f, text);
    if (problem) {
      const fix = REGENERATE[baseName(f)] ?? (manager === 'pip-tools' ? '`pip-compile`' : undefined);
      throw new UserError(
        `${shown(abs)}:${problem.line}:${problem.column}: ${problem.message}${fix ? `; fix it or regenerate it with ${fix}` : ''}`,
      );
    }
  }
}

export interface LockProblem {
  line: number;
  column: number;
  message: string;
}

/** The first problem in a lock file's text, by the file's name (uv.lock, poetry.lock, ...), or undefined. */
export function lockProblem(file: string, text: string): LockProblem | undefined {
  switch (baseName(file)) {
    case 'uv.lock':
      return tomlLock(text, 'uv lock file', checkUv);
    case 'poetry.lock':
      return tomlLock(text, 'Poetry lock file', checkPoetry);
    case 'pdm.lock':
      return tomlLock(text, 'PDM lock file', checkPdm);
    case 'Pipfile.lock':
      return pipfileLock(text);
    default:
      return /\.txt$/.test(file) ? requirementsProblem(text) : undefined;
  }
}

function baseName(f: string): string {
  return f.split('/').pop() ?? f;
}

function shown(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

type Table = Record<string, unknown>;
/** A structural check: the problem and the line it is on (1 when the file as a whole lacks something). */
type Check = (doc: Table, text: string) => { line: number; message: string } | undefined;

function tomlLock(text: string, what: string, check: Check): LockProblem | undefined {
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (e) {
    const err = e as Error & { line?: number; column?: number };
    const first = err.message.replace(/^Invalid TOML document: /, '').split('\n')[0];
    return { line: err.line ?? 1, column: err.column ?? 1, message: `not valid TOML (${first})` };
  }
  const p = check(doc, text);
  return p ? { line: p.line, column: 1, message: `not a valid ${what}: ${p.message}` } : undefined;
}

const isTable = (v: unknown): v is Table => !!v && typeof v === 'object' && !Array.isArray(v);

/** Line of the n-th (0-based) `[[package]]` header, for messages about one entry. */
function packageLine(text: string, n: number): number {
  const lines = text.split('\n');
  let seen = -1;
  for (let i = 0; i < lines.length; i++) if (/^\s*\[\[\s*package\s*\]\]/.test(lines[i]) && ++seen === n) return i + 1;
  return 1;
}

function lineOfKey(text: string, key: string): number {
  const i = text.split('\n').findIndex((l) => new RegExp(`^\\s*${key}\\s*=`).test(l));
  return i >= 0 ? i + 1 : 1;
}

/** Every [[package]] needs a name and (unless `optional`) a version string. */
function checkPackages(
  doc: Table,
  text: string,
  needsVersion: (pkg: Table) => boolean,
): { line: number; message: string } | undefined {
  const pkgs = doc.package;
  if (pkgs === undefined) return undefined;
  if (!Array.isArray(pkgs))
    return { line: lineOfKey(text, 'package'), message: '`package` must be an array of tables' };
  for (let i = 0; i < pkgs.length; i++) {
    const pkg = pkgs[i] as unknown;
    const line = packageLine(text, i);
    if (!isTable(pkg)) return { line, message: `package entry ${i + 1} is not a table` };
    if (typeof pkg.name !== 'string' || !pkg.name) return { line, message: `package entry ${i + 1} has no name` };
    if (needsVersion(pkg) && typeof pkg.version !== 'string')
      return { line, message: `package ${pkg.name} has no version` };
  }
  return undefined;
}

const checkUv: Check = (doc, text) => {
  if (typeof doc.version !== 'number' || !Number.isInteger(doc.version))
    return { line: lineOfKey(text, 'version'), message: 'no integer `version` (the lock format version) at the top' };
  if (doc.version !== 1)
    return { line: lineOfKey(text, 'version'), message: `lock format version ${doc.version} (uv writes 1)` };
  if (doc['requires-python'] !== undefined && typeof doc['requires-python'] !== 'string')
    return { line: lineOfKey(text, 'requires-python'), message: '`requires-python` must be a string' };
  const pkgs = Array.isArray(doc.package) ? (doc.package as unknown[]) : [];
  for (let i = 0; i < pkgs.length; i++) {
    const pkg = pkgs[i];
    if (isTable(pkg) && !isTable(pkg.source))
      return { line: packageLine(text, i), message: `package ${String(pkg.name)} has no source table` };
  }
  // uv leaves the version out only for source trees whose version is dynamic.
  return checkPackages(doc, text, (pkg) => {
    const src = pkg.source as Table;
    return !('editable' in src || 'virtual' in src || 'directory' in src);
  });
};

const checkPoetry: Check = (doc, text) => {
  const meta = doc.metadata;
  if (!isTable(meta)) return { line: 1, message: 'no [metadata] table' };
  if (typeof meta['lock-version'] !== 'string') return { line: 1, message: 'no `lock-version` in [metadata]' };
  if (typeof meta['content-hash'] !== 'string') return { line: 1, message: 'no `content-hash` in [metadata]' };
  return checkPackages(doc, text, () => true);
};

const checkPdm: Check = (doc, text) => {
  const meta = doc.metadata;
  if (!isTable(meta)) return { line: 1, message: 'no [metadata] table' };
  if (typeof meta.lock_version !== 'string') return { line: 1, message: 'no `lock_version` in [metadata]' };
  if (typeof meta.content_hash !== 'string') return { line: 1, message: 'no `content_hash` in [metadata]' };
  return checkPackages(doc, text, () => true);
};

/** Line and column of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function pipfileLock(text: string): LockProblem | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const pos = /position (\d+)/.exec(msg);
    const where = lc
      ? { line: Number(lc[1]), column: Number(lc[2]) }
      : pos
        ? position(text, Number(pos[1]))
        : position(text, text.length);
    return {
      ...where,
      message: `not valid JSON (${msg.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line.*$/, '')})`,
    };
  }
  const at1 = (message: string): LockProblem => ({
    line: 1,
    column: 1,
    message: `not a valid Pipfile.lock: ${message}`,
  });
  if (!isTable(doc)) return at1('not a JSON object');
  if (!isTable(doc._meta)) return at1('no `_meta` object');
  if (!isTable(doc.default)) return at1('no `default` object');
  for (const section of ['default', 'develop']) {
    const entries = doc[section];
    if (entries === undefined) continue;
    if (!isTable(entries)) return at1(`\`${section}\` is not an object`);
    for (const [name, entry] of Object.entries(entries)) {
      if (!isTable(entry)) return at1(`${section}.${name} is not an object`);
      if (entry.version !== undefined && (typeof entry.version !== 'string' || !/^(==|===)\S/.test(entry.version)))
        return at1(`${section}.${name}: version ${JSON.stringify(entry.version)} is not a pin like "==1.2.3"`);
    }
  }
  return undefined;
}

// pip's requirements file format: options, PEP 508 requirements (with per-requirement --hash and
// the like), URLs and paths; `\` joins lines, `#` after whitespace starts a comment.
const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
const VERSION_ONE = '(?:===|==|~=|!=|<=|>=|<|>)\\s*[A-Za-z0-9_.*+!-]+';
const SPEC = `${VERSION_ONE}(?:\\s*,\\s*${VERSION_ONE})*`;
const REQUIREMENT = new RegExp(
  `^${NAME}\\s*(?:\\[\\s*(?:${NAME}(?:\\s*,\\s*${NAME})*)?\\s*\\])?\\s*(?:${SPEC}|\\(\\s*${SPEC}\\s*\\)|@\\s*\\S+)?\\s*(?:;\\s*\\S.*)?$`,
);
const URL_OR_PATH = /^(?:[a-z][a-z0-9+.-]*:\/\/\S+|\.{0,2}\/\S*|\S+\.(?:whl|tar\.gz|zip|tar\.bz2))(?:\s*;\s*\S.*)?$/i;
const FILE_OPTIONS_WITH_VALUE = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--trusted-host',
  '--only-binary',
  '--no-binary',
  '--use-feature',
  '--config-settings',
]);
const FILE_FLAGS = new Set(['--no-index', '--pre', '--prefer-binary', '--require-hashes']);
const REQ_OPTION =
  /^--(?:hash(?:=|\s+)(?:sha256|sha384|sha512|md5):[0-9a-fA-F]+|config-settings(?:=|\s+)\S+|global-option(?:=|\s+)\S+)$/;

function requirementsProblem(text: string): LockProblem | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i];
    while (/\\$/.test(logical) && i + 1 < lines.length) logical = `${logical.slice(0, -1)} ${lines[++i]}`;
    const line = logical.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const bad = requirementLineProblem(line);
    if (bad) {
      const column = lines[start].length - lines[start].trimStart().length + 1;
      return { line: start + 1, column, message: `${bad}: ${JSON.stringify(clip(line))}` };
    }
  }
  return undefined;
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function requirementLineProblem(line: string): string | undefined {
  if (line.startsWith('-')) {
    const m = /^(-[A-Za-z]|--[a-z][a-z-]*)(?:(=|\s+)(.*))?$/.exec(line);
    if (!m) return 'not a pip option';
    if (FILE_FLAGS.has(m[1])) return m[3] ? `${m[1]} takes no value` : undefined;
    if (!FILE_OPTIONS_WITH_VALUE.has(m[1])) return `unknown pip option ${m[1]}`;
    return m[3]?.trim() ? undefined : `${m[1]} needs a value`;
  }
  // Per-requirement options follow the requirement, each starting with ` --`.
  const cut = line.search(/\s--/);
  const req = (cut === -1 ? line : line.slice(0, cut)).trim();
  const opts = cut === -1 ? '' : line.slice(cut).trim();
  if (!REQUIREMENT.test(req) && !URL_OR_PATH.test(req)) return 'not a requirement, URL, path or pip option';
  for (const o of opts ? opts.split(/\s+(?=--)/) : []) if (!REQ_OPTION.test(o.trim())) return `bad option ${o.trim()}`;
  return undefined;
}
