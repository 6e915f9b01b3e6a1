/**
 * Images built by GitHub Actions workflows (`.github/workflows/*.yml`): steps that use
 * `docker/build-push-action`. Paths resolve as the action resolves them on a checkout of the
 * repository: `context` from the repository root (no context: the repository itself), `file`
 * from the repository root too, default `<context>/Dockerfile`. A job's `strategy.matrix` is
 * expanded (lists, `include`, `exclude`) and `${{ matrix.X }}` / `${{ env.X }}` with literal
 * values are substituted; other `${{ ... }}` expressions stay verbatim in build args, and make a
 * context, file or target unusable (one warning).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BuildDef,
  type SourceResult,
  isRemoteContext,
  relPath,
  resolveFrom,
  scalarText,
  where,
} from './discover-def.js';
import { isObj, nodeLine, readYamlDef } from './discover-yaml.js';

type Combo = Record<string, string>;

/** Workflow files of a repository root, absolute paths, sorted. */
export function workflowFiles(root: string): string[] {
  const dir = join(root, '.github', 'workflows');
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** Reads the given workflow files and returns the images their build-push-action steps build. */
export function discoverWorkflows(root: string, files: string[]): SourceResult {
  const warnings: string[] = [];
  const defs: BuildDef[] = [];
  for (const abs of files) {
    const rel = relPath(root, abs);
    const f = readYamlDef(root, abs, warnings);
    if (!f) continue;
    const wf = f.value;
    if (!isObj(wf) || !isObj(wf.jobs)) continue;
    const wfEnv = literalEnv(wf.env);
    for (const [jobId, job] of Object.entries(wf.jobs)) {
      if (!isObj(job) || !Array.isArray(job.steps)) continue;
      const jobEnv = { ...wfEnv, ...literalEnv(job.env) };
      const combos = matrixCombos(isObj(job.strategy) ? job.strategy.matrix : undefined);
      if (combos === null)
        warnings.push(
          `${where(rel, nodeLine(f, ['jobs', jobId, 'strategy']))}: jobs.${jobId}: the matrix is an expression and is not expanded; \${{ matrix.* }} stays unresolved`,
        );
      job.steps.forEach((step: unknown, i: number) => {
        if (!isObj(step) || typeof step.uses !== 'string' || !/^docker\/build-push-action@/.test(step.uses)) return;
        const line = nodeLine(f, ['jobs', jobId, 'steps', i]);
        const detail = `jobs.${jobId}.steps[${i}]`;
        const env = { ...jobEnv, ...literalEnv(step.env) };
        for (const combo of combos ?? [{}]) {
          const imageName = metadataImage(job.steps as unknown[], step, combo, env);
          const def = stepDef(root, rel, line, detail, step, combo, env, imageName, warnings);
          if (def) defs.push(def);
        }
      });
    }
  }
  return { defs, warnings };
}

function stepDef(
  root: string,
  rel: string,
  line: number | undefined,
  detail: string,
  step: Record<string, unknown>,
  combo: Combo,
  env: Record<string, string>,
  metaImage: string | undefined,
  warnings: string[],
): BuildDef | null {
  const w = isObj(step.with) ? step.with : {};
  const sub = (v: unknown) => substitute(scalarText(v) ?? '', combo, env).trim();
  // Matrix combinations are left out of messages: the value quoted says what went wrong, and one
  // line per problem (not per combination) keeps the warnings readable.
  const at = `${where(rel, line)}: ${detail}`;
  const note = (text: string) => {
    if (!warnings.includes(text)) warnings.push(text);
  };
  const warn = (msg: string) => {
    note(`${at}: ${msg}; skipped`);
    return null;
  };
  let ctx = w.context === undefined ? '.' : sub(w.context);
  // `{{defaultContext}}:sub` is the repository's own git context at a subdirectory.
  const dc = /^\{\{\s*defaultContext\s*\}\}(?::(.*))?$/.exec(ctx);
  if (dc) ctx = dc[1] || '.';
  if (ctx.includes('${{')) return warn(`context ${ctx} is an expression the audit cannot evaluate`);
  if (isRemoteContext(ctx)) return warn(`context ${ctx} is a remote (git/URL) context, not a local directory`);
  const file = w.file === undefined ? '' : sub(w.file);
  if (file.includes('${{')) return warn(`file ${file} is an expression the audit cannot evaluate`);
  const target = w.target === undefined ? '' : sub(w.target);
  if (target.includes('${{')) return warn(`target ${target} is an expression the audit cannot evaluate`);
  const context = resolveFrom(root, ctx || '.');
  const args: Record<string, string> = {};
  for (const l of sub(w['build-args']).split(/\r?\n/)) {
    const s = l.trim();
    if (!s) continue;
    const eq = s.indexOf('=');
    if (eq > 0) args[s.slice(0, eq)] = s.slice(eq + 1);
    else note(`${at}: build-args line "${s}" has no =; ignored`);
  }
  const tag = sub(w.tags)
    .split(/[\n,]/)
    .map((t) => t.trim())
    .find((t) => t && !t.includes('${{'));
  const name = tag ? repoOf(tag) : (metaImage ?? '');
  return {
    name,
    context,
    dockerfile: file ? resolveFrom(root, file) : join(context, 'Dockerfile'),
    ...(target ? { target } : {}),
    args,
    origins: [{ kind: 'workflow', file: rel, line, detail }],
  };
}

/** `ghcr.io/acme/api:1.2` -> `ghcr.io/acme/api` (a tag names the image; its version does not). */
function repoOf(tag: string): string {
  const at = tag.indexOf('@');
  const t = at >= 0 ? tag.slice(0, at) : tag;
  const colon = t.lastIndexOf(':');
  return colon > t.lastIndexOf('/') ? t.slice(0, colon) : t;
}

/** The first image of a `docker/metadata-action` step whose tags output this step uses. */
function metadataImage(
  steps: unknown[],
  step: Record<string, unknown>,
  combo: Combo,
  env: Record<string, string>,
): string | undefined {
  const tags = isObj(step.with) ? scalarText(step.with.tags) : undefined;
  const m = tags && /\$\{\{\s*steps\.([\w-]+)\.outputs\.tags\s*\}\}/.exec(tags);
  if (!m) return undefined;
  const meta = steps.find((s) => isObj(s) && s.id === m[1] && typeof s.uses === 'string');
  const raw = isObj(meta) && isObj(meta.with) ? scalarText(meta.with.images) : undefined;
  const images = raw === undefined ? undefined : substitute(raw, combo, env);
  // One image per line; a line may be `name=ghcr.io/acme/app,enable=true`.
  return images
    ?.split('\n')
    .map((s) =>
      s
        .split(',')[0]
        .trim()
        .replace(/^name=/, ''),
    )
    .find((s) => s && !s.includes('${{'));
}

/** `${{ matrix.X }}` and `${{ env.X }}` replaced where known; everything else kept as written. */
function substitute(s: string, combo: Combo, env: Record<string, string>): string {
  return s.replace(/\$\{\{\s*(matrix|env)\.([\w-]+)\s*\}\}/g, (m, scope: string, key: string) => {
    const v = scope === 'matrix' ? combo[key] : env[key];
    return v ?? m;
  });
}

/** Env entries whose values are plain text (no expressions). */
function literalEnv(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(v)) return out;
  for (const [k, val] of Object.entries(v)) {
    const s = scalarText(val);
    if (s !== undefined && !s.includes('${{')) out[k] = s;
  }
  return out;
}

