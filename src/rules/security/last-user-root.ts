import type { Instruction } from '../../dockerfile/types.js';
import { plainWord } from '../lib/words.js';
import type { Rule } from '../types.js';
import { finalStage } from '../util.js';

function isRoot(user: string): boolean {
  const name = user.split(':')[0].trim();
  return name === 'root' || name === '0';
}

export const rule: Rule = {
  meta: {
    id: 'LW5101',
    name: 'last-user-root',
    category: 'security',
    severity: 'warning',
    summary: 'The final image runs as root because the last USER switches back to root.',
    description:
      'The last USER of the final stage is the user the container runs as. Running as root turns any bug in the ' +
      'application into root access inside the container and makes escapes more dangerous. Switch back to an ' +
      'unprivileged user after the steps that need root. Only the stages that ship count (the final stage and the ' +
      'stages it is built FROM): unlike hadolint, a builder stage that ends as root is not reported, as no container ' +
      'runs it. `USER "root"`, `USER 0` and `USER root:root` are all root.',
    bad: 'FROM python:3.12-slim\nRUN useradd --create-home app\nUSER app\nCOPY --chown=app:app . /home/app/src\nUSER root\nCMD ["python", "/home/app/src/app.py"]\n',
    good: 'FROM python:3.12-slim\nRUN useradd --create-home app\nUSER app\nCOPY --chown=app:app . /home/app/src\nCMD ["python", "/home/app/src/app.py"]\n',
    fixable: false,
    aliases: ['DL3002'],
  },
  check(ctx) {
    // The last USER in the final stage, or in the stages it is built FROM.
    let stage = finalStage(ctx.file);
    const seen = new Set<number>();
    let last: Instruction | undefined;
    while (stage && !seen.has(stage.index) && !last) {
      seen.add(stage.index);
      last = stage.instructions.filter((i) => i.keyword === 'USER').pop();
      stage = stage.base.stage === undefined ? undefined : ctx.file.stages[stage.base.stage];
    }
    if (!last) return;
    const user = plainWord(last.resolvedArgs[0] ?? '');
    if (!user || user.includes('$') || !isRoot(user)) return;
    ctx.report({
      line: last.span.start.line,
      column: last.span.start.column,
      message: `the final image runs as root (USER ${user} is the last USER); add USER with an unprivileged user after the steps that need root`,
    });
  },
};
