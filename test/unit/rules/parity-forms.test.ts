// The forms issue 10 names for the hadolint and build-check rules of part F, each with its own
// cases: the rule that fires (by alias) and the line it reports.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readConfigFile } from '../../../src/config/config.js';
import { allRules, type LintTextOptions, lintText } from '../../../src/lint.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

/** Lines where the rules carrying `alias` report. */
function at(text: string, alias: string, options: LintTextOptions = {}): number[] {
  const ids = new Set(allRules.filter((r) => r.meta.aliases.includes(alias)).map((r) => r.meta.id));
  const res = lintText(text, 'Dockerfile', { example: { dockerignore: '.git\n' }, enableAll: true, ...options });
  assert.deepEqual(res.failures, []);
  return res.findings.filter((f) => ids.has(f.rule)).map((f) => f.line);
}

const F = 'FROM debian:12.5\n';

describe('DL3059 consecutive RUNs', () => {
  it('fires across comments and blank lines, and with the same mounts in any order', () => {
    assert.deepEqual(at(`${F}RUN make\n# then\n\nRUN make check\n`, 'DL3059'), [5]);
    const m = '--mount=type=cache,target=/root/.cache --mount=type=secret,id=npmrc';
    const n = '--mount=type=secret,id=npmrc --mount=type=cache,target=/root/.cache';
    assert.deepEqual(at(`${F}RUN ${m} make\nRUN ${n} make check\n`, 'DL3059'), [3]);
    assert.deepEqual(at(`${F}RUN ["make"]\nRUN ["make", "check"]\n`, 'DL3059'), [3]);
  });
  it('stays quiet for different mounts, chained RUNs, another instruction or another stage', () => {
    assert.deepEqual(at(`${F}RUN --mount=type=secret,id=a make\nRUN make check\n`, 'DL3059'), []);
    assert.deepEqual(at(`${F}RUN make && make check\nRUN make install\n`, 'DL3059'), []);
    assert.deepEqual(at(`${F}RUN make\nRUN make check | tee log\n`, 'DL3059'), []);
    assert.deepEqual(at(`${F}RUN make\nENV X=1\nRUN make check\n`, 'DL3059'), []);
    assert.deepEqual(at(`${F}RUN make\n${F}RUN make check\n`, 'DL3059'), []);
  });
});

describe('DL3000 and WorkdirRelativePath: relative WORKDIR, quoted forms', () => {
  it('reads quoted paths as Docker does', () => {
    assert.deepEqual(at(`${F}WORKDIR "/srv/app"\n`, 'DL3000'), []);
    assert.deepEqual(at(`${F}WORKDIR '/srv/app'\n`, 'WorkdirRelativePath'), []);
    assert.deepEqual(at(`${F}WORKDIR "srv/app"\n`, 'DL3000'), [2]);
    assert.deepEqual(at(`${F}WORKDIR 'srv'\n`, 'WorkdirRelativePath'), [2]);
  });
  it('DL3000 also flags a relative WORKDIR after an absolute one; the build check does not', () => {
    const text = `${F}WORKDIR /srv\nWORKDIR "app"\n`;
    assert.deepEqual(at(text, 'DL3000'), [3]);
    assert.deepEqual(at(text, 'WorkdirRelativePath'), []);
    assert.deepEqual(at(`${F}WORKDIR $HOME/app\nWORKDIR C:\\\\app\n`, 'DL3000'), []);
  });
  it('an absolute WORKDIR in the stage built FROM counts', () => {
    const text = `${F.trim()} AS base\nWORKDIR /srv\nFROM base\nWORKDIR app\n`;
    assert.deepEqual(at(text, 'DL3000'), [4]);
    assert.deepEqual(at(text, 'WorkdirRelativePath'), []);
  });
});

describe('DL3045 relative COPY destination without WORKDIR', () => {
  it('quoted and JSON destinations', () => {
    assert.deepEqual(at(`${F}COPY app.conf "conf/"\n`, 'DL3045'), [2]);
    assert.deepEqual(at(`${F}COPY ["app.conf", "conf/"]\n`, 'DL3045'), [2]);
    assert.deepEqual(at(`${F}COPY app.conf "/conf/"\n`, 'DL3045'), []);
    assert.deepEqual(at(`${F}WORKDIR /srv\nCOPY app.conf "conf/"\n`, 'DL3045'), []);
  });
});

