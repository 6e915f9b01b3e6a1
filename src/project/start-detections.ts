/** The start command's detections (server, health route) and the files a server is looked up in. */
import { join } from 'node:path';
import { isFile } from './files.js';
import type { AppInfo, Detection } from './types.js';

/**
 * The production manifests and lock, relative: what the image installs from (dev and test
 * requirement files left out), plus requirements.in beside a compiled requirements.txt, where
 * extras such as `fastapi[standard]` are still written (pip-compile --strip-extras drops them).
 */
export function productionFiles(
  root: string,
  depFiles: string[],
  lockFile: string | undefined,
  member?: string,
): string[] {
  const out = [...(lockFile ? [lockFile] : []), ...depFiles];
  if (isFile(join(root, 'pyproject.toml'))) out.push('pyproject.toml');
  if (member) out.push(`${member}/pyproject.toml`);
  if (out.includes('requirements.txt') && isFile(join(root, 'requirements.in'))) out.push('requirements.in');
  return [...new Set(out)].filter((f) => !/(^|\/)requirements[-_./]?(dev|test|tests|lint|docs)\b/i.test(f));
}

/** Detections for the server the command runs and the health route (the start command itself is a base one). */
export function startDetections(app: AppInfo): Detection[] {
  const out: Detection[] = [];
  if (app.server)
    out.push({
      topic: 'server',
      value: app.installServer ? `${app.server} (added: ${app.installServer})` : app.server,
      evidence: app.serverEvidence ?? 'not installed',
      confidence: app.serverEvidence ? 'high' : 'low',
      flag: '--server',
    });
  if (app.port !== undefined)
    out.push(
      app.healthPath
        ? {
            topic: 'health route',
            value: app.healthPath,
            evidence: app.healthEvidence ?? 'the code',
            confidence: app.healthEvidence ? 'medium' : 'low',
            flag: '--healthcheck',
          }
        : {
            topic: 'health route',
            value: 'none',
            evidence: app.healthNote ?? 'none found',
            confidence: 'medium',
            flag: '--healthcheck',
          },
    );
  return out;
}