/**
 * The job's matrix combinations, as GitHub Actions computes them: the product of the list-valued
 * keys, minus `exclude` entries, then each `include` entry either extends the combinations it
 * matches (on the original keys) without overwriting them, or is added as its own combination.
 * `[{}]` without a matrix; null when the matrix is an expression.
 */
export function matrixCombos(matrix: unknown): Combo[] | null {
  if (matrix === undefined || matrix === null) return [{}];
  if (!isObj(matrix)) return null;
  let combos: Combo[] = [{}];
  const keys: string[] = [];
  for (const [k, v] of Object.entries(matrix)) {
    if (k === 'include' || k === 'exclude') continue;
    if (!Array.isArray(v)) return null;
    keys.push(k);
    combos = combos.flatMap((c) => v.map((x) => ({ ...c, [k]: valueText(x) })));
  }
  if (keys.length === 0) combos = [];
  const entries = (v: unknown): Combo[] =>
    Array.isArray(v)
      ? v.filter(isObj).map((o) => Object.fromEntries(Object.entries(o).map(([k, x]) => [k, valueText(x)])))
      : [];
  for (const ex of entries(matrix.exclude))
    combos = combos.filter((c) => !Object.entries(ex).every(([k, v]) => c[k] === v));
  const original = combos.map((c) => ({ ...c }));
  for (const inc of entries(matrix.include)) {
    let used = false;
    original.forEach((orig, i) => {
      const matches = Object.entries(inc).every(([k, v]) => !keys.includes(k) || orig[k] === v);
      if (!matches) return;
      // An include may not overwrite an original value; added keys may be overwritten by later includes.
      if (Object.entries(inc).some(([k, v]) => keys.includes(k) && orig[k] !== v)) return;
      combos[i] = { ...combos[i], ...inc };
      used = true;
    });
    if (!used) combos.push({ ...inc });
  }
  return combos.length ? combos : [{}];
}

function valueText(x: unknown): string {
  return scalarText(x) ?? JSON.stringify(x);
}
