/** `layerwise ship` and its subcommands plan, rollback, gc: options, help and examples; the work is in ship.ts. */
import { Argument, type Command, Option } from 'commander';
import type { ShipCliOptions, ShipGcCliOptions, ShipPlanCliOptions, ShipRollbackCliOptions } from './ship.js';
import { collectArgs, collectList, equalsValueOption, examples } from './options.js';

const format = () => new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text');
const repo = (cmd: Command) =>
  cmd.option(
    '--repo <host/name>',
    'the app repository, e.g. registry.example/team/app (the base goes to NAME-base); also LAYERWISE_SHIP_REPO',
  );
const registryOptions = (cmd: Command) =>
  cmd
    .option('--insecure', 'plain HTTP to the registry (automatic for localhost and 127.0.0.1)')
    .option('--deploy-tag <tag>', 'the tag that names the deployed release', 'live');

/** Adds `ship` to the program. */
export function shipCommand(program: Command): void {
  const cmd = program
    .command('ship')
    .description(
      'build and push the dependency base image only when its fingerprint (lock, base Dockerfile, FROM digest, platform) is new, then the thin app image FROM it by digest; plan deploys, roll back, clean up',
    )
    .usage('[options] [DIR]\n       layerwise ship plan|rollback|gc [options]')
    .addArgument(new Argument('[dir]', 'the project directory').default('.', 'the current directory'))
    // `ship plan --repo X`: options after a subcommand's name are the subcommand's, not ship's.
    .enablePositionalOptions();
  repo(cmd)
    .option(
      '--tag <tag>',
      'tag the release (repeatable; default: the git commit, and the version of a clean tagged tree)',
      collectList,
    )
    .option('--deploy-tag <tag>', 'also point this tag at the release (rollback moves it back)', 'live')
    .option('--no-deploy-tag', 'do not move the deploy tag')
    .option('--base-target <stage>', "the Dockerfile's dependency stage is the base (instead of Dockerfile.base)")
    .option('--dockerfile <file>', 'the app Dockerfile (default: DIR/Dockerfile)')
    .option('--base-dockerfile <file>', 'the base Dockerfile (default: DIR/Dockerfile.base)')
    .option('--context <dir>', 'the build context, when it is not DIR (e.g. .. for a workspace member init set up)')
    .option('--build-arg <name=value>', 'a build arg for the base and the app (repeatable)', collectArgs)
    .option('--platform <os/arch>', "the platform to build for (default: the engine's)")
    .option('--dry-run', 'say what would be built and pushed, build nothing')
    .option('--fingerprint', "print the base's fingerprint and what went into it, then stop (no registry needed)")
    .option(
      '--rebuild-base',
      'build the base even when its fingerprint exists, and report any drift from the pushed one (exit 1 on drift)',
    )
    .addOption(
      new Option('--network <mode>', 'network for RUN steps (host reaches an index on 127.0.0.1)').choices([
        'default',
        'host',
        'none',
      ]),
    )
    .option(
      '--builder <name>',
      "the buildx builder (default: the current one); 'layerwise': no Dockerfile, `layerwise build` with one layer per dependency, built against the deploy tag's release",
    )
    .option('--insecure', 'plain HTTP to the registry (automatic for localhost and 127.0.0.1)')
    .option('-v, --verbose', "show the builds' progress lines on standard error")
    .addOption(format());
  examples(
    cmd,
    [
      [
        'layerwise ship --repo registry.example/team/app',
        'base only when the lock changed, then the app, tagged with the commit',
      ],
      ['layerwise ship --fingerprint', 'the base tag this tree gives, and its inputs'],
      ['layerwise ship --repo registry.example/team/app --dry-run', 'what would be built and pushed'],
      [
        'layerwise ship --repo registry.example/team/app --base-target deps',
        "one Dockerfile: its 'deps' stage is the base",
      ],
    ],
    'Subcommands, each with --help: ship plan (what a host pulls, and the deploy script), ship rollback, ship gc --keep N.\n' +
      'Exit status: 0 ok, 1 --rebuild-base found drift, 2 bad input, a failed build or a registry error',
  );
  cmd.action(async (dir: string, opts: ShipCliOptions) => {
    const { runShip } = await import('./ship.js');
    process.exitCode = await runShip(dir, opts);
  });

  const plan = cmd
    .command('plan')
    .description(
      'what a host must pull for a release, on its store; writes a deploy script and a compose override that pull the base by digest, then the app, then up -d',
    )
    .addArgument(
      new Argument('[dir]', 'the project directory (where the files go)').default('.', 'the current directory'),
    );
  repo(plan).option('--release <tag|digest>', 'the release to deploy (default: the deploy tag)');
  equalsValueOption(
    plan,
    '--host',
    'engine',
    'predict against this Docker engine (the default when --against is not given)',
  );
  registryOptions(plan)
    .option('--against <tag|digest>', 'predict against a host holding this previous release instead of an engine')
    .option('--out <dir>', 'where the deploy files go, inside DIR', '.layerwise/deploy')
    .option('--no-write', 'only predict, write no file')
    .option('--force', 'overwrite deploy files that were not written by ship plan')
    .addOption(format());
  examples(plan, [
    ['layerwise ship plan --repo registry.example/team/app', 'against this engine; writes .layerwise/deploy/deploy.sh'],
    [
      'layerwise ship plan --repo registry.example/team/app --against 1a2b3c4d5e6f',
      'against a host that runs that release',
    ],
    ['sh .layerwise/deploy/deploy.sh', 'on the host: pull the base, then the app, then docker compose up -d'],
  ]);
  plan.action(async (dir: string, opts: ShipPlanCliOptions) => {
    const { runShipPlan } = await import('./ship.js');
    process.exitCode = await runShipPlan(dir, opts);
  });

  const rollback = cmd
    .command('rollback')
    .description('point the deploy tag at the previous release (a registry change only: nothing is rebuilt)');
  repo(rollback).option('--to <tag|digest>', 'the release to point at (default: the one before the current)');
  registryOptions(rollback).option('--dry-run', 'say what would change').addOption(format());
  rollback.action(async (opts: ShipRollbackCliOptions) => {
    const { runShipRollback } = await import('./ship.js');
    process.exitCode = await runShipRollback(opts);
  });

  const gc = cmd
    .command('gc')
    .description('delete old releases and the bases no kept release uses (never what the deploy tag names)');
  repo(gc)
    .requiredOption('--keep <n>', 'keep the newest N releases')
    .option('--protect <tag>', 'also keep the release this tag names (repeatable)', collectList);
  registryOptions(gc).option('--dry-run', 'say what would be deleted').addOption(format());
  gc.action(async (opts: ShipGcCliOptions) => {
    const { runShipGc } = await import('./ship.js');
    process.exitCode = await runShipGc(opts);
  });
}
