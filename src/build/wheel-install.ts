/**
 * Installs a wheel the way the wheel spec (PEP 427/491) and pip do, but into layer entries instead
 * of a file system, so no Python and no daemon is needed. The result is byte-for-byte what
 * `pip install --no-deps --no-compile` writes into a venv, except INSTALLER (`layerwise`), the
 * launchers' shebang (`/<venv>/bin/python`, which is what the image runs), and no REQUESTED or
 * direct_url.json (an image has no "requested by the user" state and no local wheel path).
 *
 * No .pyc files are written: byte-compiling needs the target's interpreter, and pycs written here
 * would carry timestamps; a later step may add hash-based (reproducible) pycs.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { FetchedWheel, LayerEntry } from './types.js';
import { readZip } from './wheel-zip-read.js';
import {
  addParents,
  launcherScript,
  parseEntryPoints,
  recordFile,
  sortEntries,
  type InstalledFile,
} from './install-common.js';

export interface InstallOptions {
  /** The venv, absolute in the image without a leading slash, e.g. app/.venv. */
  venv: string;
  /** e.g. 3.11 */
  pythonMinor: string;
  /** The package's normalised name (for headers and errors). */
  name: string;
}

/** The layer entries of `wheel` installed into the venv `opts.venv` (see the module comment). */
export function installWheel(wheel: FetchedWheel, opts: InstallOptions): LayerEntry[] {
  const label = `${opts.name}: ${wheel.filename}`;
  const members = readZip(readFileSync(wheel.path), label);
  const site = `${opts.venv}/lib/python${opts.pythonMinor}/site-packages`;
  const distInfo = findDistInfo(
    members.map((m) => m.name),
    label,
  );
  const dataDir = distInfo.replace(/\.dist-info$/, '.data');
  const files: InstalledFile[] = [];
  let entryPoints = '';
  for (const m of members) {
    if (m.isDir) continue;
    const rel = safeRel(m.name, label);
    if (rel === `${distInfo}/RECORD` || rel === `${distInfo}/INSTALLER` || rel === `${distInfo}/REQUESTED`) continue;
    if (rel === `${distInfo}/entry_points.txt`) entryPoints = m.data.toString('utf8');
    const mode = m.unixMode & 0o111 ? 0o755 : 0o644;
    if (rel.startsWith(`${dataDir}/`)) {
      const [scheme, ...restParts] = rel.slice(dataDir.length + 1).split('/');
      const rest = restParts.join('/');
      if (!rest) continue;
      if (scheme === 'purelib' || scheme === 'platlib') files.push({ path: `${site}/${rest}`, data: m.data, mode });
      else if (scheme === 'scripts')
        files.push({ path: `${opts.venv}/bin/${rest}`, data: fixScript(m.data, opts.venv), mode: 0o755 });
      else if (scheme === 'data') files.push({ path: `${opts.venv}/${rest}`, data: m.data, mode });
      else if (scheme === 'headers')
        files.push({
          path: `${opts.venv}/include/site/python${opts.pythonMinor}/${opts.name}/${rest}`,
          data: m.data,
          mode,
        });
      else
        throw new UserError(
          `${label}: unknown data directory ${dataDir}/${scheme}: the wheel is malformed; report it to its maintainers`,
        );
      continue;
    }
    files.push({ path: `${site}/${rel}`, data: m.data, mode });
  }
  for (const ep of parseEntryPoints(entryPoints))
    files.push({ path: `${opts.venv}/bin/${ep.name}`, data: launcherScript(ep, opts.venv), mode: 0o755 });
  files.push({ path: `${site}/${distInfo}/INSTALLER`, data: Buffer.from('layerwise\n'), mode: 0o644 });
  files.push(recordFile(files, site, `${distInfo}/RECORD`));
  return sortEntries(addParents(files));
}

/** The wheel's one top-level `.dist-info` directory. */
function findDistInfo(names: string[], label: string): string {
  const dirs = new Set<string>();
  for (const n of names) {
    const top = n.split('/')[0];
    if (top.endsWith('.dist-info') && n.includes('/')) dirs.add(top);
  }
  if (dirs.size !== 1)
    throw new UserError(
      `${label}: the wheel has ${dirs.size} .dist-info directories, not one: it is malformed; report it to its maintainers`,
    );
  return [...dirs][0];
}

/** The member name as a relative path, refused when it could land outside the venv. */
function safeRel(name: string, label: string): string {
  const parts = name.split(/[\\/]/);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || parts.includes('..'))
    throw new UserError(
      `${label}: entry ${JSON.stringify(name)} points outside the install directory; refusing to install the wheel`,
    );
  return parts.filter((p) => p !== '' && p !== '.').join('/');
}

/** A data script whose first line starts with `#!python` gets the venv's interpreter instead, as pip rewrites it (whole line). */
function fixScript(data: Buffer, venv: string): Buffer {
  if (!data.subarray(0, 8).equals(Buffer.from('#!python'))) return data;
  const eol = data.indexOf(0x0a);
  const rest = eol < 0 ? Buffer.alloc(0) : data.subarray(eol + 1);
  return Buffer.concat([Buffer.from(`#!/${venv}/bin/python\n`), rest]);
}
