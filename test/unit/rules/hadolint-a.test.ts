// Edge cases of the hadolint-intent rules LWx1nn (DL3001-DL3029): tricky but correct input must
// stay quiet, findings point at the right line, fixes are exact and idempotent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LintTextOptions, lintText } from '../../../src/lint.js';
import type { Finding } from '../../../src/rules/types.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

function lint(text: string, id: string, options: LintTextOptions = {}): Finding[] {
  const res = lintText(text, 'Dockerfile', {
    example: { dockerignore: '.git\n' },
    enableAll: true,
    ...options,
  });
  assert.deepEqual(res.failures, []);
  return res.findings.filter((f) => f.rule === id);
}

function lines(text: string, id: string, options: LintTextOptions = {}): number[] {
  return lint(text, id, options).map((f) => f.line);
}

/** Applies the fixes of one rule's findings (right to left) and returns the new text. */
function fixed(text: string, id: string): string {
  const edits = lint(text, id)
    .flatMap((f) => f.fix?.edits ?? [])
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function assertFix(text: string, id: string, expected: string): void {
  const out = fixed(text, id);
  assert.equal(out, expected);
  assert.deepEqual(lint(out, id), [], `${id} still fires after its fix:\n${out}`);
}

describe('LW1101 container-irrelevant-command (DL3001)', () => {
  it('reports the command on its own line, through sudo too', () => {
    const f = lint('FROM debian:12\nRUN true && \\\n    service nginx start\nRUN sudo kill 1\n', 'LW1101');
    assert.deepEqual(
      f.map((x) => [x.line, x.column]),
      [
        [3, 5],
        [4, 5],
      ],
    );
    assert.match(f[0].message, /service.*CMD\/ENTRYPOINT/);
    assert.match(f[1].message, /`kill`/);
  });
  it('ignores package names and look-alike programs', () => {
    assert.deepEqual(
      lines(
        'FROM debian:12\nRUN apt-get install -y vim openssh-client procps && ssh-keygen -A && ps2pdf x\n',
        'LW1101',
      ),
      [],
    );
  });
});

describe('LW5101 last-user-root (DL3002)', () => {
  it('reports USER root last in the final stage', () => {
    assert.deepEqual(lines('FROM alpine:3\nUSER app\nUSER root\n', 'LW5101'), [3]);
    assert.deepEqual(lines('FROM alpine:3\nUSER 0:0\n', 'LW5101'), [2]);
  });
  it('only the final stage matters; no USER means no finding', () => {
    assert.deepEqual(lines('FROM alpine:3 AS build\nUSER root\nRUN true\nFROM alpine:3\nUSER app\n', 'LW5101'), []);
    assert.deepEqual(
      lines('FROM alpine:3 AS build\nUSER root\nFROM alpine:3\nCOPY --from=build /x /x\n', 'LW5101'),
      [],
    );
    assert.deepEqual(lines('FROM alpine:3\nRUN adduser -D app\n', 'LW5101'), []);
  });
  it('follows the final stage to the stage it is built FROM', () => {
    assert.deepEqual(lines('FROM alpine:3 AS base\nUSER root\nFROM base\nRUN true\n', 'LW5101'), [2]);
    assert.deepEqual(lines('FROM alpine:3 AS base\nUSER root\nFROM base\nUSER app\n', 'LW5101'), []);
  });
  it('resolves variables and leaves unknown ones alone', () => {
    assert.deepEqual(lines('FROM alpine:3\nARG U=root\nUSER $U\n', 'LW5101'), [3]);
    assert.deepEqual(lines('FROM alpine:3\nARG U\nUSER $U\n', 'LW5101'), []);
  });
});

describe('LW1110 cd-instead-of-workdir (DL3003)', () => {
  it('reports a RUN that only changes directory, and a trailing cd', () => {
    const f = lint('FROM alpine:3\nRUN cd /app\nRUN make && \\\n  cd /srv\n', 'LW1110');
    assert.deepEqual(
      f.map((x) => [x.line, x.column]),
      [
        [2, 5],
        [4, 3],
      ],
    );
    assert.match(f[0].message, /`cd \/app` is the whole RUN .*use WORKDIR \/app/);
    assert.match(f[1].message, /is the last command/);
  });
  it('accepts cd followed by the commands it serves, subshells, and compound commands', () => {
    const text = [
      'FROM alpine:3',
      'RUN cd /app && make',
      'RUN (cd /src && make)',
      'RUN make && cd build && make install',
      'RUN cd /tmp && wget -q https://example.com/x.tgz && tar xzf x.tgz',
      'RUN if true; then cd /x; fi',
      'RUN cd "$HOME"; ls',
      '',
    ].join('\n');
    assert.deepEqual(lines(text, 'LW1110'), []);
  });
  it('sees heredoc scripts', () => {
    assert.deepEqual(
      lines('FROM alpine:3\nRUN <<EOF\nmake\ncd /app\nEOF\nRUN <<EOF\ncd /app\nmake\nEOF\n', 'LW1110'),
      [4],
    );
  });
});

describe('LW5102 sudo-in-run (DL3004)', () => {
  it('reports sudo, not the word sudo as a package', () => {
    assert.deepEqual(
      lines(
        'FROM debian:12\nRUN apt-get install -y sudo=1.9.13p3-1+deb12u1\nRUN echo ok && \\\n  sudo chown app /x\n',
        'LW5102',
      ),
      [4],
    );
  });
});

describe('LW4101 image-without-tag (DL3006)', () => {
  it('reports a bare image name, also through a resolved variable', () => {
    assert.deepEqual(lines('FROM python\n', 'LW4101'), [1]);
    const f = lint('ARG BASE=ghcr.io/acme/app\nFROM ${BASE}\n', 'LW4101');
    assert.deepEqual(
      f.map((x) => x.line),
      [2],
    );
    assert.match(f[0].message, /ghcr\.io\/acme\/app/);
  });
  it('explains a FROM that names a later stage or its own stage', () => {
    const f = lint('FROM builder AS app\nFROM alpine:3 AS builder\nFROM own AS own\n', 'LW4101');
    assert.deepEqual(
      f.map((x) => x.line),
      [1, 3],
    );
    assert.match(f[0].message, /defined later, on line 2/);
    assert.match(f[1].message, /cannot build on itself/);
  });
  it('accepts scratch, stage references, digests, tags from variables and unknown variables', () => {
    const text = [
      'ARG PY=3.12',
      'ARG BASE',
      'FROM scratch AS empty',
      'FROM python:${PY}-slim AS build',
      'FROM build',
      'FROM python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'FROM ${BASE}',
      'FROM localhost:5000/app:1.0',
      '',
    ].join('\n');
    assert.deepEqual(lines(text, 'LW4101'), []);
  });
});

describe('LW4102 image-latest-tag (DL3007)', () => {
  it('reports latest, also from a build arg default', () => {
    assert.deepEqual(lines('ARG TAG=latest\nFROM python:$TAG\nFROM node:LATEST\n', 'LW4102'), [2, 3]);
  });
  it('accepts latest pinned by digest and other tags', () => {
    const digest = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
    assert.deepEqual(lines(`FROM python:latest@${digest}\nFROM python:3.12-latest\n`, 'LW4102'), []);
  });
});

describe('LW4103 apt-get-unpinned (DL3008)', () => {
  it('names the unpinned packages and points at the first one', () => {
    const f = lint(
      'FROM debian:12\nRUN apt-get update && apt-get install -y \\\n    curl=7.88.1-10 \\\n    git \\\n    jq\n',
      'LW4103',
    );
    assert.equal(f.length, 1);
    assert.equal(f[0].line, 4);
    assert.match(f[0].message, /: git, jq;/);
  });
  it('accepts pins, release pins, local .deb files, variables and option values', () => {
    const text =
      'FROM debian:12\nRUN apt-get install -y -o Dpkg::Options::=--force-confold -t bookworm-backports curl=7.88.1-10 ' +
      'foo/bookworm-backports ./pkg.deb $EXTRA "${MORE}"\n';
    assert.deepEqual(lines(text, 'LW4103'), []);
  });
});

describe('LW3101 apt-lists-not-deleted (DL3009)', () => {
  it('is quiet with rm of the lists, a cache or tmpfs mount, or in a builder stage', () => {
    const text = [
      'FROM debian:12 AS build',
      'RUN apt-get update && apt-get install -y gcc=4:12.2.0-3',
      'FROM debian:12',
      'RUN apt-get update && apt-get install -y curl=7.88.1-10 && apt-get clean && rm -rf /var/lib/apt/lists/*',
      'RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y jq=1.6-2.1',
      'RUN --mount=type=tmpfs,target=/var/lib/apt apt-get update && apt-get install -y jq=1.6-2.1',
      'RUN apt-get install -y jq=1.6-2.1',
      'COPY --from=build /usr/bin/gcc /usr/bin/gcc',
      '',
    ].join('\n');
    assert.deepEqual(lines(text, 'LW3101'), []);
  });
  it('reports stages the final stage is built FROM, at the update command', () => {
    const text =
      'FROM debian:12 AS base\nRUN true && \\\n  apt-get update && apt-get install -y curl=7.88.1-10\nFROM base\nCMD ["curl"]\n';
    assert.deepEqual(lines(text, 'LW3101'), [3]);
  });
  it('does not count a cleanup that runs before the update', () => {
    assert.deepEqual(lines('FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update\n', 'LW3101'), [2]);
  });
  it('fixes by appending the cleanup, before a trailing comment and after continuations', () => {
    assertFix(
      'FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10 # tools\n',
      'LW3101',
      'FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10 && rm -rf /var/lib/apt/lists/* # tools\n',
    );
    assertFix(
      'FROM debian:12\nRUN apt-get update \\\n  # refresh first\n  && apt-get install -y \\\n     curl=7.88.1-10\nCMD ["sh"]\n',
      'LW3101',
      'FROM debian:12\nRUN apt-get update \\\n  # refresh first\n  && apt-get install -y \\\n     curl=7.88.1-10 && rm -rf /var/lib/apt/lists/*\nCMD ["sh"]\n',
    );
  });
  it('offers no fix where appending is unsafe', () => {
    for (const text of [
      'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl=7.88.1-10\nEOF\n',
      'FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10 > /dev/null\n',
      'FROM debian:12\nRUN apt-get update; if true; then apt-get install -y curl=7.88.1-10; fi\n',
      'FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10 &\n',
    ]) {
      const f = lint(text, 'LW3101');
      assert.equal(f.length, 1, text);
      assert.equal(f[0].fix, undefined, text);
    }
  });
});

describe('LW3103 copy-archive-then-extract (DL3010)', () => {
  it('reports the COPY of an archive that tar extracts later in the stage', () => {
    const text = 'FROM debian:12\nCOPY dist/app-1.0.tar.gz /tmp/\nRUN cd /opt && \\\n  tar xzf /tmp/app-1.0.tar.gz\n';
    const f = lint(text, 'LW3103');
    assert.deepEqual(
      f.map((x) => x.line),
      [2],
    );
    assert.match(f[0].message, /line 4/);
  });
  it('ignores archives that are not extracted, zip files, other stages and tar creating archives', () => {
    const text = [
      'FROM debian:12 AS a',
      'COPY app.tar.gz /srv/',
      'COPY site.zip /tmp/',
      'RUN unzip /tmp/site.zip && tar -czf /tmp/out.tar.gz /srv',
      'FROM debian:12',
      'RUN tar -xzf /srv/app.tar.gz',
      '',
    ].join('\n');
    assert.deepEqual(lines(text, 'LW3103'), []);
  });
});

describe('LW1102 expose-invalid-port (DL3011)', () => {
  it('reports ports and ranges beyond 65535', () => {
    const f = lint('FROM alpine:3\nEXPOSE 8080 65536/tcp\nEXPOSE 8000-70000/udp\n', 'LW1102');
    assert.deepEqual(
      f.map((x) => x.line),
      [2, 3],
    );
    assert.match(f[0].message, /65536/);
    assert.match(f[1].message, /70000/);
  });
  it('accepts valid ports, protocols, ranges and variables', () => {
    assert.deepEqual(
      lines('FROM alpine:3\nARG P\nEXPOSE 0 80/tcp 53/udp 65535 8000-8010 $P ${PORT:-80}\n', 'LW1102'),
      [],
    );
  });
});

describe('LW4104 pip-unpinned (DL3013)', () => {
  it('reports bare names for pip, pip3, python -m pip and uv pip', () => {
    const text = [
      'FROM python:3.12-slim',
      'RUN pip install --no-cache-dir flask',
      'RUN pip3 install -U pip setuptools==75.1.0',
      'RUN python -m pip install --no-cache-dir "uvicorn[standard]"',
      'RUN uv pip install --system httpx',
      '',
    ].join('\n');
    const f = lint(text, 'LW4104');
    assert.deepEqual(
      f.map((x) => x.line),
      [2, 3, 4, 5],
    );
    assert.match(f[1].message, /: pip;/);
    assert.match(f[3].message, /^uv pip install/);
  });
  it('accepts pins, requirement files, local paths, wheels, URLs, editable, constraints', () => {
    const text = [
      'FROM python:3.12-slim',
      'RUN pip install --no-cache-dir flask==3.0.3 "django>=4.2,<5" "attrs~=23.1"',
      'RUN pip install --no-cache-dir -r requirements.txt --requirement=dev.txt',
      'RUN pip install --no-cache-dir . ./libs/core /wheels/app-1.0-py3-none-any.whl dist/app-1.0.tar.gz',
      'RUN pip install --no-cache-dir -e . git+https://example.com/org/repo.git@v1 https://example.com/x.whl',
      'RUN pip install --no-cache-dir --constraint constraints.txt flask',
      'RUN pip install --no-cache-dir -c constraints.txt flask',
      'RUN pip install --no-cache-dir --no-index --find-links=/wheels flask',
      'RUN pip install --no-cache-dir "mypkg @ file:///src/mypkg" $EXTRA_PKGS',
      'RUN uv pip install --system -r pyproject.toml',
      'RUN PIP_CONSTRAINT=/c.txt pip install --no-cache-dir flask',
      '',
    ].join('\n');
    assert.deepEqual(
      lint(text, 'LW4104').map((f) => `${f.line}: ${f.message}`),
      [],
    );
  });
});

describe('LW1103 apt-get-missing-yes (DL3014)', () => {
  it('accepts every non-interactive spelling', () => {
    const text = [
      'FROM debian:12',
      'RUN apt-get install -y curl=1',
      'RUN apt-get install --yes curl=1',
      'RUN apt-get install --assume-yes curl=1',
      'RUN apt-get -qq install curl=1',
      'RUN apt-get install -qy curl=1',
      'RUN apt-get -q -q install curl=1',
      'RUN apt-get install -o APT::Get::Assume-Yes=true curl=1',
      'RUN yes | apt-get install curl=1',
      'RUN apt-get update',
      '',
    ].join('\n');
    assert.deepEqual(lines(text, 'LW1103'), []);
  });
  it('reports the command line in a multi-line RUN and fixes by adding -y after install', () => {
    const text =
      'FROM debian:12\nRUN apt-get update && \\\n    DEBIAN_FRONTEND=noninteractive apt-get install -q curl=1\n';
    assert.deepEqual(lines(text, 'LW1103'), [3]);
    assertFix(
      text,
      'LW1103',
      'FROM debian:12\nRUN apt-get update && \\\n    DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl=1\n',
    );
  });
});

describe('fix offsets', () => {
  it('are exact in files that mix CRLF and LF line ends', () => {
    assertFix(
      'FROM a:1\r\nRUN true\nRUN apt-get install curl=1\r\n',
      'LW1103',
      'FROM a:1\r\nRUN true\nRUN apt-get install -y curl=1\r\n',
    );
  });
});

describe('LW4105 npm-unpinned (DL3016)', () => {
  it('reports unpinned and @latest packages', () => {
    const f = lint('FROM node:20\nRUN npm install -g typescript @angular/cli serve@latest left-pad@1.3.0\n', 'LW4105');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /: typescript, @angular\/cli, serve@latest;/);
  });
  it('accepts npm ci, bare npm install, pins, scoped pins, paths, tarballs and git references', () => {
    const text = [
      'FROM node:20',
      'RUN npm ci --omit=dev',
      'RUN npm install',
      'RUN npm install --production',
      'RUN npm i -g pnpm@9.12.0 @scope/tool@^2.1.0 ./local-pkg /opt/x.tgz git+https://example.com/a/b.git#v2.0.1 user/repo#v1.0.0',
      '',
    ].join('\n');
    assert.deepEqual(lines(text, 'LW4105'), []);
  });
});

