// Edge cases of the rules that mirror Docker's build checks (LW13xx, LW53xx, LW63xx).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { allRules, lintText } from '../../../src/lint.js';
import { applyFixesOnce } from '../../../src/rules/fix.js';
import type { ExampleContext, Finding } from '../../../src/rules/types.js';
import { loadShell } from '../../../src/dockerfile/shell-load.js';

await loadShell();

function find(text: string, id: string, example: ExampleContext = { dockerignore: '.git\n' }): Finding[] {
  const res = lintText(text, 'Dockerfile', { example, enableAll: true });
  assert.deepEqual(res.failures, []);
  return res.findings.filter((f) => f.rule === id);
}

/** Applies the rule's fixes once and checks the rule is quiet afterwards (idempotent fix). */
function fix(text: string, id: string): string {
  const out = applyFixesOnce(text, find(text, id)).text;
  assert.deepEqual(
    find(out, id).map((f) => f.message),
    [],
    `still reported after fix:\n${out}`,
  );
  return out;
}

const lines = (fs: Finding[]) => fs.map((f) => f.line);

describe('build checks: metadata', () => {
  it('every build check in the anchors list is covered, with exact alias spelling', () => {
    const anchors = new URL('../../../../../shared/anchors/buildkit-checks.tsv', import.meta.url);
    let names: string[];
    try {
      names = readFileSync(anchors, 'utf8')
        .split('\n')
        .filter((l) => /^[A-Z]\w+\t/.test(l))
        .map((l) => l.split('\t')[0]);
    } catch {
      return; // the anchors live outside the repository; nothing to compare against here
    }
    const aliases = new Set(allRules.flatMap((r) => r.meta.aliases));
    assert.deepEqual(
      names.filter((n) => !aliases.has(n)),
      [],
    );
  });
  it('shared-intent rules carry both the build check and the hadolint codes', () => {
    const byId = new Map(allRules.map((r) => [r.meta.id, r.meta.aliases]));
    assert.deepEqual(byId.get('LW1301'), ['DuplicateStageName', 'DL3024']);
    assert.deepEqual(byId.get('LW1302'), ['ReservedStageName', 'DL3063']);
    assert.deepEqual(byId.get('LW1303'), ['WorkdirRelativePath', 'DL3000']);
    assert.deepEqual(byId.get('LW1304'), ['MultipleInstructionsDisallowed', 'DL4003', 'DL4004', 'DL3012']);
    assert.deepEqual(byId.get('LW5301'), ['SecretsUsedInArgOrEnv', 'DL3064']);
    assert.deepEqual(byId.get('LW6306'), ['RedundantTargetPlatform', 'DL3065']);
    assert.deepEqual(byId.get('LW6307'), ['MaintainerDeprecated', 'DL4000']);
  });
});

describe('LW6301 stage-name-casing', () => {
  const text =
    'FROM python:3.12-slim AS Deps\nRUN pip wheel -w /w requests\n' +
    'FROM Deps AS Test\nRUN --mount=type=bind,from=Deps,source=/w,target=/w ls /w\n' +
    'FROM python:3.12-slim\nCOPY --from=Deps /w /w\nCOPY --from=test /w /t\n';
  it('reports each upper-case stage name on its FROM line', () => {
    assert.deepEqual(lines(find(text, 'LW6301')), [1, 3]);
  });
  it('fix renames the stage and every reference', () => {
    assert.equal(
      fix(text, 'LW6301'),
      'FROM python:3.12-slim AS deps\nRUN pip wheel -w /w requests\n' +
        'FROM deps AS test\nRUN --mount=type=bind,from=deps,source=/w,target=/w ls /w\n' +
        'FROM python:3.12-slim\nCOPY --from=deps /w /w\nCOPY --from=test /w /t\n',
    );
  });
  it('leaves lower-case names and unnamed stages alone', () => {
    assert.deepEqual(find('FROM alpine AS build-1\nFROM alpine\n', 'LW6301'), []);
  });
});

