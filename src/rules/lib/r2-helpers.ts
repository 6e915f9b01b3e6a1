/**
 * Helpers for the rules ported from hadolint's RPM-family, cache and shell rules: which word
 * names the package manager, which stages end up in the final image, cache mounts, SHELL.
 */
import { hasOption } from '../../dockerfile/packages.js';
import type { Dockerfile, Instruction, PackageOp, ShellWord, Stage } from '../../dockerfile/types.js';
import type { RuleContext } from '../types.js';
import { offsetOf, opsOf, packageOperations, shippedStages, stageChain, stageOf } from '../util.js';

export { shippedStages, stageChain };

/** The word naming the program of a package op (`yum` in `sudo yum install`), as written. */
export function managerWord(op: PackageOp): ShellWord | undefined {
  const args = op.command.args;
  const i = args.length - op.words.length - 1;
  if (i >= 0) return args[i];
  const c = op.command;
  return { value: c.name, raw: c.name, quoted: false, dynamic: false, line: c.line, column: c.column };
}

/** Basename of the program of a package op: `yum`, `dnf`, `microdnf`, `pip3`, ... */
export function managerProgram(op: PackageOp): string {
  const w = managerWord(op);
  const name = w ? w.value : op.command.program;
  return name.split('/').pop() ?? name;
}

/** The first positional word of an op (its sub-command, e.g. `install`). */
export function actionWord(op: PackageOp): ShellWord | undefined {
  return positionalWords(op)[0];
}

/** True when leftovers of `ins` end up in the final image (ONBUILD triggers count: they run downstream). */
export function ships(file: Dockerfile, ins: Instruction, shipped: Set<number>): boolean {
  if (ins.stage === undefined) return true;
  const host = file.instructions[ins.index];
  if (host && host !== ins && host.keyword === 'ONBUILD') return true;
  return shipped.has(ins.stage);
}

/** Instructions of `keyword` in effect before `ins`: earlier in its stage, then in its base stages (nearest first). */
export function earlierInChain(file: Dockerfile, ins: Instruction, keyword: string): Instruction[] {
  const out: Instruction[] = [];
  let limit = ins.index;
  for (const stage of stageChain(file, stageOf(file, ins))) {
    const found = stage.instructions.filter((i) => i.keyword === keyword && i.index < limit);
    out.push(...found.reverse());
    limit = Number.POSITIVE_INFINITY;
  }
  return out;
}

