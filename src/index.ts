/**
 * The layerwise library: the same pipeline the CLI runs, as functions over plain data.
 * Dockerfiles: parse -> model -> simulate / lint. Images: open -> analyse -> diff.
 */
export { parseDockerfile, type ParseOptions } from './dockerfile/parse.js';
export type * from './dockerfile/types.js';
export type { BuildContext } from './dockerfile/context.js';
export { loadContext, contextFromPatterns } from './dockerfile/context-impl.js';
export { simulate, type Change, type Simulation, type Invalidation, type Layer } from './dockerfile/simulate.js';
export { lintText, allRules, type LintTextOptions, type FileLintResult } from './lint.js';
export { lintModel, type LintOptions, type LintResult } from './rules/engine.js';
export type { Rule, RuleMeta, Finding, Fix, Severity, Category } from './rules/types.js';
export { openImage, openSource, type OpenOptions } from './image/open.js';
export { VERSION } from './version.js';
export { analyzeImage, type ImageAnalysis } from './image/analyze/image.js';
export { diffImages, type DiffResult } from './image/diff.js';
export { validateImage } from './image/validate.js';