describe('LW6302 from-as-casing', () => {
  it('reports mismatched AS and fixes it to the FROM casing', () => {
    assert.equal(fix('FROM alpine as base\n', 'LW6302'), 'FROM alpine AS base\n');
    assert.equal(fix('from alpine AS base\n', 'LW6302'), 'from alpine as base\n');
  });
  it('accepts matching casing and a mixed-case FROM', () => {
    assert.deepEqual(find('FROM alpine AS a\nfrom alpine as b\nFrom alpine as c\n', 'LW6302'), []);
  });
});

describe('LW6303 consistent-instruction-casing', () => {
  it('follows the majority, also when it is lower case', () => {
    const text = 'from alpine\nrun echo a\nRUN echo b\nworkdir /x\n';
    const hits = find(text, 'LW6303');
    assert.deepEqual(lines(hits), [3]);
    assert.match(hits[0].message, /lowercase/);
    assert.equal(fix(text, 'LW6303'), 'from alpine\nrun echo a\nrun echo b\nworkdir /x\n');
  });
  it('reports mixed-case keywords and ONBUILD triggers', () => {
    assert.deepEqual(lines(find('FROM alpine\nRun echo a\nONBUILD run echo b\n', 'LW6303')), [2, 3]);
  });
});

describe('LW1311 no-empty-continuation', () => {
  it('reports on the last line of the instruction, as BuildKit does, and removes the empty line', () => {
    const text = 'FROM alpine\nRUN echo a && \\\n\n    echo b\n';
    assert.deepEqual(lines(find(text, 'LW1311')), [4]);
    assert.match(find(text, 'LW1311')[0].message, /continuation line 3 in RUN/);
    assert.equal(fix(text, 'LW1311'), 'FROM alpine\nRUN echo a && \\\n    echo b\n');
  });
  it('does not look inside heredoc bodies', () => {
    assert.deepEqual(find('FROM alpine\nRUN <<EOF\necho a \\\n\necho b\nEOF\n', 'LW1311'), []);
  });
});

describe('LW1301 duplicate-stage-name and LW1302 reserved-stage-name', () => {
  it('stage names compare case-insensitively; the later one is reported', () => {
    const hits = find('FROM alpine AS build\nFROM alpine AS Build\n', 'LW1301');
    assert.deepEqual(lines(hits), [2]);
    assert.match(hits[0].message, /line 1/);
  });
  it('reports scratch and context as stage names', () => {
    assert.deepEqual(lines(find('FROM alpine AS Context\nFROM alpine AS scratch\nFROM scratch\n', 'LW1302')), [1, 2]);
  });
});

describe('LW1303 workdir-relative-path', () => {
  it('accepts a relative WORKDIR after an absolute one, also from a parent stage', () => {
    assert.deepEqual(find('FROM alpine AS a\nWORKDIR /src\nWORKDIR app\nFROM a\nWORKDIR lib\n', 'LW1303'), []);
  });
  it('does not judge variables or Windows paths', () => {
    assert.deepEqual(find('FROM alpine\nARG D=/x\nWORKDIR $HOME/app\nWORKDIR ${D}\nWORKDIR C:\\app\n', 'LW1303'), []);
  });
  it('reports relative paths, each stage on its own', () => {
    assert.deepEqual(lines(find('FROM alpine\nWORKDIR /a\nFROM alpine\nWORKDIR ./b\n', 'LW1303')), [4]);
  });
});

describe('LW1304 multiple-instructions-disallowed', () => {
  it('reports every overridden CMD, ENTRYPOINT and HEALTHCHECK but not the last', () => {
    const text =
      'FROM python:3.12-slim\nENTRYPOINT ["a"]\nCMD ["x"]\nHEALTHCHECK CMD true\nCMD ["y"]\nHEALTHCHECK NONE\nENTRYPOINT ["b"]\nCMD ["z"]\n';
    const hits = find(text, 'LW1304');
    assert.deepEqual(lines(hits), [2, 3, 4, 5]);
    assert.match(hits[1].message, /overridden by line 8/);
  });
  it('one per stage, HEALTHCHECK CMD and ONBUILD CMD do not count', () => {
    const text =
      'FROM alpine AS a\nCMD ["a"]\nFROM alpine\nONBUILD CMD ["b"]\nHEALTHCHECK CMD curl -f http://localhost/\nCMD ["c"]\n';
    assert.deepEqual(find(text, 'LW1304'), []);
  });
});

