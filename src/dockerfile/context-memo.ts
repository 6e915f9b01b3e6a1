import type { BuildContext } from './context.js';

const memo = new WeakMap<BuildContext, Map<string, unknown>>();

/**
 * Computes `fn` once per build context and key. Dockerfiles of one directory share a context,
 * so work over its file list (classifying files, finding secrets) is done once, not per file.
 */
export function perContext<T>(context: BuildContext, key: string, fn: () => T): T {
  let m = memo.get(context);
  if (!m) {
    m = new Map();
    memo.set(context, m);
  }
  if (!m.has(key)) m.set(key, fn());
  return m.get(key) as T;
}
