// gatherFingerprint against the real engine and registry: the FROM image's config digest comes
// from the engine when it holds the image, from the registry when only the registry has it (the
// same digest for the same image), and an image in neither is a one-line error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadShell } from '../../src/dockerfile/shell-load.js';
import { UserError } from '../../src/errors.js';
import { readShipLayout } from '../../src/ship/dockerfiles.js';
import { gatherFingerprint } from '../../src/ship/fingerprint.js';
import { docker, fixturesDir, loadWorld, removeImages, repoRoot, tempDir } from './world.js';

await loadShell();
const world = loadWorld();
const BIN = join(repoRoot, 'dist', 'bundle', 'main.js');

describe('ship fingerprint: FROM digests from the engine and the registry', () => {
  const tmp = tempDir('layerwise-ship-fp-');
  const project = join(tmp.path, 'fastapi-uv');
  const repo = `${world.registry}/layerwise-test/fp-${process.pid}`;
  const pushed = `${repo}:py`;
  let engineId = '';

  before(async () => {
    cpSync(join(fixturesDir, 'fastapi-uv'), project, { recursive: true });
    execFileSync(process.execPath, [BIN, 'init', '--split-base'], { cwd: project, stdio: 'pipe' });
    engineId = (await docker(['image', 'inspect', '-f', '{{.Id}}', world.pythonImage])).stdout.trim();
  });

  after(async () => {
    await removeImages(pushed);
    // Delete the pushed manifest so the registry is as it was.
    const accept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';
    const head = await fetch(`http://${world.registry}/v2/${repo.split('/').slice(1).join('/')}/manifests/py`, {
      method: 'HEAD',
      headers: { Accept: accept },
    });
    const digest = head.headers.get('docker-content-digest');
    if (digest)
      await fetch(`http://${world.registry}/v2/${repo.split('/').slice(1).join('/')}/manifests/${digest}`, {
        method: 'DELETE',
      });
    tmp.cleanup();
  });

  test('the engine: its image ID for the FROM image; the platform is the engine`s', async () => {
    const { input, fingerprint } = await gatherFingerprint(readShipLayout(project), { host: world.dockerHost });
    assert.deepEqual(input.from, { [world.pythonImage]: engineId });
    const version = JSON.parse((await docker(['version', '--format', '{{json .Server}}'])).stdout) as {
      Os: string;
      Arch: string;
    };
    assert.equal(input.platform, `${version.Os}/${version.Arch}`);
    assert.match(fingerprint.tag, /^[0-9a-f]{24}$/);
    const again = await gatherFingerprint(readShipLayout(project), { host: world.dockerHost });
    assert.equal(again.fingerprint.sha256, fingerprint.sha256);
  });

  test('only in the registry: the same config digest, read from the registry', async () => {
    await docker(['tag', world.pythonImage, pushed]);
    await docker(['push', pushed], { timeoutMs: 300_000 });
    await removeImages(pushed);
    const base = join(project, 'Dockerfile.base');
    const text = readFileSync(base, 'utf8');
    writeFileSync(base, text.replaceAll('FROM python:${PYTHON_VERSION}-slim', `FROM ${pushed}`));
    try {
      const { input } = await gatherFingerprint(readShipLayout(project), {
        host: world.dockerHost,
        platform: 'linux/amd64',
      });
      assert.deepEqual(input.from, { [pushed]: engineId });
    } finally {
      writeFileSync(base, text);
    }
  });

  test('in neither: one line saying so', async () => {
    const base = join(project, 'Dockerfile.base');
    const text = readFileSync(base, 'utf8');
    writeFileSync(base, text.replace('FROM python:${PYTHON_VERSION}-slim AS deps', `FROM ${repo}:missing AS deps`));
    try {
      await assert.rejects(
        gatherFingerprint(readShipLayout(project), { host: world.dockerHost, platform: 'linux/amd64' }),
        (e) =>
          e instanceof UserError &&
          !e.message.includes('\n') &&
          e.message.startsWith(`${repo}:missing: not in the Docker engine`),
      );
    } finally {
      writeFileSync(base, text);
    }
  });
});