describe('LW1305 undefined-arg-in-from and LW1307 invalid-default-arg-in-from', () => {
  it('accepts declared global ARGs and the platform args', () => {
    const text =
      'ARG BASE=python\nFROM --platform=$BUILDPLATFORM ${BASE}:3.12 AS b\nFROM --platform=${TARGETPLATFORM} alpine\n';
    assert.deepEqual(find(text, 'LW1305'), []);
    assert.deepEqual(find(text, 'LW1307'), []);
  });
  it('suggests the declared name for a typo', () => {
    const hits = find('ARG PYTHON_VERSION=3.12\nFROM python:${PYTON_VERSION}\n', 'LW1305');
    assert.equal(hits.length, 1);
    assert.match(hits[0].message, /'PYTON_VERSION'.*did you mean PYTHON_VERSION\?/);
  });
  it('an ARG declared inside a stage does not count for a later FROM', () => {
    assert.deepEqual(lines(find('FROM alpine\nARG TAG=1\nFROM busybox:$TAG\n', 'LW1305')), [3]);
  });
  it('reports FROM references made invalid or empty by missing defaults', () => {
    assert.deepEqual(lines(find('ARG TAG\nFROM busybox:${TAG}\n', 'LW1307')), [2]);
    assert.match(find('ARG IMAGE\nFROM $IMAGE\n', 'LW1307')[0].message, /empty base image name/);
  });
  it('accepts an empty ARG when the reference stays valid, defaults in the reference, stage names', () => {
    const text =
      'ARG VARIANT\nARG TAG\nARG STAGE=build\nFROM busybox:stable${VARIANT} AS build\nFROM python:${TAG:-3.12}\nFROM ${STAGE}\n';
    assert.deepEqual(find(text, 'LW1307'), []);
  });
});

describe('LW1306 undefined-var', () => {
  it('reports undeclared variables in COPY, ENV, WORKDIR and flags, not in RUN/CMD', () => {
    const text =
      'FROM alpine\nRUN echo $NOPE\nCMD echo $NOPE\nCOPY $foo /x\nENV A=$bar\nCOPY --chown=$owner a /b\nARG VERSION=$baz\n';
    assert.deepEqual(lines(find(text, 'LW1306')), [4, 5, 6, 7]);
  });
  it('knows ARG/ENV in scope, ENV of parent stages, predefined args, defaults and escapes', () => {
    const text =
      'FROM alpine AS base\nENV APP=/app\nARG U=1000\nARG A=1 B=$A\nFROM base\nARG TARGETARCH\n' +
      'COPY --chown=$U x $APP/\nWORKDIR ${APP}/$TARGETOS\nLABEL v=${MISSING:-none} w=\\$LITERAL\nENV P=$PATH:/x HTTP_PROXY=$HTTP_PROXY\n';
    assert.deepEqual(
      find(text, 'LW1306').map((f) => `${f.line}: ${f.message}`),
      ['7: Usage of undefined variable $U in COPY; declare it with ARG or ENV before this line'],
    );
  });
  it('tells when a global ARG was not redeclared in the stage', () => {
    const hits = find('ARG VERSION=1\nFROM alpine\nLABEL version=$VERSION\n', 'LW1306');
    assert.match(hits[0].message, /global ARG: redeclare it in this stage with ARG VERSION/);
  });
  it('suggests a close name', () => {
    const hits = find('FROM alpine\nENV PATH=$PAHT:/app/bin\n', 'LW1306');
    assert.match(hits[0].message, /\$PAHT.*did you mean \$PATH\?/);
  });
  it('ENV pairs in one instruction do not see each other, ARG pairs do', () => {
    assert.deepEqual(lines(find('FROM scratch\nENV A=1 B=$A\n', 'LW1306')), [2]);
    assert.deepEqual(find('FROM scratch\nARG A=1 B=$A\n', 'LW1306'), []);
  });
  it('does not read heredoc bodies of COPY', () => {
    assert.deepEqual(find('FROM alpine\nCOPY <<EOF /etc/app.conf\nhome=$HOME_DIR_X\nEOF\n', 'LW1306'), []);
  });
});

