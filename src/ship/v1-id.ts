/**
 * Which layer a classic `docker save` entry `<v1 id>/layer.tar` holds, told before its bytes
 * arrive. The archive names layers by "v1 IDs" and its manifest.json (the map to layers) comes
 * last; but each directory's `json` comes before its `layer.tar` (the engine tars a directory
 * in name order), and the v1 ID is a hash of that json's fields with the layer's chain ID
 * (moby image/v1.CreateID): sha256 of the JSON object of those fields without `id`, with
 * `layer_id` = the chain ID and `parent` = the parent's v1 ID as a digest, keys sorted, values
 * as written. Knowing the layer there lets a push compress only the layers the registry lacks in
 * one read of the export. An answer is only a hint (the entry is hashed and checked against
 * the config all the same); null when the json does not give it (e.g. another engine version).
 */
import { createHash } from 'node:crypto';

/** The members of a JSON object as raw text (key -> value exactly as written), or null. */
export function rawMembers(text: string): Map<string, string> | null {
  const out = new Map<string, string>();
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const string = (): string | null => {
    if (text[i] !== '"') return null;
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) return null;
    i++;
    return text.slice(start, i);
  };
  const value = (): string | null => {
    const start = i;
    if (text[i] === '"') return string();
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        if (string() === null) return null;
        i--;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (depth === 0) break;
        if (--depth === 0) {
          i++;
          break;
        }
      } else if (c === ',' && depth === 0) break;
    }
    return depth === 0 ? text.slice(start, i).trim() : null;
  };
  ws();
  if (text[i++] !== '{') return null;
  ws();
  if (text[i] === '}') return out;
  for (;;) {
    ws();
    const k = string();
    if (k === null) return null;
    ws();
    if (text[i++] !== ':') return null;
    ws();
    const v = value();
    if (v === null || v === '') return null;
    try {
      out.set(JSON.parse(k) as string, v);
    } catch {
      return null;
    }
    ws();
    if (text[i] === ',') i++;
    else if (text[i] === '}') return out;
    else return null;
  }
}

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The index (into `chainIds`) of the layer `<v1 id>/layer.tar` holds, given that directory's
 * `json`; null when no chain ID gives the directory's name. The engine (20.10) adds `os` to the
 * json of the lower layers after hashing, so the hash is tried with and without it.
 */
export function layerOfV1Entry(path: string, json: Buffer | undefined, chainIds: string[]): number | null {
  const m = /^([a-f0-9]{64})\/layer\.tar$/.exec(path);
  if (!m || !json) return null;
  const members = rawMembers(json.toString('utf8'));
  if (!members) return null;
  members.delete('id');
  const parent = members.get('parent');
  if (parent !== undefined) {
    try {
      members.set('parent', JSON.stringify(`sha256:${JSON.parse(parent) as string}`));
    } catch {
      return null;
    }
  }
  const variants = [members];
  if (members.has('os')) {
    const noOs = new Map(members);
    noOs.delete('os');
    variants.push(noOs);
  }
  for (const v of variants) {
    const keys = [...v.keys(), 'layer_id'].sort();
    for (const [i, chain] of chainIds.entries()) {
      const body = keys
        .map((k) => `${JSON.stringify(k)}:${k === 'layer_id' ? JSON.stringify(chain) : v.get(k)}`)
        .join(',');
      if (hex(`{${body}}`) === m[1]) return i;
    }
  }
  return null;
}
