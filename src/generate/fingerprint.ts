/**
 * The tag of the dependency base image (--split-base): a fingerprint of the Python version,
 * Dockerfile.base and the dependency files, computed the same way by the CI workflow in shell:
 *   ( echo "python-3.11"; cat Dockerfile.base pyproject.toml uv.lock ) | sha256sum | cut -c1-16
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function fingerprint(
  pythonVersion: string,
  baseDockerfile: string | Buffer,
  depFileContents: (string | Buffer)[],
): string {
  const h = createHash('sha256');
  h.update(`python-${pythonVersion}\n`);
  h.update(baseDockerfile);
  for (const c of depFileContents) h.update(c);
  return h.digest('hex').slice(0, 16);
}

/** Fingerprint of a project directory as it is on disk (Dockerfile.base there, or the given text). */
export function fingerprintDir(
  dir: string,
  pythonVersion: string,
  depFiles: string[],
  baseDockerfile?: string,
): string {
  const base = baseDockerfile ?? readFileSync(join(dir, 'Dockerfile.base'));
  return fingerprint(
    pythonVersion,
    base,
    depFiles.map((f) => readFileSync(join(dir, f))),
  );
}

/** The shell line the workflow runs (and a user can run) to get the same fingerprint. */
export function fingerprintShell(pythonVersion: string, depFiles: string[]): string {
  return `( echo "python-${pythonVersion}"; cat Dockerfile.base ${depFiles.join(' ')} ) | sha256sum | cut -c1-16`;
}
