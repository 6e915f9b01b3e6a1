/**
 * Images defined by compose files. Paths resolve as `docker compose` resolves them: the context
 * relative to the compose file's directory, the Dockerfile relative to the context. A directory's
 * `compose.override.yaml` (or `docker-compose.override.yml`) is merged into its base file as
 * compose does by default; other variants (`docker-compose.prod.yml`, used with `-f base -f
 * variant`) are merged onto the base too, each giving its own set of images (equal ones merge later).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  type BuildDef,
  type SourceResult,
  isRemoteContext,
  relPath,
  resolveFrom,
  scalarText,
  where,
} from './discover-def.js';
import { isObj, keyLine, readYamlDef, type YamlFile } from './discover-yaml.js';
import type { TargetOrigin } from './types.js';

/** Compose file names: base (`compose.yaml`), override (`compose.override.yaml`), variants (`compose.prod.yaml`). */
export const COMPOSE_NAME = /^(docker-)?compose(\.[\w.-]+)?\.ya?ml$/;

type Kind = 'base' | 'override' | 'variant';
interface ComposeFile {
  abs: string;
  rel: string;
  kind: Kind;
  family: string;
  yaml: YamlFile;
}

function kindOf(name: string): { kind: Kind; family: string } {
  const m = /^((?:docker-)?compose)(?:\.([\w.-]+))?\.ya?ml$/.exec(name)!;
  const family = m[1];
  if (!m[2]) return { kind: 'base', family };
  return { kind: m[2] === 'override' ? 'override' : 'variant', family };
}

/** One service's build as merged so far, with where each piece came from. */
interface ServiceBuild {
  build: Record<string, unknown>;
  origins: TargetOrigin[];
}

/**
 * Reads every compose file in `files` (absolute paths, any directories) and returns the images
 * they build. Files are grouped per directory.
 */
export function discoverCompose(root: string, files: string[]): SourceResult {
  const warnings: string[] = [];
  const defs: BuildDef[] = [];
  const byDir = new Map<string, ComposeFile[]>();
  for (const abs of [...files].sort()) {
    const rel = relPath(root, abs);
    const yaml = readYamlDef(root, abs, warnings);
    if (!yaml) continue;
    if (yaml.value != null && !isObj(yaml.value)) {
      warnings.push(`${rel}: not a compose file (the top level is not a mapping); skipped`);
      continue;
    }
    const list = byDir.get(dirname(abs)) ?? [];
    list.push({ abs, rel, yaml, ...kindOf(basename(abs)) });
    byDir.set(dirname(abs), list);
  }
  for (const [dir, list] of byDir) {
    const env = readDotEnv(join(dir, '.env'));
    const bases = list.filter((f) => f.kind === 'base');
    const stacks: ComposeFile[][] = [];
    for (const base of bases) {
      const override = list.find((f) => f.kind === 'override' && f.family === base.family);
      stacks.push(override ? [base, override] : [base]);
    }
    for (const f of list) {
      if (f.kind === 'base') continue;
      const base = bases.find((b) => b.family === f.family) ?? bases[0];
      if (f.kind === 'variant') stacks.push(base ? [base, f] : [f]);
      else if (!bases.some((b) => b.family === f.family)) stacks.push(base ? [base, f] : [f]);
    }
    for (const stack of stacks) defs.push(...stackDefs(root, dir, stack, env, warnings));
  }
  return { defs, warnings };
}

/** Merges the files of one `-f a -f b` stack and turns each service with a `build` into a definition. */
function stackDefs(
  root: string,
  dir: string,
  stack: ComposeFile[],
  env: Map<string, string>,
  warnings: string[],
): BuildDef[] {
  const services = new Map<string, ServiceBuild>();
  const extended = new Map<string, string>();
  for (const f of stack) {
    if ((f.yaml.value as Record<string, unknown> | null)?.include !== undefined)
      warnings.push(
        `${where(f.rel, keyLine(f.yaml, [], 'include'))}: include is not followed; audit the included project's directory too`,
      );
    const svcs = (f.yaml.value as Record<string, unknown> | null)?.services;
    if (svcs == null) continue;
    if (!isObj(svcs)) {
      warnings.push(`${where(f.rel, keyLine(f.yaml, [], 'services'))}: services is not a mapping; skipped`);
      continue;
    }
    for (const [name, svc] of Object.entries(svcs)) {
      if (isObj(svc) && svc.build === undefined && svc.extends !== undefined)
        extended.set(name, `${where(f.rel, keyLine(f.yaml, ['services', name], 'extends'))}: services.${name}`);
      if (!isObj(svc) || svc.build === undefined) continue;
      const line = keyLine(f.yaml, ['services', name], 'build') ?? keyLine(f.yaml, ['services'], name);
      const origin: TargetOrigin = { kind: 'compose', file: f.rel, line, detail: `services.${name}` };
      const b = svc.build;
      let build: Record<string, unknown>;
      if (typeof b === 'string') build = { context: b };
      else if (isObj(b)) build = b;
      else {
        warnings.push(`${where(f.rel, line)}: services.${name}: build is neither a path nor a mapping; skipped`);
        continue;
      }
      const prev = services.get(name);
      if (!prev) services.set(name, { build: { ...build }, origins: [origin] });
      else {
        // Compose merges build mappings key by key; args are merged by name.
        const merged = { ...prev.build, ...build };
        if (prev.build.args !== undefined && build.args !== undefined)
          merged.args = { ...argsMap(prev.build.args), ...argsMap(build.args) };
        services.set(name, { build: merged, origins: [...prev.origins, origin] });
      }
    }
  }
  for (const [name, at] of extended)
    if (!services.has(name))
      warnings.push(
        `${at}: extends is not followed; a build it inherits is not audited (give the service its own build)`,
      );
  const defs: BuildDef[] = [];
  for (const [name, sb] of services) {
    const def = serviceDef(root, dir, name, sb, env, warnings);
    if (def) defs.push(def);
  }
  return defs;
}

