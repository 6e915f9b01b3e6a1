// Edge cases of the rules ported from hadolint's RPM/zypper/pip/yarn, instruction-order and shell rules
// (LW1201-LW1211, LW3201-LW3206, LW4201-LW4205, LW5201, LW6201-LW6204).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintText } from '../../../src/lint.js';
import { applyFixesOnce } from '../../../src/rules/fix.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

function hits(text: string, rule: string): string[] {
  const res = lintText(text, 'Dockerfile', { example: { dockerignore: '.git\n' }, enableAll: true });
  assert.deepEqual(res.failures, []);
  return res.findings.filter((f) => f.rule === rule).map((f) => `${f.line}:${f.column} ${f.message}`);
}

function lines(text: string, rule: string): number[] {
  return hits(text, rule).map((h) => Number(h.split(':')[0]));
}

/** Applies the rule's fixes once and returns the new text; asserts the rule no longer fires on it. */
function fixed(text: string, rule: string): string {
  const res = lintText(text, 'Dockerfile', { example: { dockerignore: '.git\n' }, enableAll: true });
  const out = applyFixesOnce(
    text,
    res.findings.filter((f) => f.rule === rule),
  ).text;
  assert.deepEqual(hits(out, rule), [], `still fires after fix:\n${out}`);
  return out;
}

describe('LW1201 yum-install-no-yes / LW1203 dnf-install-no-yes', () => {
  it('tells yum from dnf and accepts -y clusters and --assumeyes', () => {
    const text = [
      'FROM rockylinux:9',
      'RUN yum install a-1 && dnf install b-1',
      'RUN yum -qy install a-1 && dnf --assumeyes install b-1 && sudo yum install -y c-1',
      'RUN microdnf install d-1 && yum --setopt=assumeyes=1 install e-1',
      'RUN yum makecache && dnf clean all',
    ].join('\n');
    assert.deepEqual(lines(text, 'LW1201'), [2]);
    assert.deepEqual(hits(text, 'LW1203'), ['2:24 dnf install without -y fails in a non-interactive build; add -y']);
  });
  it('reports the command line inside a multi-line RUN and fixes after the sub-command', () => {
    const text = 'FROM fedora:40\nRUN echo start \\\n    && dnf install python3-3.12.3 \\\n    && dnf clean all\n';
    assert.deepEqual(lines(text, 'LW1203'), [3]);
    assert.match(fixed(text, 'LW1203'), /dnf install -y python3-3\.12\.3/);
    assert.match(fixed('FROM rockylinux:9\nRUN sudo yum update\n', 'LW1201'), /sudo yum update -y\n/);
  });
});

describe('LW1202 zypper-non-interactive', () => {
  it('accepts -n, --non-interactive, -y and --no-confirm; fixes with -n after zypper', () => {
    const ok =
      'FROM opensuse/leap:15.6\nRUN zypper -n in a=1 && zypper --non-interactive rm b && zypper install -y c=1 && zypper up --no-confirm\n';
    assert.deepEqual(hits(ok, 'LW1202'), []);
    assert.equal(
      fixed('FROM opensuse/leap:15.6\nRUN zypper refresh && zypper install a=1\n', 'LW1202'),
      'FROM opensuse/leap:15.6\nRUN zypper refresh && zypper -n install a=1\n',
    );
  });
});

