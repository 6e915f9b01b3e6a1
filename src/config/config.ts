/**
 * Lint configuration: `layerwise.toml`, `[tool.layerwise]` in pyproject.toml, and hadolint's
 * `.hadolint.yaml` (ignored, override, trustedRegistries, failure-threshold, label-schema,
 * strict-labels), merged with
 * layerwise's own settings winning. Found by walking up from the working directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { LABEL_TYPES } from '../rules/lib/label-formats.js';
import type { LabelType, Severity } from '../rules/types.js';

export interface Config {
  /** Rule ids, names or aliases never to report. */
  ignore: string[];
  /** Severity per rule id, name or alias ('off' disables). */
  severity: Record<string, Severity | 'off'>;
  failureThreshold?: Severity | 'none';
  trustedRegistries: string[];
  /** `disable-ignore-pragma`: inline ignore comments suppress nothing. */
  disableIgnorePragma?: boolean;
  /** Required labels and the type of each value (`label-schema`). */
  labelSchema: Record<string, LabelType>;
  /** Labels outside the schema are reported (`strict-labels`); undefined when no file says. */
  strictLabels?: boolean;
  /** `shellcheck = "off" | "auto" | "on"`: whether lint runs ShellCheck on RUN scripts. */
  shellcheck?: 'off' | 'auto' | 'on';
  /** `shellcheck-path`: the ShellCheck binary, resolved against the config file's directory. */
  shellcheckPath?: string;
  /** Files the configuration came from, for `--print-config` and messages. */
  sources: string[];
  /** Every rule named in the files, with where (file and key), so unknown ones can be warned about. */
  ruleRefs: RuleRef[];
}

/** A rule id, name or alias as the configuration names it. */
export interface RuleRef {
  rule: string;
  /** `layerwise.toml ignore`, `.hadolint.yaml override.error`, ... */
  where: string;
  /** From hadolint's file, which hadolint reads too: its own rule ids are not unknown there. */
  hadolint: boolean;
}

const LEVELS = new Set(['error', 'warning', 'info', 'style', 'none', 'off']);

export function emptyConfig(): Config {
  return { ignore: [], severity: {}, trustedRegistries: [], labelSchema: {}, sources: [], ruleRefs: [] };
}

