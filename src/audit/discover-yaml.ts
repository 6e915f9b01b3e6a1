/**
 * YAML reading shared by the compose and workflow sources: parse with line numbers, and find the
 * line of a key so warnings and origins can say `file:line`.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document, type YAMLMap } from 'yaml';
import { readDefFile, relPath } from './discover-def.js';

export interface YamlFile {
  doc: Document;
  lc: LineCounter;
  /** Plain JS value of the document. */
  value: unknown;
}

/** Parses YAML text (`<<` merge keys on, as compose files use them); returns the first error as one line instead of throwing. */
export function parseYamlFile(text: string): YamlFile | { error: string } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, merge: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.pos ? lc.linePos(e.pos[0]).line : undefined;
    return { error: `${line ? `line ${line}: ` : ''}${e.message.split('\n')[0]}` };
  }
  try {
    return { doc, lc, value: doc.toJS({ maxAliasCount: 1000 }) };
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
}

/** The YAML map node at `path` (keys and sequence indexes), or undefined. */
export function nodeAt(f: YamlFile, path: (string | number)[]): unknown {
  return path.length === 0 ? f.doc.contents : f.doc.getIn(path, true);
}

/** 1-based line of key `key` inside the map at `path`, when the file has it. */
export function keyLine(f: YamlFile, path: (string | number)[], key: string): number | undefined {
  const map = nodeAt(f, path);
  if (!isMap(map)) return undefined;
  for (const item of (map as YAMLMap).items) {
    if (isScalar(item.key) && String(item.key.value) === key && item.key.range)
      return f.lc.linePos(item.key.range[0]).line;
  }
  return undefined;
}

/** 1-based line where the node at `path` starts (e.g. a sequence item), when known. */
export function nodeLine(f: YamlFile, path: (string | number)[]): number | undefined {
  const n = nodeAt(f, path) as { range?: [number, number, number] } | undefined;
  return n && n.range ? f.lc.linePos(n.range[0]).line : undefined;
}

/** True for a plain object (a YAML/JSON mapping). */
export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads and parses a YAML definition file; a problem becomes one warning line and undefined. */
export function readYamlDef(root: string, abs: string, warnings: string[]): YamlFile | undefined {
  const read = readDefFile(root, abs);
  if ('warning' in read) {
    warnings.push(read.warning);
    return undefined;
  }
  const f = parseYamlFile(read.text);
  if ('error' in f) {
    warnings.push(`${relPath(root, abs)}: not valid YAML (${f.error}); skipped`);
    return undefined;
  }
  return f;
}
