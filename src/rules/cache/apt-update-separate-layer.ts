import type { Dockerfile, Instruction, PackageOp } from '../../dockerfile/types.js';
import { instructionsBefore } from '../lib/stage-chains.js';
import type { Fix, Rule } from '../types.js';
import { offsetOf, opsOf } from '../util.js';

const isUpdate = (o: PackageOp) => o.manager === 'apt-get' && o.action === 'update';
const isInstall = (o: PackageOp) => o.manager === 'apt-get' && (o.action === 'install' || o.action === 'upgrade');

export const rule: Rule = {
  meta: {
    id: 'LW2407',
    name: 'apt-update-separate-layer',
    category: 'cache',
    severity: 'warning',
    summary: '`apt-get update` in one RUN and `apt-get install` in a later one: the package lists are cached forever.',
    description:
      'The RUN with `apt-get update` is cached like any other step, so months later a changed install line still ' +
      'uses the old package lists: installs fail with 404s or get outdated versions, and the lists also sit in their own ' +
      'layer. Run update and install in the same RUN (and remove /var/lib/apt/lists/* there).',
    bad: 'FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
    good: 'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n',
    fixable: true,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    // ONBUILD triggers run in another build, on lists of its own base.
    const runs = file.instructions.filter((i) => i.keyword === 'RUN' && i.stage !== undefined);
    for (const ins of runs) {
      const ops = opsOf(ins);
      const install = ops.find(isInstall);
      if (!install) continue;
      // An update before the install in the same RUN refreshes the lists.
      if (ops.some((o) => isUpdate(o) && before(o, install))) continue;
      const earlier = instructionsBefore(file, ins).filter((i) => i.keyword === 'RUN');
      const update = [...earlier].reverse().find((i) => opsOf(i).some(isUpdate));
      if (!update) continue;
      const updateOp = opsOf(update).find(isUpdate) as PackageOp;
      const verb = install.command.args.find((a) => a.value === 'install' || a.value === 'upgrade')?.value ?? 'install';
      const why = removesLists(update, updateOp)
        ? `runs without package lists: line ${update.span.start.line} deleted them after its \`apt-get update\`, so this step fails or does nothing`
        : `uses package lists from the cached \`apt-get update\` at line ${updateOp.command.line}, which never re-runs: installs break or go stale when this line changes`;
      ctx.report({
        line: install.command.line,
        column: install.command.column,
        message: `apt-get ${verb} ${why}; run \`apt-get update &&\` in this same RUN`,
        fix: mergeFix(file, ins, install, update, updateOp, earlier),
      });
    }
  },
};

function before(a: PackageOp, b: PackageOp): boolean {
  return a.command.line < b.command.line || (a.command.line === b.command.line && a.command.column < b.command.column);
}

/** Insert the update before the install; drop the update RUN when it does nothing else and nothing else needs it. */
function mergeFix(
  file: Dockerfile,
  ins: Instruction,
  install: PackageOp,
  update: Instruction,
  updateOp: PackageOp,
  earlier: Instruction[],
): Fix | undefined {
  if (ins.jsonForm || !ins.shell) return undefined;
  const updateText = updateOp.command.text.replace(/\s*\\\n\s*/g, ' ');
  if (/\n/.test(updateText)) return undefined;
  const at = offsetOf(file, install.command.line, install.command.column);
  if (file.text.slice(at, at + install.command.name.length) !== install.command.name) return undefined;
  const edits = [{ start: at, end: at, text: `${updateText} && ` }];
  // The update RUN alone (one command, no flags, same stage) and no other RUN between relies on it.
  const alone =
    update.stage === ins.stage &&
    update.flags.length === 0 &&
    (update.shell?.commands.length ?? 0) === 1 &&
    !update.heredocs.length;
  const between = earlier.filter((i) => i.index > update.index);
  const othersNeedIt = between.some((i) => opsOf(i).some((o) => o.manager === 'apt-get'));
  const laterInstalls = file.instructions.some(
    (i) => i.index > ins.index && i.stage === ins.stage && i.keyword === 'RUN' && opsOf(i).some(isInstall),
  );
  if (alone && !othersNeedIt && !laterInstalls) {
    let end = update.span.endOffset;
    if (file.text[end] === '\r') end++;
    if (file.text[end] === '\n') end++;
    edits.push({ start: update.span.startOffset, end, text: '' });
  }
  return { description: 'run apt-get update in the same RUN as the install', edits };
}

/** True when the RUN deletes /var/lib/apt/lists after its update. */
function removesLists(run: Instruction, updateOp: PackageOp): boolean {
  const cmds = run.shell?.commands ?? [];
  const from = cmds.indexOf(updateOp.command);
  return cmds
    .slice(from + 1)
    .some((c) => c.program === 'rm' && c.args.some((a) => a.value.startsWith('/var/lib/apt/lists')));
}
