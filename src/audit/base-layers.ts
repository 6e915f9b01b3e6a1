/**
 * The base image's layers and their pull sizes, when a registry has them (its manifest records
 * each compressed blob's size). The engine keeps layers uncompressed, so from it only the layer
 * count and uncompressed sizes are known: the compressed figure stays unknown, with that reason.
 * Off, or unreachable: unknown, never an error.
 */
import type { LayerCost } from './types.js';

export interface BaseLookup {
  engine?: boolean;
  registry?: boolean;
  signal?: AbortSignal;
  /** Per-request timeout, ms (default 5000). */
  timeoutMs?: number;
}

/** Layers of `ref` bottom to top (one unknown entry when they cannot be read), and what that rests on. */
export async function baseLayers(ref: string | null, o: BaseLookup): Promise<LayerCost[]> {
  if (!ref || ref === 'scratch') return [];
  const unknown = (why: string): LayerCost[] => [
    { line: null, instruction: `FROM ${ref}`, changed: false, bytes: null, basis: `unknown: ${why}` },
  ];
  if (/\$/.test(ref)) return unknown('the base image name depends on a build arg with no value');
  const reasons: string[] = [];
  if (o.registry) {
    try {
      const { openImage } = await import('../image/open.js');
      const img = await openImage(`docker://${ref}`, { timeoutMs: o.timeoutMs ?? 5000 });
      return img.layers.map((l) => ({
        line: null,
        instruction: `FROM ${ref} (layer ${l.index + 1})`,
        changed: false,
        bytes: l.size,
        basis: `registry manifest: compressed size of ${l.digest.slice(0, 19)}`,
      }));
    } catch (e) {
      reasons.push(`the registry did not answer for ${ref} (${(e as Error).message.split('\n')[0]})`);
    }
  }
  if (o.engine) {
    try {
      const { EngineClient } = await import('../engine/client.js');
      const engine = new EngineClient({ timeoutMs: o.timeoutMs ?? 5000 });
      const hist = (await engine.history(ref)).filter((h) => h.Size > 0 || !/#\(nop\)/.test(h.CreatedBy));
      const raw = hist.reduce((a, h) => a + h.Size, 0);
      reasons.push(
        `the engine has ${ref} (${(raw / 1e6).toFixed(1)} MB uncompressed) but keeps layers uncompressed; the pull size needs the registry`,
      );
    } catch (e) {
      reasons.push(`the engine does not have ${ref} (${(e as Error).message.split('\n')[0]})`);
    }
  }
  if (!o.engine && !o.registry) reasons.push('base image lookup is off (no engine or registry asked)');
  return unknown(reasons.join('; '));
}
