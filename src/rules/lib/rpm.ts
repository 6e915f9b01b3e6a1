/**
 * RPM-family package ops (yum, dnf, microdnf, tdnf): which tool, its sub-command and operands,
 * whether it answers prompts, whether a package is pinned, and where it caches.
 */
import { hasOption } from '../../dockerfile/packages.js';
import type { PackageOp, ShellWord } from '../../dockerfile/types.js';
import type { RuleContext } from '../types.js';
import { packageOperations } from '../util.js';
import { insertAfterAction, managerProgram, positionalWords } from './package-words.js';

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

/** Package-cache directories of the RPM-family tools (yum, dnf 4/5, microdnf, tdnf). */
export const RPM_CACHE_DIRS = ['/var/cache/yum', '/var/cache/dnf', '/var/cache/libdnf5', '/var/cache/tdnf'];

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
