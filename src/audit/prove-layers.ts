/**
 * Measured layers as the audit's LayerCost rows: each layer of the image built after the change,
 * tied to the Dockerfile line the estimate gave it (same position when the layer counts agree,
 * else the same instruction text, matched from the top of the image down), so an estimate and
 * its measurement sit on the same row.
 */
import { createdByText } from '../image/report/inspect.js';
import type { LayerCost } from './types.js';
import type { MeasuredLayer } from './prove-measure.js';

/** Keyword and arguments, flags (`--mount=...`, `--from=...`, `--chown=...`) and BuildKit's marks left out. */
export function instructionKey(text: string): string {
  const t = text
    .replace(/\s+#\s*buildkit\s*$/, '')
    .replace(/[…]+$|\.\.\.$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const [kw, ...rest] = t.split(' ');
  const args = rest.filter((w) => !w.startsWith('--'));
  return [kw.toUpperCase(), ...args].join(' ');
}

function sameInstruction(measured: string, estimated: string): boolean {
  const a = instructionKey(measured);
  const b = instructionKey(estimated);
  if (!a || !b) return false;
  // The estimate may shorten long arguments; the engine's history may too.
  return a === b || (Math.min(a.length, b.length) >= 8 && (a.startsWith(b) || b.startsWith(a)));
}

/** The engine's history text of a layer, as the audit writes instructions (`RUN pip install ...`). */
export function instructionOf(createdBy: string | null): string {
  return createdByText(createdBy)
    .replace(/^RUN \/bin\/sh -c /, 'RUN ')
    .replace(/\s+#\s*buildkit\s*$/, '')
    .trim();
}

/**
 * LayerCost rows for the measured layers. `bytes` is the layer's gzip size when a host pulls it
 * (either store), 0 when it pulls nothing for it.
 */
export function measuredLayerCosts(layers: MeasuredLayer[], estimated: LayerCost[] = []): LayerCost[] {
  const lineOf = new Map<number, LayerCost>();
  if (estimated.length === layers.length) estimated.forEach((e, i) => lineOf.set(i, e));
  else {
    // From the top: the layers a change makes new are the last ones, where the match matters.
    let j = estimated.length - 1;
    for (let i = layers.length - 1; i >= 0 && j >= 0; i--) {
      const text = instructionOf(layers[i].createdBy);
      for (let k = j; k >= 0; k--) {
        if (estimated[k].line !== null && sameInstruction(text, estimated[k].instruction)) {
          lineOf.set(i, estimated[k]);
          j = k - 1;
          break;
        }
      }
    }
  }
  return layers.map((l, i) => {
    const est = lineOf.get(i);
    const pulled = l.pulledClassic || l.pulledContainerd;
    const where = [l.pulledClassic ? 'classic' : '', l.pulledContainerd ? 'containerd' : ''].filter(Boolean).join('+');
    return {
      line: est?.line ?? null,
      instruction: est?.instruction ?? instructionOf(l.createdBy),
      changed: !l.shared,
      bytes: pulled ? l.gzipBytes : 0,
      basis: pulled
        ? `measured: ${l.newContent ? 'new content' : 'same content under a new layer below'}, pulled by ${where}; ${l.tarBytes} bytes as exported, ${l.gzipBytes} gzip`
        : 'measured: unchanged, nothing pulled',
    };
  });
}
