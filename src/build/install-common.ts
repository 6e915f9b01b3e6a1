/**
 * What a wheel install and the project's own install share: console-script launchers, the RECORD
 * file, and turning installed files into sorted layer entries with every parent directory.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { UserError } from '../errors.js';
import type { LayerEntry } from './types.js';

/** A file an install writes, absolute in the image without a leading slash. */
export interface InstalledFile {
  path: string;
  data: Buffer;
  mode: number;
}

/** A console or gui script: `name = module:attr`. */
export interface EntryPoint {
  name: string;
  module: string;
  attr: string;
}

/** The console_scripts and gui_scripts of an entry_points.txt (other groups are a runtime matter). */
export function parseEntryPoints(text: string): EntryPoint[] {
  const out: EntryPoint[] = [];
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = head[1].trim();
      continue;
    }
    if (section !== 'console_scripts' && section !== 'gui_scripts') continue;
    const m = /^([^=]+?)\s*=\s*([\w.]+)\s*:\s*([\w.]+)\s*(\[.*\])?$/.exec(line);
    if (!m) continue;
    if (m[1].includes('/') || m[1] === '.' || m[1] === '..')
      throw new UserError(`entry point ${JSON.stringify(m[1])} is not a file name; the package is malformed`);
    out.push({ name: m[1], module: m[2], attr: m[3] });
  }
  return out;
}

/** The launcher pip (distlib) writes for an entry point, with the venv's interpreter as shebang. */
export function launcherScript(ep: EntryPoint, venv: string): Buffer {
  const importName = ep.attr.split('.')[0];
  return Buffer.from(
    `#!/${venv}/bin/python\n` +
      '# -*- coding: utf-8 -*-\n' +
      'import re\n' +
      'import sys\n' +
      `from ${ep.module} import ${importName}\n` +
      "if __name__ == '__main__':\n" +
      "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n" +
      `    sys.exit(${ep.attr}())\n`,
  );
}

/** sha256 as RECORD writes it: urlsafe base64 without padding. */
export function recordHash(data: Buffer): string {
  return 'sha256=' + createHash('sha256').update(data).digest('base64url');
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The RECORD file for `files`: one row per file, its path relative to site-packages (`../../../bin/x`
 * for the venv's bin), sorted, with CRLF line ends as pip's csv writer makes them; RECORD itself `,,`.
 */
export function recordFile(
  files: InstalledFile[],
  site: string,
  recordRel: string,
  /** Files listed without hash and size (`path,,`): their change must not change RECORD. */
  unhashed?: Set<string>,
): InstalledFile {
  const rows = files.map((f) =>
    unhashed?.has(f.path)
      ? [posix.relative(site, f.path), '', '']
      : [posix.relative(site, f.path), recordHash(f.data), String(f.data.length)],
  );
  rows.push([recordRel, '', '']);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const text = rows.map((r) => r.map(csvField).join(',') + '\r\n').join('');
  return { path: `${site}/${recordRel}`, data: Buffer.from(text), mode: 0o644 };
}

/** Files plus a directory entry (0o755) for every parent of every file. Later duplicates of a path win. */
export function addParents(files: (InstalledFile | LayerEntry)[]): LayerEntry[] {
  const byPath = new Map<string, LayerEntry>();
  for (const f of files) {
    const entry: LayerEntry = 'type' in f ? f : { path: f.path, type: 'file', mode: f.mode, data: f.data };
    const parts = entry.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!byPath.has(dir)) byPath.set(dir, { path: dir, type: 'dir', mode: 0o755 });
    }
    byPath.set(entry.path, entry);
  }
  return [...byPath.values()];
}

/** Entries sorted by path (byte order), the order the layer's tar lists them. */
export function sortEntries(entries: LayerEntry[]): LayerEntry[] {
  return entries.sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
}
