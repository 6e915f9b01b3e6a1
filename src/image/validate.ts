/**
 * Checks any image for self-consistency, whatever its source: the config's digest and size,
 * every layer blob's digest and size, every diffID, the tar stream of every layer, and that
 * history lines up with the layers. Returns the problems found (empty = valid).
 */
import { readLayer } from './layer-stream.js';
import type { Image } from './model.js';
import { TarParser } from './tar.js';

export interface ValidationResult {
  problems: string[];
  layers: Array<{ digest: string; size: number; uncompressedSize: number }>;
}

export async function validateImage(image: Image): Promise<ValidationResult> {
  const problems: string[] = [];
  const layers: ValidationResult['layers'] = [];
  if (image.historyMismatch !== 0)
    problems.push(
      `history has ${image.history.filter((h) => !h.empty_layer).length} non-empty entries for ${image.layers.length} layers`,
    );
  const seen = new Set<string>();
  for (const l of image.layers) {
    if (seen.has(l.diffId)) continue;
    seen.add(l.diffId);
    try {
      const parser = new TarParser({ entry() {} }, { what: `layer ${l.index + 1}` });
      const r = await readLayer(image, l, (c) => parser.write(c));
      parser.end();
      layers.push({ digest: l.digest, size: r.size, uncompressedSize: r.uncompressedSize });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return { problems, layers };
}