describe('DL3022 COPY --from an undefined stage', () => {
  it('names and indexes that are not defined before, quoted or not', () => {
    assert.deepEqual(at(`${F}COPY --from=builder /a /a\n`, 'DL3022'), [2]);
    assert.deepEqual(at(`${F}COPY --from=2 /a /a\n`, 'DL3022'), [2]);
    assert.deepEqual(at(`${F}COPY --from=later /a /a\n${F.trim()} AS later\n`, 'DL3022'), [2]);
    assert.deepEqual(at(`${F.trim()} AS builder\n${F}COPY --from="builder" /a /a\n`, 'DL3022'), []);
    assert.deepEqual(at(`${F}${F}COPY --from=0 /a /a\n`, 'DL3022'), []);
    assert.deepEqual(at(`${F}COPY --from=nginx:1.27 /etc/nginx /etc/nginx\n`, 'DL3022'), []);
  });
});

describe('DL3020 and DL3021 with quoted arguments', () => {
  it('ADD of a quoted local file fires; a quoted archive or URL does not', () => {
    assert.deepEqual(at(`${F}ADD "app.conf" /etc/\n`, 'DL3020'), [2]);
    assert.deepEqual(at(`${F}ADD "site.tar.gz" /srv/\n`, 'DL3020'), []);
    assert.deepEqual(at(`${F}ADD 'https://example.org/x.txt' /srv/\n`, 'DL3020'), []);
  });
  it('COPY of several sources needs a directory destination, quotes removed', () => {
    assert.deepEqual(at(`${F}COPY a b "/srv/"\n`, 'DL3021'), []);
    assert.deepEqual(at(`${F}COPY a b "/srv"\n`, 'DL3021'), [2]);
    assert.deepEqual(at(`${F}COPY ["a", "b", "/srv"]\n`, 'DL3021'), [2]);
  });
});

describe('DL3025 and JSONArgsRecommended across continuation lines', () => {
  it('JSON form written over several lines is JSON', () => {
    assert.deepEqual(at(`${F}CMD ["nginx", \\\n  "-g", \\\n  "daemon off;"]\n`, 'DL3025'), []);
    assert.deepEqual(at(`${F}ENTRYPOINT [ \\\n  "/srv/app" \\\n]\n`, 'JSONArgsRecommended'), []);
  });
  it('shell form over several lines is reported on its first line', () => {
    assert.deepEqual(at(`${F}CMD nginx \\\n  -g "daemon off;"\n`, 'DL3025'), [2]);
    assert.deepEqual(at(`${F}\nENTRYPOINT /srv/app \\\n  --serve\n`, 'JSONArgsRecommended'), [3]);
  });
});

describe('DL3044 ENV referring to a variable the same ENV defines', () => {
  it('fires for a name set earlier in the same ENV, not for one set before it', () => {
    assert.deepEqual(at(`${F}ENV A=/srv \\\n    B=$A/bin\n`, 'DL3044'), [3]);
    assert.deepEqual(at(`${F}ENV A=/opt\nENV A=/srv B=\${A}/bin\n`, 'DL3044'), []);
    assert.deepEqual(at(`${F}ARG A=/opt\nENV A=/srv B=$A/bin\n`, 'DL3044'), []);
    assert.deepEqual(at(`${F}ENV PATH=/srv/bin:$PATH LANG=C.UTF-8\n`, 'DL3044'), []);
  });
});

describe('DL3002 last USER root in the shipped stage', () => {
  it('quoted and numeric root; a builder stage does not ship', () => {
    assert.deepEqual(at(`${F}USER "root"\n`, 'DL3002'), [2]);
    assert.deepEqual(at(`${F}USER 0:0\n`, 'DL3002'), [2]);
    assert.deepEqual(at(`${F.trim()} AS build\nUSER root\n${F}USER app\n`, 'DL3002'), []);
    assert.deepEqual(at(`${F.trim()} AS base\nUSER root\nFROM base\nRUN make\n`, 'DL3002'), [2]);
  });
});