describe('LW3201 / LW3203 / LW3202 cache cleanup', () => {
  it('accepts clean all later in the same RUN, rm of the cache dir, and cache mounts', () => {
    const ok = [
      'FROM rockylinux:9',
      'RUN yum install -y a-1 && yum clean all',
      'RUN dnf install -y b-1 && rm -rf /var/cache/dnf',
      'RUN --mount=type=cache,target=/var/cache/dnf dnf install -y c-1',
      'RUN --mount=type=cache,target=/var/cache/yum yum install -y d-1',
      'RUN microdnf install e-1 && microdnf clean all',
    ].join('\n');
    assert.deepEqual(hits(ok, 'LW3201'), []);
    assert.deepEqual(hits(ok, 'LW3203'), []);
  });
  it('needs the clean after the install, and `clean all`, not `clean packages`', () => {
    const text =
      'FROM fedora:40\nRUN dnf clean all && dnf install -y a-1\nRUN dnf install -y b-1 && dnf clean packages\n';
    assert.deepEqual(lines(text, 'LW3203'), [2, 3]);
  });
  it('ignores builder stages that the final image does not build on', () => {
    const text =
      'FROM rockylinux:9 AS build\nRUN yum install -y gcc-11 && make\nFROM rockylinux:9\nCOPY --from=build /out /out\n';
    assert.deepEqual(hits(text, 'LW3201'), []);
    const based = 'FROM rockylinux:9 AS base\nRUN yum install -y gcc-11\nFROM base\nCMD ["app"]\n';
    assert.deepEqual(lines(based, 'LW3201'), [2]);
  });
  it('zypper: zypper cc, zypper clean -a and a /var/cache/zypp mount all count', () => {
    const ok =
      'FROM opensuse/leap:15.6\nRUN zypper -n in a=1 && zypper cc -a\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in b=1\n';
    assert.deepEqual(hits(ok, 'LW3202'), []);
    assert.deepEqual(lines('FROM opensuse/leap:15.6\nRUN zypper -n in a=1\n', 'LW3202'), [2]);
  });
});

describe('LW4201 / LW4203 / LW4202 version pinning', () => {
  it('treats name-version, epochs, .rpm files, groups and variables as pinned', () => {
    const ok =
      'FROM rockylinux:9\nRUN yum install -y httpd-2.4.57-5.el9 b-1:2.0-1 /tmp/x.rpm @core "$PKG" && yum clean all\n';
    assert.deepEqual(hits(ok, 'LW4201'), []);
  });
  it('does not mistake digits in package names for versions', () => {
    const text = 'FROM fedora:40\nRUN dnf install -y java-17-openjdk python3.11 gcc-c++ && dnf clean all\n';
    assert.deepEqual(hits(text, 'LW4203'), [
      '2:20 dnf install without a version for java-17-openjdk, python3.11, gcc-c++; pin it as <name>-<version>, e.g. java-17-openjdk-1.2.3',
    ]);
  });
  it('zypper: = and comparison pins count; patterns are skipped', () => {
    const ok =
      "FROM opensuse/leap:15.6\nRUN zypper -n in a=1.0 'b>=2' && zypper -n in -t pattern devel_basis && zypper cc -a\n";
    assert.deepEqual(hits(ok, 'LW4202'), []);
    assert.deepEqual(lines('FROM opensuse/leap:15.6\nRUN zypper -n in a=1.0 curl && zypper cc -a\n', 'LW4202'), [2]);
  });
});

describe('LW4205 zypper-dist-upgrade', () => {
  it('reports dup and dist-upgrade but not update', () => {
    const text = 'FROM opensuse/tumbleweed\nRUN zypper -n dup\nRUN zypper -n update\nRUN zypper -n dist-upgrade\n';
    assert.deepEqual(lines(text, 'LW4205'), [2, 4]);
  });
});

describe('LW4204 go-install-unpinned', () => {
  it('ignores local packages and pinned modules; reports @latest', () => {
    const text = [
      'FROM golang:1.22-bookworm',
      'RUN go install ./cmd/... && go install . && go install -v golang.org/x/tools/gopls@v0.15.3',
      'RUN go install golang.org/x/tools/cmd/goimports@latest',
      'RUN go build -o /app ./cmd/app',
    ].join('\n');
    assert.deepEqual(hits(text, 'LW4204'), [
      '3:16 go install golang.org/x/tools/cmd/goimports@latest follows a moving @latest; pin a release: golang.org/x/tools/cmd/goimports@v1.2.3',
    ]);
  });
});

