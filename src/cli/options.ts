/**
 * Option helpers the command files share. main.ts loads this on every start (even for --version),
 * so it imports commander and nothing heavy.
 */
import { type Command, Option } from 'commander';
import { UserError } from '../errors.js';

/** Collects a repeatable, comma-separated option (`--ignore a,b --ignore c`) into one list. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** Collects repeatable `NAME=value` options (`--build-arg`); a bare NAME takes its value from the environment. */
export function collectArgs(value: string, previous: Record<string, string> | undefined): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) {
    const env = process.env[value];
    if (env === undefined)
      throw new UserError(`--build-arg ${value}: expected NAME=value (or NAME set in the environment)`);
    return { ...previous, [value]: env };
  }
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** Options inspect and diff share: how to reach images, where the report goes, the layer cache. */
export function imageReportOptions(cmd: Command): void {
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

// argv never holds a NUL byte, so no user can type this value.
const BARE = '\u0000';
const equalsOnly = new WeakMap<Command, Set<string>>();

/**
 * Adds `--name[=VALUE]`: a flag whose value can only be given after `=`. Commander's `--name [value]`
 * takes the next argument as the value, so `inspect --dive-ci img:1` lost its image and
 * `init --healthcheck myproj` made the directory a health path. The option's value is true for a
 * bare `--name`, VALUE for `--name=VALUE`.
 */
export function equalsValueOption(cmd: Command, long: string, valueName: string, description: string): Command {
  const option = new Option(`${long} [${valueName}]`, description).argParser((v: string): string | true => {
    if (v === BARE) return true;
    if (v === '') throw new UserError(`${long}=: give a value after = (or just ${long})`);
    return v;
  });
  // Shown in help and in commander's messages; parsing uses the long name worked out above.
  option.flags = `${long}[=${valueName.toUpperCase()}]`;
  cmd.addOption(option);
  let flags = equalsOnly.get(cmd);
  if (!flags) {
    flags = new Set();
    equalsOnly.set(cmd, flags);
    const parse = cmd.parseOptions.bind(cmd);
    cmd.parseOptions = (argv: string[]) => parse(markBareFlags(cmd, argv, flags!));
  }
  flags.add(long);
  return cmd;
}

/** Turns each bare `--name` of an equals-only option into `--name=<BARE>`, so it takes no argument. */
function markBareFlags(cmd: Command, argv: string[], flags: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    out.push(flags.has(arg) ? `${arg}=${BARE}` : arg);
    // The value of an option that requires one stays as typed, even when it looks like a flag.
    if (i + 1 < argv.length && cmd.options.some((o) => o.required && (o.long === arg || o.short === arg)))
      out.push(argv[++i]);
  }
  return out;
}

/**
 * Adds the Examples section to a command's help: each row is a command line and what it does, in two
 * columns when every command line is short, else each command line under a comment saying what it does.
 * `after` is more help text printed below.
 */
export function examples(cmd: Command, rows: [string, string][], after?: string): Command {
  const width = Math.max(...rows.map(([c]) => c.length));
  const lines =
    width <= 40
      ? rows.map(([c, what]) => `  ${c.padEnd(width)}  ${what}`)
      : rows.map(([c, what]) => `  # ${what}\n  ${c}`);
  return cmd.addHelpText('after', `\nExamples:\n${lines.join('\n')}${after ? `\n\n${after}` : ''}`);
}
