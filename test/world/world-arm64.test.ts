// The world's arm64 pieces, which `layerwise build --platform linux/arm64` is proven with on this
// x86 machine (nothing arm64 ever runs here): the index serves x86_64 and aarch64 wheels of the
// packages in scripts/world/wheelhouse-aarch64.txt, the arm-app fixture's uv.lock lists both,
// and the arm64 Python base (an OCI layout made by scripts/world/arm64-base) holds an aarch64
// python3.11 and glibc.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'smol-toml';
import { fixturesDir, loadWorld, repoRoot, sh, tempDir } from './world.js';

const world = loadWorld();
const INDEX_HOST = '127.0.0.1:3141';
/** ELF e_machine values (elf.h). */
const EM_X86_64 = 62;
const EM_AARCH64 = 183;

/** name -> version pinned in scripts/world/wheelhouse-aarch64.txt. */
function aarch64Pins(): Map<string, string> {
  const text = readFileSync(join(repoRoot, 'scripts', 'world', 'wheelhouse-aarch64.txt'), 'utf8');
  const pins = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_.-]+)==(\S+)$/.exec(line.trim());
    if (m) pins.set(normalize(m[1]), m[2]);
  }
  return pins;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The e_machine of an ELF file's header, or null when the bytes are not ELF. */
function elfMachine(bytes: Buffer): number | null {
  if (bytes.length < 20 || bytes.readUInt32BE(0) !== 0x7f454c46) return null;
  // EI_DATA (byte 5): 1 little-endian, 2 big-endian.
  return bytes[5] === 1 ? bytes.readUInt16LE(18) : bytes.readUInt16BE(18);
}

