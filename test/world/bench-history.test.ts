// bench's run facts from the world's engine: its version and image store as the docker CLI
// reports them, and the builder's version.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { benchEnvironment } from '../../src/bench/history.js';
import { repoRoot, docker, loadWorld } from './world.js';

const world = loadWorld();

describe('benchEnvironment on the world engine', () => {
  test("records the engine's version and store, the built-in BuildKit's version and this checkout's commit", async () => {
    const env = await benchEnvironment(repoRoot, {
      client: 'buildkit',
      builder: 'default',
      host: world.dockerHost,
      docker: world.docker,
    });
    const version = (await docker(['version', '--format', '{{.Server.Version}}'])).stdout.trim();
    const driver = (await docker(['info', '--format', '{{json .DriverStatus}}'])).stdout;
    assert.equal(env.engine.version, version);
    assert.equal(env.engine.version, world.engineVersion);
    assert.equal(env.engine.host, world.dockerHost);
    assert.equal(env.engine.storage, driver.includes('io.containerd.snapshotter') ? 'containerd' : 'classic');
    assert.deepEqual(env.builder, { client: 'buildkit', name: 'default', version });
    assert.match(env.commit ?? '', /^[0-9a-f]{40}$/);
  });
});