describe('LW4106 apk-unpinned (DL3018)', () => {
  it('reports unpinned packages but not virtual names, pins or local files', () => {
    assert.deepEqual(
      lines(
        'FROM alpine:3\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1-r0 musl-dev~1.2 ./x.apk\n',
        'LW4106',
      ),
      [],
    );
    const f = lint('FROM alpine:3\nRUN apk add --no-cache --virtual .build-deps gcc musl-dev=1.2.5-r0\n', 'LW4106');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /: gcc;/);
  });
});

describe('LW3102 apk-add-without-no-cache (DL3019)', () => {
  it('is quiet with --no-cache, a cache mount, a cache cleanup, or in a builder stage', () => {
    const text = [
      'FROM alpine:3 AS build',
      'RUN apk add gcc=13.2.1-r0',
      'FROM alpine:3',
      'RUN apk add --no-cache curl=8.1-r0',
      'RUN --mount=type=cache,target=/var/cache/apk apk add curl=8.1-r0',
      'RUN --mount=type=cache,target=/etc/apk/cache apk add curl=8.1-r0',
      'RUN apk add curl=8.1-r0 && rm -rf /var/cache/apk/*',
      'COPY --from=build /usr/bin/gcc /usr/bin/gcc',
      '',
    ].join('\n');
    assert.deepEqual(lines(text, 'LW3102'), []);
  });
  it('fixes by adding --no-cache after add', () => {
    assertFix(
      'FROM alpine:3\nRUN apk update && apk add -U curl=8.1-r0\n',
      'LW3102',
      'FROM alpine:3\nRUN apk update && apk add --no-cache -U curl=8.1-r0\n',
    );
  });
});

