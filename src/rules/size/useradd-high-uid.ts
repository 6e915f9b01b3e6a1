import type { Rule } from '../types.js';
import { commands, offsetOf } from '../util.js';

/** UIDs above this make the sparse /var/log/lastlog and faillog files huge in a layer. */
const HIGH_UID = 99999;

export const rule: Rule = {
  meta: {
    id: 'LW3205',
    name: 'useradd-high-uid',
    category: 'size',
    severity: 'warning',
    summary: 'useradd with a high UID and without -l (--no-log-init) writes a huge lastlog file into the layer.',
    description:
      'useradd records the user in /var/log/lastlog and faillog, files indexed by UID; with a large UID they become ' +
      'sparse files of gigabytes, and layers do not keep them sparse. Pass -l (--no-log-init).',
    bad: 'FROM python:3.12-slim\nRUN useradd -u 1000001 -m app\nUSER 1000001\n',
    good: 'FROM python:3.12-slim\nRUN useradd -l -u 1000001 -m app\nUSER 1000001\n',
    fixable: true,
    aliases: ['DL3046'],
  },
  check(ctx) {
    for (const { cmd } of commands(ctx.file)) {
      if (cmd.program !== 'useradd') continue;
      let uid: string | undefined;
      let noLog = false;
      const args = cmd.args;
      for (let i = 0; i < args.length; i++) {
        const a = args[i].value;
        if (a === '--no-log-init') noLog = true;
        else if (a === '-u' || a === '--uid') uid = args[i + 1]?.value;
        else if (a.startsWith('--uid=')) uid = a.slice(6);
        else if (/^-[a-zA-Z]+$/.test(a)) {
          if (a.includes('l')) noLog = true;
          const u = a.indexOf('u');
          // `-u12345` or a cluster ending in u: `-ou 12345`.
          if (u > 0) uid = u === a.length - 1 ? args[i + 1]?.value : a.slice(u + 1);
        } else if (/^-u\d+$/.test(a)) uid = a.slice(2);
      }
      if (noLog || !uid || !/^\d+$/.test(uid) || Number(uid) <= HIGH_UID) continue;
      const off = offsetOf(ctx.file, cmd.line, cmd.column) + cmd.name.length;
      const ok = ctx.file.text.slice(off - cmd.name.length, off) === cmd.name;
      ctx.report({
        line: cmd.line,
        column: cmd.column,
        message: `useradd with UID ${uid} and without -l creates a multi-gigabyte /var/log/lastlog in the layer; add -l (--no-log-init)`,
        fix: ok ? { description: 'add -l', edits: [{ start: off, end: off, text: ' -l' }] } : undefined,
      });
    }
  },
};
