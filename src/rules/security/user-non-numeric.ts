import type { Rule } from '../types.js';
import { commands } from '../util.js';

export const rule: Rule = {
  meta: {
    id: 'LW5201',
    name: 'user-non-numeric',
    category: 'security',
    severity: 'info',
    summary: 'USER by name: the host and Kubernetes cannot tell whether it is root.',
    description:
      'A user name is resolved inside the container only; Kubernetes `runAsNonRoot` refuses to start an image whose ' +
      'USER is not numeric, and volume permissions on the host are by number. Use the numeric UID (and GID).',
    bad: 'FROM python:3.12-slim\nRUN useradd -l -u 10001 -m app\nUSER app\n',
    good: 'FROM python:3.12-slim\nRUN useradd -l -u 10001 -m app\nUSER 10001\n',
    fixable: true,
    aliases: ['DL3066'],
  },
  check(ctx) {
    // UIDs given to useradd/adduser in the file, by user name, to suggest (and fix with) the number.
    const uids = new Map<string, string>();
    for (const { cmd } of commands(ctx.file)) {
      if (cmd.program !== 'useradd' && cmd.program !== 'adduser') continue;
      const a = cmd.args.map((w) => w.value);
      const i = a.findIndex((v) => v === '-u' || v === '--uid');
      const uid = i >= 0 ? a[i + 1] : a.find((v) => v.startsWith('--uid='))?.slice(6);
      const name = [...a].reverse().find((v) => !v.startsWith('-'));
      if (uid && /^\d+$/.test(uid) && name && name !== uid) uids.set(name, uid);
    }
    for (const ins of ctx.file.instructions) {
      if (ins.keyword !== 'USER') continue;
      const value = ins.resolvedArgs[0] ?? '';
      if (!value || value.includes('$')) continue;
      const [user, group] = value.split(':');
      const named = [user, group].filter((p): p is string => p !== undefined && p !== '' && !/^\d+$/.test(p));
      // root is resolvable everywhere; runAsNonRoot checks are about other users.
      if (named.every((p) => p === 'root')) continue;
      const uid = uids.get(user);
      const canFix = uid !== undefined && group === undefined && ins.args.length === 1 && ins.args[0] === user;
      const argStart = ins.span.startOffset + ins.text.indexOf(ins.args[0] ?? '\0', ins.rawKeyword.length);
      ctx.report({
        line: ins.span.start.line,
        column: ins.span.start.column,
        message: `USER ${value} is not numeric, so runAsNonRoot and the host cannot resolve it; use the UID${uid ? ` (USER ${uid})` : ''}`,
        fix:
          canFix && argStart > ins.span.startOffset
            ? {
                description: `use UID ${uid}`,
                edits: [{ start: argStart, end: argStart + user.length, text: uid as string }],
              }
            : undefined,
      });
    }
  },
};
