import { simulate } from '../../dockerfile/simulate.js';
import type { Rule } from '../types.js';
import { hasOption } from '../../dockerfile/packages.js';
import type { PackageOp } from '../../dockerfile/types.js';
import { installsPythonDeps, opsOf, runInstructions, shortText, stageChain, stageOf } from '../util.js';

/**
 * Asks the change simulator, not the text: "if only application source changes, does this
 * dependency install re-run?" If so, names the instruction that starts the chain.
 */
export const rule: Rule = {
  meta: {
    id: 'LW2001',
    name: 'deps-after-source-copy',
    category: 'cache',
    severity: 'warning',
    summary: 'A dependency install re-runs whenever application source changes.',
    description:
      'Docker caches each instruction until one of its inputs changes; everything after a changed instruction re-runs. ' +
      'When the application source is copied before the dependencies are installed, a one-line code change re-installs ' +
      'every dependency and ships the whole dependency layer again. Copy only the manifest and lock file (or bind-mount ' +
      'them), install, then copy the source.',
    bad: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["python", "app.py"]\n',
    good: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["python", "app.py"]\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    // `pip install --no-deps .` installs only the project: that is the step that should follow the source.
    const installsDeps = (op: PackageOp) => installsPythonDeps(op) && !hasOption(op, '--no-deps');
    const installs = runInstructions(ctx.file).filter(
      (ins) => ins.stage !== undefined && ctx.file.stages[ins.stage]?.reachable && opsOf(ins).some(installsDeps),
    );
    if (!installs.length) return;
    const sim = simulate(ctx.file, ctx.context, { kind: 'app-source' });
    for (const ins of installs) {
      const hit = sim.invalidated.find((h) => h.instruction === ins);
      if (!hit) continue;
      // An earlier install in the stage that a code change leaves cached already holds the
      // dependencies (uv sync --no-install-project, poetry install --no-root); this is the project step.
      const chain = new Set(stageChain(ctx.file, stageOf(ctx.file, ins)).map((s) => s.index));
      const cachedDeps = installs.some(
        (other) =>
          other.index < ins.index && other.stage !== undefined && chain.has(other.stage) && !sim.isInvalidated(other),
      );
      if (cachedDeps) continue;
      // The cause is the install itself when its bind mount sees the whole context.
      const cause = hit.cause;
      const why = (cause === ins ? hit.reason : sim.invalidated.find((h) => h.instruction === cause)?.reason) ?? '';
      const where =
        cause === ins
          ? why.replace(/^its /, 'its own ')
          : `line ${cause.span.start.line} \`${shortText(cause, 40)}\` ${why.replace(/^it /, '')} before it`;
      ctx.report({
        line: ins.span.start.line,
        message: `dependency install re-runs on every code change: ${where}; copy (or bind-mount) only the manifest and lock files for the install, and the source after it`,
      });
    }
  },
};
