/** init's summary lines for the layer split, the paths the context leaves out, bundled libraries and dev dependencies. */
import { ASSET_KINDS, type AssetDir, type IgnoredPath } from './assets.js';
import type { Detection, SystemPackages } from './types.js';

function size(bytes: number): string {
  if (bytes >= 1048576) return `${(bytes / 1048576).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

/** One 'layers' detection per asset kind (its own layer before the code), in layer order. */
export function assetDetections(assets: AssetDir[]): Detection[] {
  const out: Detection[] = [];
  for (const kind of ASSET_KINDS) {
    const dirs = assets.filter((a) => a.kind === kind);
    if (!dirs.length) continue;
    out.push({
      topic: 'layers',
      value: `${kind} layer: ${dirs.map((d) => `${d.path}/`).join(', ')}`,
      evidence: dirs.map((d) => d.evidence).join('; '),
      confidence: 'medium',
    });
  }
  return out;
}

/** How many ignored paths the summary names one by one; the rest share one line (.dockerignore lists all). */
export const IGNORED_SHOWN = 8;

/** One 'ignored' detection per path .dockerignore leaves out because git ignores it (or by extension/size). */
export function ignoredDetections(ignored: IgnoredPath[], git: boolean): Detection[] {
  const confidence = git ? 'high' : 'low';
  const out: Detection[] = ignored.slice(0, IGNORED_SHOWN).map((i) => ({
    topic: 'ignored',
    value: `${i.path} (${size(i.bytes)})`,
    evidence: i.evidence,
    confidence,
  }));
  const rest = ignored.slice(IGNORED_SHOWN);
  if (rest.length)
    out.push({
      topic: 'ignored',
      value: `${rest.length} more (${size(rest.reduce((n, i) => n + i.bytes, 0))})`,
      evidence: git ? 'git ignores them; .dockerignore lists each' : 'by extension and size; .dockerignore lists each',
      confidence,
    });
  return out;
}

/** A 'system packages' detection for each known dependency that needs none (a wheel or companion bundles it). */
export function bundledDetections(sp: SystemPackages): Detection[] {
  return (sp.bundled ?? []).map((line) => ({
    topic: 'system packages',
    value: `none for ${line.split(':')[0]}`,
    evidence: line.slice(line.indexOf(':') + 2),
    confidence: 'medium',
  }));
}

/** What the dev target installs besides the locked dependencies. */
export function devDetections(p: {
  devRequirements?: string[];
  devGroups: string[];
  devExtras?: string[];
}): Detection[] {
  const parts = [
    ...(p.devRequirements ?? []),
    ...p.devGroups.map((g) => `group ${g}`),
    ...(p.devExtras ?? []).map((e) => `extra ${e}`),
  ];
  if (!parts.length) return [];
  const evidence = [
    ...(p.devRequirements ?? []),
    ...(p.devGroups.length || p.devExtras?.length ? ['pyproject.toml'] : []),
  ];
  return [{ topic: 'dev dependencies', value: parts.join(', '), evidence: evidence.join(', '), confidence: 'high' }];
}
