/** `layerwise audit`: options, help and examples; the work is in audit.ts, loaded when the command runs. */
import { Argument, type Command, Option } from 'commander';
import type { AuditCliOptions } from './audit.js';
import { collectArgs, collectList, examples } from './options.js';

/** Adds `audit` to the program. */
export function auditCommand(program: Command): void {
  const cmd = program
    .command('audit')
    .description(
      "what a code, dependency, base or build-arg change costs every image the repository builds, next to init's Dockerfile, and the findings that cost most",
    )
    .addArgument(new Argument('[dir]', 'the repository or project directory').default('.', 'the current directory'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE instead of standard output')
    .option(
      '--image <name>',
      'audit only this image (compose service, bake target, tag or Dockerfile path; repeatable)',
      collectList,
    )
    .option('--dockerfile <path>', 'audit only the images built from this Dockerfile (repeatable)', collectList)
    .option(
      '--fail-on <conditions>',
      'exit 1 when e.g. code-change>1MB, dependency-change.classic>100MB, code-change.steps>1 (repeatable)',
      collectList,
    )
    .option('--no-engine', "do not ask the Docker engine for the base image's layer sizes")
    .option('--registry', "ask the base image's registry for its layer sizes")
    .option('--index', 'ask package indexes for wheel sizes the lock does not record')
    .option('--build', "measure: build each image and init's in a temp copy, change one line, build again, diff")
    .option('--builder <name>', 'with --build: the buildx builder (default: the current one)')
    .option('--build-arg <name=value>', 'with --build: a build arg for both builds (repeatable)', collectArgs)
    .addOption(
      new Option(
        '--network <mode>',
        'with --build: network for RUN steps (host reaches an index on 127.0.0.1)',
      ).choices(['default', 'host', 'none']),
    )
    .option(
      '--touch <file>',
      'with --build: the file, relative to the build context, the one-line code change edits (default: a source file of the app)',
    )
    .option('--keep-images', 'with --build: keep the images built (their tags are in the JSON)')
    .option('--top <n>', 'findings shown per image in the text report', '5')
    .option('--fix', "apply lint's safe fixes to the audited Dockerfiles")
    .option(
      '--write-alternative',
      "write init's Dockerfile and .dockerignore for each project (a file that differs is kept, with a diff)",
    )
    .option('--dry-run', 'with --fix or --write-alternative: print what would change, write nothing')
    .option(
      '--force',
      'overwrite: the report file (-o), files that differ (--write-alternative), read-only files (--fix)',
    )
    .option('--no-color', 'disable colour (also NO_COLOR=1)');
  examples(cmd, [
    ['layerwise audit', 'every image the current directory builds'],
    ['layerwise audit examples/python-app', 'the bundled example: no engine needed'],
    ['layerwise audit --image api -f json', 'one compose service, as JSON'],
    ["layerwise audit --fail-on 'code-change>1MB'", 'in CI: exit 1 when a one-line change ships over 1 MB'],
    ['layerwise audit --build', 'replace the code-change estimates with measured bytes'],
    ['layerwise audit -f html -o audit.html', 'one self-contained HTML page with the before/after chart'],
    ['layerwise audit --fix --dry-run', "show lint's safe fixes as a diff"],
    ['layerwise audit --write-alternative', "write init's files (existing ones that differ: diff, kept)"],
  ]);
  cmd.action(async (dir: string, opts: AuditCliOptions) => {
    const { runAudit } = await import('./audit.js');
    process.exitCode = await runAudit(dir, opts);
  });
}
