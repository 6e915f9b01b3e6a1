/**
 * `layerwise bench [DIR]`: checks every option and the baseline before building anything, plans
 * the images (plan.ts), runs the scenarios through the one build driver (run.ts), assembles the
 * result with the environment, the --against ratios and the --fail-on verdict, appends it to the
 * history, writes the step summary and the report. Exit 0, 1 when a --fail-on rule fails, 2 for
 * bad input or a failed build.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  benchVerdict,
  failureLines,
  needsBaseline,
  parseFailOn,
  uncheckedLines,
  validateThresholds,
} from '../bench/fail-on.js';
import { appendHistory, benchEnvironment, pickBaseline, readHistory } from '../bench/history.js';
import { deployBytes, engineFacts } from '../bench/measure.js';
import { planBench } from '../bench/plan.js';
import { redactBuildArgs } from '../bench/redact.js';
import { checkHistoryFile, checkReportFile, checkScenarioOptions, checkScenarios } from '../bench/preflight.js';
import { indexUrlOf, runPlan } from '../bench/run.js';
import { applyChange } from '../bench/changes.js';
import { SCENARIOS, type BenchResult, type ScenarioName, type ScenarioResult } from '../bench/types.js';
import { copyForBench } from '../bench/workspace.js';
import { buildEnvironment, buildImage, type BuildRequest, removeImages } from '../engine/build.js';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { benchProgress } from './bench-progress.js';
import { type OutputOptions, writeReport } from './output.js';

export interface BenchCliOptions extends OutputOptions {
  scenarios?: string[];
  repeat?: string;
  buildArg?: Record<string, string>;
  target?: string;
  touch?: string;
  depChange?: string;
  against?: string;
  service?: string[];
  stages?: boolean;
  /** A path, or false for --no-history. */
  history?: string | false;
  baseline?: string;
  failOn?: string[];
  /** true for a bare --summary, FILE for --summary=FILE. */
  summary?: string | true;
  format?: string;
  builder?: string;
  buildkit?: string;
  network?: 'default' | 'host' | 'none';
  keepImages?: boolean;
  color?: boolean;
}

/** What bench runs when --scenarios is not given: no tool or base image beyond the build's own. */
export const DEFAULT_SCENARIOS: ScenarioName[] = ['cold', 'warm', 'code-change'];

/** Runs the bench; returns the exit code. */
export async function runBench(dirArg: string | undefined, opts: BenchCliOptions): Promise<number> {
  const dir = dirArg ?? '.';
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new UserError(`${dir}: no such directory`);
  const scenarios = pickScenarios(opts.scenarios);
  const repeat = Number(opts.repeat ?? '1');
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 50)
    throw new UserError(`--repeat ${opts.repeat}: expected a whole number from 1 to 50`);
  checkScenarioOptions(scenarios, opts);
  const thresholds = parseFailOn(opts.failOn ?? []);
  validateThresholds(thresholds, scenarios);
  const relative = needsBaseline(thresholds);
  if (relative.length && !opts.baseline)
    throw new UserError(
      `--fail-on ${relative[0].rule}: compares with a baseline; give --baseline REF|FILE or an absolute limit`,
    );
  if (opts.buildkit !== undefined && opts.builder !== undefined)
    throw new UserError('--buildkit and --builder pick the builder both ways; give one');
  const historyFile = opts.history === false ? null : resolve(opts.history ?? join(root, '.layerwise', 'bench.jsonl'));
  const baselineFile = historyFile ?? join(root, '.layerwise', 'bench.jsonl');
  const baseline = opts.baseline !== undefined ? pickBaseline(opts.baseline, baselineFile, root) : undefined;
  const summaryFile = summaryTarget(opts.summary);
  // No partial writes: a report file that would be refused is refused before the builds.
  for (const [flag, file] of [
    ['--output', opts.output && opts.output !== '-' ? opts.output : undefined],
    ['--summary', opts.summary !== true ? summaryFile : undefined],
  ] as const)
    if (file) {
      if (existsSync(file) && !opts.force) throw new UserError(`${flag} ${file}: exists; use --force to overwrite it`);
      checkReportFile(flag, file);
    }
  if (historyFile) checkHistoryFile(historyFile);

  const plan = planBench(dir, {
    services: opts.service,
    against: opts.against,
    target: opts.target,
    buildArgs: opts.buildArg,
  });
  for (const w of plan.warnings) process.stderr.write(`layerwise: ${w}\n`);
  // What the later scenarios need, checked before the first build.
  await checkScenarios(plan.images, scenarios, {
    touch: opts.touch,
    depChange: opts.depChange,
    indexUrlOf: (img) => indexUrlOf(img.buildArgs),
    remoteBuilder:
      opts.buildkit !== undefined
        ? `--buildkit ${opts.buildkit}`
        : opts.builder !== undefined
          ? `--builder ${opts.builder}`
          : undefined,
  });

  const startedAt = new Date().toISOString();
  const buildEnv = await buildEnvironment({ builder: opts.builder });
  const client = opts.buildkit !== undefined ? 'buildctl' : buildEnv.client;
  // The engine the builds use (the docker CLI on PATH, DOCKER_HOST), named once for the facts and the run.
  const engine = { docker: 'docker', host: process.env.DOCKER_HOST };
  const environment = await benchEnvironment(
    root,
    { client, builder: opts.buildkit ?? opts.builder ?? 'default', ...engine },
    // The history file is the run's own write, not a change of the tree (dirty).
    historyFile ?? undefined,
  );
  const runKey = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const progress = benchProgress(process.stderr);
  const build = (req: BuildRequest) =>
    buildImage(opts.buildkit !== undefined ? { ...req, client: 'buildctl', buildkit: opts.buildkit } : req);
  let out;
  try {
    out = await runPlan(
      plan.images,
      {
        scenarios,
        repeat,
        runKey,
        touch: opts.touch,
        depChange: opts.depChange,
        builder: opts.builder,
        ...engine,
        network: opts.network,
        stages: opts.stages,
        keepImages: opts.keepImages,
        onBuild: progress.build,
        onLine: progress.line,
        onStep: progress.step,
      },
      {
        copy: copyForBench,
        apply: applyChange,
        build,
        facts: engineFacts(engine.host),
        deploy: (before, after) => deployBytes(before, after, engine.host),
        remove: (refs) => removeImages(refs),
      },
    );
  } finally {
    progress.done();
  }
  if (out.kept.length) process.stderr.write(`layerwise: kept images ${out.kept.join(' ')}\n`);

  const result: BenchResult = {
    schema: 'layerwise-bench/1',
    startedAt,
    tool: { name: 'layerwise', version: VERSION },
    project: dir,
    options: {
      scenarios,
      repeat,
      ...(opts.target ? { target: opts.target } : {}),
      // Recorded without credentials: the history and reports are shared.
      buildArgs: redactBuildArgs(opts.buildArg ?? {}),
      ...(opts.against ? { against: opts.against } : {}),
      ...(opts.service?.length ? { services: opts.service } : {}),
    },
    environment,
    scenarios: out.scenarios,
  };
  if (opts.against) result.ratios = ratios(out.scenarios);
  if (thresholds.length || baseline) {
    result.verdict = benchVerdict(thresholds, result, baseline ? { ref: opts.baseline!, result: baseline } : undefined);
  }
  // The history line goes last: a report or summary that cannot be written leaves no line behind.
  if (summaryFile) {
    const { renderBenchSummary } = await import('../bench/summary.js');
    const md = renderBenchSummary(result, baseline);
    // GitHub's summary file collects every step's markdown: appended to, never replaced.
    if (opts.summary === true) appendFileSync(summaryFile, md);
    else await writeReport(md, { output: summaryFile, force: opts.force });
  }
  await writeReport(await render(result, opts, historyFile), opts);
  if (historyFile) appendHistory(historyFile, result);
  if (result.verdict)
    for (const line of [...uncheckedLines(result.verdict), ...failureLines(result.verdict)])
      process.stderr.write(`layerwise: ${line}\n`);
  return result.verdict && !result.verdict.ok ? 1 : 0;
}