describe('LW6305 legacy-key-value-format', () => {
  it('fixes single-line values, quoting when they contain spaces', () => {
    assert.equal(fix('FROM alpine\nENV A 1\n', 'LW6305'), 'FROM alpine\nENV A=1\n');
    assert.equal(fix('FROM alpine\nENV A b  c\n', 'LW6305'), 'FROM alpine\nENV A="b  c"\n');
    assert.equal(
      fix('FROM alpine\nLABEL maintainer "Jane Doe"\n', 'LW6305'),
      'FROM alpine\nLABEL maintainer="Jane Doe"\n',
    );
  });
  it('reports multi-line values without an unsafe fix', () => {
    const hits = find('FROM alpine\nENV DEPS \\\n    curl \\\n    git\n', 'LW6305');
    assert.deepEqual(lines(hits), [2]);
    assert.equal(hits[0].fix, undefined);
  });
  it('accepts key=value forms', () => {
    assert.deepEqual(find('FROM alpine\nENV A=1 B="x y"\nLABEL a=b\nENV C=\n', 'LW6305'), []);
  });
});

describe('LW6306 redundant-target-platform', () => {
  it('removes --platform=$TARGETPLATFORM and keeps $BUILDPLATFORM', () => {
    assert.equal(fix('FROM --platform=${TARGETPLATFORM} alpine AS a\n', 'LW6306'), 'FROM alpine AS a\n');
    assert.deepEqual(find('FROM --platform=$BUILDPLATFORM golang:1.22 AS b\n', 'LW6306'), []);
  });
});

describe('LW6307 maintainer-deprecated', () => {
  it('replaces MAINTAINER with the OCI authors label', () => {
    assert.equal(
      fix('FROM alpine\nMAINTAINER Jane "JD" Doe $x\nRUN true\n', 'LW6307'),
      'FROM alpine\nLABEL org.opencontainers.image.authors="Jane \\"JD\\" Doe \\$x"\nRUN true\n',
    );
  });
});

describe('LW5301 secrets-used-in-arg-or-env', () => {
  it('reports secret-looking names on the line of the pair', () => {
    const text =
      'FROM alpine\nARG AWS_ACCESS_KEY_ID\nENV A=1 \\\n    GITHUB_TOKEN=x\nENV db-password=x\nONBUILD ARG API_KEY\n';
    assert.deepEqual(lines(find(text, 'LW5301')), [2, 4, 5, 6]);
  });
  it('does not report public keys, file locations, or words that only contain a token', () => {
    const text =
      'FROM alpine\nARG PUBLIC_KEY\nENV POSTGRES_PASSWORD_FILE=/run/secrets/pw\nENV TOKENIZERS_PARALLELISM=false\n' +
      'ENV KEYRING_BACKEND=file\nARG MONKEY=1\nENV PIP_NO_CACHE_DIR=1\n';
    assert.deepEqual(find(text, 'LW5301'), []);
  });
});