describe('LW1109 add-instead-of-copy (DL3020)', () => {
  it('accepts URLs, git sources, archives, globs and variables', () => {
    const text = [
      'FROM alpine:3',
      'ARG SRC',
      'ADD https://example.com/tool.sh /usr/local/bin/tool',
      'ADD --checksum=sha256:abc https://example.com/a /a',
      'ADD git@example.com:org/repo.git /src',
      'ADD rootfs.tar.xz /',
      'ADD vendor/*.tgz /opt/',
      'ADD $SRC /opt/',
      '',
    ].join('\n');
    assert.deepEqual(lines(text, 'LW1109'), []);
  });
  it('fixes by replacing the keyword, keeping flags, case and ONBUILD', () => {
    assertFix(
      'FROM alpine:3\nADD --chown=app:app config/ /etc/app/\nadd a.txt /a.txt\nONBUILD ADD . /app/\n',
      'LW1109',
      'FROM alpine:3\nCOPY --chown=app:app config/ /etc/app/\ncopy a.txt /a.txt\nONBUILD COPY . /app/\n',
    );
  });
  it('handles the JSON form', () => {
    assertFix('FROM alpine:3\nADD ["a b.txt", "/x/"]\n', 'LW1109', 'FROM alpine:3\nCOPY ["a b.txt", "/x/"]\n');
  });
});