/**
 * Loads the configuration for `cwd`, or from `explicit` when `--config` was given. The TOML and
 * YAML parsers load only when a file is found, which keeps the common case's start-up short.
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<Config> {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) throw new UserError(`config file ${explicit} does not exist`);
    return merge(emptyConfig(), await readConfigFile(path));
  }
  let dir = resolve(cwd);
  for (;;) {
    const found = ['layerwise.toml', '.layerwise.toml', 'pyproject.toml', '.hadolint.yaml', '.hadolint.yml']
      .map((n) => join(dir, n))
      .filter((p) => existsSync(p));
    const parts = (await Promise.all(found.map(readConfigFile))).filter(
      (c): c is Config => c !== undefined && c.sources.length > 0,
    );
    if (parts.length) {
      // hadolint's file first, so layerwise's own settings override it.
      parts.sort((a, b) => Number(isLayerwise(a)) - Number(isLayerwise(b)));
      return parts.reduce(merge, emptyConfig());
    }
    if (existsSync(join(dir, '.git'))) break;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return emptyConfig();
}

function isLayerwise(c: Config): boolean {
  return c.sources.some((s) => !/hadolint/.test(basename(s)));
}

function merge(a: Config, b: Config | undefined): Config {
  if (!b) return a;
  return {
    ignore: [...a.ignore, ...b.ignore],
    severity: { ...a.severity, ...b.severity },
    failureThreshold: b.failureThreshold ?? a.failureThreshold,
    trustedRegistries: [...a.trustedRegistries, ...b.trustedRegistries],
    disableIgnorePragma: b.disableIgnorePragma ?? a.disableIgnorePragma,
    labelSchema: { ...a.labelSchema, ...b.labelSchema },
    strictLabels: b.strictLabels ?? a.strictLabels,
    shellcheck: b.shellcheck ?? a.shellcheck,
    shellcheckPath: b.shellcheckPath ?? a.shellcheckPath,
    sources: [...a.sources, ...b.sources],
    ruleRefs: [...a.ruleRefs, ...b.ruleRefs],
  };
}

/** Reads one configuration file; undefined for a pyproject.toml without `[tool.layerwise]`. */
export async function readConfigFile(path: string): Promise<Config | undefined> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read config ${path}: ${(e as Error).message}`);
  }
  const name = basename(path);
  if (/\.ya?ml$/.test(name)) {
    const { parse } = await import('yaml');
    return fromHadolint(
      path,
      parseOr(path, () => parse(text)),
    );
  }
  const { parse } = await import('smol-toml');
  const doc = parseOr(path, () => parse(text)) as Record<string, unknown>;
  if (name === 'pyproject.toml') {
    const tool = (doc.tool as Record<string, unknown> | undefined)?.layerwise;
    return tool ? fromLayerwise(path, tool) : undefined;
  }
  return fromLayerwise(path, doc);
}

function parseOr(path: string, fn: () => unknown): unknown {
  try {
    return fn() ?? {};
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw new UserError(`invalid config ${path}: ${msg}`);
  }
}

/** How messages name a config file: relative to the working directory when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function fromLayerwise(path: string, raw: unknown): Config {
  const doc = asObject(path, raw, 'the file');
  const cfg = emptyConfig();
  cfg.sources.push(path);
  const where = (key: string) =>
    `${shown(path)}${basename(path) === 'pyproject.toml' ? ' [tool.layerwise]' : ''} ${key}`;
  for (const [key, value] of Object.entries(doc)) {
    switch (key) {
      case 'ignore':
        cfg.ignore = stringList(path, key, value);
        for (const rule of cfg.ignore) cfg.ruleRefs.push({ rule, where: where(key), hadolint: false });
        break;
      case 'failure-threshold':
      case 'failure_threshold':
        cfg.failureThreshold = level(path, key, value, true) as Severity | 'none';
        break;
      case 'trusted-registries':
      case 'trusted_registries':
        cfg.trustedRegistries = stringList(path, key, value);
        break;
      case 'disable-ignore-pragma':
      case 'disable_ignore_pragma':
        cfg.disableIgnorePragma = bool(path, key, value);
        break;
      case 'label-schema':
      case 'label_schema':
        cfg.labelSchema = labelSchema(path, key, value);
        break;
      case 'strict-labels':
      case 'strict_labels':
        cfg.strictLabels = bool(path, key, value);
        break;
      case 'severity':
        for (const [rule, v] of Object.entries(asObject(path, value, 'severity'))) {
          cfg.severity[rule] = level(path, `severity.${rule}`, v, false) as Severity | 'off';
          cfg.ruleRefs.push({ rule, where: where('severity'), hadolint: false });
        }
        break;
      case 'shellcheck':
        if (value !== 'off' && value !== 'auto' && value !== 'on')
          throw new UserError(`${path}: 'shellcheck' must be "off", "auto" or "on"`);
        cfg.shellcheck = value;
        break;
      case 'shellcheck-path':
      case 'shellcheck_path':
        if (typeof value !== 'string' || !value) throw new UserError(`${path}: '${key}' must be a path`);
        cfg.shellcheckPath = resolve(dirname(path), value);
        break;
      case 'build':
        // `layerwise build`'s own table (src/build/config.ts reads it); nothing for lint.
        break;
      default:
        throw new UserError(
          `${path}: unknown setting '${key}' (expected ignore, severity, failure-threshold, trusted-registries, label-schema, strict-labels, shellcheck, shellcheck-path, disable-ignore-pragma, or the build table)`,
        );
    }
  }
  return cfg;
}

function fromHadolint(path: string, raw: unknown): Config {
  const doc = asObject(path, raw ?? {}, 'the file');
  const cfg = emptyConfig();
  cfg.sources.push(path);
  const ref = (rule: string, key: string) =>
    cfg.ruleRefs.push({ rule, where: `${shown(path)} ${key}`, hadolint: true });
  if (doc.ignored !== undefined) {
    cfg.ignore = stringList(path, 'ignored', doc.ignored);
    for (const r of cfg.ignore) ref(r, 'ignored');
  }
  if (doc['disable-ignore-pragma'] !== undefined)
    cfg.disableIgnorePragma = bool(path, 'disable-ignore-pragma', doc['disable-ignore-pragma']);
  if (doc.trustedRegistries !== undefined)
    cfg.trustedRegistries = stringList(path, 'trustedRegistries', doc.trustedRegistries);
  if (doc['label-schema'] !== undefined) cfg.labelSchema = labelSchema(path, 'label-schema', doc['label-schema']);
  if (doc['strict-labels'] !== undefined) cfg.strictLabels = bool(path, 'strict-labels', doc['strict-labels']);
  const threshold = doc['failure-threshold'] ?? doc.failureThreshold;
  if (threshold !== undefined) {
    const t = String(threshold).toLowerCase();
    cfg.failureThreshold = (t === 'ignore' ? 'none' : level(path, 'failure-threshold', t, true)) as Severity | 'none';
  }
  if (doc.override !== undefined) {
    for (const [lvl, rules] of Object.entries(asObject(path, doc.override, 'override'))) {
      const sev = level(path, `override.${lvl}`, lvl, false) as Severity;
      for (const r of stringList(path, `override.${lvl}`, rules)) {
        cfg.severity[r] = sev;
        ref(r, `override.${lvl}`);
      }
    }
  }
  return cfg;
}

function asObject(path: string, v: unknown, what: string): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new UserError(`${path}: ${what} must be a table of settings`);
}

function stringList(path: string, key: string, v: unknown): string[] {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new UserError(`${path}: '${key}' must be a list of strings`);
}

/** `{ name: type }`; hadolint's types, case-insensitive as hadolint reads them. */
function labelSchema(path: string, key: string, v: unknown): Record<string, LabelType> {
  const out: Record<string, LabelType> = {};
  for (const [name, type] of Object.entries(asObject(path, v, `'${key}'`))) {
    const t = String(type).toLowerCase() as LabelType;
    if (typeof type !== 'string' || !LABEL_TYPES.includes(t))
      throw new UserError(`${path}: '${key}.${name}' is '${String(type)}'; expected one of ${LABEL_TYPES.join(', ')}`);
    out[name] = t;
  }
  return out;
}

function bool(path: string, key: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  throw new UserError(`${path}: '${key}' must be true or false`);
}

function level(path: string, key: string, v: unknown, threshold: boolean): string {
  const s = String(v).toLowerCase();
  if (LEVELS.has(s) && (threshold ? s !== 'off' : s !== 'none')) return s;
  const allowed = threshold ? 'error, warning, info, style, none' : 'error, warning, info, style, off';
  throw new UserError(`${path}: '${key}' is '${String(v)}'; expected one of ${allowed}`);
}