describe('LW1308 from-platform-flag-const-disallowed and LW1312 invalid-base-image-platform', () => {
  it('allows a constant platform when the stage name names it', () => {
    const text =
      'FROM --platform=linux/amd64 alpine AS build_amd64\nFROM --platform=linux/arm64 alpine AS build-aarch64\nFROM build_${TARGETARCH}\n';
    assert.deepEqual(find(text, 'LW1308'), []);
    assert.deepEqual(lines(find('FROM --platform=linux/arm64 alpine AS app\n', 'LW1308')), [1]);
  });
  it('reports a stage based on another stage pinned to a different constant platform', () => {
    const text =
      'FROM --platform=linux/arm64 alpine AS base_arm64\nFROM --platform=linux/amd64 base_arm64 AS app_amd64\n';
    const hits = find(text, 'LW1312');
    assert.deepEqual(lines(hits), [2]);
    assert.match(hits[0].message, /linux\/arm64.*--platform=linux\/amd64/);
  });
  it('accepts matching or unknown platforms', () => {
    const text =
      'FROM --platform=linux/arm64/v8 arm64v8/python:3.12 AS a_arm64\nFROM --platform=$BUILDPLATFORM amd64/python:3.12 AS b\n' +
      'FROM --platform=linux/amd64 python:3.12 AS c_amd64\n';
    assert.deepEqual(find(text, 'LW1312'), []);
  });
});

describe('LW1309 copy-ignored-file', () => {
  const ctx = {
    dockerignore: '.git\n*.md\nsecrets/\n!README.md\n',
    files: ['README.md', 'CHANGES.md', 'secrets/a'],
  };
  it('reports sources excluded by .dockerignore', () => {
    const text = 'FROM alpine\nCOPY CHANGES.md ./secrets/ /app/\nCOPY ["secrets/a", "/b"]\n';
    const hits = find(text, 'LW1309', ctx);
    assert.deepEqual(
      hits.map((h) => h.message.split(' is ')[0]),
      ["COPY source 'CHANGES.md'", "COPY source './secrets/'", "COPY source 'secrets/a'"],
    );
  });
  it('ignores the whole context, re-included files, other stages, URLs and heredocs', () => {
    const text =
      'FROM alpine AS b\nFROM alpine\nCOPY . .\nCOPY README.md /\nCOPY --from=b /secrets/a /x\n' +
      'ADD https://example.com/a.md /x\nCOPY <<EOF /x.md\nhi\nEOF\n';
    assert.deepEqual(find(text, 'LW1309', ctx), []);
  });
  it('says nothing without a .dockerignore', () => {
    assert.deepEqual(find('FROM alpine\nCOPY CHANGES.md /\n', 'LW1309', {}), []);
  });
});

describe('LW6304 expose-proto-casing and LW1310 expose-invalid-format', () => {
  it('lowercases the protocol', () => {
    assert.equal(fix('FROM alpine\nEXPOSE 80/TCP 53/Udp 8080\n', 'LW6304'), 'FROM alpine\nEXPOSE 80/tcp 53/udp 8080\n');
  });
  it('reports host mappings and keeps the container port', () => {
    assert.equal(
      fix('FROM alpine\nEXPOSE 127.0.0.1:8080:80/tcp 9000:9000\n', 'LW1310'),
      'FROM alpine\nEXPOSE 80/tcp 9000\n',
    );
  });
  it('does not read ${PORT:-8000} as a mapping', () => {
    assert.deepEqual(find('FROM alpine\nARG PORT\nEXPOSE ${PORT:-8000} 8001/udp\n', 'LW1310'), []);
  });
});

describe('LW6308 invalid-definition-description', () => {
  it('is off by default', () => {
    const res = lintText('# nothing\nFROM alpine AS base\n', 'Dockerfile', { example: {} });
    assert.deepEqual(
      res.findings.filter((f) => f.rule === 'LW6308'),
      [],
    );
  });
  it('checks only the comment directly above, skipping directives and pragmas', () => {
    const text =
      '# syntax=docker/dockerfile:1\nARG A=1\n# hadolint ignore=DL3006\nFROM alpine AS base\n# B and C\nARG B C\n' +
      '# unrelated\n\nARG D\n# not it\nARG E\n';
    // Reported on the ARG itself, as BuildKit does, not on the comment.
    assert.deepEqual(lines(find(text, 'LW6308')), [11]);
  });
});

