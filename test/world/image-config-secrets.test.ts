// Secrets in a real image's config: the engine builds a Dockerfile with `ARG TOKEN` (given with
// --build-arg, so BuildKit records it on every later RUN), an ENV holding a key, a LABEL holding
// a token and a RUN that writes a private key (so its created_by holds the key). `inspect` from
// the engine, in text, JSON and HTML, reports each with where it is and prints none of them.
// The fake secrets are put together from pieces so that no scanner finds one in this file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build, docker, loadWorld, removeImages, repoRoot, sh, tempDir, uniqueTag, writeFiles } from './world.js';

const world = loadWorld();
const CLI = join(repoRoot, 'dist', 'src', 'cli', 'main.js');

const KEY_BODY = ['b3BlbnNzaC1rZXktdjEAAAAA', 'FAKEkeyMATERIALforLAYERWISEworldTEST'].join('');
const PEM_ESCAPED = [
  '-----BEGIN ',
  'OPENSSH PRIVATE KEY-----\\n',
  KEY_BODY,
  '\\n-----END ',
  'OPENSSH PRIVATE KEY-----\\n',
].join('');
const AWS_KEY = ['AK', 'IA', 'FAKEKEYFORWORLD2'].join('');
const LABEL_TOKEN = ['glp', 'at-', 'FAKEworldTOKENlabel9'].join('');
const ARG_TOKEN = ['gh', 'p_', 'FAKEworldTOKENbuildARG', '0123456789abcd'].join('');
const SECRETS = [KEY_BODY, AWS_KEY, LABEL_TOKEN, ARG_TOKEN];

type Json = any;

function assertNoSecret(out: string, what: string): void {
  for (const s of SECRETS) assert.ok(!out.includes(s), `${what} prints ${s.slice(0, 6)}...`);
}

describe('inspect: secrets in a built image config', () => {
  const ctx = tempDir();
  const tag = uniqueTag('config-secrets');
  const out: Record<string, string> = {};
  let history = '';

  before(async () => {
    writeFiles(ctx.path, {
      Dockerfile: [
        `FROM ${world.debianImage}`,
        'ARG TOKEN',
        `ENV AWS_ACCESS_KEY_ID=${AWS_KEY}`,
        `LABEL org.example.deploy-token=${LABEL_TOKEN}`,
        'RUN test -n "$TOKEN" && mkdir -p /opt/app && echo built > /opt/app/stamp',
        `RUN mkdir -p /root/.ssh && printf '%b' '${PEM_ESCAPED}' > /root/.ssh/id && chmod 600 /root/.ssh/id`,
        '',
      ].join('\n'),
    });
    await build({ context: ctx.path, tag, buildArgs: { TOKEN: ARG_TOKEN } });
    history = (await docker(['history', '--no-trunc', '--format', '{{.CreatedBy}}', tag])).stdout;
    for (const f of ['text', 'json', 'html']) {
      const r = await sh(process.execPath, [CLI, 'inspect', tag, '--format', f, '--no-cache'], {
        env: { DOCKER_HOST: world.dockerHost, NO_COLOR: '1' },
      });
      out[f] = r.stdout;
    }
  });
  after(async () => {
    ctx.cleanup();
    await removeImages(tag);
  });

  test('the engine keeps every one of them in the image config', () => {
    for (const s of [KEY_BODY, AWS_KEY, LABEL_TOKEN, ARG_TOKEN]) assert.ok(history.includes(s), s.slice(0, 6));
    assert.match(history, /\|1 TOKEN=ghp_/);
  });

  test('JSON: each finding says where it is; no secret anywhere', () => {
    assertNoSecret(out.json, 'inspect --format json');
    const j = JSON.parse(out.json);
    const entry = (re: RegExp) => j.history.findIndex((h: Json) => re.test(h.createdBy ?? ''));
    const keyRun = entry(/printf '%b' '-----BEGIN OPENSSH PRIVATE KEY-----/);
    const firstRun = entry(/^RUN \|1 TOKEN=ghp_\*+cd \/bin\/sh -c test -n/);
    assert.ok(keyRun > 0 && firstRun > 0, JSON.stringify(j.history.map((h: Json) => h.createdBy)));
    const found = j.secrets.map((s: Json) => [s.source, s.kind, s.location]);
    assert.deepEqual(found, [
      ['layer', 'private key', `file /root/.ssh/id, layer ${j.layers.length}`],
      ['env', 'AWS access key id', 'env var AWS_ACCESS_KEY_ID'],
      ['label', 'GitLab token', 'label org.example.deploy-token'],
      ['build-arg', 'GitHub token', `build arg TOKEN (history entry ${firstRun + 1})`],
      ['history', 'private key', `history entry ${keyRun + 1} (created_by)`],
    ]);
    const arg = j.secrets.find((s: Json) => s.source === 'build-arg');
    assert.deepEqual(arg.alsoIn, [`build arg TOKEN (history entry ${keyRun + 1})`]);
    assert.equal(arg.name, 'TOKEN');
    assert.match(
      j.history[keyRun].createdBy,
      /printf '%b' '-----BEGIN OPENSSH PRIVATE KEY----- \.\.\. \(key material masked\)(?:\\n)?' >/,
    );
  });

  test('text: each finding with where it is; no secret anywhere', () => {
    assertNoSecret(out.text, 'inspect (text)');
    assert.match(out.text, /^ {2}private key: \/root\/\.ssh\/id layer \d+ /m);
    assert.match(out.text, /^ {2}AWS access key id: env var AWS_ACCESS_KEY_ID \(image config\)/m);
    assert.match(out.text, /^ {2}GitLab token: label org\.example\.deploy-token \(image config\)/m);
    assert.match(out.text, /^ {2}GitHub token: build arg TOKEN \(history entry \d+\) \(image config\)/m);
    assert.match(out.text, /^ {2}private key: history entry \d+ \(created_by\) \(image config\)/m);
  });

  test('HTML: each finding with where it is; no secret anywhere in the page', () => {
    assertNoSecret(out.html, 'inspect --format html');
    const section = out.html.slice(out.html.indexOf('<section id="secrets">'));
    for (const where of [
      '/root/.ssh/id',
      'env var AWS_ACCESS_KEY_ID',
      'label org.example.deploy-token',
      'build arg TOKEN (history entry',
      '(created_by)',
    ])
      assert.ok(section.includes(where), where);
  });

  test('--fail-on secrets>0 counts them', async () => {
    const r = await sh(process.execPath, [CLI, 'inspect', tag, '--fail-on', 'secrets>0', '--no-cache'], {
      env: { DOCKER_HOST: world.dockerHost, NO_COLOR: '1' },
      check: false,
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /FAIL +secrets>0 +\(secrets = 5\)/);
    assertNoSecret(r.stdout, 'inspect --fail-on');
  });
});
