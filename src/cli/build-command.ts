/** `layerwise build`: options, help and examples; the work is in build.ts, loaded when the command runs. */
import { Argument, type Command, Option } from 'commander';
import type { BuildCliOptions } from './build.js';
import { collectArgs, collectList, examples } from './options.js';

/** Adds `build` to the program. */
export function buildCommand(program: Command): void {
  const cmd = program
    .command('build')
    .description(
      "assemble the app's image without a daemon from the lock file: the base image, one layer per dependency, the app's code on top; push only what changed",
    )
    .addArgument(new Argument('[dir]', 'the project directory').default('.', 'the current directory'))
    .option('-t, --tag <host/name:tag>', 'push the image to this registry reference (repeatable)', collectList)
    .option(
      '-o, --output <oci:DIR[:TAG]|archive:FILE>',
      'also write an OCI layout or a docker-load archive (repeatable)',
      collectList,
    )
    .option(
      '--load [name]',
      'load the image into the Docker engine (name default: the first --tag, else the project name)',
    )
    .option(
      '--base <ref>',
      "the base image, from the engine, a registry (docker://), an OCI layout or an archive (default: python:<the project's Python>-slim)",
    )
    .option(
      '--platform <os/arch>',
      "the platform to assemble for (default: the base image's; arm64 is assembled here without emulation)",
    )
    .option('--previous <ref>', 'the image to build against, so unchanged layers are reused (default: the first --tag)')
    .option('--no-previous', 'build every layer anew')
    .option(
      '--max-layers <n>',
      "most layers in the image, the base's included; small packages are grouped to fit",
      '100',
    )
    .option('--index-url <url>', 'the index to find wheels the lock names only by hash (poetry.lock, pdm.lock)')
    .option('--cmd <command>', "the image's CMD (default: the start command init detects); a JSON array or words")
    .option('--entrypoint <command>', "the image's ENTRYPOINT; a JSON array or words")
    .option('--user <user>', 'the user the app runs as (default 10001:10001, not root)')
    .option('--workdir <dir>', 'the working directory (default /app)')
    .option('--env <name=value>', 'an environment variable in the image (repeatable)', collectArgs)
    .option('--label <name=value>', 'a label (repeatable)', collectArgs)
    .option('--port <port>', 'an exposed port (repeatable; default the detected one)', collectList)
    .option('--dry-run', 'print the layer plan against the previous image and what a host would pull; download nothing')
    .option('--insecure', 'plain HTTP to the registry (automatic for localhost and 127.0.0.1)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'));
  examples(
    cmd,
    [
      ['layerwise build --tag registry.example/team/app:1.4.0', 'assemble and push; only new layers are uploaded'],
      ['layerwise build --tag registry.example/team/app:1.4.1 --dry-run', 'which layers a lock change adds'],
      [
        'layerwise build --output oci:build/oci:app --platform linux/arm64',
        'an arm64 image from arm64 wheels, on any machine',
      ],
      ['layerwise build --load myapp:dev', 'into the local engine, to docker run'],
    ],
    'Settings can live in pyproject.toml under [tool.layerwise.build] (base, cmd, entrypoint, user, workdir, ports,\n' +
      'max-layers, env, labels); a flag wins over the table.\n' +
      'SOURCE_DATE_EPOCH sets every mtime and the created time (default 0): the same inputs give the same digest.\n' +
      'Exit status: 0 ok, 2 bad input (a wrong hash, a missing wheel, a base without Python), a registry or engine error',
  );
  cmd.action(async (dir: string, opts: BuildCliOptions) => {
    const { runBuild } = await import('./build.js');
    process.exitCode = await runBuild(dir, opts);
  });
}