describe('LW1306 undefined-var: declaration order', () => {
  it('reports a use before the declaration even for names a base image might set', () => {
    const hits = find(
      'FROM python:3.12-slim\nENV PATH="${APP_HOME}/.venv/bin:${PATH}"\nENV APP_HOME=/srv/app\n',
      'LW1306',
    );
    assert.deepEqual(lines(hits), [2]);
    assert.match(hits[0].message, /\$APP_HOME.*declared on line 3, after this use/);
  });
  it('explains pairs of one ENV', () => {
    assert.match(find('FROM scratch\nENV A=1 B=$A\n', 'LW1306')[0].message, /pairs of one ENV do not see each other/);
  });
  it('does not suggest names that are too far apart', () => {
    const hits = find('FROM python:3.12-slim\nENV API_KEY_X=${API_KEY}\n', 'LW1306');
    assert.doesNotMatch(hits[0].message, /did you mean/);
  });
});

describe('LW1306 undefined-var: self reference', () => {
  it('advises an ARG for ENV X=$X', () => {
    const hits = find('FROM python:3.12-slim\nENV API_KEY=${API_KEY}\n', 'LW1306');
    assert.match(hits[0].message, /declare it with ARG or ENV before this line/);
    assert.deepEqual(find('FROM python:3.12-slim\nARG API_KEY\nENV API_KEY=${API_KEY}\n', 'LW1306'), []);
  });
  it('knows the env of common Python base images', () => {
    const text = 'FROM mambaorg/micromamba:1.5\nCOPY --chown=$MAMBA_USER:$MAMBA_USER env.yaml /tmp/env.yaml\n';
    assert.deepEqual(find(text, 'LW1306'), []);
  });
});

describe('LW1309 copy-ignored-file: allow-list .dockerignore', () => {
  const ctx = {
    dockerignore: '*\n!src/app.py\n!**/*.toml\n!requirements.txt\n',
    files: ['src/app.py', 'requirements.txt', 'docs/a.md'],
  };
  it('does not report directories that still have re-included files', () => {
    assert.deepEqual(
      find('FROM python:3.12-slim\nCOPY requirements.txt ./\nCOPY src/ /app/src/\nCOPY . /app\n', 'LW1309', ctx),
      [],
    );
  });
  it('still reports what stays excluded', () => {
    assert.deepEqual(lines(find('FROM python:3.12-slim\nCOPY README.md /app/\n', 'LW1309', ctx)), [2]);
  });
  it('a **/ re-include keeps directories that may hold such files', () => {
    assert.deepEqual(find('FROM python:3.12-slim\nCOPY config /app/config\n', 'LW1309', ctx), []);
  });
});

describe('LW1311 no-empty-continuation: comments and runs of empty lines', () => {
  it('reports empty lines after a comment line or another empty line inside a continuation', () => {
    const text = 'FROM alpine\nRUN echo a \\\n    # note\n\n\n    && echo b\nRUN echo c\n\nRUN echo d\n';
    assert.deepEqual(lines(find(text, 'LW1311')), [6]);
    assert.match(find(text, 'LW1311')[0].message, /lines 4, 5 in RUN/);
    assert.equal(
      fix(text, 'LW1311'),
      'FROM alpine\nRUN echo a \\\n    # note\n    && echo b\nRUN echo c\n\nRUN echo d\n',
    );
  });
});

describe('LW1311 no-empty-continuation: line endings', () => {
  it('fixes CRLF and mixed line endings at the right offsets', () => {
    assert.equal(fix('FROM alpine\r\nRUN a \\\r\n\r\n  b\r\n', 'LW1311'), 'FROM alpine\r\nRUN a \\\r\n  b\r\n');
    assert.equal(fix('\r\nFROM alpine\nRUN a \\\n\n  b\n', 'LW1311'), '\r\nFROM alpine\nRUN a \\\n  b\n');
  });
});