describe('LW3204 pip-no-cache-dir', () => {
  it('is satisfied by PIP_NO_CACHE_DIR in ENV, ARG, a command prefix or an export', () => {
    const text = [
      'FROM python:3.12-slim AS a',
      'ENV PIP_NO_CACHE_DIR=1',
      'RUN pip install flask==3.0.3',
      'FROM python:3.12-slim AS b',
      'ARG PIP_NO_CACHE_DIR=1',
      'RUN pip install flask==3.0.3',
      'FROM python:3.12-slim',
      'RUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3',
      'RUN export PIP_NO_CACHE_DIR=1 && pip install flask==3.0.3',
      'RUN pip install flask==3.0.3 && pip cache purge',
      'RUN uv pip install --system flask==3.0.3',
    ].join('\n');
    assert.deepEqual(hits(text, 'LW3204'), []);
  });
  it('an export in an earlier RUN does not carry over', () => {
    const text = 'FROM python:3.12-slim\nRUN export PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.3\n';
    assert.deepEqual(lines(text, 'LW3204'), [3]);
  });
  it('accepts a cache mount on the cache dir of the user running pip, not another one', () => {
    const text = [
      'FROM python:3.12-slim',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
      'RUN --mount=type=cache,target=/root/.cache pip install a==1',
      'RUN --mount=type=cache,target=/pipcache pip install --cache-dir=/pipcache b==1',
      'USER app',
      'RUN --mount=type=cache,target=/home/app/.cache/pip pip install --user c==1',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --user d==1',
    ].join('\n');
    const found = hits(text, 'LW3204');
    assert.equal(found.length, 1);
    assert.match(
      found[0],
      /^7:.*cache mount on \/root\/\.cache\/pip is not where pip running as app writes \(\/home\/app\/\.cache\/pip\)/,
    );
    // Moving the mount is the fix there, not turning the cache off.
    const res = lintText(text, 'Dockerfile', { example: {}, enableAll: true });
    assert.equal(res.findings.find((f) => f.rule === 'LW3204')?.fix, undefined);
  });
  it('reports `pip install --upgrade pip` and python -m pip, and fixes after install', () => {
    const text = 'FROM python:3.12-slim\nRUN python -m pip install --upgrade pip\n';
    assert.deepEqual(lines(text, 'LW3204'), [2]);
    assert.equal(
      fixed(text, 'LW3204'),
      'FROM python:3.12-slim\nRUN python -m pip install --no-cache-dir --upgrade pip\n',
    );
  });
  it('skips builder stages whose cache does not reach the final image', () => {
    const text =
      'FROM python:3.12-slim AS build\nRUN pip install --prefix=/install flask==3.0.3\nFROM python:3.12-slim\nCOPY --from=build /install /usr/local\n';
    assert.deepEqual(hits(text, 'LW3204'), []);
  });
});

describe('LW3205 useradd-high-uid', () => {
  it('parses -u forms and -l clusters; low UIDs are fine', () => {
    const text = [
      'FROM debian:bookworm-slim',
      'RUN useradd -u 1000 a && useradd --uid=200000 b && useradd -lu 200000 c && useradd -u200000 d && useradd --no-log-init -u 300000 e',
    ].join('\n');
    assert.deepEqual(
      hits(text, 'LW3205').map((h) => h.split(' ')[0]),
      ['2:26', '2:76'],
    );
    assert.match(fixed(text, 'LW3205'), /useradd -l --uid=200000 b/);
  });
});

describe('LW3206 yarn-no-cache-clean', () => {
  it('accepts yarn cache clean, a cache mount on the yarn cache, and front-end builder stages', () => {
    const text = [
      'FROM node:20-bookworm-slim AS web',
      'RUN yarn install --frozen-lockfile && yarn build',
      'FROM node:20-bookworm-slim',
      'RUN yarn install --production && yarn cache clean',
      'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install',
      'RUN yarn add left-pad@1.3.0',
      'COPY --from=web /app/dist /srv',
    ].join('\n');
    assert.deepEqual(lines(text, 'LW3206'), [6]);
  });
});

describe('LW1204 onbuild-invalid-trigger', () => {
  it('reports ONBUILD ONBUILD and MAINTAINER, not ONBUILD RUN', () => {
    const text =
      'FROM python:3.12-slim\nONBUILD ONBUILD RUN x\nONBUILD MAINTAINER me\nONBUILD RUN pip install --no-cache-dir -r /app/requirements.txt\n';
    assert.deepEqual(lines(text, 'LW1204'), [2, 3]);
  });
});

describe('LW1205 env-self-reference', () => {
  it('reports only references to earlier pairs of the same ENV', () => {
    const text = [
      'FROM python:3.12-slim',
      "ENV A=1 B=$A C=${A:-x} D='$A' E=\\$A PATH=/x:$PATH",
      'ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH',
      'ENV X=$Y Y=2',
    ].join('\n');
    assert.deepEqual(
      hits(text, 'LW1205').map((h) => h.split(' ').slice(0, 3).join(' ')),
      ['2:9 ENV B', '2:14 ENV C'],
    );
  });
});

