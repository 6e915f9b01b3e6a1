/** `layerwise init`: options, help and examples; the work is in init.ts, loaded when the command runs. */
import { Argument, type Command } from 'commander';
import type { InitCliOptions } from './init.js';
import { equalsValueOption, examples } from './options.js';

/** Adds `init` to the program. */
export function initCommand(program: Command): void {
  const cmd = program
    .command('init')
    .description(
      'write the Dockerfile, .dockerignore, compose.yaml and CI workflow a Python project should have, and check them',
    )
    .addArgument(new Argument('[dir]', 'the project directory').default('.', 'the current directory'))
    .option('--python <version>', 'Python version (default: .python-version, requires-python or runtime.txt)')
    .option('--manager <manager>', 'uv, poetry, pdm, pipenv, pip-tools or pip (default: from the lock file)')
    .option('--port <port>', 'port the app listens on (default: from the code, else 8000)')
    .option('--cmd <command>', 'start command (default: from the framework, console scripts or main.py)')
    .option(
      '--server <name>',
      'server for the web app: gunicorn, uwsgi, waitress, uvicorn, hypercorn, granian or daphne; installed in the image when no dependency installs it (default: the one the project uses)',
    )
    .option(
      '--package <name>',
      'uv workspace member to build (default: the member DIR is, else the first service with an entry point)',
    )
    .option(
      '--split-base',
      'also write Dockerfile.base (dependencies), tagged by a fingerprint of the lock; the app image starts FROM it',
    );
  equalsValueOption(
    cmd,
    '--healthcheck',
    'path',
    'add a HEALTHCHECK on PATH (bare: the health route in the code, else /health; default: only when the code has a health route)',
  );
  cmd
    .option('--no-healthcheck', 'no HEALTHCHECK')
    .option('--no-dev', 'no dev target')
    .option('--no-compose', 'do not write compose.yaml')
    .option('--no-workflow', 'do not write .github/workflows/image.yml')
    .option('--engine-check', 'ask the Docker engine (docker version) which Dockerfile features it builds')
    .option('--image <name>', 'image name for the base tag and compose (default: the project name)')
    .option('--out <dir>', 'write the files here instead of DIR')
    .option('--dry-run', 'print the files instead of writing them')
    .option('--force', 'overwrite existing files that differ (default: show a diff and keep them)');
  examples(cmd, [
    ['layerwise init', 'write the files for the project in the current directory'],
    ['layerwise init myproj --dry-run', 'print the files for ./myproj, write nothing'],
    ['layerwise init --healthcheck=/healthz', 'add a HEALTHCHECK that asks /healthz'],
    ['layerwise init --split-base --image shop', 'also a dependency base image, shop-base:<lock fingerprint>'],
    ['layerwise init --python 3.12 --port 8080', 'override what init reads from the project'],
    ['layerwise init --package acme-api', 'build the member acme-api of a uv workspace'],
    ['layerwise init --server gunicorn', 'serve the app with gunicorn (added to the image if no dependency has it)'],
    ['layerwise init --force', 'overwrite files that differ (without: show a diff, keep them)'],
  ]);
  cmd.action(async (dir: string, opts: InitCliOptions) => {
    const { runInit } = await import('./init.js');
    process.exitCode = await runInit(dir, opts);
  });
}
