/**
 * The layerwise library: the same pipeline the CLI runs, as functions over plain data.
 * Dockerfiles: parse -> model -> simulate / lint. Images: open -> analyse -> diff.
 */
import { loadShell } from './dockerfile/shell-load.js';

export { parseDockerfile, type ParseOptions } from './dockerfile/parse.js';
export { loadShell, withShell, ShellNotLoadedError } from './dockerfile/shell-load.js';
export type * from './dockerfile/types.js';
export type { BuildContext } from './dockerfile/context.js';
export { loadContext, contextFromPatterns } from './dockerfile/context-impl.js';
export { simulate, type Change, type Simulation, type Invalidation, type Layer } from './dockerfile/simulate.js';
export { lintText, allRules, type LintTextOptions, type FileLintResult } from './lint.js';
export { lintModel, type LintOptions, type LintResult } from './rules/engine.js';
export { shellcheckDockerfile } from './shellcheck/check.js';
export { shellcheckOnPath } from './shellcheck/locate.js';
export type { Rule, RuleMeta, Finding, Fix, Severity, Category } from './rules/types.js';
export { openImage, openSource, type OpenOptions } from './image/open.js';
export { VERSION } from './version.js';
export { analyzeImage, type ImageAnalysis } from './image/analyze/image.js';
export { diffImages, type DiffResult } from './image/diff.js';
export { validateImage } from './image/validate.js';

// The library keeps parseDockerfile and lintText synchronous for its callers, so it readies the
// shell parser on import (~0.1 s). The CLI does not import this file: it loads the parser only
// when a RUN needs it.
await loadShell();
