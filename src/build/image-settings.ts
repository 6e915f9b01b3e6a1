/**
 * What build sets beside the layers: the environment the app runs with, the default base image,
 * and the base annotations of the manifest.
 */
import { EngineClient } from '../engine/client.js';
import type { Image } from '../image/model.js';
import { readsPort } from '../project/start-evidence.js';
import type { PythonProject } from '../project/types.js';

/**
 * The environment the app runs with, as init's Dockerfile sets it: unbuffered logs, no .pyc writes
 * (the code is root's, read-only to the app), a writable HOME (the app's uid has no passwd entry),
 * the src directory on the path for an app that is not a package, the detected settings, and PORT
 * for servers and commands that read it.
 */
export function runtimeEnv(p: PythonProject, appDir: string): Record<string, string> {
  const env: Record<string, string> = { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', HOME: '/tmp' };
  if (!p.isPackage && p.layout === 'src') env.PYTHONPATH = `/${appDir}/src`;
  Object.assign(env, p.app.env);
  if (p.app.port && (p.app.kind === 'wsgi' || p.app.kind === 'django' || readsPort(p.app.command)))
    env.PORT = String(p.app.port);
  return env;
}

/**
 * The default base: python:<version>-slim from the engine when it holds it (no pull, the image the
 * team builds with), else from its registry (docker://), which needs no daemon at all.
 */
export async function defaultBase(version: string, host: string | undefined): Promise<string> {
  const name = `python:${version}-slim`;
  try {
    await new EngineClient({ host, timeoutMs: 3000 }).inspectImage(name);
    return name;
  } catch {
    return `docker://${name}`;
  }
}

/**
 * OCI's base annotations: the base's reference (a registry or engine name, without a transport
 * prefix; none for a layout or an archive, which are not references) and its manifest digest.
 */
export function baseAnnotations(baseRef: string, base: Image): Record<string, string> {
  if (/^(oci|archive|docker-archive):/.test(baseRef)) return {};
  const name = baseRef.replace(/^(docker|registry|engine|docker-daemon):(\/\/)?/, '');
  return {
    'org.opencontainers.image.base.name': name,
    ...(base.manifestDigest ? { 'org.opencontainers.image.base.digest': base.manifestDigest } : {}),
  };
}
