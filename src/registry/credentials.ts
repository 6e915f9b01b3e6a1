/**
 * Registry credentials from the Docker CLI's config (`$DOCKER_CONFIG/config.json` or
 * `~/.docker/config.json`): `auths` entries (base64 `auth`, or username/password, or an
 * identity token) and credential helpers (`credHelpers`, `credsStore`) run as
 * `docker-credential-NAME get`.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  username?: string;
  password?: string;
  /** OAuth2 refresh token (docker login with an identity token). */
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** "https://host:port/v1/" -> "host:port". */
export function normalizeHost(key: string): string {
  return key
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

export async function readDockerConfig(path = configPath()): Promise<DockerConfig> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as DockerConfig;
  } catch {
    return {};
  }
}

function runHelper(helper: string, host: string, timeoutMs = 10_000): Promise<Credentials | undefined> {
  return new Promise((resolve) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: timeoutMs }, (err, stdout) => {
      if (err) return resolve(undefined);
      try {
        const o = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!o.Secret) return resolve(undefined);
        if (o.Username === '<token>') resolve({ identityToken: o.Secret });
        else resolve({ username: o.Username, password: o.Secret });
      } catch {
        resolve(undefined);
      }
    });
    child.stdin?.end(host);
  });
}

/** Credentials for a registry host, or undefined (anonymous). */
export async function credentialsFor(host: string, cfg?: DockerConfig): Promise<Credentials | undefined> {
  const config = cfg ?? (await readDockerConfig());
  const want = normalizeHost(host);
  const helper = Object.entries(config.credHelpers ?? {}).find(([k]) => normalizeHost(k) === want)?.[1];
  if (helper) {
    const c = await runHelper(helper, host);
    if (c) return c;
  }
  for (const [k, v] of Object.entries(config.auths ?? {})) {
    if (normalizeHost(k) !== want) continue;
    if (v.identitytoken) return { identityToken: v.identitytoken };
    if (v.auth) {
      const dec = Buffer.from(v.auth, 'base64').toString('utf8');
      const i = dec.indexOf(':');
      if (i > 0) return { username: dec.slice(0, i), password: dec.slice(i + 1) };
    }
    if (v.username && v.password) return { username: v.username, password: v.password };
  }
  if (config.credsStore) return runHelper(config.credsStore, host);
  return undefined;
}
