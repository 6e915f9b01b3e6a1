/**
 * What a base's install command takes from the lock: which workspace members, extras and
 * dependency groups. The rule (docs/ship-fingerprint.md): dev groups count unless the command
 * excludes them; an install command not recognised counts them too, since a needless rebuild is
 * cheaper than a stale base.
 */
import type { LockOptions } from './lock-entries.js';

const INSTALL = /\b(uv\s+sync|poetry\s+(?:install|sync)|pdm\s+(?:install|sync)|pipenv\s+(?:install|sync))\b[^\n&;|]*/g;

/** Values of `--flag VALUE`, `--flag=VALUE` (comma lists split) in a command's text. */
function values(text: string, ...flags: string[]): string[] {
  const out: string[] = [];
  for (const flag of flags) {
    const re = new RegExp(`(?:^|\\s)${flag.replace(/-/g, '\\-')}(?:=|\\s+)([^\\s]+)`, 'g');
    for (const m of text.matchAll(re)) out.push(...m[1].replace(/^["']|["']$/g, '').split(','));
  }
  return out.filter(Boolean);
}

const has = (text: string, flag: string) => new RegExp(`(?:^|\\s)${flag.replace(/-/g, '\\-')}(?=\\s|=|$)`).test(text);

/**
 * Reads the base's normalised instructions (dockerfiles.ts baseFacts) for its install commands:
 * `uv sync` (--no-dev, --only-group, --no-default-groups, --group, --no-group, --extra,
 * --all-extras, --package, --all-packages), `poetry install|sync` (--only, --with, --without),
 * `pdm install|sync` (--prod, -G), `pipenv install|sync` (--dev). Several commands: the union.
 */
export function baseInstall(instructions: string[]): LockOptions {
  const runs = instructions.filter((i) => i.startsWith('RUN ')).join('\n');
  const commands = [...runs.matchAll(INSTALL)].map(([text, tool]) => ({
    text: ` ${text}`,
    tool: tool.split(/\s+/)[0],
  }));
  if (!commands.length) return { withDev: true };
  const out: LockOptions = { withDev: false };
  const add = (key: 'packages' | 'extras' | 'onlyGroups' | 'withGroups' | 'withoutGroups', xs: string[]) => {
    if (xs.length) out[key] = [...new Set([...(out[key] ?? []), ...xs])];
  };
  for (const { text, tool } of commands) {
    if (tool === 'uv') {
      const only = values(text, '--only-group');
      if (has(text, '--only-dev')) only.push('dev');
      add('onlyGroups', only);
      if (!only.length && !has(text, '--no-dev') && !has(text, '--no-default-groups')) out.withDev = true;
      add('withGroups', values(text, '--group'));
      add('withoutGroups', values(text, '--no-group'));
      add('extras', has(text, '--all-extras') ? ['*'] : values(text, '--extra'));
      add('packages', values(text, '--package'));
      if (has(text, '--all-packages')) out.allPackages = true;
    } else if (tool === 'poetry') {
      const only = values(text, '--only');
      add('onlyGroups', only);
      add('withGroups', values(text, '--with'));
      add('withoutGroups', values(text, '--without'));
      if (!only.length) out.withDev = true;
    } else if (tool === 'pdm') {
      add('withGroups', values(text, '-G', '--group'));
      if (!has(text, '--prod') && !has(text, '--production')) out.withDev = true;
    } else if (has(text, '--dev') || has(text, '-d')) out.withDev = true;
  }
  return out;
}