function pickScenarios(asked: string[] | undefined): ScenarioName[] {
  if (!asked?.length) return DEFAULT_SCENARIOS;
  const unknown = asked.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
  if (unknown.length)
    throw new UserError(`--scenarios ${unknown.join(',')}: no such scenario (scenarios: ${SCENARIOS.join(', ')})`);
  return SCENARIOS.filter((s) => asked.includes(s));
}

/** Where --summary writes: its FILE, else $GITHUB_STEP_SUMMARY; undefined without --summary. */
function summaryTarget(summary: string | true | undefined): string | undefined {
  if (summary === undefined) return undefined;
  if (summary !== true) return summary;
  const env = process.env.GITHUB_STEP_SUMMARY;
  if (!env) throw new UserError('--summary: $GITHUB_STEP_SUMMARY is not set; give a file: --summary=FILE');
  return env;
}

/** Per scenario and image: against's median time and containerd gzip deploy bytes over the subject's. */
export function ratios(scenarios: ScenarioResult[]): NonNullable<BenchResult['ratios']> {
  const out: NonNullable<BenchResult['ratios']> = [];
  for (const s of scenarios.filter((x) => x.variant === 'subject')) {
    const a = scenarios.find((x) => x.variant === 'against' && x.name === s.name && x.image === s.image);
    if (!a) continue;
    const div = (x: number | null | undefined, y: number | null | undefined) =>
      x === null || x === undefined || y === null || y === undefined || y === 0
        ? null
        : // Four significant digits: a deploy thousands of times smaller must not round to 0.
          Number((x / y).toPrecision(4));
    out.push({
      scenario: s.name,
      image: s.image,
      time: div(a.time.median_s, s.time.median_s),
      deploy: div(a.deploy?.gzip.containerd, s.deploy?.gzip.containerd),
    });
  }
  return out;
}

async function render(result: BenchResult, opts: BenchCliOptions, historyFile: string | null): Promise<string> {
  const format = opts.format ?? 'text';
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  if (format === 'html') {
    const { renderBenchHtml } = await import('../bench/render-html.js');
    // The history so far and this run (appended once the report is written).
    const history = [...(historyFile ? readHistory(historyFile).results : []), result];
    return renderBenchHtml(result, history);
  }
  const { renderBenchText } = await import('../bench/render-text.js');
  const color = !opts.output && opts.color !== false && !process.env.NO_COLOR && !!process.stdout.isTTY;
  return renderBenchText(result, { color });
}
