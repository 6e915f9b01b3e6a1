/**
 * `audit --fix` and `audit --write-alternative`: hand the audited images over to lint's fixes
 * (src/cli/lint-fix.ts: every file or none, never outside the audit root, read-only files only
 * with --force, --dry-run prints a diff) and to init (src/cli/init.ts: a file that differs is
 * kept and shown as a diff unless --force, nothing outside the project directory). Each runs
 * under its own rules; audit only says which files and which directories.
 */
import { relative, resolve } from 'node:path';
import type { AuditResult, AuditTarget } from '../audit/types.js';
import { loadConfig } from '../config/config.js';
import type { LintTextOptions } from '../lint.js';

export interface HandOverOptions {
  fix?: boolean;
  writeAlternative?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

/** Runs the hand-overs asked for; returns 1 when a fix failed to apply or init kept a file that differs. */
export async function handOver(result: AuditResult, targets: AuditTarget[], opts: HandOverOptions): Promise<number> {
  let code = 0;
  if (opts.fix) code = Math.max(code, await fixDockerfiles(result.root, targets, opts));
  if (opts.writeAlternative) code = Math.max(code, await writeAlternatives(result, opts));
  return code;
}

/**
 * Lint's safe fixes on each audited Dockerfile, linted with its (first) target's context and
 * build args, as the audit saw it. Dockerfiles sharing a context and args are fixed together.
 */
async function fixDockerfiles(root: string, targets: AuditTarget[], opts: HandOverOptions): Promise<number> {
  const { fixFiles } = await import('./lint-fix.js');
  const config = await loadConfig(root);
  const seen = new Set<string>();
  const groups = new Map<string, { context: string; args: Record<string, string>; files: string[] }>();
  for (const t of targets) {
    if (seen.has(t.dockerfile)) continue;
    seen.add(t.dockerfile);
    const key = JSON.stringify([t.context, t.args]);
    const g = groups.get(key) ?? { context: t.context, args: t.args, files: [] };
    g.files.push(t.dockerfile);
    groups.set(key, g);
  }
  const lines: string[] = [];
  let failures = 0;
  for (const g of groups.values()) {
    const base: LintTextOptions = {
      ignore: config.ignore,
      severity: config.severity,
      settings: { trustedRegistries: config.trustedRegistries },
      buildArgs: g.args,
    };
    const out = await fixFiles(g.files, base, {
      dryRun: opts.dryRun,
      force: opts.force,
      context: g.context,
      paths: [root],
    });
    failures += out.failures.length;
    for (const f of out.fixed)
      lines.push(
        `${opts.dryRun ? 'would fix' : 'fixed'} ${f.count} finding${f.count === 1 ? '' : 's'} in ${relative(root, resolve(f.path)) || f.path}`,
      );
  }
  if (!lines.length) lines.push('--fix: nothing lint can fix safely');
  else if (!opts.dryRun) lines.push('run layerwise audit again for the figures of the fixed Dockerfiles');
  process.stderr.write(`${lines.join('\n')}\n`);
  return failures ? 1 : 0;
}

/**
 * init for each project the audit wrote an alternative for (once per directory): the Dockerfile and
 * .dockerignore only, as the alternative shows them (no compose file, no workflow).
 */
async function writeAlternatives(result: AuditResult, opts: HandOverOptions): Promise<number> {
  const { runInit } = await import('./init.js');
  const dirs = new Set<string>();
  for (const image of result.images)
    if (image.alternative && image.project) dirs.add(resolve(result.root, image.project.dir));
  if (!dirs.size) {
    process.stderr.write('--write-alternative: no image has a Python project init can write for (see the notes)\n');
    return 0;
  }
  let code = 0;
  for (const dir of dirs) {
    process.stderr.write(`init ${relative(process.cwd(), dir) || '.'}:\n`);
    code = Math.max(
      code,
      await runInit(dir, { force: opts.force, dryRun: opts.dryRun, compose: false, workflow: false }),
    );
  }
  return code;
}