function normalise(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** True when `dir` is `path` or one of its parents. */
export function covers(dir: string, path: string): boolean {
  const d = normalise(dir);
  const p = normalise(path);
  return p === d || d === '/' || p.startsWith(`${d}/`);
}

/** True when a cache (or tmpfs) mount of the RUN covers one of `paths`. */
export function cacheMountCovers(ins: Instruction, paths: string[]): boolean {
  return ins.mounts.some(
    (m) =>
      (m.type === 'cache' || m.type === 'tmpfs') &&
      m.target !== undefined &&
      paths.some((p) => covers(m.target as string, p)),
  );
}

/** True when a later command of the RUN removes one of `paths` (`rm -rf /var/cache/yum`, with globs). */
export function removesAfter(ins: Instruction, afterIndex: number, paths: string[]): boolean {
  const cmds = ins.shell?.commands ?? [];
  for (let i = afterIndex + 1; i < cmds.length; i++) {
    const c = cmds[i];
    if (c.program !== 'rm') continue;
    for (const a of c.args) {
      if (a.value.startsWith('-')) continue;
      const target = a.value.replace(/\/\*+$/, '').replace(/\/$/, '');
      if (paths.some((p) => covers(target, p) && target !== '' && target !== '/')) return true;
    }
  }
  return false;
}

/** Index of the op's command within the RUN's commands. */
export function commandIndex(ins: Instruction, op: PackageOp): number {
  return (ins.shell?.commands ?? []).indexOf(op.command);
}

/** True when an op of the RUN after `afterIndex` matches `pred`. */
export function opAfter(ins: Instruction, afterIndex: number, pred: (op: PackageOp) => boolean): boolean {
  return opsOf(ins).some((o) => commandIndex(ins, o) > afterIndex && pred(o));
}

/** The SHELL in effect for `ins` (JSON args of the nearest earlier SHELL in the stage chain), if any. */
export function shellAt(file: Dockerfile, ins: Instruction): string[] | undefined {
  const shells = earlierInChain(file, ins, 'SHELL');
  return shells[0]?.jsonArgs;
}

/** The external base image a stage ultimately builds on, following `FROM <stage>`. */
export function externalBase(file: Dockerfile, stage: Stage | undefined): Stage | undefined {
  const chain = stageChain(file, stage);
  return chain[chain.length - 1];
}

const DEBIAN_IMAGES = new Set([
  'debian',
  'ubuntu',
  'python',
  'node',
  'buildpack-deps',
  'golang',
  'ruby',
  'rust',
  'php',
  'perl',
  'openjdk',
  'eclipse-temurin',
  'maven',
  'gradle',
  'pypy',
  'r-base',
  'julia',
  'elixir',
  'erlang',
  'haskell',
  'swift',
]);

/** True when the stage's base image is Debian/Ubuntu based (so /bin/bash exists), judged by name and tag. */
export function debianLike(file: Dockerfile, stage: Stage | undefined): boolean {
  const base = externalBase(file, stage)?.base;
  if (!base || base.dynamic || base.scratch || base.stage !== undefined) return false;
  const tag = (base.tag ?? '').toLowerCase();
  if (/alpine|windows|nanoserver|servercore|distroless|busybox|musl/.test(tag)) return false;
  if (/bookworm|bullseye|buster|trixie|jammy|noble|focal|bionic/.test(tag)) return true;
  const last = base.name.toLowerCase().split('/').pop() ?? '';
  if (!DEBIAN_IMAGES.has(last)) return false;
  // Official images of these names are Debian unless the tag says otherwise; others may be anything.
  const path = base.name
    .toLowerCase()
    .replace(/^docker\.io\//, '')
    .replace(/^library\//, '');
  return !path.includes('/') || /^(ubuntu|debian)$/.test(last);
}

/** Offset where the shell script of a RUN starts (after keyword, flags and blank continuations). */
export function scriptStart(file: Dockerfile, ins: Instruction): number {
  let off = ins.flags.length ? ins.flags[ins.flags.length - 1].span.endOffset : ins.keywordSpan.endOffset;
  const text = file.text;
  const esc = file.escapeChar;
  for (;;) {
    const c = text[off];
    if (c === ' ' || c === '\t') off++;
    else if (c === esc && (text[off + 1] === '\n' || (text[off + 1] === '\r' && text[off + 2] === '\n')))
      off += text[off + 1] === '\n' ? 2 : 3;
    else break;
  }
  return off;
}

/** Offset of a shell word in the file. */
export function wordOffset(file: Dockerfile, w: ShellWord): number {
  return offsetOf(file, w.line, w.column);
}

/** Positional words after the sub-command: the packages of an install. */
export function packageWords(op: PackageOp): ShellWord[] {
  return positionalWords(op).slice(1);
}

/** Positional words of an op (not options, not values of options). */
export function positionalWords(op: PackageOp): ShellWord[] {
  const out: ShellWord[] = [];
  const valued = new Map<string, string[]>(Object.entries(op.optionValues).map(([k, v]) => [k, [...v]]));
  const dashes = op.words.findIndex((w) => w.value === '--');
  for (let i = 0; i < op.words.length; i++) {
    const w = op.words[i].value;
    // `--` ends the options: what follows are operands (gem's build flags are cut off in the model).
    if (dashes >= 0 && i >= dashes) {
      if (i > dashes) out.push(op.words[i]);
      continue;
    }
    if (w.startsWith('-') && w !== '-') {
      if (w.includes('=')) continue;
      const vals = valued.get(w);
      if (vals?.length && i + 1 < op.words.length && vals[0] === op.words[i + 1].value) {
        vals.shift();
        i++;
      }
      continue;
    }
    out.push(op.words[i]);
  }
  return out;
}

export { hasOption };

/** Which RPM-family tool an op runs: `yum`, `dnf` (dnf, tdnf) or `microdnf`; undefined for others. */
export function rpmTool(op: PackageOp): 'yum' | 'dnf' | 'microdnf' | undefined {
  if (op.manager !== 'dnf') return undefined;
  const p = managerProgram(op);
  if (p === 'yum') return 'yum';
  if (p === 'microdnf') return 'microdnf';
  return 'dnf';
}

/** The sub-command words of an RPM-family op: `install`, or `module install`. */
export function rpmVerbWords(op: PackageOp): ShellWord[] {
  const p = positionalWords(op);
  return p[0]?.value === 'module' ? p.slice(0, 2) : p.slice(0, 1);
}

/** The package (or module) operands of an RPM-family op, after its sub-command. */
export function rpmOperands(op: PackageOp): ShellWord[] {
  return positionalWords(op).slice(rpmVerbWords(op).length);
}

/** Sub-commands whose operands name packages (or module streams) to install: the ones to pin. */
export const RPM_INSTALL_VERBS = new Set([
  'install',
  'in',
  'localinstall',
  'install-n',
  'install-na',
  'install-nevra',
  'module install',
]);

/** True when an RPM-family op answers prompts by itself (`-y`, `--assumeyes`, `--setopt=assumeyes=1`). */
export function rpmAssumesYes(op: PackageOp): boolean {
  if (hasOption(op, '-y', '--assumeyes')) return true;
  return (op.optionValues['--setopt'] ?? []).some((v) => /^assumeyes=(1|true|yes|on)$/i.test(v));
}

/** The edit inserting ` text` after the op's sub-command word (or after the program word). */
export function insertAfterAction(
  file: Dockerfile,
  op: PackageOp,
  text: string,
): { start: number; end: number; text: string } | undefined {
  const w = actionWord(op) ?? managerWord(op);
  if (!w) return undefined;
  const off = wordOffset(file, w) + w.raw.length;
  if (file.text.slice(off - w.raw.length, off) !== w.raw) return undefined;
  return { start: off, end: off, text };
}

/** Package-cache directories of the RPM-family tools (yum, dnf 4/5, microdnf, tdnf). */
export const RPM_CACHE_DIRS = ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/tdnf'];

export interface CleanupSpec {
  /** The ops that fill the cache (e.g. `yum install`). */
  fills(op: PackageOp): boolean;
  /** The ops that empty it (e.g. `yum clean all`). */
  cleans(op: PackageOp): boolean;
  /** Cache directories: a cache mount over one of them, or an `rm` of one, also counts. */
  dirs(ins: Instruction): string[];
}

/**
 * RUNs of shipped stages where a cache-filling op is not followed by a cleanup in the same RUN
 * (and no cache mount takes the cache out of the layer). Yields the first such op per RUN.
 */
export function* missingCleanups(file: Dockerfile, spec: CleanupSpec): Generator<{ ins: Instruction; op: PackageOp }> {
  const shipped = shippedStages(file);
  for (const ins of file.instructions.map((i) => (i.keyword === 'ONBUILD' ? i.onbuild : i))) {
    if (ins?.keyword !== 'RUN' || !ships(file, ins, shipped)) continue;
    const ops = opsOf(ins);
    const filling = ops.filter((o) => spec.fills(o));
    if (!filling.length) continue;
    const dirs = spec.dirs(ins);
    if (cacheMountCovers(ins, dirs)) continue;
    const last = commandIndex(ins, filling[filling.length - 1]);
    if (opAfter(ins, last, (o) => spec.cleans(o)) || removesAfter(ins, last, dirs)) continue;
    yield { ins, op: filling[0] };
  }
}

/**
 * True when an RPM package argument names a version (`name-1.2.3`, `name-1.2-3.el9`), a file, or is
 * dynamic; a module (`module install`) is pinned by its stream (`nodejs:18`, `nodejs:18/common`).
 */
export function rpmPinned(w: ShellWord, module = false): boolean {
  const v = w.value;
  if (w.dynamic || v.includes('$')) return true;
  if (module) return /^[^:/]+:[^:/]+/.test(v);
  if (v.startsWith('@') || v.startsWith('/') || v.startsWith('./') || v.endsWith('.rpm') || v.includes('://'))
    return true;
  // `name >= 1.0` quoted as one word, or `name-[epoch:]version[-release]`.
  if (/[<>=]/.test(v)) return true;
  const parts = v.split('-');
  if (parts.length < 2) return false;
  const last = parts[parts.length - 1];
  return /^(\d+:)?\d/.test(last);
}

/** Reports yum or dnf install/upgrade/remove without -y (DL3030, DL3038), with a fix that adds it. */
export function checkRpmAssumeYes(ctx: RuleContext, tool: 'yum' | 'dnf'): void {
  for (const { op } of packageOperations(ctx.file)) {
    if (rpmTool(op) !== tool) continue;
    if (!['install', 'upgrade', 'remove'].includes(op.action) || rpmAssumesYes(op)) continue;
    const action =
      rpmVerbWords(op)
        .map((w) => w.value)
        .join(' ') || op.action;
    const edit = insertAfterAction(ctx.file, op, ' -y');
    ctx.report({
      line: op.command.line,
      column: op.command.column,
      message: `${managerProgram(op)} ${action} without -y fails in a non-interactive build; add -y`,
      fix: edit ? { description: 'add -y', edits: [edit] } : undefined,
    });
  }
}
