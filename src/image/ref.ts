/**
 * Image references on the command line:
 *   NAME[:TAG|@DIGEST]            an image in the local Docker engine
 *   engine:NAME, docker-daemon:NAME  the same, explicitly
 *   docker://NAME, registry://NAME   an image in a registry (OCI distribution API)
 *   oci:DIR[:TAG]                 an OCI image layout directory
 *   archive:FILE[@NAME]           a `docker save` archive (legacy or Docker 25+ layout)
 * An existing directory with an `oci-layout` file, or an existing `.tar` file, is also accepted
 * without a prefix.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';

export type ParsedRef =
  | { kind: 'engine'; name: string }
  | { kind: 'registry'; name: string }
  | { kind: 'oci'; dir: string; tag?: string }
  | { kind: 'archive'; file: string; select?: string };

export function parseRef(ref: string): ParsedRef {
  if (!ref) throw new UserError('empty image reference');
  const strip = (...prefixes: string[]): string | null => {
    for (const p of prefixes) if (ref.startsWith(p)) return ref.slice(p.length);
    return null;
  };
  const reg = strip('docker://', 'registry://');
  if (reg !== null) {
    if (!reg) throw new UserError(`${ref}: missing image name`);
    return { kind: 'registry', name: reg };
  }
  const eng = strip('engine:', 'docker-daemon:');
  if (eng !== null) {
    if (!eng) throw new UserError(`${ref}: missing image name`);
    return { kind: 'engine', name: eng };
  }
  const oci = strip('oci:');
  if (oci !== null) {
    if (!oci) throw new UserError(`${ref}: missing directory`);
    if (existsSync(oci)) return { kind: 'oci', dir: oci };
    const i = oci.lastIndexOf(':');
    if (i > 0 && !oci.slice(i + 1).includes('/'))
      return { kind: 'oci', dir: oci.slice(0, i), tag: oci.slice(i + 1) || undefined };
    return { kind: 'oci', dir: oci };
  }
  const arc = strip('archive:', 'docker-archive:');
  if (arc !== null) {
    if (!arc) throw new UserError(`${ref}: missing file`);
    if (existsSync(arc)) return { kind: 'archive', file: arc };
    const i = arc.lastIndexOf('@');
    if (i > 0) return { kind: 'archive', file: arc.slice(0, i), select: arc.slice(i + 1) };
    return { kind: 'archive', file: arc };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref))
    throw new UserError(`${ref}: unknown transport (use docker://, registry://, oci:, archive:)`);
  // Bare paths to something that exists.
  try {
    const st = statSync(ref);
    if (st.isDirectory() && existsSync(join(ref, 'oci-layout'))) return { kind: 'oci', dir: ref };
    if (st.isFile()) return { kind: 'archive', file: ref };
  } catch {
    /* not a path */
  }
  return { kind: 'engine', name: ref };
}

export interface RegistryRef {
  /** Registry host[:port]. */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/**
 * Parses a distribution reference: HOST[:PORT]/PATH[:TAG][@DIGEST]. No registry host is built
 * in: a name without one uses LAYERWISE_DEFAULT_REGISTRY (e.g. Docker Hub's API host), and
 * `library/` is added for one-component names there, as the Docker CLI does.
 */
export function parseRegistryRef(name: string, env: NodeJS.ProcessEnv = process.env): RegistryRef {
  let rest = name;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(digest)) throw new UserError(`${name}: invalid digest`);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new UserError(`${name}: invalid tag`);
  }
  const first = rest.split('/')[0];
  let registry: string;
  let repository: string;
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    repository = rest.slice(first.length + 1);
  } else {
    const def = env.LAYERWISE_DEFAULT_REGISTRY;
    if (!def)
      throw new UserError(
        `${name}: no registry host in the name; write HOST[:PORT]/${rest} or set LAYERWISE_DEFAULT_REGISTRY`,
      );
    registry = def;
    repository = rest.includes('/') ? rest : `library/${rest}`;
  }
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository))
    throw new UserError(`${name}: invalid repository name ${JSON.stringify(repository)}`);
  if (!tag && !digest) tag = 'latest';
  return { registry, repository, tag, digest };
}
