/** `layerwise inspect`: options, help and examples; the work is in inspect.ts, loaded when the command runs. */
import { type Command, Option } from 'commander';
import { UserError } from '../errors.js';
import type { InspectOptions } from './inspect.js';
import { collectList, equalsValueOption, examples, imageReportOptions } from './options.js';

/** Adds `inspect` to the program. */
export function inspectCommand(program: Command): void {
  const cmd = program
    .command('inspect')
    .description("every layer's size, origin, files, wasted bytes, caches and secrets")
    .argument('<ref>', 'NAME[:TAG] (Docker engine), docker://HOST/REPO:TAG (registry), oci:DIR[:TAG], archive:FILE')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('--platform <os/arch>', 'platform to pick from a multi-platform image (default: this host)')
    .option(
      '--fail-on <conditions>',
      'exit 1 when e.g. wasted>50MB, efficiency<95%, secrets>0, caches>10MB (repeatable)',
      collectList,
    );
  equalsValueOption(
    cmd,
    '--dive-ci',
    'file',
    "also apply the rules of dive's CI file FILE (bare: .dive-ci) to dive's figures",
  );
  cmd.addOption(
    new Option('--top <n>', 'how many largest files, directories and wasted paths to list').default('20', '20'),
  );
  imageReportOptions(cmd);
  examples(cmd, [
    ['layerwise inspect myapp:2', 'an image in the local Docker engine'],
    ['layerwise inspect docker://localhost:5000/myapp:2', 'straight from a registry, without pulling it'],
    ['layerwise inspect archive:myapp.tar -f json', 'a docker save tar, as JSON'],
    ['layerwise inspect oci:build/oci:2 --fail-on "wasted>50MB,secrets>0"', 'in CI: exit 1 on waste or secrets'],
    ['layerwise inspect myapp:2 --dive-ci', "apply dive's CI rules from ./.dive-ci"],
    ['layerwise inspect myapp:2 --dive-ci=ci/dive.yaml', 'the same rules from another file'],
    ['layerwise inspect myapp:2 -f html -o report.html', 'one self-contained HTML page'],
  ]);
  // Excess arguments are checked below, to say where a dive CI file goes now.
  cmd.allowExcessArguments(true);
  cmd.action(async (ref: string, opts: InspectOptions) => {
    if (cmd.args.length > 1) {
      const hint = opts.diveCi === true ? '; a dive CI file goes after =: --dive-ci=FILE' : '';
      throw new UserError(`inspect: expected one image reference, got ${cmd.args.join(' ')}${hint}`);
    }
    const { runInspect } = await import('./inspect.js');
    process.exitCode = await runInspect(ref, opts);
  });
}
