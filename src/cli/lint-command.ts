/** `layerwise lint`: options, help and examples; the work is in lint.ts, loaded when the command runs. */
import { type Command, Option } from 'commander';
import type { LintCliOptions } from './lint.js';
import { collectArgs, collectList, examples } from './options.js';

/** Adds `lint` to the program. */
export function lintCommand(program: Command): void {
  const cmd = program
    .command('lint')
    .description('analyse Dockerfiles for cache efficiency, size, determinism, security and correctness')
    .argument(
      '[paths...]',
      'Dockerfiles or directories to search (Dockerfile, *.Dockerfile, Dockerfile.*, Containerfile); - for stdin (default: the current directory)',
    )
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif', 'github']).default('text'),
    )
    .addOption(
      new Option(
        '-t, --failure-threshold <level>',
        'exit 1 when a finding is at or above this severity (default: failure-threshold in the config, else warning)',
      ).choices(['error', 'warning', 'info', 'style', 'none']),
    )
    .option(
      '--ignore <rules>',
      'comma-separated rule ids, names or aliases to skip, e.g. LW3001,DL3008 (repeatable)',
      collectList,
    )
    .option('--fix', 'apply safe fixes to the files (comments and formatting are kept)')
    .option('--dry-run', 'with --fix: print the changes as a unified diff instead of writing them')
    .option('--force', 'with --fix: also rewrite read-only files')
    .option('--context <dir>', 'build context directory (default: the directory of each Dockerfile)')
    .option('--build-arg <name=value>', 'value of a build arg, as docker build takes it (repeatable)', collectArgs)
    .option(
      '--require-label <name:type>',
      'a label the image must carry, and its type: text, url, email, rfc3339, spdx, hash, semver (comma-separated, repeatable; as hadolint; adds to label-schema in the config)',
      collectList,
    )
    .option('--strict-labels', 'report labels outside the label schema (as hadolint; strict-labels in the config)')
    .option(
      '-c, --config <file>',
      'configuration file (default: layerwise.toml, pyproject.toml [tool.layerwise] or .hadolint.yaml found from the current directory up)',
    )
    .addOption(
      new Option(
        '--shellcheck <mode>',
        'run ShellCheck on every RUN script: auto (when a shellcheck binary is found; default), on (required), off',
      ).choices(['off', 'auto', 'on']),
    )
    .option('--shellcheck-path <file>', 'the ShellCheck binary to run (default: shellcheck on PATH)')
    .option('--no-color', 'disable colour (also NO_COLOR=1)');
  examples(
    cmd,
    [
      ['layerwise lint', 'lint every Dockerfile under the current directory'],
      ['layerwise lint Dockerfile --fix', 'fix what can be fixed safely, report the rest'],
      ['layerwise lint . --fix --dry-run', 'show the fixes as a diff, write nothing'],
      ['cat Dockerfile | layerwise lint -', 'lint standard input'],
      ['layerwise lint -f sarif > lint.sarif', 'for code scanning'],
      ['layerwise lint --ignore DL3008 -t error', 'skip a rule; fail only on errors'],
      ['layerwise lint --build-arg PYTHON=3.12', 'lint as built with that ARG value (e.g. in FROM)'],
      ['layerwise lint --require-label org.opencontainers.image.version:semver', 'require a label and check its value'],
      ['layerwise lint --shellcheck=on', 'fail (exit 2) when no shellcheck binary is found'],
    ],
    `Suppress a finding with a comment before the instruction:
  # layerwise ignore=LW3001           (also: # hadolint ignore=DL3015, SC2086)
Configure in layerwise.toml or [tool.layerwise] in pyproject.toml:
  ignore = ["LW3001"]
  failure-threshold = "error"
  shellcheck = "on"                  (off, auto, on; also shellcheck-path)
  [severity]
  DL3008 = "off"`,
  );
  cmd.action(async (paths: string[], opts: Partial<LintCliOptions>) => {
    const { runLint } = await import('./lint.js');
    process.exitCode = await runLint(paths, { format: 'text', color: true, ignore: [], buildArg: {}, ...opts });
  });
}
