import { effectiveProgram, nameOffset } from '../lib/shell-commands.js';
import type { Fix, Rule } from '../types.js';
import { commands, offsetOf } from '../util.js';

/** apt sub-commands that apt-get has with the same meaning. */
const SAME_IN_APT_GET = new Set([
  'install',
  'update',
  'upgrade',
  'dist-upgrade',
  'remove',
  'purge',
  'autoremove',
  'clean',
  'autoclean',
  'build-dep',
  'source',
  'download',
  'satisfy',
  'check',
]);
/** apt sub-commands that belong to apt-cache. */
const APT_CACHE = new Set(['search', 'show', 'policy', 'depends', 'rdepends', 'showsrc']);

export const rule: Rule = {
  meta: {
    id: 'LW1107',
    name: 'apt-instead-of-apt-get',
    category: 'correctness',
    severity: 'warning',
    summary: 'RUN uses `apt`, the interactive front end, instead of `apt-get`/`apt-cache`.',
    description:
      '`apt` is meant for people at a terminal: its command-line interface is not stable between releases and it ' +
      'warns so on every use in a script. Use `apt-get` (or `apt-cache` for queries), whose behaviour scripts can rely on.',
    bad: 'FROM debian:bookworm-slim\nRUN apt update && apt install -y --no-install-recommends curl=7.88.1-10+deb12u12 && rm -rf /var/lib/apt/lists/*\n',
    good: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12 && rm -rf /var/lib/apt/lists/*\n',
    fixable: true,
    aliases: ['DL3027'],
  },
  check(ctx) {
    for (const { cmd } of commands(ctx.file)) {
      const eff = effectiveProgram(cmd);
      if (eff.program !== 'apt') continue;
      const rest = eff.word ? eff.rest : cmd.args;
      const sub = rest.find((w) => !w.value.startsWith('-'))?.value ?? '';
      const instead = SAME_IN_APT_GET.has(sub)
        ? `apt-get ${sub}`
        : APT_CACHE.has(sub)
          ? `apt-cache ${sub}`
          : sub === 'full-upgrade'
            ? 'apt-get dist-upgrade'
            : sub === 'list'
              ? 'dpkg-query -l'
              : 'apt-get';
      let fix: Fix | undefined;
      if (SAME_IN_APT_GET.has(sub)) {
        const name = eff.word ? eff.word.raw : cmd.name;
        const start = eff.word ? offsetOf(ctx.file, eff.word.line, eff.word.column) : nameOffset(ctx.file, cmd);
        if (start !== undefined && ctx.file.text.startsWith(name, start) && name.endsWith('apt')) {
          const at = start + name.length - 3;
          fix = { description: 'use apt-get', edits: [{ start: at, end: at + 3, text: 'apt-get' }] };
        }
      }
      ctx.report({
        line: eff.word?.line ?? cmd.line,
        column: eff.word?.column ?? cmd.column,
        message: `\`apt${sub ? ` ${sub}` : ''}\` uses apt's unstable interactive interface; use \`${instead}\` in scripts`,
        fix,
      });
    }
  },
};