function serviceDef(
  root: string,
  dir: string,
  name: string,
  sb: ServiceBuild,
  env: Map<string, string>,
  warnings: string[],
): BuildDef | null {
  const o = sb.origins[sb.origins.length - 1];
  const at = `${where(o.file, o.line)}: services.${name}`;
  const b = sb.build;
  if (b.dockerfile_inline !== undefined) {
    warnings.push(`${at}: dockerfile_inline is not audited (move it into a Dockerfile to audit it); skipped`);
    return null;
  }
  const ctxRaw = scalarText(b.context ?? '.');
  if (ctxRaw === undefined) {
    warnings.push(`${at}: build.context is not a string; skipped`);
    return null;
  }
  const ctx = interpolate(ctxRaw, env);
  if (ctx === null) {
    warnings.push(`${at}: build.context ${ctxRaw} uses a variable with no value in .env and no default; skipped`);
    return null;
  }
  if (isRemoteContext(ctx)) {
    warnings.push(`${at}: build.context ${ctx} is a remote (git/URL) context, not a local directory; skipped`);
    return null;
  }
  const dfRaw = scalarText(b.dockerfile ?? 'Dockerfile');
  const df = dfRaw === undefined ? null : interpolate(dfRaw, env);
  if (df === null) {
    warnings.push(`${at}: build.dockerfile ${String(b.dockerfile)} cannot be resolved; skipped`);
    return null;
  }
  const context = resolveFrom(dir, ctx);
  const target = b.target === undefined ? undefined : scalarText(b.target);
  const args = b.args === undefined ? {} : argsMap(b.args);
  return {
    name,
    context,
    dockerfile: resolveFrom(context, df),
    ...(target !== undefined && target !== '' ? { target: interpolate(target, env) ?? target } : {}),
    args,
    origins: sb.origins,
  };
}

/**
 * Compose `args` as a map: `{K: v}` or `[K=v, K]`. A name without a value takes it from the
 * environment at build time; it is kept as `${K}`, which is what compose does with it.
 */
export function argsMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = scalarText(item);
      if (s === undefined) continue;
      const eq = s.indexOf('=');
      if (eq < 0) out[s] = `\${${s}}`;
      else out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (isObj(v)) {
    for (const [k, val] of Object.entries(v)) out[k] = val == null ? `\${${k}}` : (scalarText(val) ?? String(val));
  }
  return out;
}

/**
 * Compose interpolation of a path: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$VAR`, `$$`,
 * from the project's `.env` (the shell's environment is not read, so results do not depend on who
 * runs the audit). null when a variable has neither a value nor a default.
 */
export function interpolate(s: string, env: Map<string, string>): string | null {
  let failed = false;
  const out = s.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (m, braced?: string, op?: string, word?: string, bare?: string) => {
      if (m === '$$') return '$';
      const name = (braced ?? bare)!;
      const val = env.get(name);
      const set = val !== undefined && (val !== '' || !op?.startsWith(':'));
      if (op === ':-' || op === '-') return set ? val! : (word ?? '');
      if (op === ':+' || op === '+') return set ? (word ?? '') : '';
      if (set) return val!;
      failed = true;
      return m;
    },
  );
  return failed ? null : out;
}

/** `KEY=value` lines of a compose `.env` file (comments, `export`, quotes handled). */
export function readDotEnv(file: string): Map<string, string> {
  const env = new Map<string, string>();
  if (!existsSync(file)) return env;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return env;
  }
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(raw);
    if (!m) continue;
    let v = m[2].trim();
    if (
      (v.startsWith('"') && v.endsWith('"') && v.length >= 2) ||
      (v.startsWith("'") && v.endsWith("'") && v.length >= 2)
    )
      v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    env.set(m[1], v);
  }
  return env;
}
