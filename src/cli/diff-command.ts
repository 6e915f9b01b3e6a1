/** `layerwise diff`: options, help and examples; the work is in diff.ts, loaded when the command runs. */
import { type Command, Option } from 'commander';
import type { DiffCliOptions } from './diff.js';
import { collectList, equalsValueOption, examples, imageReportOptions } from './options.js';

/** Adds `diff` to the program. */
export function diffCommand(program: Command): void {
  const cmd = program
    .command('diff')
    .description('what a host holding OLD downloads to run NEW, and why each new layer changed')
    .usage('[options] OLD NEW\n       layerwise diff [options] --host[=ENGINE] NEW')
    .argument('[refs...]', 'OLD and NEW image references (as for inspect); with --host, only NEW');
  equalsValueOption(
    cmd,
    '--host',
    'engine',
    'compare NEW with every image on a Docker engine: what docker pull there would fetch (ENGINE: unix://PATH or tcp://HOST:PORT; bare: DOCKER_HOST, else the unix socket)',
  );
  cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'html']).default('text'))
    .option('--platform <os/arch>', 'platform to pick from multi-platform images (default: this host)')
    .option('--fail-on <conditions>', 'exit 1 when e.g. download>10MB, layers>2 (repeatable)', collectList)
    .addOption(
      new Option(
        '--store <store>',
        "engine store that --fail-on download/layers refer to (default: classic; with --host, the engine's)",
      ).choices(['classic', 'containerd']),
    )
    .option('--no-files', 'skip the file-level comparison (faster: only the pull figures)');
  imageReportOptions(cmd);
  examples(cmd, [
    ['layerwise diff myapp:1 myapp:2', 'what a host holding myapp:1 downloads to run myapp:2'],
    [
      'layerwise diff docker://localhost:5000/myapp:1 docker://localhost:5000/myapp:2 -f json',
      'two tags in a registry, as JSON',
    ],
    ['layerwise diff --host myapp:2', 'against every image this Docker engine holds'],
    ['layerwise diff --host=unix:///run/user/1000/docker.sock myapp:2', 'against another engine (here a rootless one)'],
    ["layerwise diff --host myapp:2 --fail-on 'download>10MB'", 'in CI: exit 1 when the pull costs more'],
    ['layerwise diff archive:old.tar archive:new.tar --no-files', 'only the pull figures, fast'],
  ]);
  cmd.action(async (refs: string[], opts: DiffCliOptions) => {
    const { runDiff } = await import('./diff.js');
    process.exitCode = await runDiff(refs, opts);
  });
}
