/**
 * What `init` would write for the project, run through the same scenarios: its Dockerfile and
 * .dockerignore are generated in memory, and the build context is the project's files filtered
 * by that generated .dockerignore (the files are read from disk, nothing is written).
 */
import { contextFromPatterns } from '../dockerfile/context-impl.js';
import { parseDockerfile } from '../dockerfile/parse.js';
import { generateFiles, projectFiles } from '../generate/index.js';
import type { PythonProject } from '../project/types.js';
import { imageContents } from './contents.js';
import type { LayerEnv } from './estimate-layer.js';
import { makeEnv, type EnvShared } from './layer-env.js';
import { runScenarios } from './scenarios.js';
import type { Alternative, LayerCost } from './types.js';

export interface AlternativeInput {
  project: PythonProject;
  /** Build context directory (the project's directory). */
  contextDir: string;
  args: Record<string, string>;
  shared: EnvShared;
  /** Base image layers for a reference (memoised by the caller). */
  base(ref: string | null): Promise<LayerCost[]>;
  codeFile?: string;
}

/** init's Dockerfile and .dockerignore for the project, with their scenarios and contents. */
export async function alternativeFor(i: AlternativeInput): Promise<Alternative> {
  const generated = generateFiles(i.project, { compose: false, workflow: false });
  const files = generated
    .filter((f) => f.path === 'Dockerfile' || f.path === '.dockerignore')
    .map((f) => ({ path: f.path, text: f.content }));
  const dockerfileText = files.find((f) => f.path === 'Dockerfile')?.text ?? '';
  const dockerignore = files.find((f) => f.path === '.dockerignore')?.text;
  const all = [...new Set([...projectFiles(i.contextDir), ...files.map((f) => f.path)])];
  const context = contextFromPatterns(dockerignore, all, i.contextDir);
  const file = parseDockerfile(dockerfileText, `${i.contextDir}/Dockerfile`, { buildArgs: i.args });
  const env: LayerEnv = makeEnv(file, context, i.project, i.shared);
  const final = file.stages[file.stages.length - 1];
  const scenarios = await runScenarios({
    file,
    context,
    args: i.args,
    env,
    base: await i.base(rootBase(file, final?.index)),
    codeFile: i.codeFile && !context.isIgnored(i.codeFile) ? i.codeFile : undefined,
    lockFile: i.project.lockFile,
  });
  return {
    files,
    dockerfile: 'Dockerfile',
    scenarios,
    contents: imageContents(file, context, i.project),
  };
}

/** The image a stage is ultimately built FROM (following FROM <stage>), as resolved. */
export function rootBase(file: ReturnType<typeof parseDockerfile>, index: number | undefined): string | null {
  const seen = new Set<number>();
  for (let s = index !== undefined ? file.stages[index] : undefined; s && !seen.has(s.index);) {
    seen.add(s.index);
    if (s.base.stage === undefined) return s.base.scratch ? 'scratch' : s.base.resolved;
    s = file.stages[s.base.stage];
  }
  return null;
}
