/**
 * The venv skeleton, as `python -m venv --without-pip` (CPython 3.11) writes it, bound to the base
 * image's interpreter:
 *   pyvenv.cfg, bin/<interpreter's name> -> the interpreter (absolute symlink), bin/python,
 *   bin/python3 and bin/pythonX.Y -> that name (relative symlinks, whichever is not the name itself),
 *   include/pythonX.Y, lib/pythonX.Y/site-packages, lib64 -> lib.
 * Left out on purpose: pip (the image never installs at run time; dependencies are layers) and the
 * activate scripts (a container puts the venv's bin on PATH instead of sourcing a script).
 */
import { posix } from 'node:path';
import { addParents, sortEntries } from './install-common.js';
import type { BuildTarget, LayerEntry } from './types.js';

/** The skeleton's entries under `venv` (e.g. app/.venv, no leading slash) for the base's Python. */
export function venvEntries(venv: string, target: BuildTarget): LayerEntry[] {
  const { executable, version, minor } = target.python;
  const exe = posix.basename(executable);
  const cfg =
    `home = ${posix.dirname(executable)}\n` +
    'include-system-site-packages = false\n' +
    `version = ${version}\n` +
    `executable = ${executable}\n` +
    `command = ${executable} -m venv --without-pip /${venv}\n`;
  const entries: LayerEntry[] = [
    { path: `${venv}/pyvenv.cfg`, type: 'file', mode: 0o644, data: Buffer.from(cfg) },
    { path: `${venv}/bin/${exe}`, type: 'symlink', mode: 0o777, linkname: executable },
    { path: `${venv}/include/python${minor}`, type: 'dir', mode: 0o755 },
    { path: `${venv}/lib/python${minor}/site-packages`, type: 'dir', mode: 0o755 },
    { path: `${venv}/lib64`, type: 'symlink', mode: 0o777, linkname: 'lib' },
  ];
  for (const name of ['python', 'python3', `python${minor}`])
    if (name !== exe) entries.push({ path: `${venv}/bin/${name}`, type: 'symlink', mode: 0o777, linkname: exe });
  return sortEntries(addParents(entries));
}
