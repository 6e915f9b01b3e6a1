/** The lint pipeline: read -> model -> rules -> findings. No output formatting here. */
import { contextFromPatterns, emptyContext, loadContext } from './dockerfile/context-impl.js';
import type { BuildContext } from './dockerfile/context.js';
import { parseDockerfile } from './dockerfile/parse.js';
import type { Dockerfile } from './dockerfile/types.js';
import { allRules } from './rules/all.js';
import { lintModel, type LintOptions, type LintResult } from './rules/engine.js';
import type { ExampleContext, Rule } from './rules/types.js';

export interface LintTextOptions extends LintOptions {
  /** Build context directory; default the Dockerfile's directory. 'none' for no context (stdin). */
  contextDir?: string | 'none';
  /** Build args for variable resolution. */
  buildArgs?: Record<string, string>;
  rules?: Rule[];
  /** In-memory context instead of the disk (tests, rule examples). */
  example?: ExampleContext;
}

export interface FileLintResult extends LintResult {
  file: Dockerfile;
  context: BuildContext;
}

/** Lints Dockerfile text that came from `path` (used for messages and to find the context). */
export function lintText(text: string, path: string, options: LintTextOptions = {}): FileLintResult {
  const file = parseDockerfile(text, path, { buildArgs: options.buildArgs });
  let context: BuildContext;
  if (options.example) context = contextFromPatterns(options.example.dockerignore, options.example.files ?? []);
  else if (options.contextDir === 'none') context = emptyContext();
  else context = loadContext(path, options.contextDir);
  const result = lintModel(file, context, options.rules ?? allRules, options);
  return { ...result, file, context };
}

export { allRules };
