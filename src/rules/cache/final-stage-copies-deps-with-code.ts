import { hasOption } from '../../dockerfile/packages.js';
import { copySources, isAppSource, isManifestSource, normaliseSource } from '../../dockerfile/simulate.js';
import { findStage } from '../../dockerfile/stages.js';
import type { Dockerfile, Instruction, ShellCommand, Stage } from '../../dockerfile/types.js';
import { absPath, within, workdirAt } from '../lib/users.js';
import { truthy, varAt } from '../lib/variables.js';
import { shippedStages, stageChain } from '../util.js';
import type { Rule } from '../types.js';
import { installsPythonDeps, opsOf } from '../util.js';

interface Place {
  path: string;
  line: number;
  what: string;
}

export const rule: Rule = {
  meta: {
    id: 'LW2401',
    name: 'final-stage-copies-deps-with-code',
    category: 'cache',
    severity: 'warning',
    summary: 'The final stage copies the dependencies and the application code in one layer.',
    description:
      'A builder stage that installs a virtualenv under /app and also copies the source there makes ' +
      '`COPY --from=builder /app /app` one layer holding both. Any code change produces a new layer with the whole ' +
      'environment in it, so each deploy pulls all dependencies again. Copy the environment first and the code after, ' +
      'so a code change only ships the code.',
    bad:
      'FROM python:3.12-slim AS builder\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev --no-install-project\nCOPY . .\nRUN uv sync --locked --no-dev\n\n' +
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nCMD ["/app/.venv/bin/python", "-m", "app"]\n',
    good:
      'FROM python:3.12-slim AS builder\nCOPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv\nWORKDIR /app\n' +
      'COPY pyproject.toml uv.lock ./\nRUN uv sync --locked --no-dev --no-install-project\nCOPY . .\nRUN uv sync --locked --no-dev --no-editable\n\n' +
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app/.venv /app/.venv\nCOPY . .\nCMD ["/app/.venv/bin/python", "-m", "app"]\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file } = ctx;
    const inImage = shippedStages(file);
    const memo = new Map<number, { deps: Place[]; code: Place[] }>();
    for (const ins of file.instructions) {
      if (ins.keyword !== 'COPY' || ins.stage === undefined || !inImage.has(ins.stage)) continue;
      const from = ins.flags.find((f) => f.name === 'from')?.resolved;
      if (!from) continue;
      const s = findStage(file.stages, from, ins.stage);
      if (s === undefined) continue;
      let places = memo.get(s);
      if (!places) {
        places = locate(file, file.stages[s]);
        memo.set(s, places);
      }
      if (!places.deps.length || !places.code.length) continue;
      const excludes = ins.flags
        .filter((f) => f.name === 'exclude')
        .map((f) => (f.resolved ?? '').replace(/\/\*+$|\/$/g, ''));
      const args = ins.resolvedArgs;
      const destRaw = args[args.length - 1] ?? '';
      const dest = absPath(workdirAt(file, ins), destRaw);
      for (const src of args.slice(0, -1)) {
        if (/[*?[]/.test(src) || src.startsWith('<<')) continue;
        const root = absPath('/', src);
        const relOf = (p: string) => (root === '/' ? p.slice(1) : p.slice(root.length + 1));
        const deps = places.deps.find(
          (d) => within(d.path, root) && !excludes.some((e) => e && within(relOf(d.path), e)),
        );
        if (!deps) continue;
        const code = places.code.find((c) => within(c.path, root) && !within(c.path, deps.path));
        if (!code) continue;
        const depsDest = absPath(dest, relOf(deps.path));
        ctx.report({
          line: ins.span.start.line,
          message:
            `COPY --from=${from} ${src} puts ${deps.what} ${deps.path} (line ${deps.line}) and the source copied to ${code.path} (line ${code.line}) in one layer, ` +
            `so every code change ships all dependencies again; copy them separately, dependencies first: COPY --from=${from} ${deps.path} ${depsDest}, then the source`,
        });
        break;
      }
    }
  },
};