describe('LW1206 copy-relative-without-workdir', () => {
  it('follows WORKDIR through base stages; absolute and variable destinations are fine', () => {
    const text = [
      'FROM python:3.12-slim AS base',
      'WORKDIR /app',
      'FROM base',
      'COPY a.txt .',
      'FROM python:3.12-slim',
      'ARG DEST',
      'COPY b.txt /srv/',
      'COPY c.txt $DEST',
      'COPY ["d.txt", "e/"]',
      'COPY --from=base /app/a.txt rel/',
      'WORKDIR /srv',
      'COPY f.txt .',
    ].join('\n');
    assert.deepEqual(
      hits(text, 'LW1206').map((h) => h.split(' ').slice(0, 1)[0]),
      ['9:1', '10:1'],
    );
  });
});

describe('LW1207 instruction-before-from', () => {
  it('allows ARG, comments and directives before FROM', () => {
    const ok = '# syntax=docker/dockerfile:1\n# comment\nARG PY=3.12\nFROM python:${PY}-slim\n';
    assert.deepEqual(hits(ok, 'LW1207'), []);
    assert.deepEqual(lines('ARG PY=3.12\nENV X=1\nFROM python:3.12-slim\n', 'LW1207'), [2]);
  });
});

describe('LW1208 copy-whole-stage-filesystem', () => {
  it('reports / and /. sources only', () => {
    const text =
      'FROM python:3.12-slim AS b\nFROM python:3.12-slim\nCOPY --from=b /. /\nCOPY --from=b /opt/venv /opt/venv\nCOPY --from=b / /rootfs/\n';
    assert.deepEqual(lines(text, 'LW1208'), [3, 5]);
  });
});

describe('LW1209 shell-changed-by-symlink', () => {
  it('reports relinking /bin/sh, not other symlinks', () => {
    const text =
      'FROM debian:bookworm-slim\nRUN ln -s /usr/bin/python3 /usr/bin/python \\\n && ln -snf /bin/bash /bin/sh\n';
    assert.deepEqual(lines(text, 'LW1209'), [3]);
  });
});

describe('LW1210 missing-healthcheck', () => {
  it('is off by default and looks at the final stage and its bases', () => {
    const text = 'FROM python:3.12-slim AS base\nHEALTHCHECK NONE\nFROM base\nCMD ["python"]\n';
    assert.deepEqual(hits(text, 'LW1210'), []);
    const res = lintText('FROM python:3.12-slim\n', 'Dockerfile', { example: {} });
    assert.deepEqual(
      res.findings.filter((f) => f.rule === 'LW1210'),
      [],
    );
  });
});

describe('LW1211 pipe-without-pipefail', () => {
  it('accepts set -o pipefail in the script or in SHELL (also from a base stage); skips JSON form and non-POSIX shells', () => {
    const text = [
      'FROM python:3.12-slim AS base',
      'SHELL ["/bin/bash", "-euo", "pipefail", "-c"]',
      'FROM base',
      'RUN curl -fsSL https://x/y | tar -xz',
      'FROM python:3.12-slim',
      'RUN set -eux -o pipefail; curl -fsSL https://x/y | tar -xz',
      'RUN ["sh", "-c", "a | b"]',
      'RUN a || b',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      'SHELL ["powershell", "-Command"]',
      'RUN Get-ChildItem | Select-Object Name',
    ].join('\n');
    assert.deepEqual(hits(text, 'LW1211'), []);
  });
  it('reports the pipe line; fixes with a SHELL line on Debian-based images, once per stage', () => {
    const text = 'FROM python:3.12-slim\nRUN echo start \\\n && curl -fsSL https://x/y | tar -xz\nRUN a | b\n';
    assert.deepEqual(
      hits(text, 'LW1211').map((h) => h.split(' ')[0]),
      ['3:30', '4:9'],
    );
    assert.equal(
      fixed(text, 'LW1211'),
      `FROM python:3.12-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n${text.split('\n').slice(1).join('\n')}`,
    );
  });
  it('prepends set -o pipefail when SHELL is bash already; no fix on alpine', () => {
    const text = 'FROM python:3.12-slim\nSHELL ["/bin/bash", "-c"]\nRUN \\\n    curl -fsSL https://x/y | tar -xz\n';
    assert.equal(
      fixed(text, 'LW1211'),
      'FROM python:3.12-slim\nSHELL ["/bin/bash", "-c"]\nRUN \\\n    set -o pipefail && curl -fsSL https://x/y | tar -xz\n',
    );
    const alpine = lintText('FROM python:3.12-alpine\nRUN a | b\n', 'Dockerfile', {
      example: {},
      enableAll: true,
    });
    const f = alpine.findings.find((x) => x.rule === 'LW1211');
    assert.ok(f && !f.fix);
    assert.match(f.message, /busybox sh supports it/);
  });
});

