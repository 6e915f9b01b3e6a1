// The forms of issue 10 that the hadolint-intent rules used to miss: each rule must fire on the
// right line for every spelling of the bad case, and stay quiet on the good ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadShell } from '../../../src/dockerfile/shell-load.js';
import { lintText } from '../../../src/lint.js';

await loadShell();

/** Lines where rule `id` fires on `lines` (joined with newlines). */
function fired(id: string, lines: string[]): number[] {
  const res = lintText(`${lines.join('\n')}\n`, 'Dockerfile', { example: { dockerignore: '.git\n' }, enableAll: true });
  assert.deepEqual(res.failures, []);
  return res.findings.filter((f) => f.rule === id).map((f) => f.line);
}

describe('LW3204 pip-no-cache-dir (DL3042)', () => {
  it('PIP_NO_CACHE_DIR set by ENV in any spelling, by env, or --no-cache satisfies it', () => {
    for (const value of ['1', 'true', 'True', 'yes', 'on', '"1"', 'off', '0']) {
      assert.deepEqual(
        fired('LW3204', ['FROM python:3.12-slim', `ENV PIP_NO_CACHE_DIR=${value}`, 'RUN pip install flask==3.0.3']),
        [],
        value,
      );
    }
    const text = [
      'FROM python:3.12-slim AS base',
      'ENV LANG=C.UTF-8 PIP_NO_CACHE_DIR=yes',
      'FROM base',
      'RUN pip install flask==3.0.3',
    ];
    assert.deepEqual(fired('LW3204', text), []);
    assert.deepEqual(fired('LW3204', [text[0], text[2], text[3]]), [3], 'fires without the ENV');
    const other = [
      'FROM python:3.12-slim',
      'RUN env PIP_NO_CACHE_DIR=1 pip install flask==3.0.3',
      'RUN pip install --no-cache flask==3.0.3',
      'RUN python -m pip install --no-cache-dir=1 flask==3.0.3',
    ];
    assert.deepEqual(fired('LW3204', other), []);
  });
  it('still fires without it, on the pip line, and when the ENV comes later', () => {
    const text = [
      'FROM python:3.12-slim',
      'RUN apt-get update && \\',
      '    pip install flask==3.0.3',
      'ENV PIP_NO_CACHE_DIR=1',
    ];
    assert.deepEqual(fired('LW3204', text), [3]);
  });
});

describe('LW4204 go-install-unpinned (DL3062)', () => {
  it('reports go install, go get (-tool, -u) and go run without a fixed version', () => {
    const text = [
      'FROM golang:1.23',
      'RUN go install example.com/tool',
      'RUN go install -v example.com/tool/cmd/x@latest',
      'RUN go get example.com/lib && go get -u example.com/lib@upgrade',
      'RUN go get -tool example.com/gen',
      'RUN go run example.com/tool@master -flag',
      'RUN go install -- example.com/tool@v1.2',
      'RUN go install tool-without-dot',
    ];
    assert.deepEqual(fired('LW4204', text), [2, 3, 4, 4, 5, 6, 7, 8]);
  });
  it('accepts releases, commits, pseudo-versions, local code and the meta-packages', () => {
    const text = [
      'FROM golang:1.23',
      'RUN go install example.com/tool@v1.2.3 example.com/x@v0.0.0-20240101000000-abcdef123456',
      'RUN go get -tool example.com/gen@v2.0.0 && go get example.com/old@none && go get example.com/c@4f2a9c1',
      'RUN go install ./... && go install . && go run ./cmd/app arg example.com/not-a-package',
      'RUN go run main.go && go run /src/app && go install tool std cmd/...',
      'RUN go build -o /app ./cmd/app && go mod download',
    ];
    assert.deepEqual(fired('LW4204', text), []);
  });
});

