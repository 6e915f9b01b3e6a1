/**
 * Image-level analysis: stacks the per-layer results (overlay semantics, whiteouts, opaque
 * directories) and derives wasted bytes, efficiency (ours and dive's), largest files, size by
 * directory, the Python breakdown, caches left behind and secrets.
 */
import type { Image } from '../model.js';
import { combine } from './combine.js';
import type { FsTree } from './fstree.js';
import type { LayerAnalysis } from './layer.js';
import { analyzeLayers, type AnalyzeImageOptions } from './schedule.js';
import type { SecretFinding } from './secrets.js';

export { combine } from './combine.js';
export { cacheKind, isLogOrState } from './leftovers.js';
export { analyzeLayers, type AnalyzeImageOptions } from './schedule.js';

export interface LayerReport {
  index: number;
  digest: string;
  diffId: string;
  chainId: string;
  mediaType: string;
  compression: string;
  size: number;
  uncompressedSize: number;
  createdBy: string | null;
  created: string | null;
  comment: string | null;
  /** Instructions without a layer (ENV, CMD, ...) just before this layer. */
  emptyLayerInstructions: string[];
  entries: number;
  contentBytes: number;
  files: { added: number; modified: number; removed: number };
  bytes: { added: number; modified: number; removed: number };
  /** Bytes of this layer's files that later layers overwrite or delete. */
  hiddenByLaterBytes: number;
  /** Bytes of lower layers' files this layer overwrites or deletes. */
  hidesBytes: number;
  largestFiles: Array<{ path: string; size: number }>;
}

export interface WastedPath {
  path: string;
  /** Bytes of superseded or deleted copies (the kept copy not counted). */
  bytes: number;
  copies: number;
  /** Deleted in the final image (every copy is waste). */
  deleted: boolean;
  layers: number[];
}

export interface CacheFinding {
  kind: string;
  bytes: number;
  files: number;
  layers: number[];
  paths: string[];
  fix: string;
}

export interface DistReport {
  name: string;
  version: string;
  sitePackages: string;
  bytes: number;
  files: number;
  pycacheBytes: number;
  testsBytes: number;
  layers: number[];
}

/** Where a secret was found: a file in a layer, or a part of the image config. */
export type SecretSource = 'layer' | 'env' | 'label' | 'history' | 'build-arg' | 'cmd' | 'entrypoint';

export interface SecretReport extends Omit<SecretFinding, 'layerIndex'> {
  /** The layer holding it; null for config findings no layer holds (ENV, LABEL, ARG, Cmd). */
  layerIndex: number | null;
  /** The history entry of that layer or config finding, secrets masked. */
  createdBy: string | null;
  /** Still visible in the final file system (false: deleted later but still inside a layer); true for the config. */
  inFinalImage: boolean;
  source: SecretSource;
  /** For people: `file /PATH, layer N`, `env var NAME`, `label KEY`, `history entry N (created_by)`, `build arg NAME (history entry N)`, `Cmd`, `Entrypoint` (counted from 1). */
  location: string;
  /** The env var, label or build arg's name, else null. */
  name: string | null;
  /** Index into the image history (0-based), for findings in a history entry. */
  historyIndex: number | null;
  /** Other places in the config holding the same secret (a build arg repeats on every later RUN). */
  alsoIn: string[];
}

export interface ImageAnalysis {
  layers: LayerReport[];
  layerResults: LayerAnalysis[];
  size: number;
  uncompressedSize: number;
  contentBytes: number;
  finalBytes: number;
  finalFiles: number;
  wastedBytes: number;
  efficiency: number;
  dive: { wastedBytes: number; efficiency: number; userWastedPercent: number };
  wasted: WastedPath[];
  largestFiles: Array<{ path: string; size: number; layerIndex: number }>;
  directories: Array<{ path: string; bytes: number; files: number }>;
  python: {
    sitePackages: Array<{ path: string; bytes: number; files: number }>;
    distributions: DistReport[];
    pycacheBytes: number;
    pycacheFiles: number;
    testsBytes: number;
    testsFiles: number;
  };
  caches: CacheFinding[];
  secrets: SecretReport[];
  /** Final file system, for diff. */
  tree: FsTree;
}
export async function analyzeImage(image: Image, opts: AnalyzeImageOptions = {}): Promise<ImageAnalysis> {
  const results = await analyzeLayers(image, opts);
  return combine(image, results, opts.top ?? 20);
}
