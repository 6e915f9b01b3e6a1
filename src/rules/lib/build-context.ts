/**
 * What rules read of the build context: the project's pyproject.toml and the instructions
 * that send the whole context into a step.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { BuildContext } from '../../dockerfile/context.js';
import { copySources, normaliseSource } from '../../dockerfile/simulate.js';
import type { Dockerfile, Instruction } from '../../dockerfile/types.js';
import { copiesFromStage } from './instruction-tokens.js';

const pyprojectCache = new WeakMap<BuildContext, string | null>();

/**
 * Text of pyproject.toml at the root of the build context, when the context is on disk and
 * has one (read once per context). Undefined otherwise.
 */
export function contextPyproject(context: BuildContext): string | undefined {
  if (!context.exists || !context.dir) return undefined;
  let text = pyprojectCache.get(context);
  if (text === undefined) {
    try {
      text = readFileSync(posix.join(context.dir, 'pyproject.toml'), 'utf8');
    } catch {
      text = null;
    }
    pyprojectCache.set(context, text);
  }
  return text ?? undefined;
}

/** `[project] name` (or `[tool.poetry] name`) of a pyproject.toml text. */
export function projectName(pyproject: string): string | undefined {
  const m = /^\s*\[(?:project|tool\.poetry)\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(pyproject);
  const body = m?.[1] ?? '';
  const n = /^\s*name\s*=\s*["']([^"']+)["']/m.exec(body);
  return n?.[1];
}

/** The setuptools_scm environment variable name for a distribution: `my-app` -> MY_APP. */
export function scmEnvName(dist: string): string {
  return dist.replace(/[-_.]+/g, '_').toUpperCase();
}

/**
 * Instructions that send the whole build context into a step: `COPY . .`, `ADD . /app`,
 * `COPY * ./`, or a bind mount of the context root (`RUN --mount=type=bind,target=/src`).
 */
export function wholeContextInstructions(file: Dockerfile): Instruction[] {
  const out: Instruction[] = [];
  for (const ins of file.instructions) {
    if ((ins.keyword === 'COPY' || ins.keyword === 'ADD') && !copiesFromStage(ins)) {
      if (copySources(ins).some((s) => s === '*' || normaliseSource(s) === '.')) out.push(ins);
    } else if (ins.keyword === 'RUN') {
      if (ins.mounts.some((m) => m.type === 'bind' && !m.from && normaliseSource(m.source ?? '.') === '.'))
        out.push(ins);
    }
  }
  return out;
}
