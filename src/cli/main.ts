#!/usr/bin/env node
/**
 * The `layerwise` command: argument parsing and exit codes only; each command lives in its own
 * module. Exit codes: 0 clean, 1 findings at or above the failure threshold, 2 usage, input or
 * environment error (one line on stderr, never a stack trace).
 */
import { Command, CommanderError, Option } from 'commander';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';

function program(): Command {
  const cli = new Command('layerwise')
    .description(
      'Says what every code and dependency change costs a Python container image to build and to pull, and fixes the causes.',
    )
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false })
    .exitOverride();

  cli
    .command('lint')
    .description('analyse Dockerfiles for cache efficiency, size, determinism, security and correctness')
    .argument(
      '[paths...]',
      'Dockerfiles or directories to search (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile); - for stdin',
      ['.'],
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'github']).default('text'),
    )
    .addOption(
      new Option(
        '-t, --failure-threshold <level>',
        'exit 1 when a finding is at or above this severity (default: warning)',
      ).choices(['error', 'warning', 'info', 'style', 'none']),
    )
    .option(
      '--ignore <rules>',
      'comma-separated rule ids, names or aliases to skip (e.g. LW3001,DL3008)',
      collectList,
      [],
    )
    .option('--fix', 'apply safe fixes to the files (comments and formatting are kept)')
    .option('--dry-run', 'with --fix: print the changes as a unified diff instead of writing them')
    .option('--force', 'with --fix: also rewrite read-only files')
    .option('--context <dir>', 'build context directory (default: the directory of each Dockerfile)')
    .option('--build-arg <name=value>', 'value of a build arg, as docker build takes it (repeatable)', collectArgs, {})
    .option(
      '-c, --config <file>',
      'configuration file (default: layerwise.toml, pyproject.toml [tool.layerwise] or .hadolint.yaml found from the current directory up)',
    )
    .option('--no-color', 'disable colour (also NO_COLOR=1)')
    .addHelpText(
      'after',
      `
Examples:
  layerwise lint                       lint every Dockerfile under the current directory
  layerwise lint Dockerfile --fix      fix what can be fixed safely, report the rest
  layerwise lint . --fix --dry-run     show the fixes as a diff
  cat Dockerfile | layerwise lint -    lint standard input
  layerwise lint -f sarif > lint.sarif for code scanning

Suppress a finding with a comment before the instruction:
  # layerwise ignore=LW3001           (also: # hadolint ignore=DL3015)
Configure in layerwise.toml or [tool.layerwise] in pyproject.toml:
  ignore = ["LW3001"]
  failure-threshold = "error"
  [severity]
  DL3008 = "off"`,
    )
    .action(async (paths: string[], opts) => {
      const { runLint } = await import('./lint.js');
      process.exitCode = await runLint(paths, opts);
    });

  cli
    .command('init')
    .description(
      'write the Dockerfile, .dockerignore, compose.yaml and CI workflow a Python project should have, and check them',
    )
    .argument('[dir]', 'the project directory', '.')
    .option('--python <version>', 'Python version (default: .python-version, requires-python or runtime.txt)')
    .option('--manager <manager>', 'uv, poetry, pdm, pipenv, pip-tools or pip (default: from the lock file)')
    .option('--port <port>', 'port the app listens on (default: from the code, else 8000)')
    .option('--cmd <command>', 'start command (default: from the framework, console scripts or main.py)')
    .option('--package <name>', 'uv workspace member to build (default: the first service with an entry point)')
    .option(
      '--split-base',
      'also write Dockerfile.base (dependencies), tagged by a fingerprint of the lock; the app image starts FROM it',
    )
    .option('--healthcheck [path]', 'add a HEALTHCHECK (default: when a health route is in the code)')
    .option('--no-healthcheck', 'no HEALTHCHECK')
    .option('--no-dev', 'no dev target')
    .option('--no-compose', 'do not write compose.yaml')
    .option('--no-workflow', 'do not write .github/workflows/image.yml')
    .option('--engine-check', 'ask the Docker engine (docker version) which Dockerfile features it builds')
    .option('--image <name>', 'image name for the base tag and compose (default: the project name)')
    .option('--out <dir>', 'write the files here instead of DIR')
    .option('--dry-run', 'print the files instead of writing them')
    .option('--force', 'overwrite existing files that differ (default: show a diff and keep them)')
    .action(async (dir: string, opts) => {
      const { runInit } = await import('./init.js');
      process.exitCode = await runInit(dir, opts);
    });

  cli
    .command('rules')
    .description('list every rule with its id, category, severity and aliases')
    .option('--json', 'print the list as JSON (id, name, category, severity, fixable, aliases, ...)')
    .argument('[rule]', 'show the documentation of one rule (id, name or alias)')
    .action(async (rule: string | undefined, opts: { json?: boolean }) => {
      const { runRules } = await import('./rules.js');
      process.exitCode = runRules(rule, opts);
    });

  const inspect = cli
    .command('inspect')
    .description("every layer's size, origin, files, wasted bytes, caches and secrets")
    .argument('<ref>', 'NAME[:TAG] (Docker engine), docker://HOST/REPO:TAG (registry), oci:DIR[:TAG], archive:FILE')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('--platform <os/arch>', 'platform to pick from a multi-platform image (default: this host)')
    .option(
      '--fail-on <conditions>',
      'exit 1 when e.g. wasted>50MB, efficiency<95%, secrets>0, caches>10MB (repeatable)',
      collectList,
      [],
    )
    .option('--dive-ci [file]', "also apply the rules of a dive CI file (default .dive-ci) to dive's figures")
    .option('--top <n>', 'how many largest files, directories and wasted paths to list', '20');
  imageReportOptions(inspect);
  inspect.action(async (ref: string, opts) => {
    const { runInspect } = await import('./inspect.js');
    process.exitCode = await runInspect(ref, opts);
  });

  const diff = cli
    .command('diff')
    .description('what a host holding OLD downloads to run NEW, and why each new layer changed')
    .usage('[options] OLD NEW\n       layerwise diff [options] --host [ENGINE] NEW')
    .argument('[refs...]', 'OLD and NEW image references (as for inspect); with --host, only NEW')
    .option(
      '--host [engine]',
      'compare NEW with every image on a Docker engine (default DOCKER_HOST or the unix socket): what docker pull there would fetch',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('--platform <os/arch>', 'platform to pick from multi-platform images (default: this host)')
    .option('--fail-on <conditions>', 'exit 1 when e.g. download>10MB, layers>2 (repeatable)', collectList, [])
    .addOption(
      new Option(
        '--store <store>',
        "engine store that --fail-on download/layers refer to (default classic; with --host, the engine's)",
      ).choices(['classic', 'containerd']),
    )
    .option('--no-files', 'skip the file-level comparison (faster: only the pull figures)');
  imageReportOptions(diff);
  diff.action(async (refs: string[], opts) => {
    const { runDiff } = await import('./diff.js');
    process.exitCode = await runDiff(refs, opts);
  });
  return cli;
}