/** Where the stage (and its bases) put Python dependencies, and where it copied application source. */
function locate(file: Dockerfile, stage: Stage): { deps: Place[]; code: Place[] } {
  const deps: Place[] = [];
  const code: Place[] = [];
  for (const s of stageChain(file, stage).reverse()) {
    for (const ins of s.instructions) {
      if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
        if (ins.flags.some((f) => f.name === 'from')) continue;
        const sources = copySources(ins).map(normaliseSource);
        if (!sources.some((x) => x === '.' || (isAppSource(x) && !isManifestSource(x)))) continue;
        const args = ins.resolvedArgs;
        code.push({
          path: absPath(workdirAt(file, ins), args[args.length - 1] ?? '.'),
          line: ins.span.start.line,
          what: 'source',
        });
        continue;
      }
      if (ins.keyword !== 'RUN') continue;
      const dir = workdirAt(file, ins);
      let cwd = dir;
      for (const cmd of ins.shell?.commands ?? []) {
        if (cmd.program === 'cd' && !cmd.nested && cmd.args[0] && !cmd.args[0].dynamic)
          cwd = absPath(cwd, cmd.args[0].value);
        const words = cmd.args.map((a) => a.value);
        const line = cmd.line;
        if (
          /^python(\d+(\.\d+)?)?$/.test(cmd.program) &&
          words[0] === '-m' &&
          (words[1] === 'venv' || words[1] === 'virtualenv')
        ) {
          const target = words.slice(2).find((w) => !w.startsWith('-'));
          if (target) deps.push({ path: absPath(cwd, target), line, what: 'the virtualenv' });
        } else if (cmd.program === 'virtualenv') {
          const target = words.find((w) => !w.startsWith('-'));
          if (target) deps.push({ path: absPath(cwd, target), line, what: 'the virtualenv' });
        }
      }
      for (const op of opsOf(ins)) {
        const cmd = op.command;
        const here = cwdBefore(ins, cmd, dir);
        if (op.manager === 'uv' && op.action === 'venv') {
          deps.push({
            path: absPath(here, op.packages[0] ?? '.venv'),
            line: cmd.line,
            what: 'the virtualenv',
          });
        }
        if (!installsPythonDeps(op)) continue;
        const line = cmd.line;
        if (op.manager === 'pip' || op.manager === 'uv-pip') {
          for (const k of ['--target', '-t', '--prefix', '--root']) {
            const v = op.optionValues[k]?.[0];
            if (v) deps.push({ path: absPath(here, v), line, what: `the packages installed with ${k}` });
          }
        } else if (op.manager === 'uv') {
          const env = varAt(file, ins, 'UV_PROJECT_ENVIRONMENT', cmd);
          const project = op.optionValues['--directory']?.[0] ?? op.optionValues['--project']?.[0];
          const root = project ? absPath(here, project) : here;
          deps.push({
            path: env ? absPath(root, env) : `${root === '/' ? '' : root}/.venv`,
            line,
            what: 'the virtualenv',
          });
        } else if (op.manager === 'poetry') {
          const inProject =
            truthy(varAt(file, ins, 'POETRY_VIRTUALENVS_IN_PROJECT', cmd)) ||
            configuresInProject(file, stage) ||
            hasOption(op, '--in-project');
          if (inProject) deps.push({ path: `${here === '/' ? '' : here}/.venv`, line, what: 'the virtualenv' });
        } else if (op.manager === 'pdm') {
          deps.push({ path: `${here === '/' ? '' : here}/.venv`, line, what: 'the virtualenv' });
        } else if (op.manager === 'pipenv' && truthy(varAt(file, ins, 'PIPENV_VENV_IN_PROJECT', cmd))) {
          deps.push({ path: `${here === '/' ? '' : here}/.venv`, line, what: 'the virtualenv' });
        }
      }
    }
  }
  return { deps, code };
}

/** Working directory of a command after the `cd`s before it in the same RUN. */
function cwdBefore(ins: Instruction, cmd: ShellCommand, dir: string): string {
  let cwd = dir;
  for (const c of ins.shell?.commands ?? []) {
    if (c === cmd) break;
    if (c.program === 'cd' && !c.nested && c.args[0] && !c.args[0].dynamic) cwd = absPath(cwd, c.args[0].value);
  }
  return cwd;
}

/** `poetry config virtualenvs.in-project true` anywhere in the stage chain. */
function configuresInProject(file: Dockerfile, stage: Stage): boolean {
  return stageChain(file, stage).some((s) =>
    s.instructions.some((i) =>
      (i.shell?.commands ?? []).some(
        (c) =>
          c.program === 'poetry' &&
          c.args.some((a) => a.value === 'virtualenvs.in-project') &&
          c.args.some((a) => a.value === 'true'),
      ),
    ),
  );
}