describe('LW1104 copy-multiple-sources-dest-not-dir (DL3021)', () => {
  it('reports several sources to a non-directory, in both forms', () => {
    assert.deepEqual(
      lines('FROM alpine:3\nCOPY a b /dst\nCOPY ["a", "b", "/dst"]\nCOPY --chown=1 a b c /d\n', 'LW1104'),
      [2, 3, 4],
    );
  });
  it('accepts a trailing slash, a single source and variable destinations', () => {
    assert.deepEqual(
      lines('FROM alpine:3\nARG D\nCOPY a b /dst/\nCOPY a /dst\nCOPY a b $D\nCOPY --from=0 /a /b ./\n', 'LW1104'),
      [],
    );
  });
});

describe('LW1105 copy-from-unknown-stage (DL3022) and LW1106 copy-from-own-stage (DL3023)', () => {
  const text = [
    'FROM alpine:3 AS Build',
    'RUN touch /x',
    'FROM alpine:3 AS app',
    'COPY --from=build /x /x',
    'COPY --from=0 /x /y',
    'COPY --from=nginx:1.27 /etc/nginx /etc/nginx',
    'COPY --from=ghcr.io/acme/tools /bin/t /bin/t',
    'COPY --from=bulid /x /z',
    'COPY --from=later /x /w',
    'COPY --from=app /x /v',
    'COPY --from=1 /x /u',
    'FROM alpine:3 AS later',
    '',
  ].join('\n');
  it('reports names that are not earlier stages, and later stages as such', () => {
    const f = lint(text, 'LW1105');
    assert.deepEqual(
      f.map((x) => x.line),
      [8, 9],
    );
    assert.match(f[0].message, /would pull an image named bulid; refer to an earlier stage \(Build\)/);
    assert.match(f[1].message, /defined later \(line 12\)/);
  });
  it('reports a stage copying from itself by name or index', () => {
    assert.deepEqual(lines(text, 'LW1106'), [10, 11]);
  });
});