/** Options inspect and diff share: how to reach images, where the report goes, the layer cache. */
function imageReportOptions(cmd: Command): void {
  cmd
    .option('--insecure', 'plain HTTP to the registry (automatic for localhost and 127.0.0.1)')
    .option('--timeout <seconds>', 'registry/engine response timeout')
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option('--force', 'with -o: overwrite FILE when it exists')
    .option(
      '--no-cache',
      'analyse every layer again instead of reusing results cached by digest (also LAYERWISE_CACHE=off)',
    )
    .option('--no-color', 'disable colour (also NO_COLOR=1)');
}

function collectList(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

function collectArgs(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) {
    const env = process.env[value];
    if (env === undefined)
      throw new UserError(`--build-arg ${value}: expected NAME=value (or NAME set in the environment)`);
    return { ...previous, [value]: env };
  }
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

export async function main(argv: string[]): Promise<number> {
  const cli = program();
  try {
    await cli.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not errors; commander has printed them already.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
        return 0;
      return 2;
    }
    if (e instanceof UserError) {
      process.stderr.write(`layerwise: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'EPIPE') return 0;
    process.stderr.write(`layerwise: internal error: ${err?.message ?? String(e)} (please report this)\n`);
    if (process.env.LAYERWISE_DEBUG) process.stderr.write(`${err?.stack}\n`);
    return 2;
  }
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv).then((code) => {
  process.exitCode = code;
});
