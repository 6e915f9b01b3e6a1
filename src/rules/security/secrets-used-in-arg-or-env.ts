import type { Instruction } from '../../dockerfile/types.js';
import type { Rule } from '../types.js';

/** Name parts that mark a secret, and parts that mark the value as public anyway (BuildKit's lists). */
const DENY = new Set([
  'apikey',
  'auth',
  'credential',
  'credentials',
  'key',
  'password',
  'pword',
  'passwd',
  'secret',
  'token',
]);
const ALLOW = new Set(['public']);
/** Names that hold where a secret is, not the secret itself (`POSTGRES_PASSWORD_FILE`). */
const LOCATION_SUFFIX = new Set(['file', 'path', 'dir']);

/** The part of `name` that makes it look secret, or undefined. */
export function secretPart(name: string): string | undefined {
  const parts = name
    .toLowerCase()
    .split(/[_.-]+/)
    .filter(Boolean);
  if (parts.some((p) => ALLOW.has(p))) return undefined;
  if (parts.length > 1 && LOCATION_SUFFIX.has(parts[parts.length - 1])) return undefined;
  return parts.find((p) => DENY.has(p));
}

export const rule: Rule = {
  meta: {
    id: 'LW5301',
    name: 'secrets-used-in-arg-or-env',
    category: 'security',
    severity: 'warning',
    summary: 'ARG or ENV whose name says it holds a secret (password, token, key, ...).',
    description:
      'ENV values are stored in the image config and ARG values in its build history, where anyone who can pull the ' +
      'image can read them. Pass secrets with `RUN --mount=type=secret` instead. As in BuildKit, names with a `public` ' +
      'part are not reported; unlike BuildKit, neither are names ending in `_FILE`, `_PATH` or `_DIR`, which only say where a secret is.',
    bad: 'FROM python:3.12-slim\nARG PIP_INDEX_TOKEN\nRUN pip install --no-cache-dir --index-url "https://__token__:${PIP_INDEX_TOKEN}@pkgs.example.com/simple" mylib\n',
    good:
      'FROM python:3.12-slim\nRUN --mount=type=secret,id=pip_index_token,env=PIP_INDEX_TOKEN \\\n' +
      '    pip install --no-cache-dir --index-url "https://__token__:${PIP_INDEX_TOKEN}@pkgs.example.com/simple" mylib\n',
    fixable: false,
    aliases: ['SecretsUsedInArgOrEnv', 'DL3064'],
  },
  check(ctx) {
    for (const outer of ctx.file.instructions) {
      const ins: Instruction | undefined =
        outer.keyword === 'ARG' || outer.keyword === 'ENV'
          ? outer
          : outer.onbuild && ['ARG', 'ENV'].includes(outer.onbuild.keyword)
            ? outer.onbuild
            : undefined;
      if (!ins) continue;
      for (const p of ins.pairs) {
        if (!secretPart(p.key)) continue;
        ctx.report({
          line: p.span.start.line,
          column: p.span.start.column,
          message: `Do not use ${ins.keyword} for sensitive data (${ins.keyword} "${p.key}"): it stays readable in the image; pass it with RUN --mount=type=secret,id=${p.key.toLowerCase()},env=${p.key}`,
        });
      }
    }
  },
};
