/**
 * `layerwise audit [DIR]`: finds what the repository builds (discoverTargets), estimates what
 * each change costs each image next to init's Dockerfile (auditImage), renders it as text, JSON or
 * HTML, checks `--fail-on`, and hands over to lint's fixes (`--fix`) and to init
 * (`--write-alternative`) under their own safety rules. Options are checked before any work.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { discoverTargets } from '../audit/discover.js';
import { checkFailOn, checkLines, parseFailOn } from '../audit/fail-on.js';
import { auditImage } from '../audit/image.js';
import type { AuditImage, AuditResult, AuditTarget } from '../audit/types.js';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import type { BuildCliOptions } from './audit-build.js';
import { handOver } from './audit-handover.js';
import { type OutputOptions, writeReport } from './output.js';

export interface AuditCliOptions extends OutputOptions, BuildCliOptions {
  build?: boolean;
  format?: string;
  failOn?: string[];
  image?: string[];
  dockerfile?: string[];
  top?: string;
  /** false: --no-engine */
  engine?: boolean;
  registry?: boolean;
  index?: boolean;
  fix?: boolean;
  writeAlternative?: boolean;
  dryRun?: boolean;
  color?: boolean;
}

/** Runs the audit; returns the exit code (1 when a --fail-on condition holds or a hand-over kept files). */
export async function runAudit(dirArg: string | undefined, opts: AuditCliOptions): Promise<number> {
  const root = resolve(dirArg ?? '.');
  if (!isDir(root)) throw new UserError(`${dirArg ?? '.'}: no such directory`);
  const conds = parseFailOn(opts.failOn ?? []);
  const top = opts.top === undefined ? 5 : Number(opts.top);
  if (!Number.isInteger(top) || top < 0) throw new UserError(`--top ${opts.top}: expected a whole number`);
  const format = opts.format ?? 'text';
  const handing = opts.fix || opts.writeAlternative;
  for (const [flag, set] of [
    ['--builder', opts.builder !== undefined],
    ['--build-arg', opts.buildArg !== undefined],
    ['--keep-images', !!opts.keepImages],
    ['--network', opts.network !== undefined],
    ['--touch', opts.touch !== undefined],
  ] as const)
    if (set && !opts.build) throw new UserError(`${flag} only makes sense with --build`);
  if (opts.dryRun && !handing) throw new UserError('--dry-run only makes sense with --fix or --write-alternative');
  // The hand-overs print diffs and what they wrote on standard output: a JSON or HTML report goes to a file then.
  if (handing && format !== 'text' && (!opts.output || opts.output === '-'))
    throw new UserError(
      `--${opts.fix ? 'fix' : 'write-alternative'} prints on standard output too: with --format ${format}, write the report with --output FILE`,
    );

  const found = discoverTargets(root, { dockerfiles: opts.dockerfile });
  const targets = pick(found.targets, opts.image ?? []);
  if (!targets.length)
    throw new UserError(
      `${dirArg ?? '.'}: no Dockerfile found, nor an image defined by compose, bake or a workflow; layerwise init ${dirArg ?? '.'} writes one`,
    );

  const images: AuditImage[] = [];
  // The engine is asked by default (a missing one only leaves base sizes unknown); the network only when asked.
  const imageOpts = { engine: opts.engine !== false, registry: !!opts.registry, index: !!opts.index };
  for (const target of targets) images.push(await auditImage(target, root, imageOpts));
  const result: AuditResult = { version: 1, root, images, warnings: found.warnings, toolVersion: VERSION };
  if (opts.build) {
    const { proveAll } = await import('./audit-build.js');
    const proved = await proveAll(images, targets, root, opts);
    result.images = proved.images;
    result.build = proved.build;
  }
  if (conds.length) result.checks = checkFailOn(conds, result);

  await writeReport(await render(result, format, top, opts), opts);
  for (const line of checkLines(result.checks ?? [], result)) process.stderr.write(`layerwise: ${line}\n`);
  let code = result.checks?.some((c) => c.failed) ? 1 : 0;
  if (handing) code = Math.max(code, await handOver(result, targets, opts));
  return code;
}

async function render(result: AuditResult, format: string, top: number, opts: AuditCliOptions): Promise<string> {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  if (format === 'html') {
    const { auditHtml } = await import('../audit/render-html.js');
    return auditHtml(result);
  }
  const { auditText } = await import('../audit/render-text.js');
  const color = !opts.output && opts.color !== false && !process.env.NO_COLOR && !!process.stdout.isTTY;
  const width = !opts.output && process.stdout.isTTY ? process.stdout.columns : undefined;
  return auditText(result, { color, top, width });
}

/** The targets named by --image (all when none is named); an unknown name is an error listing the names. */
function pick(targets: AuditTarget[], names: string[]): AuditTarget[] {
  if (!names.length) return targets;
  const unknown = names.filter((n) => !targets.some((t) => t.name === n));
  if (unknown.length)
    throw new UserError(
      `--image ${unknown.join(', ')}: no such image (images: ${targets.map((t) => t.name).join(', ') || 'none'})`,
    );
  return targets.filter((t) => names.includes(t.name));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
