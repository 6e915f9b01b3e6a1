/** `layerwise bench`: options, help and examples; the work is in bench.ts, loaded when the command runs. */
import { Argument, type Command, Option } from 'commander';
import type { BenchCliOptions } from './bench.js';
import { collectArgs, collectList, equalsValueOption, examples } from './options.js';

/** Collects a repeatable option whose values may hold commas (`--fail-on`). */
function collectRaw(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds `bench` to the program. */
export function benchCommand(program: Command): void {
  const cmd = program
    .command('bench')
    .description(
      'build the project cold, warm and after a code, dependency or base change; time each step, count cache hits, size the image and the bytes a deploy pulls; keep history and fail on regressions',
    )
    .addArgument(new Argument('[dir]', 'the project directory').default('.', 'the current directory'))
    .option(
      '--scenarios <list>',
      'scenarios to run, in this order: cold, warm, code-change, dependency-change, base-change (default: cold,warm,code-change)',
      collectList,
    )
    .option('--repeat <n>', 'build each scenario N times; figures are medians', '1')
    .option('--build-arg <name=value>', 'a build arg for every build (repeatable)', collectArgs)
    .option('--target <stage>', 'the stage to build')
    .option('--touch <file>', 'code-change appends to this file (relative to the build context)')
    .option(
      '--dep-change <command>',
      "dependency-change runs this with sh -c in the copy instead of the project's manager",
    )
    .option('--against <file|init>', "also bench this Dockerfile (or init's for the project), interleaved, with ratios")
    .option('--service <name>', 'bench only this compose service (repeatable)', collectList)
    .option('--stages', "also size each named stage's image")
    .option(
      '--history <file>',
      'append the result to this JSON-lines file, relative to the current directory (default: .layerwise/bench.jsonl in DIR)',
    )
    .option('--no-history', 'do not append to the history file')
    .option(
      '--baseline <ref|file>',
      "compare with a git ref's run (a commit, branch or tag: the newest history line of that commit) or a result file (.json, or .jsonl: its last line)",
    )
    .option(
      '--fail-on <rule>',
      "exit 1 when [SCENARIO.|*.]METRIC crosses a limit, e.g. 'code-change.deploy>1MB', 'warm.time>+20%', 'cache-hit<90%' (repeatable). " +
        'METRIC: time, deploy, deploy.classic, deploy.containerd, deploy.gzip, image, context, cache-hit, steps, layers; ' +
        "a limit with + or - (+20%, +5s, +1MB) is the change from the --baseline run's figure (needs --baseline), " +
        'one without is absolute; a figure the run or the baseline does not have is reported as not checked, not failed',
      collectRaw,
    );
  equalsValueOption(
    cmd,
    '--summary',
    'file',
    'write GitHub step summary markdown (to $GITHUB_STEP_SUMMARY when set, else give =FILE)',
  );
  cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('--force', 'with -o or --summary=FILE: overwrite the file')
    .option('--builder <name>', 'the buildx builder (default: the current one)')
    .option('--buildkit <addr>', 'build with buildctl against this BuildKit daemon (e.g. tcp://buildkitd:1234)')
    .addOption(
      new Option('--network <mode>', 'network for RUN steps (host reaches an index on 127.0.0.1)').choices([
        'default',
        'host',
        'none',
      ]),
    )
    .option('--keep-images', 'keep the images built (tags layerwise-bench/...)')
    .option('--no-color', 'disable colour (also NO_COLOR=1)');
  examples(
    cmd,
    [
      ['layerwise bench', 'cold, warm and code-change builds of the current directory'],
      ['layerwise bench --against init --repeat 3', "next to init's Dockerfile, medians of 3"],
      ['layerwise bench --scenarios warm,code-change -f json', 'two scenarios, as JSON'],
      ["layerwise bench --baseline main --fail-on 'warm.time>+20%'", 'in CI: exit 1 on a slower warm build'],
      ['layerwise bench --service api --stages', 'one compose service, with each stage sized'],
      ['layerwise bench -f html -o bench.html', 'charts over the history, one self-contained page'],
    ],
    'Exit status: 0 ok, 1 a --fail-on threshold failed, 2 bad input or a failed build',
  );
  cmd.action(async (dir: string, opts: BenchCliOptions) => {
    const { runBench } = await import('./bench.js');
    process.exitCode = await runBench(dir, opts);
  });
}