describe('LW4105 npm-unpinned (DL3016)', () => {
  it('reports git sources without a commit-ish or with a moving branch, and packages after --', () => {
    const text = [
      'FROM node:22-slim',
      'RUN npm install git+ssh://git@github.com/example/tool.git',
      'RUN npm install git+https://github.com/example/tool.git',
      'RUN npm i git+http://git.example.com/tool.git#main',
      'RUN npm install github:example/tool example/other',
      'RUN npm install -g -- express',
    ];
    assert.deepEqual(fired('LW4105', text), [2, 3, 4, 5, 6]);
  });
  it('accepts git sources pinned to a tag, commit or semver range', () => {
    const text = [
      'FROM node:22-slim',
      'RUN npm install git+ssh://git@github.com/example/tool.git#v1.0.27',
      'RUN npm install git+https://github.com/example/tool.git#semver:^5.0 github:example/x#4f2a9c1',
      'RUN npm install -- express@4.21.1 example/other#v2.0.0',
    ];
    assert.deepEqual(fired('LW4105', text), []);
  });
});

describe('LW4104 pip-unpinned (DL3013)', () => {
  it('reports VCS URLs without a fixed ref, pipx install/inject and packages after --', () => {
    const text = [
      'FROM python:3.12-slim',
      'RUN pip install --no-cache-dir git+ssh://git@github.com/example/lib.git',
      'RUN pip install --no-cache-dir git+https://github.com/example/lib.git#egg=lib',
      'RUN pip install --no-cache-dir "lib @ git+http://git.example.com/lib.git@main"',
      'RUN pipx install black',
      'RUN pipx inject poetry poetry-plugin-export',
      'RUN pip install --no-cache-dir -- flask',
    ];
    assert.deepEqual(fired('LW4104', text), [2, 3, 4, 5, 6, 7]);
  });
  it('accepts VCS URLs at a tag or commit and pinned pipx installs', () => {
    const text = [
      'FROM python:3.12-slim',
      'RUN pip install --no-cache-dir git+ssh://git@github.com/example/lib.git@v1.0#egg=lib',
      'RUN pip install --no-cache-dir "lib @ git+https://github.com/example/lib.git@4f2a9c1"',
      'RUN pipx install --python "$(which python)" black==24.10.0',
      'RUN pipx inject poetry poetry-plugin-export==1.8.0 && pip install --no-cache-dir -- flask==3.0.3',
    ];
    assert.deepEqual(fired('LW4104', text), []);
  });
});

describe('LW4107 gem-unpinned (DL3028)', () => {
  it('reads gem i like gem install and leaves the build flags after -- alone', () => {
    const bad = ['FROM ruby:3.3-slim', 'RUN gem i rake', 'RUN gem install nokogiri -- --use-system-libraries'];
    assert.deepEqual(fired('LW4107', bad), [2, 3]);
    const good = [
      'FROM ruby:3.3-slim',
      'RUN gem i rake:13.2.1 && gem i rails -v 7.2.1',
      'RUN gem install nokogiri:1.16.7 -- --use-system-libraries --with-xml2-config=/usr/bin/xml2-config',
    ];
    assert.deepEqual(fired('LW4107', good), []);
  });
});

describe('dnf, yum and microdnf aliases (DL3038, DL3040, DL3041, DL3033)', () => {
  it('DL3038 reports every name of install/upgrade/remove without -y', () => {
    const text = [
      'FROM fedora:41',
      'RUN dnf up && dnf clean all',
      'RUN dnf upgrade-minimal && dnf clean all',
      'RUN dnf module install nodejs:20 && dnf clean all',
      'RUN dnf rm vim-minimal && dnf clean all',
      'RUN dnf -y up && dnf module -y install nodejs:20 && dnf clean all',
    ];
    assert.deepEqual(fired('LW1203', text), [2, 3, 4, 5]);
  });
  it('DL3040 reports upgrades and module installs without dnf clean all', () => {
    const text = [
      'FROM fedora:41',
      'RUN dnf up -y',
      'RUN dnf distro-sync -y',
      'RUN dnf module install -y nodejs:20',
      'RUN microdnf install -y tzdata-2024a',
      'RUN dnf up -y && dnf clean all',
    ];
    assert.deepEqual(fired('LW3203', text), [2, 3, 4, 5]);
  });
  it('DL3041 and DL3033 ask for a version (name-version) or a module stream', () => {
    const dnf = [
      'FROM fedora:41',
      'RUN dnf install -y tomcat && dnf clean all',
      'RUN dnf in -y tomcat && dnf clean all',
      'RUN dnf module install -y nodejs && dnf clean all',
      'RUN dnf install -y tomcat-9.0.1 nginx-1:1.20.1-14.el9 && dnf module install -y nodejs:20/common && dnf clean all',
    ];
    assert.deepEqual(fired('LW4203', dnf), [2, 3, 4]);
    const yum = [
      'FROM rockylinux:9',
      'RUN yum install -y httpd && yum clean all',
      'RUN yum module install -y nodejs && yum clean all',
      'RUN yum install -y httpd-2.4.57-5.el9 && yum module install -y nodejs:20 && yum clean all',
      'RUN yum groupinstall -y "Development Tools" && yum localinstall -y /tmp/x.rpm && yum clean all',
    ];
    assert.deepEqual(fired('LW4201', yum), [2, 3]);
  });
});

