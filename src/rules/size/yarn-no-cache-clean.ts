import type { Instruction, PackageOp } from '../../dockerfile/types.js';
import { missingCleanups } from '../lib/cache-cleanup.js';
import { actionWord } from '../lib/package-words.js';
import type { Rule } from '../types.js';
import { envAt, homeOf, opsOf, userAt } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW3206',
    name: 'yarn-no-cache-clean',
    category: 'size',
    severity: 'info',
    summary: 'yarn install without `yarn cache clean` in the same RUN leaves the package cache in the layer.',
    description:
      'yarn keeps a copy of every package it downloads in its global cache; in the final image that is dead weight, ' +
      'often as large as node_modules. Run `yarn cache clean` in the same RUN, use a cache mount on the yarn cache, ' +
      'or build front-end assets in a separate stage and copy only the result.',
    bad: 'FROM node:20-bookworm-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n',
    good: 'FROM node:20-bookworm-slim\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile && yarn cache clean\n',
    fixable: false,
    aliases: ['DL3060'],
  },
  check(ctx) {
    const file = ctx.file;
    const spec = {
      fills: (op: PackageOp) => {
        if (op.manager !== 'yarn') return false;
        const a = actionWord(op)?.value;
        // Bare `yarn` is `yarn install`.
        return a === undefined || a === 'install' || a === 'add' || (a === 'global' && op.packages[0] === 'add');
      },
      cleans: (op: PackageOp) =>
        op.manager === 'yarn' && actionWord(op)?.value === 'cache' && op.packages.includes('clean'),
      dirs: (ins: Instruction) => {
        const home = envAt(file, ins, 'HOME') || homeOf(userAt(file, ins));
        const dirs = [
          '/usr/local/share/.cache/yarn',
          `${home}/.cache/yarn`,
          `${home}/.yarn/berry/cache`,
          '/tmp/.yarn-cache',
        ];
        const env = envAt(file, ins, 'YARN_CACHE_FOLDER');
        if (env) dirs.push(env);
        for (const op of opsOf(ins)) {
          dirs.push(...(op.optionValues['--cache-folder'] ?? []));
          if (op.command.assignments.YARN_CACHE_FOLDER) dirs.push(op.command.assignments.YARN_CACHE_FOLDER);
        }
        return dirs;
      },
    };
    for (const { op } of missingCleanups(file, spec)) {
      ctx.report({
        line: op.command.line,
        column: op.command.column,
        message:
          'yarn install without `yarn cache clean` in the same RUN leaves its cache in the layer; append `&& yarn cache clean` or use a cache mount',
      });
    }
  },
};
