/** Lint output formats by name: what `layerwise lint --format NAME` accepts. */
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { Renderer } from './types.js';

export type FormatName = 'text' | 'json' | 'sarif' | 'github';

const byName: Record<FormatName, Renderer> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  github: renderGithub,
};

export const FORMATS = Object.keys(byName) as FormatName[];

/**
 * Renderers by format name. Indexable by any string (an unknown name gives undefined: the
 * object has no prototype, so `constructor` or `toString` are not formats).
 */
export const renderers: Readonly<Record<string, Renderer>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Renderer>, byName),
);

export function isFormat(name: string): name is FormatName {
  return Object.hasOwn(byName, name);
}

/** The renderer for `name`, or undefined for an unknown format (a usage error, exit 2). */
export function getRenderer(name: string): Renderer | undefined {
  return isFormat(name) ? byName[name] : undefined;
}

export type { FileReport, LintReport, Renderer, RenderOptions } from './types.js';