describe('LW3103 copy-archive-then-extract (DL3010)', () => {
  it('follows the archive to relative destinations, renames, later stages and every tar spelling', () => {
    const cases: [string[], number[]][] = [
      [['FROM debian:12', 'WORKDIR /app', 'COPY app.tar.gz .', 'RUN tar -xzf app.tar.gz'], [3]],
      [['FROM debian:12', 'WORKDIR /app', 'COPY app.tar.gz vendor.tgz', 'RUN tar -xzf /app/vendor.tgz'], [3]],
      [['FROM debian:12', 'WORKDIR /s', 'COPY app.tar v/', 'WORKDIR /s/v', 'RUN tar -xf app.tar'], [3]],
      [['FROM debian:12 AS base', 'COPY app.tar.gz /tmp/', 'FROM base', 'RUN tar xf /tmp/app.tar.gz'], [2]],
      [['FROM debian:12', 'COPY app.tar.gz /tmp/', 'RUN cd /opt && sudo tar --extract --file=/tmp/app.tar.gz'], [2]],
      [['FROM debian:12', 'COPY app.tar.gz /tmp/', 'RUN gunzip -c /tmp/app.tar.gz | tar -x -C /opt'], [2]],
      [['FROM debian:12', 'COPY app.tar.gz /tmp/', 'RUN tar -xz -C /opt < /tmp/app.tar.gz'], [2]],
      [['FROM debian:12', 'COPY app.tar /tmp/', 'RUN true && \\', '  tar -xf/tmp/app.tar'], [2]],
    ];
    for (const [text, expected] of cases) assert.deepEqual(fired('LW3103', text), expected, text.join('\n'));
  });
  it('stays quiet when the archive is only listed or created, or extracted in an unrelated stage', () => {
    const text = [
      'FROM debian:12 AS a',
      'COPY app.tar.gz /tmp/',
      'RUN tar -tzf /tmp/app.tar.gz && tar -czf /tmp/out.tar.gz /etc',
      'FROM debian:12',
      'RUN tar -xzf /tmp/app.tar.gz',
    ];
    assert.deepEqual(fired('LW3103', text), []);
  });
});

describe('LW1108 from-platform-flag (DL3029)', () => {
  it('accepts BUILDPLATFORM and TARGETPLATFORM quoted, braced or with a default', () => {
    const text = [
      'FROM --platform=$TARGETPLATFORM alpine:3.20 AS a',
      'FROM --platform="$BUILDPLATFORM" alpine:3.20 AS b',
      'FROM --platform=${BUILDPLATFORM} alpine:3.20 AS c',
      'FROM --platform=${BUILDPLATFORM:-} alpine:3.20 AS d',
      'FROM --platform="${BUILDPLATFORM:-linux/amd64}" alpine:3.20 AS e',
      "FROM --platform='${TARGETPLATFORM:-linux/arm64}' alpine:3.20",
    ];
    assert.deepEqual(fired('LW1108', text), []);
  });
  it('reports constants and other variables on the FROM line', () => {
    const text = [
      'ARG PLATFORM=linux/amd64',
      'FROM --platform=linux/amd64 alpine:3.20 AS a',
      'FROM --platform=$PLATFORM alpine:3.20 AS b',
      'FROM --platform=${BUILDPLATFORMS} alpine:3.20',
    ];
    assert.deepEqual(fired('LW1108', text), [2, 3, 4]);
  });
});