describe('LW5201 user-non-numeric', () => {
  it('skips numeric users and root; suggests and fixes with the UID useradd gave', () => {
    const text =
      'FROM python:3.12-slim\nRUN useradd -l -u 10001 app\nUSER root\nUSER 10001:10001\nUSER app\nUSER nobody:nogroup\n';
    assert.deepEqual(lines(text, 'LW5201'), [5, 6]);
    assert.match(hits(text, 'LW5201')[0], /\(USER 10001\)/);
    assert.match(fixed('FROM python:3.12-slim\nRUN useradd -l -u 10001 app\nUSER app\n', 'LW5201'), /\nUSER 10001\n$/);
  });
});

describe('LW6201 inline-ignore-pragma', () => {
  it('reports inline pragmas but not global ones or plain comments', () => {
    const text =
      'FROM python:3.12-slim\n# hadolint global ignore=DL3008\n# layerwise ignore=LW3204\nRUN pip install flask==3.0.3\n# just a note\n';
    assert.deepEqual(lines(text, 'LW6201'), [3]);
  });
});

describe('LW6202 consecutive-run', () => {
  it('does not report RUNs with different mounts or separated by another instruction', () => {
    const text = [
      'FROM python:3.12-slim',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install a==1',
      'RUN pip install --no-cache-dir b==1',
      'COPY . /app',
      'RUN python -m compileall /app',
    ].join('\n');
    assert.deepEqual(hits(text, 'LW6202'), []);
  });
  it('merges simple RUNs but never when the first changes directory or ends in a comment', () => {
    const text = 'FROM debian:bookworm-slim\nRUN groupadd -r app\nRUN useradd -r -g app app\n';
    assert.equal(
      fixed(text, 'LW6202'),
      'FROM debian:bookworm-slim\nRUN groupadd -r app \\\n    && useradd -r -g app app\n',
    );
    const unsafe = 'FROM debian:bookworm-slim\nRUN cd /src\nRUN make install\nRUN a\nRUN c # note\nRUN d\n';
    const res = lintText(unsafe, 'Dockerfile', { example: {}, enableAll: true });
    const found = res.findings.filter((f) => f.rule === 'LW6202');
    assert.deepEqual(
      found.map((f) => f.line),
      [3, 4, 5, 6],
    );
    assert.deepEqual(
      found.filter((f) => f.fix).map((f) => f.line),
      [4, 5],
    );
  });
});

describe('LW6203 wget-no-progress', () => {
  it('accepts -q clusters, -nv, --progress and stderr redirection', () => {
    const text =
      'FROM debian:bookworm-slim\nRUN wget -qO- https://x/a | tar -x && wget -nv https://x/b && wget --progress=dot:giga https://x/c && wget https://x/d 2>/dev/null\nRUN wget https://x/e\n';
    assert.deepEqual(lines(text, 'LW6203'), [3]);
  });
});

describe('LW6204 wget-and-curl', () => {
  it('is per stage and reported once', () => {
    const text =
      'FROM alpine:3.20 AS dl\nRUN wget -q https://x/a\nFROM python:3.12-slim\nRUN curl -fsSLO https://x/b\nRUN curl -fsSLO https://x/c && wget -q https://x/d && wget -q https://x/e\n';
    assert.deepEqual(hits(text, 'LW6204'), [
      '5:32 wget is used here and curl on line 4 of the same stage; use one download tool',
    ]);
  });
});
