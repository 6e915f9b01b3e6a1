// Secrets in the image config (history created_by, Env, Labels, build args recorded in RUN
// lines) are found with their place and never printed: text, JSON and HTML of inspect, diff's
// formats, and nothing unmasked in the layer cache. The fake secrets are put together from
// pieces so that no scanner finds one in this file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { scanConfig } from '../../../src/image/analyze/config-secrets.js';
import { findSecrets, maskSecrets } from '../../../src/image/analyze/secrets.js';
import type { Image } from '../../../src/image/model.js';
import { buildImage, type ImageSpec, writeOciLayout } from './builder.js';

const tmp = mkdtempSync(join(tmpdir(), 'lw-cfgsecret-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const CLI = join(import.meta.dirname, '../../../src/cli/main.js');
const cacheDir = join(tmp, 'cache');
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LAYERWISE_CACHE_DIR: cacheDir, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const KEY_BODY = ['b3BlbnNzaC1rZXktdjEAAAAA', 'FAKEkeyMATERIALforLAYERWISEtestsONLY'].join('');
const PEM_LINE = (nl: string) =>
  ['-----BEGIN ', 'OPENSSH PRIVATE KEY-----', nl, KEY_BODY, nl, '-----END ', 'OPENSSH PRIVATE KEY-----'].join('');
const AWS_KEY = ['AK', 'IA', 'FAKEKEYFORTESTS1'].join('');
const LABEL_TOKEN = ['glp', 'at-', 'FAKEtokenFORtests012'].join('');
const ARG_TOKEN = ['gh', 'p_', 'FAKEtokenFORtestsONLY', '0123456789abcde'].join('');
/** Every string that must never be printed. */
const SECRETS = [KEY_BODY, AWS_KEY, LABEL_TOKEN, ARG_TOKEN];

const BASE = '/bin/sh -c #(nop) ADD file:4f2a9c0e in / ';
const spec: ImageSpec = {
  layers: [
    { createdBy: BASE, files: [{ path: 'etc/os-release', content: 'ID=debian\n' }] },
    {
      createdBy: `RUN |1 GH_TOKEN=${ARG_TOKEN} /bin/sh -c pip install --no-cache-dir app # buildkit`,
      files: [{ path: 'usr/lib/app.py', content: 'print(1)\n' }],
    },
    {
      // As BuildKit records `RUN echo '...\n...' > /root/.ssh/id`: the \n are the two characters.
      createdBy: `RUN |1 GH_TOKEN=${ARG_TOKEN} /bin/sh -c echo '${PEM_LINE('\\n')}' > /root/.ssh/id && chmod 600 /root/.ssh/id # buildkit`,
      files: [{ path: 'root/.ssh/id', content: `${PEM_LINE('\n')}\n`, mode: 0o600 }],
    },
  ],
  emptyHistoryBefore: {
    1: [`ENV AWS_ACCESS_KEY_ID=${AWS_KEY}`, `LABEL org.example.deploy-token=${LABEL_TOKEN}`, 'ARG GH_TOKEN'],
    3: ['CMD ["python3", "-m", "app"]'],
  },
  containerConfig: {
    Env: ['PATH=/usr/local/bin:/usr/bin:/bin', `AWS_ACCESS_KEY_ID=${AWS_KEY}`],
    Labels: { 'org.example.deploy-token': LABEL_TOKEN, 'org.opencontainers.image.title': 'app' },
    Cmd: ['python3', '-m', 'app'],
  },
};
const dir = join(tmp, 'secret-oci');
writeOciLayout(dir, buildImage(spec), 'v1');
const ref = `oci:${dir}:v1`;

// Only config-borne secrets: no file in any layer holds one.
const configOnlyDir = join(tmp, 'config-only-oci');
writeOciLayout(
  configOnlyDir,
  buildImage({
    layers: [{ createdBy: BASE, files: [{ path: 'etc/os-release', content: 'ID=debian\n' }] }],
    emptyHistoryBefore: { 1: [`ENV AWS_ACCESS_KEY_ID=${AWS_KEY}`] },
    containerConfig: { Env: [`AWS_ACCESS_KEY_ID=${AWS_KEY}`] },
  }),
  'v1',
);
const configOnly = `oci:${configOnlyDir}:v1`;

function assertNoSecret(out: string, what: string): void {
  for (const s of SECRETS) assert.ok(!out.includes(s), `${what} prints ${s.slice(0, 6)}...`);
}

type Json = any;

describe('secrets in the image config', () => {
  it('JSON: every place found, with where it is, values masked', () => {
    const r = cli('inspect', ref, '--format', 'json');
    assert.equal(r.code, 0, r.stderr);
    assertNoSecret(r.stdout, 'inspect --format json');
    const j = JSON.parse(r.stdout);
    assert.deepEqual(
      j.secrets.map((s: Json) => [s.source, s.kind, s.location, s.name, s.historyIndex, s.layerIndex, s.alsoIn]),
      [
        ['layer', 'private key', 'file /root/.ssh/id, layer 3', null, 5, 2, []],
        [
          'env',
          'AWS access key id',
          'env var AWS_ACCESS_KEY_ID',
          'AWS_ACCESS_KEY_ID',
          null,
          null,
          ['history entry 2 (created_by)'],
        ],
        [
          'label',
          'GitLab token',
          'label org.example.deploy-token',
          'org.example.deploy-token',
          null,
          null,
          ['history entry 3 (created_by)'],
        ],
        [
          'build-arg',
          'GitHub token',
          'build arg GH_TOKEN (history entry 5)',
          'GH_TOKEN',
          4,
          1,
          ['build arg GH_TOKEN (history entry 6)'],
        ],
        ['history', 'private key', 'history entry 6 (created_by)', null, 5, 2, []],
      ],
    );
    const byLoc = new Map(j.secrets.map((s: Json) => [s.location, s]));
    assert.equal(
      (byLoc.get('env var AWS_ACCESS_KEY_ID') as Json).masked,
      `${AWS_KEY.slice(0, 4)}${'*'.repeat(14)}${AWS_KEY.slice(-2)}`,
    );
    assert.match(
      (byLoc.get('history entry 6 (created_by)') as Json).masked,
      /^-----BEGIN OPENSSH PRIVATE KEY----- \.\.\. \(key material masked\)$/,
    );
    // The config text is still shown, with the secrets masked in place.
    assert.match(
      j.history[5].createdBy,
      /^RUN \|1 GH_TOKEN=ghp_\*+de \/bin\/sh -c echo '-----BEGIN OPENSSH PRIVATE KEY----- \.\.\. \(key material masked\)' > \/root\/\.ssh\/id && chmod 600/,
    );
    assert.equal(j.layers[2].createdBy, j.history[5].createdBy);
    assert.deepEqual(j.layers[1].emptyLayerInstructions, [
      `ENV AWS_ACCESS_KEY_ID=${maskSecrets(AWS_KEY)}`,
      `LABEL org.example.deploy-token=${maskSecrets(LABEL_TOKEN)}`,
      'ARG GH_TOKEN',
    ]);
    assert.equal(j.secrets[0].createdBy, j.history[5].createdBy);
    for (const s of j.secrets) assert.equal(s.inPackage, false);
  });

  it('docs/inspect-json.md documents every field of a finding', () => {
    const doc = readFileSync(new URL('../../../../docs/inspect-json.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## `secrets[]`'), doc.indexOf('## `--fail-on` metrics'));
    const j = JSON.parse(cli('inspect', ref, '--format', 'json').stdout);
    const keys = new Set(j.secrets.flatMap((s: Json) => Object.keys(s)));
    assert.equal(keys.size, 12);
    for (const k of keys) assert.ok(section.includes(`| \`${k}\` |`), `${k} is not in the secrets[] table`);
  });

  it('text: every finding with its place, no secret printed', () => {
    const r = cli('inspect', ref);
    assert.equal(r.code, 0, r.stderr);
    assertNoSecret(r.stdout, 'inspect (text)');
    const lines = r.stdout.split('\n');
    const sec = lines.slice(lines.indexOf('Secrets') + 1);
    assert.match(
      sec[0],
      /^ {2}private key: \/root\/\.ssh\/id layer 3 {2}-----BEGIN OPENSSH PRIVATE KEY----- \.\.\. \(key material masked\)$/,
    );
    assert.match(
      sec[1],
      /^ {2}AWS access key id: env var AWS_ACCESS_KEY_ID \(image config\), also history entry 2 \(created_by\) {2}AKIA\*{14}S1$/,
    );
    assert.match(
      sec[2],
      /^ {2}GitLab token: label org\.example\.deploy-token \(image config\), also history entry 3 \(created_by\) {2}glpa\*+12$/,
    );
    assert.match(
      sec[3],
      /^ {2}GitHub token: build arg GH_TOKEN \(history entry 5\) \(image config\), also build arg GH_TOKEN \(history entry 6\) {2}ghp_\*+de$/,
    );
    assert.match(
      sec[4],
      /^ {2}private key: history entry 6 \(created_by\) \(image config\) {2}-----BEGIN OPENSSH PRIVATE KEY-----/,
    );
  });

  it('HTML: every finding with its place, no secret anywhere in the page', () => {
    const r = cli('inspect', ref, '--format', 'html');
    assert.equal(r.code, 0, r.stderr);
    assertNoSecret(r.stdout, 'inspect --format html');
    const html = r.stdout;
    const section = html.slice(html.indexOf('<section id="secrets">'));
    for (const where of [
      'env var AWS_ACCESS_KEY_ID',
      'label org.example.deploy-token',
      'build arg GH_TOKEN (history entry 5)',
      'history entry 6 (created_by)',
      '/root/.ssh/id',
    ])
      assert.ok(section.includes(where), where);
    assert.equal((section.match(/in the image config/g) ?? []).length, 4);
    assert.match(html, /<div class="card-label">Secrets<\/div><div class="card-value">5<\/div>/);
  });

  it('--fail-on secrets>0 counts secrets that only the config holds', () => {
    const r = cli('inspect', configOnly, '--fail-on', 'secrets>0');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /FAIL +secrets>0 +\(secrets = 1\)/);
    assertNoSecret(r.stdout, 'inspect --fail-on');
  });

  it('diff: instructions shown with their secrets masked, in every format', () => {
    for (const f of ['text', 'json', 'html']) {
      const r = cli('diff', configOnly, ref, '--format', f);
      assert.equal(r.code, 0, r.stderr);
      assertNoSecret(r.stdout, `diff --format ${f}`);
      assert.match(r.stdout, /echo (?:'|&#39;)-----BEGIN OPENSSH PRIVATE KEY----- \.\.\. \(key material/, f);
      if (f === 'json') assert.match(r.stdout, /GH_TOKEN=ghp_\*+de/);
    }
  });

  it('nothing unmasked is kept in the layer cache', () => {
    cli('inspect', ref, '--format', 'json');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p);
        else files.push(p);
      }
    };
    walk(cacheDir);
    assert.ok(files.length >= 3, `cache entries: ${files.length}`);
    for (const f of files) {
      const raw = readFileSync(f);
      assertNoSecret(f.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8'), f);
    }
  });
});

describe('build args in history lines', () => {
  it('names the build arg in the forms BuildKit and the classic builder record', () => {
    const created = [
      `|2 A=1 TOKEN=${ARG_TOKEN} /bin/sh -c make`,
      `/bin/sh -c #(nop) ARG DEPLOY=${LABEL_TOKEN}`,
      `ARG AWS_ID=${AWS_KEY}`,
      `RUN |2 X=${AWS_KEY.replace('FAKE', 'EKAF')} Y=1 python -m build # buildkit`,
      `RUN |1 Z=1 /bin/sh -c curl -H "${ARG_TOKEN.replace('FAKE', 'EKAF')}" example.invalid`,
    ];
    const image = {
      config: { rootfs: { type: 'layers', diff_ids: [] } },
      history: created.map((c) => ({ created_by: c, layerIndex: null })),
    } as unknown as Image;
    assert.deepEqual(
      scanConfig(image).map((f) => [f.source, f.name, f.location]),
      [
        ['build-arg', 'TOKEN', 'build arg TOKEN (history entry 1)'],
        ['build-arg', 'DEPLOY', 'build arg DEPLOY (history entry 2)'],
        ['build-arg', 'AWS_ID', 'build arg AWS_ID (history entry 3)'],
        ['build-arg', 'X', 'build arg X (history entry 4)'],
        ['history', null, 'history entry 5 (created_by)'],
      ],
    );
  });
});

describe('maskSecrets', () => {
  it('masks a key to its END line, or to the end of the text without one', () => {
    assert.equal(
      maskSecrets(`echo '${PEM_LINE('\\n')}' > k && ls`),
      "echo '-----BEGIN OPENSSH PRIVATE KEY----- ... (key material masked)' > k && ls",
    );
    const cut = `printf '${PEM_LINE('\\n').split('-----END')[0]}' > k`;
    assert.equal(maskSecrets(cut), "printf '-----BEGIN OPENSSH PRIVATE KEY----- ... (key material masked)");
  });

  it('masks every match, not only the first; leaves variable references alone', () => {
    const t = `A=${ARG_TOKEN} B=${ARG_TOKEN.replace('FAKE', 'EKAF')}`;
    assert.equal(findSecrets(t).length, 2);
    assertNoSecret(maskSecrets(t), 'maskSecrets');
    assert.ok(!maskSecrets(t).includes('EKAF'));
    for (const ok of [
      'echo "//registry.example/:_authToken=${NPM_TOKEN}" > .npmrc',
      'pip install --index-url https://user:$PIP_PASSWORD@pypi.example/simple app',
    ])
      assert.deepEqual(findSecrets(ok), [], ok);
    assert.equal(maskSecrets('pip install -r requirements.txt'), 'pip install -r requirements.txt');
  });
});
