/**
 * What reaches the final image that a runtime image should not carry: compilers and -dev
 * packages, installer caches, development dependencies, .git and tests. Read from the stages
 * the final image is built FROM (their layers ship) and the context files their COPYs take.
 */
import type { BuildContext } from '../dockerfile/context.js';
import { packageOps } from '../dockerfile/packages.js';
import { copySources } from '../dockerfile/simulate.js';
import { findStage } from '../dockerfile/stages.js';
import type { Dockerfile, Stage } from '../dockerfile/types.js';
import type { PythonProject } from '../project/types.js';
import { copiedFiles } from './estimate-layer.js';
import { readRun } from './install-command.js';
import type { ImageContents } from './types.js';

const BUILD_TOOL =
  /^(build-essential|build-base|gcc|g\+\+|gcc-c\+\+|clang|make|cmake|gfortran|rustc|cargo|swig|(gcc|g\+\+|clang)-\d+|[\w.+-]+-(dev|devel))$/;
const INSTALLERS = new Set(['apt-get', 'apt', 'apk', 'dnf', 'yum', 'microdnf', 'zypper']);

/** The contents of the image built from `file` (stage `target`, default the last). */
export function imageContents(
  file: Dockerfile,
  context: BuildContext,
  project: PythonProject | null,
  target?: string,
): ImageContents {
  const out: ImageContents = { compilers: [], caches: [], devDeps: [], git: false, tests: false, evidence: [] };
  if (!file.stages.length) return out;
  const t = target !== undefined ? (findStage(file.stages, target) ?? file.stages.length - 1) : file.stages.length - 1;
  const chain: Stage[] = [];
  for (let s: Stage | undefined = file.stages[t]; s && !chain.includes(s);)
    (chain.unshift(s), (s = s.base.stage !== undefined ? file.stages[s.base.stage] : undefined));
  const where = (line: number) => `${file.path.split('/').pop()}:${line}`;
  const add = (list: string[], v: string, line: number, why: string) => {
    if (!list.includes(v)) list.push(v);
    out.evidence.push(`${where(line)} ${why}`);
  };
  const contextFiles = context.exists ? context.files() : [];
  for (const stage of chain) {
    for (const ins of stage.instructions) {
      const line = ins.span.start.line;
      if (ins.keyword === 'RUN') {
        for (const op of safeOps(ins)) {
          if (!INSTALLERS.has(op.manager) || !/^(install|add)$/.test(op.action)) continue;
          for (const p of op.packages.map(bare))
            if (BUILD_TOOL.test(p) || p === 'git') add(out.compilers, p, line, `installs ${p}`);
          if (
            /^apt/.test(op.manager) &&
            !/\/var\/lib\/apt\/lists/.test(ins.argsText) &&
            !hasCacheMount(ins, '/var/lib/apt')
          )
            add(out.caches, '/var/lib/apt/lists', line, 'apt lists are not removed in the same RUN');
        }
        const run = readRun(ins);
        if (run.keepsPipCache)
          add(out.caches, '/root/.cache/pip', line, 'pip install without --no-cache-dir or a cache mount');
        if (
          run.tool === 'uv' &&
          run.kind === 'deps' &&
          !/--no-cache\b|UV_NO_CACHE/.test(ins.argsText) &&
          !hasCacheMount(ins, '/root/.cache')
        )
          add(out.caches, '/root/.cache/uv', line, "uv's cache stays in the layer (no --no-cache, no cache mount)");
        if (run.kind === 'deps' && run.tool !== 'pip' && run.includeDev && project?.devGroups.length)
          add(out.devDeps, `groups ${project.devGroups.join(', ')}`, line, 'installs the development groups too');
        for (const r of run.requirements)
          if (/(dev|test|lint)[^/]*\.txt$/.test(r)) add(out.devDeps, r.split('/').pop() ?? r, line, `installs ${r}`);
      }
      if (
        (ins.keyword === 'COPY' || ins.keyword === 'ADD') &&
        !ins.flags.some((f) => f.name === 'from') &&
        contextFiles.length
      ) {
        const files = copiedFiles(copySources(ins), context);
        if (!out.git && files.some((f) => f.startsWith('.git/'))) {
          out.git = true;
          out.evidence.push(`${where(line)} copies .git (not in .dockerignore)`);
        }
        const testDirs = project?.testDirs ?? ['tests', 'test'];
        if (!out.tests && files.some((f) => testDirs.some((d) => f.startsWith(`${d}/`)))) {
          out.tests = true;
          out.evidence.push(`${where(line)} copies the tests (${testDirs.join(', ')})`);
        }
      }
    }
  }
  return out;
}

function safeOps(ins: Parameters<typeof packageOps>[0]) {
  try {
    return packageOps(ins);
  } catch {
    return [];
  }
}

function hasCacheMount(ins: { mounts: { type: string; target?: string }[] }, prefix: string): boolean {
  return ins.mounts.some((m) => m.type === 'cache' && !!m.target && m.target.startsWith(prefix));
}

function bare(pkg: string): string {
  return pkg
    .replace(/^["']|["']$/g, '')
    .split(/[=<>~]/)[0]
    .replace(/:[a-z0-9]+$/, '');
}