describe('LW5103 untrusted-registry (DL3026)', () => {
  const text =
    'ARG B\nFROM python:3.12\nFROM quay.io/org/app:1\nFROM ghcr.io/org/x:1 AS g\nFROM g\nFROM scratch\nFROM $B\n';
  it('is silent without trusted registries', () => {
    assert.deepEqual(lines(text, 'LW5103'), []);
  });
  it('treats images without a registry as docker.io and supports wildcards', () => {
    assert.deepEqual(lines(text, 'LW5103', { settings: { trustedRegistries: ['docker.io'] } }), [3, 4]);
    assert.deepEqual(lines(text, 'LW5103', { settings: { trustedRegistries: ['quay.*'] } }), [2, 4]);
    assert.deepEqual(lines(text, 'LW5103', { settings: { trustedRegistries: ['index.docker.io', 'ghcr.io'] } }), [3]);
  });
});

describe('LW1107 apt-instead-of-apt-get (DL3027)', () => {
  it('fixes apt to apt-get after assignments and sudo, and suggests apt-cache for queries', () => {
    const text =
      'FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive apt install -y curl=1 && sudo apt update\nRUN apt search curl\n';
    const f = lint(text, 'LW1107');
    assert.deepEqual(
      f.map((x) => x.line),
      [2, 2, 3],
    );
    assert.equal(f[2].fix, undefined);
    assert.match(f[2].message, /apt-cache search/);
    assert.equal(
      fixed(text, 'LW1107'),
      'FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -y curl=1 && sudo apt-get update\nRUN apt search curl\n',
    );
  });
  it('ignores apt-get, apt-cache and apt-key', () => {
    assert.deepEqual(
      lines('FROM debian:12\nRUN apt-get update && apt-cache policy curl && apt-key list\n', 'LW1107'),
      [],
    );
  });
});

describe('LW4107 gem-unpinned (DL3028)', () => {
  it('accepts name:version, -v, --version= and .gem files', () => {
    assert.deepEqual(
      lines(
        'FROM ruby:3\nRUN gem install rails:7.1.0 && gem install bundler -v 2.5.0 && gem install x --version=1 && gem install ./a.gem\n',
        'LW4107',
      ),
      [],
    );
    assert.deepEqual(lines('FROM ruby:3\nRUN gem install --no-document rake\n', 'LW4107'), [2]);
  });
});

describe('LW1108 from-platform-flag (DL3029)', () => {
  it('reports constants but not $BUILDPLATFORM or $TARGETPLATFORM (LW6306 covers the latter)', () => {
    const text = [
      'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
      'FROM --platform=${BUILDPLATFORM} golang:1.23 AS build2',
      'FROM --platform=linux/arm64 alpine:3',
      'FROM --platform=$TARGETPLATFORM alpine:3',
      'FROM alpine:3',
      '',
    ].join('\n');
    const f = lint(text, 'LW1108');
    assert.deepEqual(
      f.map((x) => x.line),
      [3],
    );
    assert.match(f[0].message, /linux\/arm64/);
  });
});
