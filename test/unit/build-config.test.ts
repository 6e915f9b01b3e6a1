// [tool.layerwise.build]: read and checked; lint's reading of [tool.layerwise] accepts the table.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readBuildConfig } from '../../src/build/config.js';
import { readConfigFile } from '../../src/config/config.js';

function withPyproject(text: string, fn: (dir: string) => void | Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'lw-build-config-'));
  writeFileSync(join(dir, 'pyproject.toml'), text);
  return Promise.resolve(fn(dir)).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const TABLE = `[project]
name = "app"
version = "1.0"

[tool.layerwise]
ignore = ["LW1001"]

[tool.layerwise.build]
base = "docker://registry.example/python:3.11-slim"
cmd = "gunicorn app:app --bind 0.0.0.0:8000"
entrypoint = ["tini", "--"]
ports = ["8000"]
max-layers = 80

[tool.layerwise.build.env]
APP_ENV = "production"
`;

describe('[tool.layerwise.build]', () => {
  it('is read: words or lists, tables of strings, the layer budget', () =>
    withPyproject(TABLE, (dir) => {
      assert.deepEqual(readBuildConfig(dir), {
        base: 'docker://registry.example/python:3.11-slim',
        cmd: ['gunicorn', 'app:app', '--bind', '0.0.0.0:8000'],
        entrypoint: ['tini', '--'],
        user: undefined,
        workdir: undefined,
        ports: ['8000'],
        maxLayers: 80,
        env: { APP_ENV: 'production' },
        labels: undefined,
      });
    }));
  it('a project without the table: nothing', () =>
    withPyproject('[project]\nname = "x"\n', (dir) => assert.deepEqual(readBuildConfig(dir), {})));
  it('an unknown key or a bad value: one line naming the file, the table and the key', async () => {
    await withPyproject('[tool.layerwise.build]\nimage = "x"\n', (dir) =>
      assert.throws(() => readBuildConfig(dir), /\[tool\.layerwise\.build\]: unknown key 'image' \(expected base, cmd/),
    );
    await withPyproject('[tool.layerwise.build]\nmax-layers = 500\n', (dir) =>
      assert.throws(() => readBuildConfig(dir), /max-layers: expected a whole number from 2 to 127/),
    );
    await withPyproject('[tool.layerwise.build]\ncmd = [1]\n', (dir) =>
      assert.throws(() => readBuildConfig(dir), /cmd: must be a list of strings/),
    );
  });
  it("lint's configuration accepts the table beside its own settings", () =>
    withPyproject(TABLE, async (dir) => {
      const cfg = await readConfigFile(join(dir, 'pyproject.toml'));
      assert.deepEqual(cfg?.ignore, ['LW1001']);
    }));
});