describe('DL3009 apt lists', () => {
  it("cache mounts for apt's directories, with docker-clean removed, keep the lists out of the layer", () => {
    const text =
      F +
      'RUN rm -f /etc/apt/apt.conf.d/docker-clean\n' +
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n' +
      '    --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n' +
      '    apt-get update && apt-get install -y --no-install-recommends gcc=4:12.2.0-3\n';
    assert.deepEqual(at(text, 'DL3009'), []);
    assert.deepEqual(
      at(`${F}RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y gcc\n`, 'DL3009'),
      [2],
    );
  });
});

describe('DL1001 inline pragmas and disable-ignore-pragma', () => {
  const text = `${F}RUN make\n# hadolint ignore=DL3059\nRUN make check\n`;
  it('the pragma suppresses unless pragmas are disabled; DL1001 flags it', () => {
    assert.deepEqual(at(text, 'DL3059'), []);
    assert.deepEqual(at(text, 'DL3059', { disableIgnorePragma: true }), [4]);
    assert.deepEqual(at(text, 'DL1001'), [3]);
    assert.deepEqual(at(`${F}# check=skip=JSONArgsRecommended\nCMD make\n`, 'JSONArgsRecommended'), [3]);
  });
  it('reads disable-ignore-pragma from .hadolint.yaml and layerwise.toml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-pragma-'));
    try {
      writeFileSync(join(dir, '.hadolint.yaml'), 'disable-ignore-pragma: true\n');
      assert.equal((await readConfigFile(join(dir, '.hadolint.yaml')))?.disableIgnorePragma, true);
      writeFileSync(join(dir, 'layerwise.toml'), 'disable-ignore-pragma = false\n');
      assert.equal((await readConfigFile(join(dir, 'layerwise.toml')))?.disableIgnorePragma, false);
      writeFileSync(join(dir, 'layerwise.toml'), 'disable-ignore-pragma = "yes"\n');
      await assert.rejects(
        readConfigFile(join(dir, 'layerwise.toml')),
        /disable-ignore-pragma'? must be true or false/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('DL3065 and RedundantTargetPlatform, quoted', () => {
  it('a quoted $TARGETPLATFORM is still the default', () => {
    assert.deepEqual(at('FROM --platform="$TARGETPLATFORM" debian:12.5\n', 'RedundantTargetPlatform'), [1]);
    assert.deepEqual(at('FROM --platform="${TARGETPLATFORM}" debian:12.5\n', 'DL3065'), [1]);
    assert.deepEqual(at('FROM --platform="$BUILDPLATFORM" debian:12.5\n', 'DL3065'), []);
  });
});

describe('build checks: the line each reports', () => {
  it('UndefinedVar on the instruction line, also when the variable is on a continuation line', () => {
    assert.deepEqual(at(`${F}COPY a.txt \\\n     $nope /srv/\n`, 'UndefinedVar'), [2]);
    assert.deepEqual(at(`${F}ENV A=1 \\\n    B=$PAHT\n`, 'UndefinedVar'), [2]);
  });
  it('InvalidDefinitionDescription on the FROM or ARG, not on the comment', () => {
    assert.deepEqual(
      at(`# build stage\n${F.trim()} AS builder\n# the version\nARG VERSION=1\n`, 'InvalidDefinitionDescription'),
      [2, 4],
    );
    assert.deepEqual(at(`# builder compiles\n${F.trim()} AS builder\n`, 'InvalidDefinitionDescription'), []);
  });
  it('CopyIgnoredFile, MaintainerDeprecated and WorkdirRelativePath on the first line of the instruction', () => {
    const ctx = { example: { dockerignore: 'secrets/\n', files: ['secrets/key.pem', 'a.txt'] } };
    assert.deepEqual(at(`${F}COPY a.txt \\\n  secrets/key.pem /srv/\n`, 'CopyIgnoredFile', ctx), [2]);
    assert.deepEqual(at(`${F}\nADD "secrets/key.pem" /srv/\n`, 'CopyIgnoredFile', ctx), [3]);
    assert.deepEqual(at(`${F}MAINTAINER ops \\\n  <ops@example.org>\n`, 'MaintainerDeprecated'), [2]);
    assert.deepEqual(at(`${F}WORKDIR \\\n  srv\n`, 'WorkdirRelativePath'), [2]);
  });
  it('NoEmptyContinuation once, on the last line of the instruction', () => {
    assert.deepEqual(at(`${F}RUN make \\\n\n  && make check \\\n\n  && make install\n`, 'NoEmptyContinuation'), [6]);
  });
});
