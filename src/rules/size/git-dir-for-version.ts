import { copySources, normaliseSource } from '../../dockerfile/simulate.js';
import type { Instruction } from '../../dockerfile/types.js';
import { contextPyproject, projectName, scmEnvName, wholeContextInstructions } from '../lib/build-context.js';
import { copiesFromStage } from '../lib/instruction-tokens.js';
import type { Rule } from '../types.js';
import { shippedStages, shortText } from '../util.js';

const SCM_TOOLS =
  /setuptools[-_]scm|hatch-vcs|hatch_vcs|versioningit|dunamai|poetry-dynamic-versioning|pdm-backend[\s\S]{0,200}source\s*=\s*["']scm["']|\[tool\.pdm\.version\][\s\S]{0,80}scm|vcs-versioning|setuptools-git-versioning/i;
const GIT_VERSION_CMD = /\bgit\s+(describe|rev-parse|log)\b|setuptools[-_]scm|SETUPTOOLS_SCM/;

export const rule: Rule = {
  meta: {
    id: 'LW3402',
    name: 'git-dir-for-version',
    category: 'size',
    severity: 'warning',
    summary: '.git is copied into the build to compute a version (setuptools-scm, hatch-vcs).',
    description:
      'Copying .git puts the whole repository history into a layer, and since .git changes with every commit, the COPY ' +
      'and everything after it re-run on each build. Compute the version outside (`git describe`) and pass it in: ' +
      '`ARG VERSION` and `SETUPTOOLS_SCM_PRETEND_VERSION_FOR_<PKG>=$VERSION` on the install step, with .git in .dockerignore.',
    bad:
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY .git ./.git\nCOPY pyproject.toml ./\nCOPY src ./src\n' +
      'RUN pip install --no-cache-dir .\nCMD ["python", "-m", "shop"]\n',
    good:
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml ./\nCOPY src ./src\n' +
      '# docker build --build-arg VERSION=$(git describe --tags) .\nARG VERSION=0.0.0\n' +
      'RUN SETUPTOOLS_SCM_PRETEND_VERSION_FOR_SHOP=$VERSION pip install --no-cache-dir .\nCMD ["python", "-m", "shop"]\n',
    fixable: false,
    aliases: [],
  },
  check(ctx) {
    const { file, context } = ctx;
    const pyproject = contextPyproject(context);
    const dist = pyproject ? projectName(pyproject) : undefined;
    const poetryDyn = !!pyproject && /poetry-dynamic-versioning/.test(pyproject);
    const env = poetryDyn
      ? 'POETRY_DYNAMIC_VERSIONING_BYPASS'
      : `SETUPTOOLS_SCM_PRETEND_VERSION_FOR_${dist ? scmEnvName(dist) : '<PKG>'}`;
    const advice = `pass the version in instead: ARG VERSION, then RUN ${env}=$VERSION <install> (build with --build-arg VERSION=$(git describe --tags)), and keep .git in .dockerignore`;
    const inImage = shippedStages(file);
    const cost = (ins: Instruction) =>
      `${ins.stage !== undefined && inImage.has(ins.stage) ? 'ships the repository history in the image and ' : ''}re-runs this step and everything after it on every commit`;
    const explicit = new Set<Instruction>();
    for (const ins of file.instructions) {
      if ((ins.keyword !== 'COPY' && ins.keyword !== 'ADD') || copiesFromStage(ins)) continue;
      if (copySources(ins).some((s) => normaliseSource(s) === '.git' || normaliseSource(s).startsWith('.git/'))) {
        explicit.add(ins);
        ctx.report({
          line: ins.span.start.line,
          message: `${shortText(ins, 40)} copies .git to compute a version: it ${cost(ins)}; ${advice}`,
        });
      }
    }
    if (explicit.size || !context.exists || context.isIgnored('.git') || context.isIgnored('.git/HEAD')) return;
    // `COPY . .` with .git in the context: report only when something uses git metadata for the version.
    const usesScm =
      (pyproject !== undefined && SCM_TOOLS.test(pyproject)) ||
      file.instructions.some((i) => i.keyword === 'RUN' && GIT_VERSION_CMD.test(i.text));
    if (!usesScm) return;
    const whole = wholeContextInstructions(file)[0];
    if (!whole) return;
    ctx.report({
      line: whole.span.start.line,
      message: `${whole.keyword === 'RUN' ? 'this bind mount of the context' : shortText(whole, 40)} brings .git into the build for the version (it is not in .dockerignore): it ${cost(whole)}; ${advice}`,
    });
  },
};