/** Wheel links of a project page of the world index: file name -> sha256 from the fragment. */
async function indexFiles(project: string): Promise<Map<string, string>> {
  const res = await fetch(`${world.indexUrl}${project}/`);
  assert.equal(res.status, 200, `index page of ${project}`);
  const files = new Map<string, string>();
  for (const m of (await res.text()).matchAll(/href="[^"]*\/files\/([^"#]+)#sha256=([0-9a-f]{64})"/g)) {
    files.set(decodeURIComponent(m[1]), m[2]);
  }
  return files;
}

/** e_machine of every shared object inside a wheel (read with the host's python3: zipfile). */
async function wheelMachines(path: string): Promise<Map<string, number | null>> {
  const script = [
    'import sys, zipfile',
    'with zipfile.ZipFile(sys.argv[1]) as z:',
    '    for n in z.namelist():',
    "        if n.endswith('.so'):",
    '            print(n, z.read(n)[:20].hex())',
  ].join('\n');
  const out = (await sh('python3', ['-c', script, path])).stdout;
  const machines = new Map<string, number | null>();
  for (const line of out.trim().split('\n').filter(Boolean)) {
    const [name, hex] = line.split(' ');
    machines.set(name, elfMachine(Buffer.from(hex, 'hex')));
  }
  return machines;
}

describe('world arm64: aarch64 wheels in the index', () => {
  const pins = aarch64Pins();

  test('wheelhouse-aarch64.txt pins packages', () => {
    assert.ok(pins.size >= 1, 'no name==version line');
  });

  for (const [name, version] of pins) {
    test(`${name} ${version}: x86_64 and aarch64 wheels, served with their hashes, compiled for their arch`, async () => {
      const files = await indexFiles(name);
      const prefix = `${name.replace(/-/g, '_')}-${version}-cp311-`;
      const ofVersion = [...files.keys()].filter((f) => f.toLowerCase().startsWith(prefix));
      const arm = ofVersion.filter((f) => f.includes('aarch64'));
      const x86 = ofVersion.filter((f) => f.includes('x86_64'));
      assert.equal(arm.length, 1, `one aarch64 wheel of ${name} ${version}, got ${arm.join(', ')}`);
      assert.ok(x86.length >= 1, `an x86_64 wheel of ${name} ${version}: ${[...files.keys()].join(', ')}`);

      const dir = tempDir('layerwise-arm64-');
      try {
        for (const [file, want] of [
          [arm[0], EM_AARCH64],
          [x86[0], EM_X86_64],
        ] as const) {
          const res = await fetch(`http://${world.indexHost}/files/${encodeURIComponent(file)}`);
          assert.equal(res.status, 200, file);
          const bytes = Buffer.from(await res.arrayBuffer());
          assert.equal(createHash('sha256').update(bytes).digest('hex'), files.get(file), `${file}: hash of the link`);
          const path = join(dir.path, file);
          writeFileSync(path, bytes);
          const machines = await wheelMachines(path);
          assert.ok(machines.size >= 1, `${file} holds no shared object`);
          for (const [so, machine] of machines) assert.equal(machine, want, `${file}: ${so}`);
        }
      } finally {
        dir.cleanup();
      }
    });
  }
});

describe('world arm64: the arm-app fixture lock', () => {
  interface LockWheel {
    url: string;
    hash: string;
  }
  interface LockPackage {
    name: string;
    version: string;
    wheels?: LockWheel[];
  }
  const lock = parse(readFileSync(join(fixturesDir, 'arm-app', 'uv.lock'), 'utf8')) as unknown as {
    package: LockPackage[];
  };

  test('every compiled dependency lists its x86_64 and aarch64 wheels, with the index hashes', async () => {
    const pins = aarch64Pins();
    let compiled = 0;
    for (const pkg of lock.package) {
      const wheels = pkg.wheels ?? [];
      for (const w of wheels) assert.equal(new URL(w.url).host, INDEX_HOST, w.url);
      if (wheels.every((w) => w.url.endsWith('-none-any.whl'))) continue;
      compiled++;
      assert.equal(pins.get(pkg.name), pkg.version, `${pkg.name} ${pkg.version} is in wheelhouse-aarch64.txt`);
      const files = await indexFiles(pkg.name);
      const cp311 = wheels.filter((w) => w.url.includes('-cp311-'));
      for (const arch of ['aarch64', 'x86_64']) {
        const w = cp311.find((x) => x.url.includes(`_${arch}`));
        assert.ok(w, `${pkg.name}: no ${arch} cp311 wheel in uv.lock`);
        const file = decodeURIComponent(w.url.slice(w.url.lastIndexOf('/') + 1));
        assert.equal(w.hash, `sha256:${files.get(file)}`, `${file}: lock hash = index hash`);
      }
    }
    assert.ok(compiled >= 2, `compiled packages in the lock: ${compiled}`);
    const names = lock.package.map((p) => p.name);
    for (const name of ['pydantic', 'pydantic-core', 'markupsafe', 'annotated-types', 'typing-extensions']) {
      assert.ok(names.includes(name), `${name} in uv.lock`);
    }
  });
});

describe(
  'world arm64: the arm64 Python base',
  { skip: world.arm64Base ? false : 'no WORLD_ARM64_BASE in the env file' },
  () => {
    const ref = world.arm64Base ?? '';
    // oci:DIR:TAG
    const m = /^oci:(.+):([^:/]+)$/.exec(ref);

    test('the reference is an OCI layout with a tag', () => {
      assert.ok(m, `WORLD_ARM64_BASE=${ref} is not oci:DIR:TAG`);
    });

    test('skopeo and umoci see linux/arm64, one layer, PATH set', async () => {
      const info = JSON.parse((await sh(world.skopeo, ['inspect', ref])).stdout) as {
        Architecture: string;
        Os: string;
        Layers: string[];
        Env: string[];
      };
      assert.equal(info.Architecture, 'arm64');
      assert.equal(info.Os, 'linux');
      assert.equal(info.Layers.length, 1);
      assert.ok(
        info.Env.some((e) => e.startsWith('PATH=') && e.includes('/usr/bin')),
        info.Env.join(' '),
      );
      const stat = JSON.parse((await sh(world.umoci, ['stat', '--json', '--image', `${m![1]}:${m![2]}`])).stdout) as {
        history: unknown[];
      };
      assert.equal(stat.history.length, 1);
    });

    test('its layer holds an aarch64 python3.11 and glibc, behind the merged-/usr links', async () => {
      const dir = m![1];
      const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as {
        manifests: { digest: string; platform?: { architecture: string } }[];
      };
      assert.equal(index.manifests[0].platform?.architecture, 'arm64');
      const blob = (d: string) => join(dir, 'blobs', ...d.split(':'));
      const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8')) as {
        layers: { digest: string }[];
      };
      const layer = blob(manifest.layers[0].digest);
      const out = tempDir('layerwise-arm64-base-');
      try {
        const wanted = ['usr/bin/python3.11', 'usr/lib/aarch64-linux-gnu/libc.so.6', 'usr/lib/python3.11/os.py'];
        await sh('tar', ['-xzf', layer, '-C', out.path, ...wanted]);
        for (const f of wanted.slice(0, 2)) {
          const bytes = readFileSync(join(out.path, f));
          assert.equal(elfMachine(bytes), EM_AARCH64, `${f} is an aarch64 ELF`);
          const kind = (await sh('file', ['-b', join(out.path, f)])).stdout;
          assert.match(kind, /ARM aarch64/, `${f}: ${kind}`);
        }
        // What build reads the glibc version from (Debian bookworm: 2.36).
        assert.match(readFileSync(join(out.path, wanted[1])).toString('latin1'), /release version 2\.\d+/);
        const listing = (await sh('tar', ['-tvzf', layer])).stdout.split('\n');
        for (const link of ['bin -> usr/bin', 'lib -> usr/lib', 'usr/bin/python3 -> python3.11']) {
          assert.ok(
            listing.some((l) => l.endsWith(` ${link}`)),
            `no symlink ${link}`,
          );
        }
        assert.ok(!listing.some((l) => /^[cbp]/.test(l)), 'no device nodes or fifos in the layer');
      } finally {
        out.cleanup();
      }
    });
  },
);
