/**
 * Secrets in the image config rather than in a layer's files: environment variables, labels,
 * Cmd/Entrypoint, and the history's `created_by` lines, where a `RUN` that echoed a key stays
 * readable, and where the builder records build-arg values (`RUN |2 A=x B=y /bin/sh -c ...`,
 * classic `|1 A=x /bin/sh -c ...`, `ARG NAME=value`). The patterns are those of file contents
 * (secrets.ts). A secret seen in several places (a build arg repeats on every later RUN) is one
 * finding, reported where it is clearest and listing the other places.
 */
import type { Image } from '../model.js';
import type { SecretReport, SecretSource } from './image.js';
import { findSecrets, maskSecrets } from './secrets.js';

/** Other places of one finding listed in full; beyond that they are counted. */
const ALSO_MAX = 10;

interface Place {
  source: Exclude<SecretSource, 'layer'>;
  name: string | null;
  historyIndex: number | null;
  text: string;
}

/** `NAME=value` pairs of a build-arg section: each name with the offset its value starts at. */
function argNames(text: string, from: number, to: number): Array<{ name: string; at: number }> {
  const out: Array<{ name: string; at: number }> = [];
  const re = /(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g;
  re.lastIndex = Math.max(0, from - 1);
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) out.push({ name: m[1], at: m.index });
  return out;
}

/**
 * The span of a history line that holds build args, or null. BuildKit writes `RUN |N A=x ...
 * /bin/sh -c CMD` (the classic builder the same without `RUN `) and `ARG A=x`; the section ends
 * where the shell (or, for the exec form, the first word after the N-th value) begins.
 */
function argSection(createdBy: string): { from: number; to: number } | null {
  const run = /^(?:RUN )?\|(\d+) /.exec(createdBy);
  if (run) {
    const from = run[0].length;
    const shell = /\s\/\S*sh\s+-c\s/.exec(createdBy.slice(from));
    if (shell) return { from, to: from + shell.index };
    const names = argNames(createdBy, from, createdBy.length);
    const last = names[Number(run[1]) - 1];
    if (!last) return { from, to: createdBy.length };
    const rest = /\s/.exec(createdBy.slice(last.at + 1));
    return { from, to: rest ? last.at + 1 + rest.index : createdBy.length };
  }
  const arg = /^(?:\/bin\/sh -c #\(nop\)\s*)?ARG\s+/.exec(createdBy);
  return arg ? { from: arg[0].length, to: createdBy.length } : null;
}

function where(p: Place): string {
  const entry = p.historyIndex === null ? '' : `history entry ${p.historyIndex + 1}`;
  switch (p.source) {
    case 'env':
      return `env var ${p.name}`;
    case 'label':
      return `label ${p.name}`;
    case 'build-arg':
      return `build arg ${p.name} (${entry})`;
    case 'history':
      return `${entry} (created_by)`;
    case 'cmd':
      return 'Cmd';
    case 'entrypoint':
      return 'Entrypoint';
  }
}

function words(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string').join(' ');
  return null;
}

/** The places of the config that hold text, in the order a finding's main place is chosen. */
function places(image: Image): Place[] {
  const cfg = (image.config.config ?? {}) as Record<string, unknown>;
  const out: Place[] = [];
  const add = (
    source: Place['source'],
    name: string | null,
    text: string | null,
    historyIndex: number | null = null,
  ) => {
    if (text) out.push({ source, name, historyIndex, text });
  };
  if (Array.isArray(cfg.Env)) for (const e of cfg.Env) if (typeof e === 'string') add('env', e.split('=')[0], e);
  if (cfg.Labels && typeof cfg.Labels === 'object')
    for (const [k, v] of Object.entries(cfg.Labels as Record<string, unknown>))
      if (typeof v === 'string') add('label', k, `${k}=${v}`);
  add('entrypoint', null, words(cfg.Entrypoint));
  add('cmd', null, words(cfg.Cmd));
  return out;
}

/**
 * Secret findings in the image config, values masked. Each has `path` '' and `layerIndex`
 * null unless the history entry that holds it made a layer.
 */
export function scanConfig(image: Image): SecretReport[] {
  const byValue = new Map<string, SecretReport>();
  const also = new Map<SecretReport, string[]>();
  const record = (p: Place, kind: string, raw: string, masked: string) => {
    const key = `${kind}\0${raw}`;
    const seen = byValue.get(key);
    if (seen) {
      const w = where(p);
      const list = also.get(seen)!;
      if (seen.location !== w && !list.includes(w)) list.push(w);
      return;
    }
    const h = p.historyIndex === null ? null : image.history[p.historyIndex];
    const f: SecretReport = {
      path: '',
      kind,
      masked,
      inPackage: false,
      layerIndex: h?.layerIndex ?? null,
      createdBy: h ? maskSecrets(h.created_by ?? '') : null,
      inFinalImage: true,
      source: p.source,
      location: where(p),
      name: p.name,
      historyIndex: p.historyIndex,
      alsoIn: [],
    };
    byValue.set(key, f);
    also.set(f, []);
  };
  for (const p of places(image)) for (const m of findSecrets(p.text)) record(p, m.kind, m.raw, m.masked);
  image.history.forEach((h, i) => {
    const text = h.created_by;
    if (!text) return;
    const section = argSection(text);
    const names = section ? argNames(text, section.from, section.to) : [];
    for (const m of findSecrets(text)) {
      const inArgs = section && m.start >= section.from && m.start < section.to;
      const arg = inArgs ? names.filter((n) => n.at <= m.start).pop() : undefined;
      const p: Place = arg
        ? { source: 'build-arg', name: arg.name, historyIndex: i, text }
        : { source: 'history', name: null, historyIndex: i, text };
      record(p, m.kind, m.raw, m.masked);
    }
  });
  const out = [...byValue.values()];
  for (const f of out) {
    const list = also.get(f)!;
    f.alsoIn = list.length > ALSO_MAX ? [...list.slice(0, ALSO_MAX), `${list.length - ALSO_MAX} more`] : list;
  }
  return out;
}
