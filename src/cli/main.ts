#!/usr/bin/env node
/**
 * The `layerwise` program: registers the commands (options, help and examples of each are in its
 * own *-command.ts) and turns errors into exit codes: 0 clean, 1 findings at or above the failure
 * threshold, 2 usage, input or environment error (one line on stderr, never a stack trace).
 */
import { Command, CommanderError } from 'commander';
import { UserError } from '../errors.js';
import { VERSION } from '../version.js';
import { auditCommand } from './audit-command.js';
import { benchCommand } from './bench-command.js';
import { buildCommand } from './build-command.js';
import { diffCommand } from './diff-command.js';
import { initCommand } from './init-command.js';
import { inspectCommand } from './inspect-command.js';
import { lintCommand } from './lint-command.js';
import { rulesCommand } from './rules-command.js';
import { shipCommand } from './ship-command.js';

/**
 * The commands, in the order help lists them; a new command is one file and one entry here. Each
 * loads its implementation only when it runs, so --version and --help stay fast.
 */
const COMMANDS: ((program: Command) => void)[] = [
  auditCommand,
  lintCommand,
  initCommand,
  rulesCommand,
  inspectCommand,
  diffCommand,
  benchCommand,
  shipCommand,
  buildCommand,
];

function program(): Command {
  const cli = new Command('layerwise')
    .description(
      'Says what every code and dependency change costs a Python container image to build and to pull, and fixes the causes.',
    )
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false })
    // A command's options are its own wherever they stand (`ship plan --repo X` is plan's --repo).
    .enablePositionalOptions()
    .exitOverride();
  for (const add of COMMANDS) add(cli);
  return cli;
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
